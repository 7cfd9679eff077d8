"""Tests of the Qt-free core: engine, GGUF checks, backend, CLI (real starter model)."""
