"""The local API server: OpenAI- and Ollama-compatible HTTP over the loaded model."""
