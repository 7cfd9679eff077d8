"""Which of llama.cpp's CPU kernels run here: the best build variant that survives a probe.

gptdesk's llama.cpp is built like llama.cpp's own releases: ggml's CPU code once per
instruction-set level (``libggml-cpu-haswell``, ``-skylakex``, ``-icelake``, …
``-sapphirerapids``), loaded at run time (GGML_BACKEND_DL). ggml alone would load the variant
with the highest score for the CPU's features; but a CPU can report features whose kernels
crash (llama.cpp's AMX path segfaults on the first multi-token prompt on some Xeons and VMs,
llama.cpp#20824), and the next crash class will be another one. So the first time a llama.cpp
build meets a CPU, each candidate, best first, is tried in a child process with a short probe
decode (load a model, evaluate a multi-token prompt, generate a few tokens). The first one that
survives is loaded in this process; the outcome is remembered per (build, CPU) in the cache
folder, so later starts load at once, and ``gptdesk doctor`` shows it.

A build without variants (a native build, macOS) has its CPU backend linked in: nothing to
choose, and ``ensure()`` reports it as ``built-in``.
"""

from __future__ import annotations

import ctypes
import hashlib
import importlib.util
import json
import logging
import os
import platform
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from gptdesk.core.errors import ModelLoadError
from gptdesk.core.i18n import translate

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 600.0  # a hang guard only: a busy machine can take long, a probe is ~2 s
CACHE_ENV = "GPTDESK_CACHE_DIR"  # where the probe results are remembered (default: user cache)
# Debugging and tests: a comma-separated list of variant names to try, in this order, instead
# of ggml's ranking (a name whose features the CPU lacks is tried too: it crashes in the probe).
VARIANTS_ENV = "GPTDESK_CPU_VARIANTS"
_PROBE_ARG = "--cpu-probe"
_FORCE_ENV = "GPTDESK_CPU_PROBE_FORCE"
# Fault injection for the tests: the probe child of the variant named here aborts, as one whose
# instructions the CPU lacks ends with SIGILL (which CPU lacks which depends on the machine).
CRASH_ENV = "GPTDESK_CPU_PROBE_CRASH"
_EXIT_UNSUPPORTED = 3
_PROBE_PROMPT = (
    "The probe reads a whole sentence in one batch, the way a first chat message is read, "
    "and then writes a few words of its own."
)


@dataclass(frozen=True)
class Variant:
    """One CPU backend module: its name (``haswell``), file, and ggml's score for this CPU
    (0: the CPU lacks a feature it needs)."""

    name: str
    path: Path
    score: int


@dataclass(frozen=True)
class ProbeResult:
    """How one variant fared: ``ok``, ``crashed`` (the child died: remembered as unsafe),
    ``unsupported`` or ``inconclusive`` (not remembered; probed again next time)."""

    variant: str
    outcome: str
    detail: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class KernelChoice:
    """The CPU kernels this process runs, and why."""

    name: str  # the variant loaded, or "built-in" for a build without variants
    available: tuple[str, ...] = ()  # every variant in the build
    probes: tuple[ProbeResult, ...] = ()  # outcomes known for this build on this CPU
    remembered_at: str = ""  # when the outcome was first found (ISO time), "" if not stored

    def describe(self) -> str:
        """One line for ``doctor`` and the self-test."""
        if not self.available:
            return f"{self.name} (this llama.cpp build has one CPU backend)"
        unsafe = [p for p in self.probes if p.outcome == "crashed"]
        text = f"{self.name} (best safe of {len(self.available)} variants"
        if unsafe:
            text += "; skipped after crashing in the probe: " + ", ".join(
                f"{p.variant} ({p.detail})" for p in unsafe
            )
        if self.remembered_at:
            text += f"; probed {self.remembered_at}"
        return text + ")"


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    choice: KernelChoice | None = None
    cache_dir: Path | None = None


_STATE = _State()


