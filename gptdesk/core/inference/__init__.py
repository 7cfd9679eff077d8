"""Running models: the engine, GGUF checks, memory fit, CPU kernels, threads."""
