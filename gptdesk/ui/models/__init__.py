"""Getting models: the welcome page, the model manager and its downloads."""