def llama_lib_dir() -> Path | None:
    """The folder of llama-cpp-python's shared libraries, without importing llama_cpp."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "lib"


def _variant_name(path: Path) -> str | None:
    stem = path.name.split(".")[0]
    stem = stem.removeprefix("lib")
    return stem.removeprefix("ggml-cpu-") if stem.startswith("ggml-cpu-") else None


def _module_files(lib_dir: Path) -> list[Path]:
    suffixes = (".so", ".dll", ".dylib")
    return sorted(p for p in lib_dir.iterdir() if p.is_file() and p.suffix in suffixes)


def variant_files(lib_dir: Path | None = None) -> dict[str, Path]:
    """The CPU variants of the installed build by name (empty for a build without them)."""
    folder = lib_dir or llama_lib_dir()
    if folder is None or not folder.is_dir():
        return {}
    found = {}
    for path in _module_files(folder):
        name = _variant_name(path)
        if name:
            found[name] = path
    return found


def _score(path: Path) -> int:
    """ggml's score of a variant for this CPU (its ``ggml_backend_score``; 0 = unsupported).

    Loading the module runs no kernel: ggml's own loader does the same to rank variants."""
    lib = ctypes.CDLL(str(path))
    fn = getattr(lib, "ggml_backend_score", None)
    if fn is None:
        return 1
    fn.restype = ctypes.c_int
    return int(fn())


def ranked_variants(lib_dir: Path | None = None) -> list[Variant]:
    """Variants this CPU can run, best first (or in the order ``$GPTDESK_CPU_VARIANTS`` names)."""
    files = variant_files(lib_dir)
    forced = [n.strip() for n in os.environ.get(VARIANTS_ENV, "").split(",") if n.strip()]
    if forced:
        missing = [n for n in forced if n not in files]
        if missing:
            raise ModelLoadError(
                f"{VARIANTS_ENV} names {', '.join(missing)}, which this llama.cpp build lacks "
                f"(it has {', '.join(sorted(files))})."
            )
        return [Variant(n, files[n], _score(files[n])) for n in forced]
    variants = [Variant(n, p, _score(p)) for n, p in files.items()]
    return sorted((v for v in variants if v.score > 0), key=lambda v: -v.score)


def _cpu_signature(variants: list[Variant]) -> str:
    """What identifies this CPU for the probe memory: its model name, and the variants' scores
    (they reflect the features the CPU reports, also under an emulator or a changed VM)."""
    name = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    scores = ",".join(f"{v.name}={v.score}" for v in sorted(variants, key=lambda v: v.name))
    return f"{name} [{scores}]"


def build_signature(lib_dir: Path) -> str:
    """What identifies the llama.cpp build: its libraries' names, sizes and change times."""
    parts = []
    for path in _module_files(lib_dir):
        st = path.stat()
        parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def set_default_cache_dir(folder: Path | None) -> None:
    """Remember probe outcomes in ``folder`` (a chosen data folder's) instead of the user's
    cache folder; ``$GPTDESK_CACHE_DIR`` still wins."""
    _STATE.cache_dir = folder


def memory_file() -> Path:
    """The JSON file where probe outcomes are remembered."""
    root = (
        os.environ.get(CACHE_ENV)
        or _STATE.cache_dir
        or platformdirs.user_cache_dir("gptdesk", appauthor=False)
    )
    return Path(root) / "cpu-kernels.json"


