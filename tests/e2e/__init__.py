"""End-to-end tests: the whole app (real window, real database, real starter model)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt makes the QApplication
