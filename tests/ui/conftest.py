"""Fixtures for Qt tests: offscreen platform, a fake engine class reset per test."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from tests.ui.fakes import FakeEngine


@pytest.fixture
def fake_engine() -> type[FakeEngine]:
    FakeEngine.reply = "The quick brown fox jumps over the lazy dog."
    FakeEngine.delay = 0.0
    FakeEngine.fail_load = None
    FakeEngine.requests = []
    FakeEngine.continued = []
    FakeEngine.n_ctx = 2048
    return FakeEngine
