"""How long tests wait for what must happen: a guard against hangs, never a speed budget.

Every wait on an event that must eventually come (a signal, a condition, a thread, a child
process) uses these, so a machine 40 times slower than usual still passes and only a real hang
fails, after ten minutes instead of blocking the session forever. Waits that check that
something does NOT happen (``assert_not_emitted``, ``qtbot.wait`` before asserting absence) keep
their short, explicit times: there the time is the test's subject, and a slow machine can only
make them pass more easily.
"""

from __future__ import annotations

HANG_TIMEOUT_S = 600
"""Seconds before a wait on something that must happen is declared a hang."""
HANG_TIMEOUT_MS = HANG_TIMEOUT_S * 1000
"""The same in milliseconds, for pytest-qt's ``timeout=`` arguments."""
