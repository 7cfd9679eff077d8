"""Fixtures for Qt tests: offscreen platform, a fake engine class reset per test."""

from __future__ import annotations

import os
from collections.abc import Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from tests.ui.fakes import FakeEngine


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Open FakeEngine's gate before any fixture is torn down: a stream the test left held
    (see ``FakeEngine.hold_after``) ends, so shutting an engine thread down never waits on it."""
    FakeEngine.release()
    yield


@pytest.fixture
def fake_engine() -> type[FakeEngine]:
    """FakeEngine with its class state as new (knobs, records, a closed gate)."""
    FakeEngine.reset()
    return FakeEngine
