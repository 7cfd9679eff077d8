"""Ask your documents: collections of files indexed in the background, answers with sources."""
