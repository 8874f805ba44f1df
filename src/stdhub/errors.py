"""The whole exception hierarchy. Expected failures become one Chinese message and an exit
code at the CLI boundary (`stdhub.cli`), never a traceback; everything else is a bug.

    StdhubError                    an expected failure the user can act on (exit 1)
      UsageError                   the command was called wrongly (exit 2)
      BuildFailed                  validation found errors; carries the report
      DataBuildFailed              a dataset failed its checks or its generator; the report
      DataLoadFailed               writing a database failed (disk full, …)
      BuildWriteFailed             writing build/ failed (disk full, permissions)
      SiteBuildFailed              the site builder (MkDocs) stopped or warned (strict)
      ManifestError                build/data/manifest.json is missing or malformed
      NotPublishable               downloads asked for a dataset whose rows are not published
      ServeError                   a server of `stdhub serve` could not start or stopped
      DependencyError              an installed dependency is outside its range or lacks an internal

Every build failure leaves `build/` as it was (`stdhub.atomic`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stdhub.problems import Report


class StdhubError(Exception):
    """An expected failure the user can act on; the CLI prints it without a traceback."""

    exit_code = 1


class UsageError(StdhubError):
    """The command was called wrongly (exit 2)."""

    exit_code = 2


class _Reported(StdhubError):
    """A failure described by a report of problems (each with its file, line and hint)."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.as_text())
        self.report = report


class BuildFailed(_Reported):
    """Validation (of the standards or the data) found errors; nothing was published."""


class DataBuildFailed(_Reported):
    """A dataset failed its checks (or could not be generated); nothing was published."""


class DataLoadFailed(StdhubError):
    """Writing a database failed (disk full, …); nothing was published."""


class BuildWriteFailed(StdhubError):
    """Writing into build/ failed (disk full, permissions); nothing was published."""


class SiteBuildFailed(StdhubError):
    """The site builder stopped (or, being strict, warned); nothing was published."""


class ManifestError(StdhubError):
    """build/data/manifest.json is missing or not in the expected format."""


class NotPublishable(StdhubError):
    """A dataset without published rows (有条件开放) was asked for downloads."""


class ServeError(StdhubError):
    """A server could not start (port taken, Datasette refused its configuration)."""


class DependencyError(StdhubError):
    """An installed dependency is at a version stdhub cannot run with (`stdhub.internals`)."""
