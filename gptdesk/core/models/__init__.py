"""Getting and keeping models: the Hub, downloads, the local library, the catalog."""
