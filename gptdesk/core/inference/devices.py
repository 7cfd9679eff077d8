"""What llama.cpp can run on here: backend name, GPU devices and memory, threads, GPU layers."""

from __future__ import annotations

import ctypes
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import psutil

log = logging.getLogger(__name__)

# enum ggml_backend_dev_type in ggml-backend.h
_DEV_TYPE_GPU = 1
_DEV_TYPE_IGPU = 2


@dataclass(frozen=True)
class Device:
    """One compute device llama.cpp registered (GPU or integrated GPU)."""

    name: str
    description: str
    backend: str
    free_bytes: int
    total_bytes: int


@dataclass(frozen=True)
class BackendInfo:
    """The llama.cpp build's backend: ``CPU``, ``CUDA``, ``Metal``, ``Vulkan``..."""

    name: str
    gpu_offload: bool
    devices: tuple[Device, ...]
    system_info: str
    cpu_kernels: str = "built-in"  # the llama.cpp CPU variant loaded (cpu_kernels.py)
    cpu_kernels_detail: str = ""

    @property
    def free_vram(self) -> int:
        return sum(d.free_bytes for d in self.devices)

    @property
    def total_vram(self) -> int:
        return sum(d.total_bytes for d in self.devices)


def physical_cores() -> int:
    """Physical cores (hyper-threads do not speed up llama.cpp's matrix work)."""
    count = psutil.cpu_count(logical=False) or os.cpu_count() or 1
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        usable = count
    return max(1, min(count, usable))


def default_threads() -> int:
    """Threads for both generation and prompt evaluation: one per physical core.

    llama-cpp-python's own default gives generation half the logical CPUs (1 of 2 here);
    on an idle 2-core machine all cores generate about 1.6x faster (docs/benchmarks.md).
    On a busy machine fewer threads can win: llama.cpp's threads wait for each other at
    every step. Users can override this in settings or with ``--threads``.
    """
    return physical_cores()


def _ggml_devices() -> list[Device]:
    """GPU devices from ggml's backend registry, through the library llama_cpp loaded."""
    from gptdesk.core.inference.cpu_kernels import ggml_functions

    lib = ggml_functions()
    lib.ggml_backend_dev_count.restype = ctypes.c_size_t
    lib.ggml_backend_dev_get.argtypes = [ctypes.c_size_t]
    lib.ggml_backend_dev_get.restype = ctypes.c_void_p
    for fn in ("ggml_backend_dev_name", "ggml_backend_dev_description"):
        getattr(lib, fn).argtypes = [ctypes.c_void_p]
        getattr(lib, fn).restype = ctypes.c_char_p
    lib.ggml_backend_dev_type.argtypes = [ctypes.c_void_p]
    lib.ggml_backend_dev_type.restype = ctypes.c_int
    lib.ggml_backend_dev_memory.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_size_t),
        ctypes.POINTER(ctypes.c_size_t),
    ]
    lib.ggml_backend_dev_backend_reg.argtypes = [ctypes.c_void_p]
    lib.ggml_backend_dev_backend_reg.restype = ctypes.c_void_p
    lib.ggml_backend_reg_name.argtypes = [ctypes.c_void_p]
    lib.ggml_backend_reg_name.restype = ctypes.c_char_p

    devices = []
    for i in range(lib.ggml_backend_dev_count()):
        dev = lib.ggml_backend_dev_get(i)
        if lib.ggml_backend_dev_type(dev) not in (_DEV_TYPE_GPU, _DEV_TYPE_IGPU):
            continue
        free, total = ctypes.c_size_t(0), ctypes.c_size_t(0)
        lib.ggml_backend_dev_memory(dev, ctypes.byref(free), ctypes.byref(total))
        reg = lib.ggml_backend_dev_backend_reg(dev)
        devices.append(
            Device(
                name=(lib.ggml_backend_dev_name(dev) or b"").decode(errors="replace"),
                description=(lib.ggml_backend_dev_description(dev) or b"").decode(errors="replace"),
                backend=(lib.ggml_backend_reg_name(reg) or b"").decode(errors="replace"),
                free_bytes=free.value,
                total_bytes=total.value,
            )
        )
    return devices


def probe_backend(model: Path | None = None) -> BackendInfo:
    """Ask the installed llama.cpp which backend it was built with and what GPUs it sees.

    Loads llama.cpp's backends first (the CPU kernels that are safe here, probing them with
    the starter model, else ``model``, the first time this build meets this CPU)."""
    import llama_cpp

    from gptdesk.core.inference import cpu_kernels, llama_log

    llama_log.install()
    kernels = cpu_kernels.ensure(model)
    llama_cpp.llama_backend_init()
    gpu_offload = bool(llama_cpp.llama_supports_gpu_offload())
    try:
        devices = _ggml_devices()
    except (AttributeError, OSError) as exc:  # a build without the device registry API
        log.warning("could not list ggml devices: %s", exc)
        devices = []
    name = devices[0].backend if devices else "CPU"
    system_info = llama_cpp.llama_print_system_info().decode(errors="replace").strip()
    return BackendInfo(
        name=name,
        gpu_offload=gpu_offload,
        devices=tuple(devices),
        system_info=system_info,
        cpu_kernels=kernels.name,
        cpu_kernels_detail=kernels.describe(),
    )


def auto_gpu_layers(
    n_layers: int, weights_bytes: int, kv_bytes: int, backend: BackendInfo, headroom: float = 0.9
) -> int:
    """Layers to offload: all when the model fits in free VRAM, else the share that fits, else 0.

    ``n_layers`` counts repeating blocks; llama.cpp also offloads the output layer when asked
    for ``n_layers + 1``, which "all" means here. Weights and the KV cache are assumed to
    spread evenly over the blocks.
    """
    if not backend.gpu_offload or not backend.devices or n_layers <= 0:
        return 0
    budget = backend.free_vram * headroom
    per_layer = (weights_bytes + kv_bytes) / (n_layers + 1)
    if per_layer <= 0:
        return 0
    fitting = int(budget // per_layer)
    return max(0, min(n_layers + 1, fitting))
