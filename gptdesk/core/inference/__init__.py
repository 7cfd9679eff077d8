"""Running models: the Backend interface, engine host, GGUF checks, fit, CPU kernels, threads."""
