"""The app's API requests in the window's engine queue (WindowRunner), on FakeEngine: the test is
about the queue's bookkeeping, not the model (the real model: tests/e2e/test_app_api.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from gptdesk.core.inference.backend import ChatMessage, Finished, LoadOptions, SamplingParams
from gptdesk.core.serve.runner import END, NoModelError, QueueFullError, Started, Ticket, Work
from gptdesk.ui.engine.api_service import WindowRunner
from gptdesk.ui.engine.worker import EngineController
from tests.ui.fakes import FakeEngine
from tests.waits import HANG_TIMEOUT_MS

WORK = Work("chat", SamplingParams(), 8, messages=(ChatMessage("user", "Hi there"),))


@pytest.fixture
def controller(qtbot, fake_engine: type[FakeEngine]) -> Iterator[EngineController]:
    ctl = EngineController(fake_engine)
    with qtbot.wait_signal(ctl.loaded, timeout=HANG_TIMEOUT_MS):
        ctl.load(Path("/models/fake.gguf"), LoadOptions())
    yield ctl
    ctl.shutdown()


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def collect(qtbot, loop: asyncio.AbstractEventLoop, ticket: Ticket) -> list[object]:
    """Everything pushed into ``ticket`` up to END (the GUI thread's events keep running)."""
    items: list[object] = []

    def drained() -> bool:
        loop.run_until_complete(asyncio.sleep(0))  # run the pushes that arrived
        while not ticket._items.empty():
            items.append(ticket._items.get_nowait())
        return bool(items) and items[-1] is END

    qtbot.wait_until(drained, timeout=HANG_TIMEOUT_MS)
    return items


def test_an_api_request_waits_behind_the_window_and_answers(qtbot, controller, loop):
    runner = WindowRunner(controller)
    runner.set_status(controller.worker._engine.status)  # type: ignore[union-attr]
    FakeEngine.hold_after = 1  # the window's reply holds the engine
    with qtbot.wait_signal(controller.delta, timeout=HANG_TIMEOUT_MS):  # the window's runs
        window = controller.chat([ChatMessage("user", "Window first")], SamplingParams())
    ticket = Ticket(loop)
    runner.submit(WORK, ticket)
    qtbot.wait_until(lambda: runner.queue_length() == 2, timeout=HANG_TIMEOUT_MS)
    assert FakeEngine.requests == [(ChatMessage("user", "Window first"),)]  # not yet its turn
    with qtbot.wait_signal(controller.generation_finished, timeout=HANG_TIMEOUT_MS) as done:
        FakeEngine.release()
    assert done.args[0] == window
    items = collect(qtbot, loop, ticket)
    assert isinstance(items[0], Started)
    assert isinstance(items[-2], Finished) and items[-2].text == FakeEngine.reply
    qtbot.wait_until(lambda: runner.queue_length() == 0, timeout=HANG_TIMEOUT_MS)


def test_a_full_queue_refuses(qtbot, controller, loop):
    runner = WindowRunner(controller, max_queued=1)
    runner.set_status(controller.worker._engine.status)  # type: ignore[union-attr]
    FakeEngine.hold_after = 1
    first = Ticket(loop)
    runner.submit(WORK, first)
    with pytest.raises(QueueFullError):
        runner.submit(WORK, Ticket(loop))
    FakeEngine.release()
    assert collect(qtbot, loop, first)[-1] is END
    runner.submit(WORK, Ticket(loop))  # room again


def test_a_request_whose_model_failed_to_load_is_answered(qtbot, controller, loop):
    """The window switches to a model that fails to load while an API request waits behind
    the load: the job never runs, and the client still gets an answer (503), not a hang."""
    runner = WindowRunner(controller)
    runner.set_status(controller.worker._engine.status)  # type: ignore[union-attr]
    FakeEngine.fail_load = "broken model"
    with qtbot.wait_signal(controller.load_failed, timeout=HANG_TIMEOUT_MS):
        controller.load(Path("/models/broken.gguf"), LoadOptions())
        ticket = Ticket(loop)
        runner.submit(WORK, ticket)
    items = collect(qtbot, loop, ticket)
    assert isinstance(items[0], NoModelError) and items[1] is END
    assert runner.model() is None
    runner.submit(WORK, Ticket(loop))  # its place in the queue was given back