def read_memory(path: Path) -> dict[str, dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def write_memory(path: Path, data: dict[str, dict[str, object]]) -> None:
    """Best effort: a read-only or full cache folder only means probing again next time (or,
    for the crash records, a model not marked)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        log.warning("could not write %s: %s", path, exc)


LAUNCHER_ENV = "GPTDESK_ENGINE_LAUNCHER"
"""A command put in front of the app's llama.cpp child processes (engine host, CPU probes):
packaging/selftest-dist.sh --cpu runs them under QEMU as the emulated CPU, as the app is."""


def child_command(args: Sequence[str]) -> list[str]:
    """How to start this app again with ``args`` for a llama.cpp child process (the frozen app
    runs itself), behind ``$GPTDESK_ENGINE_LAUNCHER`` when that is set."""
    prefix = shlex.split(os.environ.get(LAUNCHER_ENV, ""))
    if getattr(sys, "frozen", False):
        return [*prefix, sys.executable, *args]
    return [*prefix, sys.executable, "-m", "gptdesk", *args]


def probe_command(variant: Path, model: Path) -> list[str]:
    """The child process that probes ``variant`` with ``model``."""
    return child_command([_PROBE_ARG, str(variant), str(model)])


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code:#x}" if code > 255 else f"exit status {code}"


def probe(variant: Variant, model: Path, *, force: bool = False) -> ProbeResult:
    """Run ``variant`` on ``model`` in a child process; never raises for the child's fate.

    ``force`` runs it even where ggml's score says the CPU lacks its instructions."""
    start = time.perf_counter()
    env = dict(os.environ)
    env.pop(_FORCE_ENV, None)
    if force:
        env[_FORCE_ENV] = "1"
    try:
        done = subprocess.run(
            probe_command(variant.path, model),
            capture_output=True,
            text=True,
            errors="replace",
            timeout=PROBE_TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ProbeResult(variant.name, "inconclusive", "no answer in time", PROBE_TIMEOUT_S)
    except OSError as exc:
        return ProbeResult(variant.name, "inconclusive", str(exc))
    seconds = time.perf_counter() - start
    code = done.returncode
    if code == 0 and done.stdout.startswith("ok"):
        return ProbeResult(variant.name, "ok", "", seconds)
    if code == _EXIT_UNSUPPORTED:
        return ProbeResult(variant.name, "unsupported", done.stderr.strip()[-200:], seconds)
    # Died by a signal (POSIX) or an unhandled exception code (Windows: 0xC0000005 and the
    # like): the kernels crashed. Anything else (the model failed to load, say) says nothing
    # about the kernels.
    if code < 0 or code >= 0xC0000000:
        return ProbeResult(variant.name, "crashed", _describe_exit(code), seconds)
    tail = (done.stderr.strip().splitlines() or [_describe_exit(code)])[-1]
    return ProbeResult(variant.name, "inconclusive", tail[-200:], seconds)


def ggml_functions() -> ctypes.CDLL:
    """ggml's functions as libllama sees them.

    Not ``llama_cpp._ggml.libggml``: a wheel cannot hold symlinks, so ``libggml.so`` (which
    that module opens) and ``libggml.so.0`` (which libllama links) are two copies of the
    library, each with its own backend registry. A symbol looked up through libllama's handle
    comes from the copy libllama uses."""
    from llama_cpp import llama_cpp as lc

    lib: ctypes.CDLL = lc._lib
    lib.ggml_backend_load.argtypes = [ctypes.c_char_p]
    lib.ggml_backend_load.restype = ctypes.c_void_p
    lib.ggml_backend_reg_count.restype = ctypes.c_size_t
    lib.ggml_backend_register.argtypes = [ctypes.c_void_p]
    return lib


def _load_other_backends(lib_dir: Path) -> None:
    """GPU backends built as modules (CUDA, Vulkan, …): ggml skips any that cannot start."""
    lib = ggml_functions()
    for path in _module_files(lib_dir):
        stem = path.name.split(".")[0].removeprefix("lib")
        if not stem.startswith("ggml-") or stem in ("ggml-base", "ggml") or _variant_name(path):
            continue
        if lib.ggml_backend_load(str(path).encode()) is None:
            log.info("llama.cpp backend %s is not usable here", path.name)


def _starter_model() -> Path | None:
    from gptdesk.core.models.library import starter_model_path

    return starter_model_path()


def current() -> KernelChoice | None:
    """The choice ``ensure()`` made in this process, if it ran."""
    return _STATE.choice


def ensure(model: Path | None = None) -> KernelChoice:
    """Load the best CPU variant that is safe on this CPU (once per process); returns it.

    ``model`` is probed with when the starter model is not installed. Raises ModelLoadError
    when every variant crashed or none suits this CPU.
    """
    with _STATE.lock:
        if _STATE.choice is None:
            _STATE.choice = _choose_and_load(model)
        return _STATE.choice


def _choose_and_load(model: Path | None) -> KernelChoice:
    lib_dir = llama_lib_dir()
    files = variant_files(lib_dir)
    if lib_dir is None or not files:
        return KernelChoice("built-in")
    ranked = ranked_variants(lib_dir)
    if not ranked:
        raise ModelLoadError(
            translate(
                "cpu",
                "This computer's processor lacks the instructions every llama.cpp build in "
                "gptdesk needs ({variants}); gptdesk cannot run models on it.",
            ).format(variants=", ".join(sorted(files)))
        )
    memory_path = memory_file()
    memory = read_memory(memory_path)
    key = build_signature(lib_dir) + " " + hashlib.sha256(
        _cpu_signature(ranked).encode()
    ).hexdigest()[:16]
    entry = memory.get(key)
    entry = entry if isinstance(entry, dict) else {}
    results = entry.get("results")
    # A hand-edited or damaged file counts as nothing known: the probe runs again.
    known: dict[str, dict[str, object]] = {
        str(name): r for name, r in (results.items() if isinstance(results, dict) else ())
        if isinstance(r, dict)
    }
    probe_model = _starter_model() or model
    chosen: Variant | None = None
    changed = False
    for variant in ranked:
        outcome = known.get(variant.name, {}).get("outcome")
        if outcome == "crashed":
            continue
        if outcome == "ok":
            chosen = variant
            break
        if probe_model is None:  # nothing to probe with: trust the ranking, remember nothing
            chosen = variant
            break
        log.info("probing llama.cpp CPU variant %s with %s", variant.name, probe_model.name)
        result = probe(variant, probe_model, force=bool(os.environ.get(VARIANTS_ENV)))
        log.info("probe of %s: %s %s (%.1f s)", variant.name, result.outcome, result.detail,
                 result.seconds)
        if result.outcome in ("ok", "crashed"):
            known[variant.name] = {"outcome": result.outcome, "detail": result.detail}
            changed = True
        if result.outcome == "crashed" or result.outcome == "unsupported":
            continue
        chosen = variant  # ok, or inconclusive (not a crash: use it, probe again next start)
        break
    if changed:
        memory[key] = {
            "cpu": _cpu_signature(ranked),
            "lib_dir": str(lib_dir),
            "when": entry.get("when") or time.strftime("%Y-%m-%d %H:%M"),
            "results": known,
        }
        write_memory(memory_path, memory)
    probes = tuple(
        ProbeResult(name, str(r.get("outcome", "")), str(r.get("detail", "")))
        for name, r in known.items()
    )
    if chosen is None:
        raise ModelLoadError(
            translate(
                "cpu",
                "Every llama.cpp CPU variant crashed on this processor ({variants}). Please "
                "report it with the output of gptdesk doctor.",
            ).format(variants=", ".join(f"{p.variant}: {p.detail}" for p in probes))
        )
    lib = ggml_functions()
    if chosen.score == 0:  # named in $GPTDESK_CPU_VARIANTS and it passed its probe: run it
        _register_unchecked(lib, chosen.path)
    elif lib.ggml_backend_load(str(chosen.path).encode()) is None:
        raise ModelLoadError(
            translate("cpu", "llama.cpp could not load its CPU backend {path}.").format(
                path=chosen.path
            )
        )
    _load_other_backends(lib_dir)
    stored = memory.get(key, {})
    return KernelChoice(
        name=chosen.name,
        available=tuple(sorted(files)),
        probes=probes,
        remembered_at=str(stored.get("when", "")),
    )


def _register_unchecked(lib: ctypes.CDLL, variant: Path) -> None:
    """Register a CPU variant without ggml's check of its score (the instructions it needs)."""
    module = ctypes.CDLL(str(variant))
    module.ggml_backend_init.restype = ctypes.c_void_p
    lib.ggml_backend_register(module.ggml_backend_init())


def probe_main(argv: list[str]) -> int:
    """The probe child: ``--cpu-probe VARIANT MODEL``. Exit 0 and print ``ok`` if it ran."""
    variant, model = Path(argv[0]), Path(argv[1])
    import llama_cpp

    lib = ggml_functions()
    score = _score(variant)
    if score == 0 and not os.environ.get(_FORCE_ENV):
        print(f"{variant.name} needs instructions this CPU lacks", file=sys.stderr)
        return _EXIT_UNSUPPORTED
    _register_unchecked(lib, variant)  # so that a forced variant is really run
    if os.environ.get(CRASH_ENV) == _variant_name(variant):
        os.abort()
    from gptdesk.core.inference.devices import default_threads

    # The batch size and threads the engine uses, so the same kernels and tilings run.
    threads = default_threads()
    llm = llama_cpp.Llama(
        model_path=str(model),
        n_ctx=512,
        n_batch=512,
        n_ubatch=512,
        n_threads=threads,
        n_threads_batch=threads,
        n_gpu_layers=0,
        verbose=False,
    )
    tokens = llm.tokenize((_PROBE_PROMPT + " ").encode() * 4, add_bos=True, special=False)
    llm.eval(tokens)  # the batched (matrix-matrix) kernels, about 100 tokens in one batch
    for _ in range(3):  # the single-token (matrix-vector) kernels
        llm.eval([llm.sample(temp=0.0)])
    llm.close()
    print("ok", flush=True)
    return 0


def is_probe_call(argv: list[str]) -> bool:
    """Whether this process was started as a probe child."""
    return len(argv) == 3 and argv[0] == _PROBE_ARG
