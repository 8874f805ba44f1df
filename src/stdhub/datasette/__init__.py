"""The data server: Datasette configured, extended and guarded for stdhub's databases.

`build` writes the Datasette folder of a build (`configdir`, `metadata`, `settings`,
`queries`); `plugin` is the one Datasette plugin (labels, links, Chinese pages, the page cache
and the admission queue); `fastpath` holds the replacements of Datasette internals.
"""
