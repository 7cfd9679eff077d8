"""The GUI's side of the backend: its worker thread and the controller panes use."""
