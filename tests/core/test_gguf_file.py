"""GGUF checks before llama.cpp sees a file: real metadata, crafted bad files, split models."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import gguf
import numpy as np
import pytest

from gptdesk.core.errors import (
    GptdeskError,
    InsufficientMemoryError,
    ModelFileMissingError,
    ModelNotFoundError,
    NotAGGUFError,
    TruncatedModelError,
    UnsupportedArchitectureError,
)
from gptdesk.core.inference.engine import Engine, LoadOptions
from gptdesk.core.inference.fit import estimate_fit
from gptdesk.core.inference.gguf_file import read_gguf, split_parts
from gptdesk.core.models.library import STARTER_NAME, installed_models, resolve_model


def write_gguf(path: Path, arch: str, numbers: dict[str, int] | None = None) -> Path:
    """A small valid GGUF: ``arch``, integer metadata ``{arch}.{key}`` and one tiny tensor."""
    writer = gguf.GGUFWriter(path, arch)
    for key, value in (numbers or {}).items():
        writer.add_uint64(f"{arch}.{key}", value)
    writer.add_tensor("tiny.weight", np.ones((4, 8), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def copy_prefix(src: Path, dst: Path, n_bytes: int) -> Path:
    with src.open("rb") as fin:
        dst.write_bytes(fin.read(n_bytes))
    return dst


def assert_user_message(err: GptdeskError, *mentions: str) -> None:
    """One readable sentence or two: not empty, not a repr, naming what it is about."""
    text = str(err)
    assert text and text == text.strip()
    assert "\n" not in text
    assert not text.startswith(type(err).__name__)
    assert "PosixPath(" not in text and "b'" not in text and "Error(" not in text
    for mention in mentions:
        assert mention in text


def test_read_gguf_describes_the_starter_model(starter_path: Path) -> None:
    info = read_gguf(starter_path)

    assert info.architecture == "llama"
    assert info.version == 3
    assert info.n_layers == 30
    assert info.context_length == 8192
    assert info.file_type == "Q4_1"
    assert info.chat_template is not None and "<|im_start|>" in info.chat_template
    assert info.vocab_size == 49152
    assert info.file_size == starter_path.stat().st_size
    assert info.split_count == 1
    assert 130e6 < info.n_params < 140e6  # SmolLM2-135M
    # 30 layers x 3 KV heads x (64 + 64) dims x 2 bytes (f16) per token
    assert (info.n_head_kv, info.key_length, info.value_length) == (3, 64, 64)
    assert info.kv_cache_bytes(2048) == 30 * 3 * 128 * 2 * 2048


def _missing(tmp: Path, starter: Path) -> Path:
    return tmp / "absent.gguf"


def _directory(tmp: Path, starter: Path) -> Path:
    folder = tmp / "folder.gguf"
    folder.mkdir()
    return folder


def _empty(tmp: Path, starter: Path) -> Path:
    path = tmp / "empty.gguf"
    path.write_bytes(b"")
    return path


def _random(tmp: Path, starter: Path) -> Path:
    path = tmp / "noise.gguf"
    path.write_bytes(random.Random(0).randbytes(4096))
    return path


def _text(tmp: Path, starter: Path) -> Path:
    path = tmp / "notes.gguf"
    path.write_text("These are my notes, not a model.\n" * 20, encoding="utf-8")
    return path


def _version_99(tmp: Path, starter: Path) -> Path:
    path = copy_prefix(starter, tmp / "future.gguf", 64 * 1024)
    with path.open("r+b") as fh:
        fh.seek(4)
        fh.write((99).to_bytes(4, "little"))
    return path


def _cut_in_half(tmp: Path, starter: Path) -> Path:
    return copy_prefix(starter, tmp / "half.gguf", starter.stat().st_size // 2)


def _cut_in_header(tmp: Path, starter: Path) -> Path:
    return copy_prefix(starter, tmp / "header.gguf", 1000)


def _unknown_arch(tmp: Path, starter: Path) -> Path:
    return write_gguf(tmp / "strange.gguf", "notarealarch", {"block_count": 2})


BAD_FILES: list[tuple[Callable[[Path, Path], Path], type[GptdeskError], str]] = [
    (_missing, ModelFileMissingError, "absent.gguf"),
    (_directory, ModelFileMissingError, "folder.gguf"),
    (_empty, NotAGGUFError, "empty.gguf"),
    (_random, NotAGGUFError, "noise.gguf"),
    (_text, NotAGGUFError, "notes.gguf"),
    (_version_99, NotAGGUFError, "99"),
    (_cut_in_half, TruncatedModelError, "half.gguf"),
    (_cut_in_header, TruncatedModelError, "header.gguf"),
    (_unknown_arch, UnsupportedArchitectureError, "notarealarch"),
]
BAD_IDS = [make.__name__.lstrip("_") for make, _, _ in BAD_FILES]


@pytest.mark.parametrize(("make", "error", "mention"), BAD_FILES, ids=BAD_IDS)
def test_read_gguf_rejects_bad_files(
    tmp_path: Path,
    starter_path: Path,
    make: Callable[[Path, Path], Path],
    error: type[GptdeskError],
    mention: str,
) -> None:
    path = make(tmp_path, starter_path)
    with pytest.raises(error) as caught:
        read_gguf(path)
    assert_user_message(caught.value, mention)


@pytest.mark.model
@pytest.mark.parametrize(("make", "error", "mention"), BAD_FILES, ids=BAD_IDS)
def test_engine_load_raises_the_same_errors(
    tmp_path: Path,
    starter_path: Path,
    make: Callable[[Path, Path], Path],
    error: type[GptdeskError],
    mention: str,
) -> None:
    engine = Engine(make(tmp_path, starter_path), LoadOptions(n_ctx=256, warmup=False))
    with pytest.raises(error) as caught:
        engine.load()
    assert_user_message(caught.value, mention)
    assert not engine.loaded


def test_fit_estimate_counts_weights_context_and_overhead(starter_path: Path) -> None:
    info = read_gguf(starter_path)
    plenty = estimate_fit(info, 2048, ram_free=1 << 40)
    assert plenty.verdict == "fits"
    assert plenty.kv_cache == info.kv_cache_bytes(2048)
    assert plenty.ram_needed == plenty.total == info.file_size + plenty.kv_cache + plenty.overhead
    assert estimate_fit(info, 2048, ram_free=plenty.ram_needed).verdict == "tight"
    assert estimate_fit(info, 2048, ram_free=plenty.ram_needed - 1).verdict == "won't fit"
    # A context beyond the model's own length is counted at that length.
    assert estimate_fit(info, 1 << 20, ram_free=1 << 40).n_ctx == info.context_length


def test_engine_load_refuses_a_context_larger_than_memory(tmp_path: Path) -> None:
    # A valid llama header that asks for a vast KV cache: the check stops it before llama.cpp.
    numbers = {
        "block_count": 1000,
        "embedding_length": 128_000,
        "attention.head_count": 1000,
        "context_length": 1 << 20,
    }
    path = write_gguf(tmp_path / "giant.gguf", "llama", numbers)
    info = read_gguf(path)
    assert info.kv_cache_bytes(1 << 20) > 1 << 48
    engine = Engine(path, LoadOptions(n_ctx=1 << 20, warmup=False))
    with pytest.raises(InsufficientMemoryError) as caught:
        engine.load()
    assert_user_message(caught.value, "giant.gguf", "GiB", "smaller")
    assert not engine.loaded


def test_split_parts_lists_every_part(tmp_path: Path) -> None:
    first = tmp_path / "big-model-00001-of-00003.gguf"
    assert split_parts(first) == [
        tmp_path / "big-model-00001-of-00003.gguf",
        tmp_path / "big-model-00002-of-00003.gguf",
        tmp_path / "big-model-00003-of-00003.gguf",
    ]
    assert split_parts(tmp_path / "model.gguf") == [tmp_path / "model.gguf"]
    assert split_parts(tmp_path / "model-1-of-2.gguf") == [tmp_path / "model-1-of-2.gguf"]


def test_a_split_model_with_a_missing_part_is_truncated(tmp_path: Path) -> None:
    first = write_gguf(tmp_path / "x-00001-of-00002.gguf", "llama", {"block_count": 1})
    second = write_gguf(tmp_path / "x-00002-of-00002.gguf", "llama", {"block_count": 1})
    assert read_gguf(first).architecture == "llama"

    second.unlink()
    with pytest.raises(TruncatedModelError) as caught:
        read_gguf(first)
    assert_user_message(caught.value, "x-00001-of-00002.gguf", "x-00002-of-00002.gguf")


def test_installed_models_lists_the_starter_and_first_parts_only(
    tmp_path: Path, starter_path: Path
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    for name in ("x-00001-of-00002.gguf", "x-00002-of-00002.gguf", "other.gguf"):
        write_gguf(models / name, "llama", {"block_count": 1})

    entries = installed_models(models)
    assert [(e.name, e.builtin) for e in entries] == [
        (STARTER_NAME, True),
        ("other", False),
        ("x-00001-of-00002", False),
    ]
    assert entries[0].path == starter_path
    assert resolve_model("starter", models).path == starter_path
    assert resolve_model(None, models).path == starter_path
    with pytest.raises(ModelNotFoundError) as caught:
        resolve_model("no-such-model", models)
    assert_user_message(caught.value, "no-such-model", STARTER_NAME)
