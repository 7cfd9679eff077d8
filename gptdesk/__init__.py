"""gptdesk: a local AI writing desk running GGUF models through llama.cpp."""

__version__ = "0.1.0"
