"""The main window, its side list and the settings dialog."""
