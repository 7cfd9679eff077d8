"""GGUF checks before llama.cpp sees a file: real metadata, crafted bad files, split models."""

from __future__ import annotations

import math
import os
import random
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import gguf
import numpy as np
import pytest

from gptdesk.core.errors import (
    GptdeskError,
    InsufficientMemoryError,
    InvalidModelError,
    ModelFileMissingError,
    ModelNotFoundError,
    NotAGGUFError,
    TruncatedModelError,
    UnsupportedArchitectureError,
)
from gptdesk.core.inference import gguf_file
from gptdesk.core.inference.engine import Engine, LoadOptions
from gptdesk.core.inference.fit import estimate_fit
from gptdesk.core.inference.gguf_file import read_gguf, split_parts
from gptdesk.core.models.library import STARTER_NAME, installed_models, resolve_model
from tests import hostile_gguf as hostile
from tests.core.conftest import add_tiny_vocabulary
from tests.waits import HANG_TIMEOUT_S

V = gguf.GGUFValueType


def write_gguf(path: Path, arch: str, numbers: dict[str, int] | None = None) -> Path:
    """A small GGUF that passes the checks: ``arch``, a vocabulary, u32 metadata
    ``{arch}.{key}`` (a context and embedding length and one layer unless given) and one tiny
    tensor."""
    writer = gguf.GGUFWriter(path, arch)
    defaults = {"context_length": 512, "embedding_length": 64, "block_count": 1}
    for key, value in (defaults | (numbers or {})).items():
        writer.add_uint32(f"{arch}.{key}", value)
    add_tiny_vocabulary(writer)
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
        "block_count": 512,
        "embedding_length": 256_000,
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


# --- metadata llama.cpp would refuse or crash on (tests/hostile_gguf.py) --------------------


@pytest.mark.parametrize("case", sorted(hostile.REFUSED), ids=str)
def test_read_gguf_refuses_what_llama_cpp_would_refuse_or_crash_on(
    tmp_path: Path, starter_gguf: gguf.GGUFReader, case: str
) -> None:
    refused = hostile.REFUSED[case]
    path = refused.make(tmp_path / f"{case}.gguf", source=starter_gguf)

    with pytest.raises(InvalidModelError) as caught:
        read_gguf(path)

    assert_user_message(caught.value, f"{case}.gguf", refused.mention)
    assert "Download it again" in str(caught.value)


@pytest.mark.parametrize("case", sorted(hostile.FATAL_BUT_ACCEPTED), ids=str)
def test_the_crash_fixtures_pass_the_checks(
    tmp_path: Path, starter_gguf: gguf.GGUFReader, case: str
) -> None:
    # The engine host's crash-path tests rely on these reaching llama.cpp: a check that
    # catches one of them needs a new maker in tests/hostile_gguf.py.
    path = hostile.FATAL_BUT_ACCEPTED[case](tmp_path / f"{case}.gguf", source=starter_gguf)

    assert read_gguf(path).n_layers == 30


def test_a_copy_with_another_chat_template_reads_like_the_starter(
    tmp_path: Path, starter_gguf: gguf.GGUFReader, starter_path: Path
) -> None:
    template = "{% for m in messages %}{{ m['content'] }}{% endfor %}"
    copy = read_gguf(hostile.chat_template(tmp_path / "t.gguf", template, source=starter_gguf))
    original = read_gguf(starter_path)

    assert copy.chat_template == template
    assert (copy.n_layers, copy.vocab_size, copy.n_params) == (
        original.n_layers,
        original.vocab_size,
        original.n_params,
    )


