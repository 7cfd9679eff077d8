"""Writing jobs (summary, story, email, translation) and their documents, chunks, prompts."""
