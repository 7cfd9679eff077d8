"""Qt-free core of gptdesk: engine, model files, paths and errors (never imports PySide6)."""
