"""Multi-step jobs on the worker thread: progress, streamed text and one ending per request."""

from __future__ import annotations

import threading
from pathlib import Path

from gptdesk.core.errors import GenerationError
from gptdesk.core.inference.engine import (
    ChatMessage,
    Finished,
    LoadOptions,
    SamplingParams,
    TextDelta,
)
from gptdesk.core.writing.jobs import Progress
from gptdesk.ui.engine.worker import EngineController
from tests.waits import HANG_TIMEOUT_MS


def loaded_controller(qtbot, fake_engine) -> EngineController:
    controller = EngineController(factory=fake_engine)
    with qtbot.wait_signal(controller.loaded, timeout=HANG_TIMEOUT_MS):
        controller.load(Path("/models/fake.gguf"), LoadOptions())
    return controller


def two_part_job(engine, cancel: threading.Event):
    for part in range(2):
        yield Progress(part, 2, f"Part {part + 1} of 2")
        for event in engine.stream_chat([ChatMessage("user", "hi")], SamplingParams(), cancel):
            if isinstance(event, Finished):
                last = event
            elif part == 1:
                yield event  # only the final pass streams to the user
    yield Progress(2, 2, "Done")
    yield last


def test_a_job_reports_progress_streams_its_last_pass_and_finishes(qtbot, fake_engine):
    controller = loaded_controller(qtbot, fake_engine)
    progress: list[tuple[int, int, str]] = []
    deltas: list[str] = []
    controller.job_progress.connect(lambda _r, d, t, label: progress.append((d, t, label)))
    controller.delta.connect(lambda _r, text: deltas.append(text))
    with qtbot.wait_signal(controller.generation_finished, timeout=HANG_TIMEOUT_MS) as finished:
        rid = controller.run_job(two_part_job)
    assert finished.args[0] == rid and finished.args[1] == fake_engine.reply
    assert progress == [(0, 2, "Part 1 of 2"), (1, 2, "Part 2 of 2"), (2, 2, "Done")]
    assert "".join(deltas) == fake_engine.reply
    assert len(fake_engine.requests) == 2
    assert not controller.busy
    controller.shutdown()


def test_a_failing_job_ends_with_its_message(qtbot, fake_engine):
    controller = loaded_controller(qtbot, fake_engine)

    def failing(_engine, _cancel):
        yield Progress(0, 3, "Part 1 of 3")
        raise GenerationError("The text is too long for this model.")

    with qtbot.wait_signal(controller.generation_failed, timeout=HANG_TIMEOUT_MS) as failed:
        controller.run_job(failing)
    assert failed.args[1] == "The text is too long for this model."
    assert not controller.busy
    controller.shutdown()


def test_a_job_that_never_finishes_is_reported_as_failed(qtbot, fake_engine):
    controller = loaded_controller(qtbot, fake_engine)

    def silent(_engine, _cancel):
        yield TextDelta("half")

    with qtbot.wait_signal(controller.generation_failed, timeout=HANG_TIMEOUT_MS) as failed:
        controller.run_job(silent)
    assert "without a result" in failed.args[1]
    controller.shutdown()


def test_stop_cancels_a_running_job(qtbot, fake_engine):
    fake_engine.reply = " ".join(["w"] * 300)
    fake_engine.hold_after = 1  # one word, then the job waits: only Stop can end it
    controller = loaded_controller(qtbot, fake_engine)
    with qtbot.wait_signal(controller.generation_cancelled, timeout=HANG_TIMEOUT_MS) as stopped:
        with qtbot.wait_signal(controller.delta, timeout=HANG_TIMEOUT_MS):  # it is running
            controller.run_job(lambda engine, cancel: engine.stream_completion("x", None, cancel))
        controller.stop()
    assert stopped.args[1] == "w" and stopped.args[2].stop_reason == "cancelled"
    controller.shutdown()