def write_metadata(path: Path, changes: dict[str, hostile.Value]) -> Path:
    """A tiny llama GGUF whose metadata passes the checks, with ``changes`` on top (written
    first, so that a key llama.cpp would find first stays first)."""
    kv: dict[str, hostile.Value] = {
        "llama.context_length": (512, V.UINT32),
        "llama.embedding_length": (64, V.UINT32),
        "llama.block_count": (2, V.UINT32),
        "llama.attention.head_count": (4, V.UINT32),
        "llama.attention.head_count_kv": (2, V.UINT32),
        "llama.attention.layer_norm_rms_epsilon": (1e-5, V.FLOAT32),
        "tokenizer.ggml.model": ("llama", V.STRING),
        "tokenizer.ggml.tokens": ([f"<t{i}>" for i in range(16)], V.ARRAY, V.STRING),
    }
    writer = hostile._Writer(path, "llama")
    ordered = changes | {key: value for key, value in kv.items() if key not in changes}
    for key, (value, vtype, *sub) in ordered.items():
        writer.add_key_value(key, value, vtype, sub_type=sub[0] if sub else None)
    writer.add_tensor("token_embd.weight", np.ones((16, 64), dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


# One value of every GGUF type, and the edges of the ones llama.cpp reads.
ANY_VALUE: list[hostile.Value] = [
    (0, V.UINT8), (255, V.UINT8), (-128, V.INT8), (65535, V.UINT16), (-1, V.INT16),
    (0, V.UINT32), (1, V.UINT32), (2**32 - 1, V.UINT32), (-1, V.INT32), (2**31 - 1, V.INT32),
    (math.nan, V.FLOAT32), (math.inf, V.FLOAT32), (-math.inf, V.FLOAT32), (-1.0, V.FLOAT32),
    (0.0, V.FLOAT32), (True, V.BOOL), (False, V.BOOL), (2**64 - 1, V.UINT64), (-1, V.INT64),
    (math.nan, V.FLOAT64), (1e300, V.FLOAT64), ("", V.STRING), ("2", V.STRING),
    ("llama\0junk", V.STRING), ("\udcff".encode("utf-8", "surrogatepass"), V.STRING),
    ([], V.ARRAY, V.UINT32), ([2, 2], V.ARRAY, V.UINT32), ([0, 0], V.ARRAY, V.INT32),
    ([True, False], V.ARRAY, V.BOOL), ([2**64 - 1], V.ARRAY, V.UINT64),
    ([math.nan], V.ARRAY, V.FLOAT32), ([], V.ARRAY, V.STRING), (["a", ""], V.ARRAY, V.STRING),
]  # fmt: skip
KEYS_READ = sorted(
    {
        "general.architecture", "general.alignment", "general.name", "general.file_type",
        "tokenizer.chat_template", "split.count", "split.no",
        *gguf_file.GENERAL_KEYS, *(f"llama.{key}" for key in gguf_file.ARCH_KEYS),
    }
)  # fmt: skip


@pytest.mark.parametrize("key", KEYS_READ)
def test_no_metadata_value_of_any_type_becomes_a_traceback(tmp_path: Path, key: str) -> None:
    # Every value is either refused with a GptdeskError or read into numbers the estimates use.
    for index, value in enumerate(ANY_VALUE):
        path = write_metadata(tmp_path / f"{index}.gguf", {key: value})
        try:
            info = read_gguf(path)
        except GptdeskError as exc:
            assert_user_message(exc)
            continue
        fit = estimate_fit(info, 4096, ram_free=1 << 34)
        assert fit.total >= 0 and fit.summary()
        assert info.kv_cache_bytes(4096) >= 0
        assert isinstance(info.name, str) and isinstance(info.file_type, str)
        assert info.chat_template is None or isinstance(info.chat_template, str)


def test_a_value_llama_cpp_reads_with_another_type_is_refused(tmp_path: Path) -> None:
    for key, value in [
        ("llama.block_count", (2, V.UINT64)),
        ("llama.context_length", (512, V.INT32)),
        ("llama.attention.layer_norm_rms_epsilon", (1e-5, V.FLOAT64)),
        ("llama.attention.head_count", ([4, 4], V.ARRAY, V.FLOAT32)),
        ("general.alignment", (32, V.UINT64)),
        ("split.count", (1, V.UINT32)),
        ("tokenizer.ggml.bos_token_id", (1, V.INT32)),
        ("tokenizer.ggml.tokens", ([1, 2], V.ARRAY, V.INT32)),
    ]:
        with pytest.raises(InvalidModelError) as caught:
            read_gguf(write_metadata(tmp_path / "typed.gguf", {key: value}))
        assert_user_message(caught.value, key, "where llama.cpp expects")


def test_keys_are_looked_up_as_llama_cpp_does(tmp_path: Path) -> None:
    # llama.cpp compares keys as C strings: "…block_count\0x" is found as "…block_count" when
    # it comes first, so its value is the one checked.
    shadow = write_metadata(tmp_path / "shadow.gguf", {"llama.block_count\0x": (0, V.UINT32)})
    with pytest.raises(InvalidModelError) as caught:
        read_gguf(shadow)
    assert_user_message(caught.value, "layer count", "(0;")


def test_per_layer_values_and_experts(tmp_path: Path) -> None:
    per_layer = {"llama.attention.head_count_kv": ([2, 1], V.ARRAY, V.INT32)}
    assert read_gguf(write_metadata(tmp_path / "ok.gguf", per_layer)).n_head_kv == 2
    for changes, mention in [
        ({"llama.attention.head_count": ([4, 4, 4], V.ARRAY, V.UINT32)}, "3 values for 2"),
        ({"llama.attention.head_count_kv": (3, V.UINT32)}, "head_count_kv = 3"),
        ({"llama.attention.head_count": (5, V.UINT32), "llama.attention.head_count_kv": (
            5, V.UINT32)}, "head_count = 5"),
        ({"llama.embedding_length": (0, V.UINT32)}, "embedding_length = 0"),
        ({"llama.expert_count": (8, V.UINT32)}, "expert_used_count 0"),
        ({"llama.expert_count": (8, V.UINT32), "llama.expert_used_count": (
            [2, 9], V.ARRAY, V.UINT32)}, "expert_used_count 9"),
        ({"llama.expert_count": (8, V.UINT32), "llama.expert_used_count": (2, V.UINT32),
          "llama.expert_group_count": (3, V.UINT32)}, "expert_group_count 3"),
    ]:  # fmt: skip
        with pytest.raises(InvalidModelError) as caught:
            read_gguf(write_metadata(tmp_path / "bad.gguf", changes))
        assert_user_message(caught.value, mention)
    moe = {
        "llama.expert_count": (8, V.UINT32),
        "llama.expert_used_count": (2, V.UINT32),
        "llama.expert_group_count": (4, V.UINT32),
        "llama.expert_group_used_count": (2, V.UINT32),
    }
    assert read_gguf(write_metadata(tmp_path / "moe.gguf", moe)).n_layers == 2


def test_a_split_model_whose_parts_disagree_is_refused(tmp_path: Path) -> None:
    def part(index: int, number: hostile.Value, count: int = 2) -> Path:
        name = tmp_path / f"s-{index:05d}-of-{count:05d}.gguf"
        split = {"split.count": (count, V.UINT16), "split.no": number}
        return write_metadata(name, split)

    first = part(1, (0, V.UINT16))
    part(2, (1, V.UINT16))
    assert read_gguf(first).split_count == 2

    part(2, (1, V.UINT32))  # llama.cpp reads it unchecked as a u16 and aborts
    with pytest.raises(InvalidModelError) as caught:
        read_gguf(first)
    assert_user_message(caught.value, "split.no as u32")

    part(2, (0, V.UINT16))
    with pytest.raises(InvalidModelError) as caught:
        read_gguf(first)
    assert_user_message(caught.value, "s-00002-of-00002.gguf", "not part 2")

    three = part(1, (0, V.UINT16), count=3)
    three.rename(tmp_path / "s-00001-of-00002.gguf")  # says 3 parts, named one of 2
    with pytest.raises(InvalidModelError) as caught:
        read_gguf(tmp_path / "s-00001-of-00002.gguf")
    assert_user_message(caught.value, "first of 3 parts")


def test_a_link_loop_is_a_clean_error(tmp_path: Path) -> None:
    (tmp_path / "a.gguf").symlink_to("b.gguf")
    (tmp_path / "b.gguf").symlink_to("a.gguf")
    (tmp_path / "gone.gguf").symlink_to("nowhere.gguf")

    with pytest.raises(ModelFileMissingError) as loop:
        read_gguf(tmp_path / "a.gguf")
    with pytest.raises(ModelFileMissingError) as dangling:
        read_gguf(tmp_path / "gone.gguf")

    assert_user_message(loop.value, "a.gguf", "cannot be read")
    assert_user_message(dangling.value, "gone.gguf", "does not exist")


# Loads a model with llama.cpp itself, no gptdesk check in between, and evaluates a prompt;
# prints how far it got.
RAW_LLAMA = """
import sys
from gptdesk.core.inference import cpu_kernels
cpu_kernels.ensure(None)
import llama_cpp
llm = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=256, n_threads=1, verbose=True)
print("loaded", flush=True)
llm.eval(llm.tokenize(b"Hello there", add_bos=True))
print("decoded", flush=True)
"""


@pytest.mark.model
@pytest.mark.skipif(os.name != "posix", reason="SIGABRT as an exit status")
@pytest.mark.parametrize(
    ("case", "reached"), [("crashes_at_load", ""), ("crashes_at_first_decode", "loaded\n")]
)
def test_the_crash_fixtures_crash_llama_cpp(
    tmp_path: Path, starter_gguf: gguf.GGUFReader, case: str, reached: str
) -> None:
    # What tests/hostile_gguf.py promises the engine host's crash tests, checked against the
    # llama.cpp installed now: a newer one may refuse these files cleanly instead.
    path = hostile.FATAL_BUT_ACCEPTED[case](tmp_path / f"{case}.gguf", source=starter_gguf)

    child = subprocess.run(
        [sys.executable, "-c", RAW_LLAMA, str(path)],
        capture_output=True,
        text=True,
        timeout=HANG_TIMEOUT_S,
        cwd=tmp_path,
        env={**os.environ, "GGML_NO_BACKTRACE": "1"},  # no gdb attaching to print one
    )

    assert child.returncode == -signal.SIGABRT, child.stderr[-2000:]
    assert child.stdout == reached
    assert "GGML_ASSERT" in child.stderr or "unsupported types" in child.stderr
