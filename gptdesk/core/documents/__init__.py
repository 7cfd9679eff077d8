"""Ask your documents: collections of the user's files, indexed for full-text search (FTS5)."""
