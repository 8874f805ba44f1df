"""The one exception root: expected failures become a message and an exit code at the CLI."""


class StdhubError(Exception):
    """An expected failure the user can act on; the CLI prints it without a traceback."""

    exit_code = 1


class UsageError(StdhubError):
    """The command was called wrongly (exit 2)."""

    exit_code = 2
