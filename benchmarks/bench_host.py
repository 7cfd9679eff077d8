"""What running the engine in its own process costs: the host against the engine in-process.

Both backends load the same GGUF with the same options and answer the same raw completions
(greedy, same seed), alternating, in one run. Each round's prompt is a short sentence that
starts with its own number, so the whole prompt is evaluated every time (no KV reuse on either
side) and the prompt's evaluation, which varies by hundreds of milliseconds on a shared
machine, stays small next to what is measured. Times are taken by the caller, as the window
sees them: time to first token from the call, generation tokens/s from the first delta to the
last event.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from benchmarks.bench_engine import cpu_model
from benchmarks.report import write_section
from gptdesk.core.inference.backend import (
    Backend,
    Finished,
    LoadOptions,
    SamplingParams,
    TextDelta,
)
from gptdesk.core.inference.engine import Engine
from gptdesk.core.inference.host import EngineHost
from gptdesk.core.models.library import starter_model_path

SECTION = "host"
SEED = 1234
TTFT_GOAL_MS = 20.0
SPEED_GOAL = 0.97
PROMPT = "The old lighthouse keeper opened his logbook and wrote"


@dataclass(frozen=True)
class Run:
    ttft_s: float
    tokens: int
    tokens_per_s: float


def one_run(backend: Backend, prompt: str, params: SamplingParams) -> Run:
    start = time.perf_counter()
    first: float | None = None
    deltas = 0
    for event in backend.stream_completion(prompt, params):
        if isinstance(event, TextDelta):
            deltas += 1
            if first is None:
                first = time.perf_counter()
        elif isinstance(event, Finished):
            end = time.perf_counter()
            assert first is not None, "no text came back"
            gen = end - first
            tokens = event.stats.completion_tokens
            return Run(first - start, tokens, (tokens - 1) / gen if gen > 0 else 0.0)
    raise RuntimeError("the stream ended without Finished")


def quit_while_busy(rounds: int) -> list[float]:
    """Seconds from closing the window to ``run_app``'s shutdown returning, while the starter
    model streams a long reply (as the user quits mid-reply)."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from gptdesk.app import build_services
    from gptdesk.core.storage.paths import resolve_paths
    from gptdesk.ui.window.main_window import MainWindow

    app = QApplication.instance() or QApplication([])

    def wait(signal: object, limit_s: float = 600.0) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(int(limit_s * 1000), loop.quit)
        loop.exec()

    times = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            services = build_services(resolve_paths(Path(tmp)).ensure())
            services.scan_external = False
            services.token = lambda: None
            win = MainWindow(services)
            win.show()
            win.scan_models()
            wait(services.controller.loaded)
            win.show_welcome(False)
            pane = win.chat_pane
            pane.session.set_params({"temperature": 0.8, "seed": 1, "max_tokens": 400})
            deltas: list[str] = []
            services.controller.delta.connect(lambda _rid, text, got=deltas: got.append(text))
            pane.composer.setPlainText("Tell me a long story about a lighthouse keeper.")
            pane.send()
            while len(deltas) < 10:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
            start = time.perf_counter()
            win.close()
            services.shutdown()
            times.append(time.perf_counter() - start)
    return times


def progress(text: str) -> None:
    print(f"bench_host: {text}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--quits", type=int, default=3, help="window quits mid-reply")
    parser.add_argument("--out", type=Path, help="write the section into this Markdown file")
    args = parser.parse_args(argv)

    path = starter_model_path()
    if path is None:
        print("bench_host: the starter model is not installed", file=sys.stderr)
        return 1
    options = LoadOptions(n_ctx=2048)
    progress("loading the model in this process and in the engine host")
    local = Engine(path, options)
    local.load()
    host = EngineHost(path, options)
    t0 = time.perf_counter()
    host.load()
    host_load_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = Engine(path, options)
    again.load()
    local_load_s = time.perf_counter() - t0
    again.close()

    params = SamplingParams(temperature=0.0, seed=SEED, max_tokens=args.max_tokens)
    backends: dict[str, Backend] = {"in-process": local, "engine host": host}
    runs: dict[str, list[Run]] = {name: [] for name in backends}
    # A warm-up round each, not counted.
    for backend in backends.values():
        one_run(backend, "Round 0. " + PROMPT, params)
    for i in range(1, args.rounds + 1):
        order = list(backends) if i % 2 else list(reversed(backends))
        for name in order:
            runs[name].append(one_run(backends[name], f"Round {i}. " + PROMPT, params))
        progress(f"round {i}/{args.rounds} done")
    host.close()
    local.close()
    progress("quitting the window mid-reply")
    quits = quit_while_busy(args.quits)

    def med(name: str, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in runs[name])

    speed_ratio = statistics.median(
        h.tokens_per_s / lp.tokens_per_s
        for h, lp in zip(runs["engine host"], runs["in-process"], strict=True)
    )
    ttft_extra_ms = statistics.median(
        (h.ttft_s - lp.ttft_s) * 1000
        for h, lp in zip(runs["engine host"], runs["in-process"], strict=True)
    )
    rows = [
        "## The engine in its own process (issue 11)",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} logical CPUs, {platform.system()}, Python "
        f"{platform.python_version()}. Model: {path.name}, context 2048, default threads. "
        f"{args.rounds} rounds after one warm-up each, the two backends alternating; every "
        f"round a raw completion of a short prompt ({PROMPT!r}, after the round's number: "
        f"the whole prompt is evaluated), greedy, up to {args.max_tokens} tokens. "
        "Timed by the caller: TTFT from the call to the first text, generation from the first "
        "text to the end.",
        "",
        "| backend | TTFT median (ms) | generation median (tok/s) | tokens | load (s) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    loads = {"in-process": local_load_s, "engine host": host_load_s}
    for name in backends:
        rows.append(
            f"| {name} | {med(name, 'ttft_s') * 1000:.0f} | {med(name, 'tokens_per_s'):.1f} | "
            f"{med(name, 'tokens'):.0f} | {loads[name]:.2f} |"
        )
    speed_ok = "meets" if speed_ratio >= SPEED_GOAL else "misses"
    ttft_ok = "meets" if ttft_extra_ms <= TTFT_GOAL_MS else "misses"
    rows += [
        "",
        f"Generation through the host / in-process (median of the rounds' ratios): "
        f"**{speed_ratio:.3f}×** — goal ≥ {SPEED_GOAL}×: {speed_ok}.",
        f"Time to first token, host minus in-process (median of the rounds' differences): "
        f"**{ttft_extra_ms:+.1f} ms** — goal ≤ +{TTFT_GOAL_MS:.0f} ms: {ttft_ok}.",
        "The load through the host includes starting the process (a Python interpreter that "
        "imports llama-cpp-python): the window shows before it (cold start: the GUI section).",
        "",
        f"Quitting while a reply streams (close the window, then the shutdown `run_app` does; "
        f"{len(quits)} runs): median **{statistics.median(quits):.2f} s**, longest "
        f"{max(quits):.2f} s — goal < 1 s: "
        f"{'meets' if max(quits) < 1.0 else 'misses'}. The engine process is ended at once; the "
        "reply is saved as stopped.",
        "",
        "Reproduce: `make bench` (this section: `python benchmarks/bench_host.py --out "
        "docs/benchmarks.md`).",
    ]
    body = "\n".join(rows) + "\n"
    print(body)
    if args.out:
        write_section(args.out, SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
