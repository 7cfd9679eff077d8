"""Will a model fit this machine? Memory for weights + KV cache + compute, against free RAM/VRAM."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gptdesk.core.i18n import translate
from gptdesk.core.inference.devices import BackendInfo, auto_gpu_layers
from gptdesk.core.inference.gguf_file import GGUFInfo

Verdict = Literal["fits", "tight", "won't fit"]
# Beyond weights and KV cache llama.cpp needs compute buffers. Upper estimate: 64 MiB plus
# float32 logits and attention scores for one 512-token batch. Measured for the starter model
# (RSS growth minus weights and KV): 36 MiB at 1k, 40 at 4k, 45 at 8k tokens of context, where
# this estimate gives 170-260 MiB: it errs on the side of "tight" rather than a swapping machine.
BASE_OVERHEAD = 64 * 2**20
UBATCH = 512
TIGHT_SHARE = 0.85  # above this share of what is free, the system will swap or stall


@dataclass(frozen=True)
class FitEstimate:
    """The numbers behind a verdict, all in bytes."""

    weights: int
    kv_cache: int
    overhead: int
    gpu_layers: int
    n_layers: int
    ram_needed: int
    ram_free: int
    vram_needed: int
    vram_free: int
    n_ctx: int
    verdict: Verdict

    @property
    def total(self) -> int:
        return self.weights + self.kv_cache + self.overhead

    def verdict_text(self) -> str:
        """The verdict as a user reads it (``verdict`` itself is a key)."""
        if self.verdict == "fits":
            return translate("fit", "fits")
        if self.verdict == "tight":
            return translate("fit", "tight")
        return translate("fit", "won't fit")

    def summary(self) -> str:
        """The verdict and the numbers behind it, in one line."""
        gib = 2**30
        if self.gpu_layers:
            text = translate(
                "fit",
                "{verdict}: needs {total} GiB (weights {weights} + context {kv} at {n_ctx} "
                "tokens + overhead {overhead}); RAM {ram_needed} of {ram_free} GiB free; VRAM "
                "{vram_needed} of {vram_free} GiB free, {gpu_layers}/{layers} layers on the GPU",
            )
        else:
            text = translate(
                "fit",
                "{verdict}: needs {total} GiB (weights {weights} + context {kv} at {n_ctx} "
                "tokens + overhead {overhead}); RAM {ram_needed} of {ram_free} GiB free",
            )
        return text.format(
            verdict=self.verdict_text(),
            total=f"{self.total / gib:.1f}",
            weights=f"{self.weights / gib:.1f}",
            kv=f"{self.kv_cache / gib:.2f}",
            n_ctx=self.n_ctx,
            overhead=f"{self.overhead / gib:.2f}",
            ram_needed=f"{self.ram_needed / gib:.1f}",
            ram_free=f"{self.ram_free / gib:.1f}",
            vram_needed=f"{self.vram_needed / gib:.1f}",
            vram_free=f"{self.vram_free / gib:.1f}",
            gpu_layers=self.gpu_layers,
            layers=self.n_layers + 1,
        )


def estimate_fit(
    info: GGUFInfo,
    n_ctx: int,
    ram_free: int,
    backend: BackendInfo | None = None,
    weights_bytes: int | None = None,
) -> FitEstimate:
    """Estimate memory for ``info`` at ``n_ctx`` tokens; ``weights_bytes`` overrides the file
    size (another quant of the same model, whose header is the same but for the sizes)."""
    weights = weights_bytes if weights_bytes is not None else info.file_size
    n_ctx = min(n_ctx, info.context_length) if info.context_length else n_ctx
    kv = info.kv_cache_bytes(n_ctx)
    overhead = BASE_OVERHEAD + UBATCH * (info.vocab_size + n_ctx * info.n_head) * 4
    gpu_layers = 0
    vram_free = 0
    if backend is not None and backend.gpu_offload and backend.devices:
        vram_free = backend.free_vram
        gpu_layers = auto_gpu_layers(info.n_layers, weights, kv, backend)
    share_gpu = gpu_layers / (info.n_layers + 1) if info.n_layers else 0.0
    vram_needed = int((weights + kv) * share_gpu)
    ram_needed = int((weights + kv) * (1 - share_gpu)) + overhead
    if ram_needed <= ram_free * TIGHT_SHARE:
        verdict: Verdict = "fits"
    elif ram_needed <= ram_free:
        verdict = "tight"
    else:
        verdict = "won't fit"
    return FitEstimate(
        weights=weights, kv_cache=kv, overhead=overhead, gpu_layers=gpu_layers,
        n_layers=info.n_layers, ram_needed=ram_needed, ram_free=ram_free,
        vram_needed=vram_needed, vram_free=vram_free, n_ctx=n_ctx, verdict=verdict,
    )


def best_fitting(
    candidates: list[tuple[str, int]], info: GGUFInfo, n_ctx: int, ram_free: int,
    backend: BackendInfo | None = None,
) -> str | None:
    """Of ``(name, size)`` pairs ordered best quality first, the first that fits (or is tight)."""
    tight: str | None = None
    for name, size in candidates:
        verdict = estimate_fit(info, n_ctx, ram_free, backend, weights_bytes=size).verdict
        if verdict == "fits":
            return name
        if verdict == "tight" and tight is None:
            tight = name
    return tight
