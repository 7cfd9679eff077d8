"""What the API server costs, and how many clients at once it holds.

Overhead: the same raw completions (greedy, same seed) through ``gptdesk serve`` over HTTP
(streamed, read with ``requests`` as a client would) and through the engine host the window
uses, alternating, in one run. Each round's prompt starts with its own number, so neither side
reuses the KV cache. TTFT is timed by the caller from the request to the first text; generation
tokens/s from the first text to the end.

Parallel clients: N clients send a chat request at the same moment; every one must get its
reply (200) or an explicit 429 with Retry-After when more than the queue holds are waiting;
any other answer or a dropped connection is a lost request.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

import requests

from benchmarks.bench_engine import cpu_model
from benchmarks.report import write_section
from gptdesk.core.inference.backend import Finished, LoadOptions, SamplingParams, TextDelta
from gptdesk.core.inference.host import EngineHost
from gptdesk.core.models.library import starter_model_path

SECTION = "serve"
SEED = 1234
N_CTX = 2048
QUEUE = 16
PROMPT = "The old lighthouse keeper opened his logbook and wrote"
REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Run:
    ttft_s: float
    tokens: int
    tokens_per_s: float


def direct(host: EngineHost, prompt: str, max_tokens: int) -> Run:
    params = SamplingParams(temperature=0.0, seed=SEED, max_tokens=max_tokens)
    start = time.perf_counter()
    first: float | None = None
    for event in host.stream_completion(prompt, params):
        if isinstance(event, TextDelta) and first is None:
            first = time.perf_counter()
        elif isinstance(event, Finished):
            end = time.perf_counter()
            assert first is not None, "no text came back"
            n = event.stats.completion_tokens
            return Run(first - start, n, (n - 1) / (end - first))
    raise RuntimeError("the stream ended without Finished")


def over_http(session: requests.Session, url: str, prompt: str, max_tokens: int) -> Run:
    body = {
        "prompt": prompt,
        "max_tokens": max_tokens,
        "temperature": 0,
        "seed": SEED,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    start = time.perf_counter()
    first: float | None = None
    tokens = 0
    with session.post(f"{url}/v1/completions", json=body, stream=True) as response:
        response.raise_for_status()
        for line in response.iter_lines():
            if not line.startswith(b"data: ") or line == b"data: [DONE]":
                continue
            chunk = json.loads(line[6:])
            if chunk["choices"] and chunk["choices"][0]["text"] and first is None:
                first = time.perf_counter()
            if chunk.get("usage"):
                tokens = chunk["usage"]["completion_tokens"]
    end = time.perf_counter()
    assert first is not None and tokens, "no text came back"
    return Run(first - start, tokens, (tokens - 1) / (end - first))


def parallel(url: str, n: int) -> tuple[Counter[str], float]:
    """``n`` clients at once; what each got, and the time until the last answer."""
    barrier = threading.Barrier(n)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    body = {
        "messages": [{"role": "user", "content": "Name a colour."}],
        "max_tokens": 8,
        "temperature": 0,
    }

    def client() -> None:
        barrier.wait()
        try:
            response = requests.post(f"{url}/v1/chat/completions", json=body, timeout=600)
            if response.status_code == 200 and response.json()["choices"][0]["message"]:
                outcome = "answered"
            elif response.status_code == 429 and response.headers.get("retry-after"):
                outcome = "429 with Retry-After"
            else:
                outcome = f"lost ({response.status_code})"
        except requests.RequestException as exc:
            outcome = f"lost ({type(exc).__name__})"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=client) for _ in range(n)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes, time.perf_counter() - start


def progress(text: str) -> None:
    print(f"bench_serve: {text}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--clients", type=int, nargs="+", default=[4, 8, 16, 24])
    parser.add_argument("--out", type=Path, help="write the section into this Markdown file")
    args = parser.parse_args(argv)

    path = starter_model_path()
    if path is None:
        print("bench_serve: the starter model is not installed", file=sys.stderr)
        return 1
    progress("starting gptdesk serve and the window's engine host")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gptdesk",
            "serve",
            "--model",
            str(path),
            "--port",
            "0",
            "--ctx",
            str(N_CTX),
            "--queue",
            str(QUEUE),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if not line.startswith("listening on "):
            print(f"bench_serve: gptdesk serve did not start: {line!r}", file=sys.stderr)
            return 1
        url = line.split()[-1]
        host = EngineHost(path, LoadOptions(n_ctx=N_CTX))
        host.load()
        session = requests.Session()
        ways = {
            "window (engine host)": lambda p: direct(host, p, args.max_tokens),
            "HTTP (gptdesk serve)": lambda p: over_http(session, url, p, args.max_tokens),
        }
        runs: dict[str, list[Run]] = {name: [] for name in ways}
        for way in ways.values():  # a warm-up round each, not counted
            way("Round 0. " + PROMPT)
        for i in range(1, args.rounds + 1):
            order = list(ways) if i % 2 else list(reversed(ways))
            for name in order:
                runs[name].append(ways[name](f"Round {i}. " + PROMPT))
            progress(f"round {i}/{args.rounds} done")
        host.close()
        loads = []
        for n in args.clients:
            progress(f"{n} clients at once")
            loads.append((n, *parallel(url, n)))
    finally:
        server.terminate()
        server.wait()

    window, http = runs["window (engine host)"], runs["HTTP (gptdesk serve)"]
    speed_ratio = statistics.median(
        h.tokens_per_s / w.tokens_per_s for h, w in zip(http, window, strict=True)
    )
    ttft_extra_ms = statistics.median(
        (h.ttft_s - w.ttft_s) * 1000 for h, w in zip(http, window, strict=True)
    )
    rows = [
        "## The API server (issue 12)",
        "",
        f"Machine: {cpu_model()}, {os.cpu_count()} logical CPUs, {platform.system()}, Python "
        f"{platform.python_version()}. Model: {path.name}, context {N_CTX}, default threads. "
        f"{args.rounds} rounds after one warm-up each, alternating: a raw completion of a short "
        f"prompt ({PROMPT!r} after the round's number), greedy, up to {args.max_tokens} tokens, "
        "through the engine host as the window calls it, and streamed over HTTP from "
        "`gptdesk serve` (its own engine host) with `requests`. Timed by the caller.",
        "",
        "| path | TTFT median (ms) | generation median (tok/s) | tokens |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, rs in runs.items():
        rows.append(
            f"| {name} | {statistics.median(r.ttft_s for r in rs) * 1000:.0f} | "
            f"{statistics.median(r.tokens_per_s for r in rs):.1f} | "
            f"{statistics.median(r.tokens for r in rs):.0f} |"
        )
    rows += [
        "",
        f"Generation over HTTP / in the window (median of the rounds' ratios): "
        f"**{speed_ratio:.3f}×**; time to first token, HTTP minus window: "
        f"**{ttft_extra_ms:+.1f} ms**.",
        "",
        f"Parallel clients (each a chat request for up to 8 tokens, all sent at once; queue "
        f"limit {QUEUE}):",
        "",
        "| clients | answered | refused (429 with Retry-After) | lost | all done (s) |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, outcomes, seconds in loads:
        lost = sum(v for k, v in outcomes.items() if k.startswith("lost"))
        rows.append(
            f"| {n} | {outcomes['answered']} | {outcomes['429 with Retry-After']} | {lost} | "
            f"{seconds:.1f} |"
        )
    held = max((n for n, o, _ in loads if o["answered"] == n), default=0)
    rows += [
        "",
        f"Held **{held}** clients at once with every one answered; past the queue limit the "
        "rest are refused at once with 429 and Retry-After, none dropped.",
        "",
        "Reproduce: `make bench` (this section: `python benchmarks/bench_serve.py --out "
        "docs/benchmarks.md`).",
    ]
    body = "\n".join(rows) + "\n"
    print(body)
    if args.out:
        write_section(args.out, SECTION, body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
