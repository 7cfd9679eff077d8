"""llama.cpp's CPU kernels: the best variant that survives a probe on this CPU, remembered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gptdesk.core.inference import cpu_kernels

pytestmark = pytest.mark.model

HANG_GUARD_S = 600
ROOT = Path(__file__).resolve().parents[2]
# A fresh process: ensure() runs once per process, and the test process has loaded one already.
CHOOSE = """
import logging, sys
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")
from gptdesk.core.inference import cpu_kernels
choice = cpu_kernels.ensure()
print(choice.name)
print(choice.describe())
"""


def _choose(cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k != cpu_kernels.VARIANTS_ENV}
    full.update({cpu_kernels.CACHE_ENV: str(cache), **env})
    return subprocess.run(
        [sys.executable, "-c", CHOOSE],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full,
        timeout=HANG_GUARD_S,
        check=False,
    )


def test_the_build_has_a_cpu_module_per_instruction_set_level() -> None:
    names = set(cpu_kernels.variant_files())
    if sys.platform.startswith("linux") and os.uname().machine == "x86_64":
        # The portable build (packaging/install-llama-cpp.sh): from plain x86-64 to AMX.
        assert {"x64", "sse42", "haswell", "skylakex", "icelake", "sapphirerapids"} <= names
    ranked = cpu_kernels.ranked_variants()
    assert ranked, "no variant suits this CPU"
    assert [v.score for v in ranked] == sorted((v.score for v in ranked), reverse=True)


def test_the_best_variant_is_probed_once_and_then_remembered(tmp_path: Path) -> None:
    best = cpu_kernels.ranked_variants()[0].name
    first = _choose(tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == best
    assert f"probing llama.cpp CPU variant {best}" in first.stderr
    memory = json.loads((tmp_path / "cpu-kernels.json").read_text())
    (entry,) = memory.values()
    assert entry["results"] == {best: {"outcome": "ok", "detail": ""}}

    again = _choose(tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == best
    assert "probing" not in again.stderr  # loaded at once, from memory


def test_a_variant_that_crashes_is_skipped_and_never_tried_again(tmp_path: Path) -> None:
    # Which variant's instructions a CPU lacks depends on the machine (a missing one ends the
    # probe with SIGILL, AMX on some Xeons with SIGSEGV): the probe child of the variant named
    # in CRASH_ENV aborts instead, a real signal that ends the real child process.
    files = cpu_kernels.variant_files()
    best = cpu_kernels.ranked_variants()[0].name
    crasher = max((n for n in files if n != best), key=lambda n: files[n].stat().st_size)
    order = f"{crasher},{best}"
    crash = {cpu_kernels.CRASH_ENV: crasher}
    first = _choose(tmp_path, **{cpu_kernels.VARIANTS_ENV: order}, **crash)
    assert first.returncode == 0, first.stderr
    name, detail = first.stdout.splitlines()[:2]
    assert name == best
    assert f"skipped after crashing in the probe: {crasher} (SIG" in detail
    memory = json.loads((tmp_path / "cpu-kernels.json").read_text())
    (entry,) = memory.values()
    assert entry["results"][crasher]["outcome"] == "crashed"
    assert entry["results"][best]["outcome"] == "ok"

    again = _choose(tmp_path, **{cpu_kernels.VARIANTS_ENV: order}, **crash)
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == best
    assert "probing" not in again.stderr


def test_doctor_names_the_cpu_kernels(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gptdesk", "--data-dir", str(tmp_path / "data"), "doctor"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, cpu_kernels.CACHE_ENV: str(tmp_path / "cache")},
        timeout=HANG_GUARD_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("cpu kernels: "))
    assert cpu_kernels.ranked_variants()[0].name in line
