"""Will a model fit (gptdesk.core.inference.fit), from the real starter model's header."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from gptdesk.core.inference.devices import BackendInfo, Device
from gptdesk.core.inference.fit import TIGHT_SHARE, best_fitting, estimate_fit
from gptdesk.core.inference.gguf_file import GGUFInfo, read_gguf

GiB = 2**30
PLENTY = 64 * GiB


@pytest.fixture(scope="module")
def info(starter_path: Path) -> GGUFInfo:
    return read_gguf(starter_path)


def gpu(free: int, offload: bool = True) -> BackendInfo:
    device = Device("CUDA0", "Fake GPU", "CUDA", free_bytes=free, total_bytes=free + GiB)
    return BackendInfo("CUDA", gpu_offload=offload, devices=(device,), system_info="")


def test_the_starter_fits_a_machine_with_plenty_of_ram(info: GGUFInfo) -> None:
    est = estimate_fit(info, 4096, PLENTY)

    assert est.verdict == "fits"
    assert est.weights == info.file_size
    assert est.kv_cache == info.kv_cache_bytes(4096)
    assert est.total == est.weights + est.kv_cache + est.overhead == est.ram_needed
    assert (est.gpu_layers, est.vram_needed, est.vram_free) == (0, 0, 0)
    assert est.summary().startswith("fits: needs ")
    assert "at 4096 tokens" in est.summary() and "VRAM" not in est.summary()


def test_verdicts_follow_the_free_ram(info: GGUFInfo) -> None:
    needed = estimate_fit(info, 4096, PLENTY).ram_needed

    assert estimate_fit(info, 4096, math.ceil(needed / TIGHT_SHARE)).verdict == "fits"
    assert estimate_fit(info, 4096, math.ceil(needed / TIGHT_SHARE) - 2).verdict == "tight"
    assert estimate_fit(info, 4096, needed).verdict == "tight"
    assert estimate_fit(info, 4096, needed - 1).verdict == "won't fit"
    small = estimate_fit(info, 4096, needed // 2)
    assert small.verdict == "won't fit" and small.summary().startswith("won't fit")


def test_the_context_cache_grows_linearly_up_to_the_models_context(info: GGUFInfo) -> None:
    kv = {n: estimate_fit(info, n, PLENTY).kv_cache for n in (1024, 2048, 4096)}

    assert kv[2048] == 2 * kv[1024] and kv[4096] == 4 * kv[1024]
    # 30 layers x 3 KV heads x (64 + 64) dims x 2 bytes (f16) per token
    assert kv[1024] == 30 * 3 * 128 * 2 * 1024
    capped = estimate_fit(info, 10 * info.context_length, PLENTY)
    assert capped.n_ctx == info.context_length
    assert capped.kv_cache == info.kv_cache_bytes(info.context_length)
    assert estimate_fit(info, 8192, PLENTY).ram_needed > estimate_fit(info, 1024, PLENTY).ram_needed


def test_another_quant_is_estimated_from_its_size(info: GGUFInfo) -> None:
    base = estimate_fit(info, 4096, PLENTY)
    double = estimate_fit(info, 4096, PLENTY, weights_bytes=2 * info.file_size)

    assert double.weights == 2 * info.file_size
    assert double.ram_needed - base.ram_needed == info.file_size


def test_best_fitting_picks_the_best_quant_that_fits(info: GGUFInfo) -> None:
    size = info.file_size
    candidates = [("Q8_0", 8 * size), ("Q6_K", 4 * size), ("Q4_K_M", size)]

    def needed(weights: int) -> int:
        return estimate_fit(info, 4096, PLENTY, weights_bytes=weights).ram_needed

    def verdict(weights: int, ram_free: int) -> str:
        return estimate_fit(info, 4096, ram_free, weights_bytes=weights).verdict

    q8, q6, q4 = needed(8 * size), needed(4 * size), needed(size)
    assert best_fitting(candidates, info, 4096, PLENTY) == "Q8_0"
    assert best_fitting(candidates, info, 4096, math.ceil(q6 / TIGHT_SHARE)) == "Q6_K"
    assert best_fitting(candidates, info, 4096, math.ceil(q4 / TIGHT_SHARE)) == "Q4_K_M"
    # Q8 would only be tight where Q6 fits: a quant that fits beats a better one that swaps
    assert (verdict(8 * size, q8), verdict(4 * size, q8)) == ("tight", "fits")
    assert best_fitting(candidates, info, 4096, q8) == "Q6_K"
    # nothing fits comfortably: the best one that is at least tight
    assert (verdict(4 * size, q4), verdict(size, q4)) == ("won't fit", "tight")
    assert best_fitting(candidates, info, 4096, q4) == "Q4_K_M"
    assert best_fitting(candidates, info, 4096, q4 - 1) is None


def test_a_gpu_with_room_takes_every_layer(info: GGUFInfo) -> None:
    est = estimate_fit(info, 4096, PLENTY, gpu(8 * GiB))

    assert est.gpu_layers == info.n_layers + 1
    assert est.vram_needed == est.weights + est.kv_cache
    assert est.vram_free == 8 * GiB
    assert est.ram_needed == est.overhead
    summary = est.summary()
    assert "VRAM" in summary and f"{info.n_layers + 1}/{info.n_layers + 1} layers on the GPU" in (
        summary
    )
    assert "of 8.0 GiB free" in summary


def test_a_small_gpu_takes_part_of_the_layers(info: GGUFInfo) -> None:
    whole = info.file_size + info.kv_cache_bytes(4096)

    est = estimate_fit(info, 4096, PLENTY, gpu(whole // 2))

    assert 0 < est.gpu_layers < info.n_layers + 1
    assert 0 < est.vram_needed <= est.vram_free
    assert est.ram_needed + est.vram_needed == pytest.approx(est.total, abs=2)
    assert f"{est.gpu_layers}/{info.n_layers + 1} layers on the GPU" in est.summary()


def test_a_gpu_without_offload_support_is_not_used(info: GGUFInfo) -> None:
    est = estimate_fit(info, 4096, PLENTY, gpu(8 * GiB, offload=False))

    assert (est.gpu_layers, est.vram_needed) == (0, 0)
    assert est.ram_needed == est.total
    assert "VRAM" not in est.summary()
