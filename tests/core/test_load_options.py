"""Load options as llama.cpp receives them: context rounding, threads, backend and GPU layers."""

from __future__ import annotations

from pathlib import Path

import llama_cpp
import pytest

from gptdesk.core.inference.backend import CTX_GRANULARITY, LoadOptions, round_ctx
from gptdesk.core.inference.devices import (
    BackendInfo,
    Device,
    auto_gpu_layers,
    default_threads,
    physical_cores,
    probe_backend,
)
from gptdesk.core.inference.engine import Engine

GIB = 2**30


def load(path: Path, **options: int) -> Engine:
    engine = Engine(path, LoadOptions(warmup=False, **options))
    engine.load()
    return engine


@pytest.mark.parametrize(
    ("asked", "rounded"),
    [(0, 256), (1, 256), (256, 256), (257, 512), (300, 512), (2048, 2048), (4000, 4096)],
)
def test_round_ctx_gives_multiples_of_256(asked: int, rounded: int) -> None:
    assert CTX_GRANULARITY == 256
    assert round_ctx(asked) == rounded


@pytest.mark.model
def test_context_size_is_what_llama_cpp_made(starter_path: Path) -> None:
    engine = load(starter_path, n_ctx=300)
    try:
        assert engine.status.n_ctx == 512
        assert engine._llm.n_ctx() == 512  # type: ignore[attr-defined]
    finally:
        engine.close()
    assert not engine.loaded


@pytest.mark.model
def test_context_size_is_capped_at_the_model_s_training_length(starter_path: Path) -> None:
    engine = load(starter_path, n_ctx=100_000)
    try:
        assert engine.status.n_ctx == 8192  # SmolLM2's context_length
        assert engine._llm.n_ctx() == 8192  # type: ignore[attr-defined]
    finally:
        engine.close()


@pytest.mark.model
def test_default_threads_are_one_per_physical_core(engine: Engine) -> None:
    assert engine.options.n_threads is None
    assert engine.status.n_threads == default_threads() == physical_cores()
    params = engine._llm.context_params  # type: ignore[attr-defined]
    assert params.n_threads == params.n_threads_batch == default_threads()


@pytest.mark.model
def test_explicit_thread_count_reaches_the_llama_context(starter_path: Path) -> None:
    engine = load(starter_path, n_ctx=256, n_threads=1)
    try:
        llm = engine._llm
        assert engine.status.n_threads == 1
        assert llm.context_params.n_threads == 1  # type: ignore[attr-defined]
        assert llm.context_params.n_threads_batch == 1  # type: ignore[attr-defined]
        assert llama_cpp.llama_n_threads(llm.ctx) == 1  # type: ignore[attr-defined]
        assert llama_cpp.llama_n_threads_batch(llm.ctx) == 1  # type: ignore[attr-defined]
        assert engine.status.describe().startswith("CPU · 1 thread")
    finally:
        engine.close()


def test_probe_backend_reports_this_build() -> None:
    info = probe_backend()
    assert info.system_info
    if llama_cpp.llama_supports_gpu_offload():
        assert info.gpu_offload and info.devices and info.name != "CPU"
    else:  # the CPU-only wheel this project ships
        assert info.name == "CPU"
        assert info.gpu_offload is False
        assert info.devices == ()
        assert info.free_vram == info.total_vram == 0


def gpu(free_gib: float, offload: bool = True) -> BackendInfo:
    device = Device("GPU0", "Test GPU", "CUDA", int(free_gib * GIB), 24 * GIB)
    return BackendInfo("CUDA", offload, (device,), "synthetic")


def test_auto_gpu_layers_offloads_all_when_the_model_fits() -> None:
    assert auto_gpu_layers(32, 4 * GIB, 1 * GIB, gpu(free_gib=20)) == 33


def test_auto_gpu_layers_offloads_the_share_that_fits() -> None:
    # 33 layers of (32 + 1) GiB / 33 = 1 GiB each; 90% of 10 GiB free holds 9 of them.
    assert auto_gpu_layers(32, 32 * GIB, 1 * GIB, gpu(free_gib=10)) == 9


def test_auto_gpu_layers_offloads_none_without_room() -> None:
    assert auto_gpu_layers(32, 32 * GIB, 1 * GIB, gpu(free_gib=0.5)) == 0


def test_auto_gpu_layers_is_zero_without_gpu_offload() -> None:
    assert auto_gpu_layers(32, 1 * GIB, 0, gpu(free_gib=20, offload=False)) == 0
    assert auto_gpu_layers(32, 1 * GIB, 0, BackendInfo("CPU", False, (), "")) == 0
    assert auto_gpu_layers(0, 1 * GIB, 0, gpu(free_gib=20)) == 0
