"""Qt tests (pytest-qt, offscreen)."""
