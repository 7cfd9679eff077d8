"""Where data lives and how it is kept: paths, the SQLite store, settings, secrets."""
