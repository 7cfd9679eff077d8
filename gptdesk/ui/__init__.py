"""PySide6 user interface of gptdesk: windows, panes, widgets and the engine's worker thread."""
