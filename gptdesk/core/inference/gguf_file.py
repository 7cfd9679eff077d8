"""Read and check a GGUF file's header and metadata without loading tensors.

llama.cpp aborts the whole process on some malformed files, so every file is checked here
first. The ``gguf`` package (from llama.cpp) supplies the type tables; its ``GGUFReader``
materialises every vocabulary entry (seconds for a 100 MB model), so the walk over the header
is done here over an mmap, skipping arrays instead of decoding them (short numeric arrays, the
per-layer values, are kept).

The metadata checks mirror what llama.cpp (as vendored by llama-cpp-python 0.3.36) does with
the keys it reads: ``gguf_init_from_file`` (ggml/src/gguf.cpp), ``llama_model_loader::get_key``
and ``get_key_or_arr`` (src/llama-model-loader.cpp: every key must have exactly the type it
reads, else the load fails), ``llama_model_base::load_hparams`` (src/llama-model.cpp: the
``GGML_ASSERT``s on layer and expert counts and the RoPE scaling type abort the process) and
``llama_vocab::impl::load`` (src/llama-vocab.cpp). A norm epsilon that is negative or NaN loads
but aborts at the first evaluation (``GGML_ASSERT(eps >= 0.0f)`` in ggml-cpu/ops.cpp), so it is
refused here too. Not checked, because it would mean reading every vocabulary entry on each
listing: a vocabulary holding the same token twice, which llama.cpp asserts on while loading
(``id_to_token.size() == token_to_id.size()``); the engine host's crash record
(``core.inference.crashes``) covers it. Nor are tensor contents checked.
"""

from __future__ import annotations

import math
import mmap
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gguf

from gptdesk.core.errors import (
    InvalidModelError,
    ModelFileMissingError,
    NotAGGUFError,
    TruncatedModelError,
    UnsupportedArchitectureError,
)
from gptdesk.core.i18n import translate

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
KNOWN_ARCHITECTURES = frozenset(gguf.MODEL_ARCH_NAMES.values())
# Architectures llama.cpp runs only as encoders: they make embeddings, never text.
ENCODER_ARCHITECTURES = frozenset(
    {"bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "jina-bert-v3", "neo-bert",
     "modern-bert", "gemma-embedding", "t5encoder"}
)  # fmt: skip
_SPLIT_RE = re.compile(r"^(?P<stem>.*)-(?P<index>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)

_SCALAR_FORMATS: dict[int, str] = {
    gguf.GGUFValueType.UINT8: "<B",
    gguf.GGUFValueType.INT8: "<b",
    gguf.GGUFValueType.UINT16: "<H",
    gguf.GGUFValueType.INT16: "<h",
    gguf.GGUFValueType.UINT32: "<I",
    gguf.GGUFValueType.INT32: "<i",
    gguf.GGUFValueType.FLOAT32: "<f",
    gguf.GGUFValueType.BOOL: "<?",
    gguf.GGUFValueType.UINT64: "<Q",
    gguf.GGUFValueType.INT64: "<q",
    gguf.GGUFValueType.FLOAT64: "<d",
}


V = gguf.GGUFValueType
# llama.cpp's names of the GGUF types (gguf_type_name), as its own messages print them.
TYPE_NAMES: dict[int, str] = {
    V.UINT8: "u8", V.INT8: "i8", V.UINT16: "u16", V.INT16: "i16", V.UINT32: "u32",
    V.INT32: "i32", V.FLOAT32: "f32", V.BOOL: "bool", V.STRING: "str", V.ARRAY: "arr",
    V.UINT64: "u64", V.INT64: "i64", V.FLOAT64: "f64",
}
MAX_LAYERS = 512  # LLAMA_MAX_LAYERS, src/llama-hparams.h
MAX_EXPERTS = 1024  # LLAMA_MAX_EXPERTS, src/llama-hparams.h
MAX_DIMS = 4  # GGML_MAX_DIMS: gguf_init_from_file refuses tensors with more
ROPE_SCALING_TYPES = frozenset({"none", "linear", "yarn", "longrope"})  # LLAMA_ROPE_SCALING_TYPES
NO_VOCAB_MODELS = frozenset({"no_vocab", "none"})  # loads, then aborts on the first tokenize
BPE_MODELS = frozenset({"gpt2", "hybriddna", "whitespace"})  # these need tokenizer.ggml.merges
_KEEP_ARRAY_VALUES = MAX_LAYERS  # numeric arrays up to this length are read (per-layer values)


@dataclass(frozen=True)
class ArrayValue:
    """A metadata array, kept as its length and item type (vocabularies hold 100k+ entries);
    numeric arrays of up to 512 items (per-layer values) keep their ``values`` too."""

    length: int
    item_type: int = V.STRING
    values: tuple[int | float | bool, ...] | None = None


@dataclass(frozen=True)
class GGUFInfo:
    """What the header of a GGUF file says about the model."""

    path: Path
    file_size: int
    version: int
    architecture: str
    name: str
    n_layers: int
    n_embd: int
    n_head: int
    n_head_kv: int
    key_length: int
    value_length: int
    context_length: int
    n_params: int
    file_type: str
    chat_template: str | None
    vocab_size: int
    split_count: int
    metadata: dict[str, Any] = field(repr=False, compare=False)
    types: dict[str, int] = field(default_factory=dict, repr=False, compare=False)
    """The GGUF type (``gguf.GGUFValueType``) of each ``metadata`` value."""

    @property
    def pooling_type(self) -> int | None:
        """llama.cpp's pooling of an embedding model (1 mean, 2 CLS, 3 last, 4 rank); None
        when the file names none."""
        value = self.metadata.get(f"{self.architecture}.pooling_type")
        return int(value) if isinstance(value, int) else None

    @property
    def is_embedder(self) -> bool:
        """A model that makes embeddings (for document search) rather than text."""
        return self.architecture in ENCODER_ARCHITECTURES or self.pooling_type in (1, 2, 3)

    def kv_cache_bytes(self, n_ctx: int, bytes_per_value: int = 2) -> int:
        """Size of the K and V caches (f16 by default) for a context of ``n_ctx`` tokens."""
        per_token = self.n_layers * self.n_head_kv * (self.key_length + self.value_length)
        return per_token * n_ctx * bytes_per_value


class HeaderIncompleteError(TruncatedModelError):
    """The buffer ended inside the header (a file cut short, or a prefix read over HTTP)."""


class _Cursor:
    """Sequential little-endian reads over a buffer; running past its end means truncation."""

    def __init__(self, buf: mmap.mmap | bytes, path: Path) -> None:
        self.buf = buf
        self.pos = 0
        self.path = path

    def _need(self, n: int) -> None:
        if self.pos + n > len(self.buf):
            raise HeaderIncompleteError(
                translate(
                    "gguf_file",
                    "{name} ends inside its own header: the file is incomplete. Download or "
                    "copy it again.",
                ).format(name=self.path.name)
            )

    def scalar(self, fmt: str) -> Any:
        size = struct.calcsize(fmt)
        self._need(size)
        (value,) = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += size
        return value

    def string(self) -> str:
        """A string as llama.cpp's C API sees it: up to its first NUL byte."""
        n = self.scalar("<Q")
        self._need(n)
        raw = bytes(self.buf[self.pos : self.pos + n])
        self.pos += n
        return raw.split(b"\0", 1)[0].decode("utf-8", errors="replace")

    def skip_string(self) -> None:
        n = self.scalar("<Q")
        self._need(n)
        self.pos += n

    def value(self, vtype: int) -> Any:
        if vtype == gguf.GGUFValueType.STRING:
            return self.string()
        if vtype == gguf.GGUFValueType.ARRAY:
            item_type = self.scalar("<I")
            length = self.scalar("<Q")
            if item_type == gguf.GGUFValueType.STRING:
                for _ in range(length):
                    self.skip_string()
            elif item_type in _SCALAR_FORMATS:
                item_fmt = _SCALAR_FORMATS[item_type]
                nbytes = struct.calcsize(item_fmt) * length
                self._need(nbytes)
                values = None
                if length <= _KEEP_ARRAY_VALUES:
                    values = struct.unpack_from(f"<{length}{item_fmt[1:]}", self.buf, self.pos)
                self.pos += nbytes
                return ArrayValue(length, item_type, values)
            else:
                raise NotAGGUFError(
                    translate("gguf_file", "{name} has a metadata array of unknown type.").format(
                        name=self.path.name
                    )
                )
            return ArrayValue(length, item_type)
        fmt = _SCALAR_FORMATS.get(vtype)
        if fmt is None:
            raise NotAGGUFError(
                translate("gguf_file", "{name} has metadata of an unknown type ({type}).").format(
                    name=self.path.name, type=vtype
                )
            )
        return self.scalar(fmt)


def split_parts(path: Path) -> list[Path]:
    """All parts of a split model (``name-00001-of-00003.gguf``), or just ``[path]``."""
    match = _SPLIT_RE.match(path.name)
    if not match:
        return [path]
    count = int(match["count"])
    width = len(match["index"])
    return [
        path.with_name(f"{match['stem']}-{i:0{width}d}-of-{match['count']}.gguf")
        for i in range(1, count + 1)
    ]


def _tensor_bytes(ggml_type: int, dims: list[int], path: Path) -> int:
    try:
        block, type_size = gguf.GGML_QUANT_SIZES[gguf.GGMLQuantizationType(ggml_type)]
    except (KeyError, ValueError) as exc:
        raise UnsupportedArchitectureError(
            translate(
                "gguf_file",
                "{name} uses a tensor type ({type}) this version does not know. Try a different "
                "quantization of the model, or update gptdesk.",
            ).format(name=path.name, type=ggml_type)
        ) from exc
    if (dims[0] if dims else 1) % block:  # gguf_init_from_file: rows of whole blocks only
        raise NotAGGUFError(
            translate("gguf_file", "{name} has an impossible header (corrupt file).").format(
                name=path.name
            )
        )
    return math.prod(dims) // block * type_size


def _file_type_name(value: Any) -> str:
    try:
        return gguf.LlamaFileType(int(value)).name.removeprefix("MOSTLY_").removeprefix("ALL_")
    except (TypeError, ValueError, OverflowError):
        return "unknown"


def read_gguf(path: str | Path) -> GGUFInfo:
    """Check ``path`` is a complete GGUF model of a known architecture, with metadata llama.cpp
    accepts, and return that metadata.

    Raises ModelFileMissingError, NotAGGUFError (InvalidModelError for values llama.cpp would
    refuse or crash on), TruncatedModelError or UnsupportedArchitectureError, each with a
    message that says what to do; never another exception for what a file holds.
    """
    path = Path(path)
    try:
        is_file = path.is_file()
    except OSError:  # Python < 3.12 lets a few errno values through (e.g. a name too long)
        is_file = False
    if not is_file:
        try:
            path.stat()
        except (FileNotFoundError, NotADirectoryError):
            pass
        except OSError as exc:  # a symlink loop, a folder that cannot be entered
            raise ModelFileMissingError(
                translate("gguf_file", "The model file {path} cannot be read: {error}.").format(
                    path=path, error=exc.strerror or exc
                )
            ) from exc
        raise ModelFileMissingError(
            translate("gguf_file", "The model file {path} does not exist.").format(path=path)
        )
    try:
        with path.open("rb") as fh:
            file_size = path.stat().st_size
            if file_size < 4:
                message = (
                    translate("gguf_file", "{name} is not a GGUF model (the file is empty).")
                    if file_size == 0
                    else translate(
                        "gguf_file", "{name} is not a GGUF model (the file is only {size} bytes)."
                    )
                )
                raise NotAGGUFError(message.format(name=path.name, size=file_size))
            if fh.read(4) != GGUF_MAGIC:
                raise NotAGGUFError(
                    translate(
                        "gguf_file",
                        "{name} is not a GGUF model. gptdesk runs .gguf files; convert the model "
                        "with llama.cpp or pick a GGUF download.",
                    ).format(name=path.name)
                )
            with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
                info = parse_header(buf, path, file_size)
    except PermissionError as exc:
        raise ModelFileMissingError(
            translate("gguf_file", "The model file {path} cannot be read: {error}.").format(
                path=path, error=exc.strerror
            )
        ) from exc
    except OSError as exc:
        raise ModelFileMissingError(
            translate("gguf_file", "The model file {path} cannot be read: {error}.").format(
                path=path, error=exc.strerror or exc
            )
        ) from exc
    parts = split_parts(path)
    for part in parts[1:]:
        if not part.is_file():
            raise TruncatedModelError(
                translate(
                    "gguf_file",
                    "{name} is one part of a split model and {part} is missing. Download all "
                    "parts into the same folder.",
                ).format(name=path.name, part=part.name)
            )
    if info.split_count > 1:
        _check_split(info, parts)
    return info


def _read_kv(cur: _Cursor, n_kv: int, path: Path) -> tuple[dict[str, Any], dict[str, int]]:
    """The key/value pairs and their GGUF types, keyed as llama.cpp looks them up."""
    meta: dict[str, Any] = {}
    types: dict[str, int] = {}
    raw_keys: set[bytes] = set()
    for _ in range(n_kv):
        start = cur.pos
        key = cur.string()
        raw_key = bytes(cur.buf[start + 8 : cur.pos])
        if not raw_key or raw_key in raw_keys:  # gguf_init_from_file: empty or duplicate key
            raise NotAGGUFError(
                translate("gguf_file", "{name} has an impossible header (corrupt file).").format(
                    name=path.name
                )
            )
        raw_keys.add(raw_key)
        vtype = cur.scalar("<I")
        value = cur.value(vtype)
        if key not in meta:  # gguf_find_key compares C strings and takes the first match
            meta[key] = value
            types[key] = vtype
    return meta, types


def _check_split(info: GGUFInfo, parts: list[Path]) -> None:
    """What llama_model_loader checks of a split model: the first file is part 0 of as many
    as the names say, and every other part says which one it is as a u16 (llama.cpp reads that
    number unchecked and aborts on any other type)."""
    path = info.path
    if len(parts) != info.split_count or _split_number(info.metadata, info.types, path) != 0:
        raise InvalidModelError(
            translate(
                "gguf_file",
                "{name} says it is the first of {count} parts, which its file name does not "
                "match. Keep the names the parts were downloaded with (name-00001-of-0000N.gguf).",
            ).format(name=path.name, count=info.split_count)
        )
    for index, part in enumerate(parts[1:], start=1):
        try:
            with part.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as buf:
                cur = _Cursor(buf, part)
                if bytes(buf[:4]) != GGUF_MAGIC:
                    raise NotAGGUFError(
                        translate("gguf_file", "{name} is not a GGUF model.").format(
                            name=part.name
                        )
                    )
                cur.pos = 8
                cur.scalar("<Q")
                meta, types = _read_kv(cur, _checked_count(cur.scalar("<Q"), part), part)
        except (OSError, ValueError) as exc:  # ValueError: mmap of an empty file
            raise TruncatedModelError(
                translate(
                    "gguf_file",
                    "{name} is one part of a split model and {part} cannot be read. Download "
                    "all parts into the same folder.",
                ).format(name=path.name, part=part.name)
            ) from exc
        if _split_number(meta, types, part) != index:
            raise InvalidModelError(
                translate(
                    "gguf_file",
                    "{part} is not part {index} of the split model {name}. Download all parts "
                    "of one model into the same folder.",
                ).format(part=part.name, index=index + 1, name=path.name)
            )


def _split_number(meta: dict[str, Any], types: dict[str, int], path: Path) -> int:
    if "split.no" not in meta:
        raise _missing_key(path, "split.no")
    _expect(meta, types, path, "split.no", (V.UINT16,))
    return int(meta["split.no"])


def _checked_count(n: int, path: Path) -> int:
    if n > 1_000_000:
        raise NotAGGUFError(
            translate("gguf_file", "{name} has an impossible header (corrupt file).").format(
                name=path.name
            )
        )
    return n


def parse_header(buf: mmap.mmap | bytes, path: Path, file_size: int) -> GGUFInfo:
    """Parse and check a GGUF header from ``buf`` (the whole file, or a prefix of it of
    ``file_size``).

    Raises HeaderIncompleteError when ``buf`` ends before the header does, and the errors of
    ``read_gguf`` for what the header holds.
    """
    if bytes(buf[:4]) != GGUF_MAGIC:
        raise NotAGGUFError(
            translate("gguf_file", "{name} is not a GGUF model.").format(name=path.name)
        )
    cur = _Cursor(buf, path)
    cur.pos = 4
    version = cur.scalar("<I")
    if version not in SUPPORTED_VERSIONS:
        raise NotAGGUFError(
            translate(
                "gguf_file",
                "{name} is GGUF version {version}; gptdesk reads versions {supported}. Download "
                "a current conversion.",
            ).format(
                name=path.name, version=version, supported=", ".join(map(str, SUPPORTED_VERSIONS))
            )
        )
    n_tensors = _checked_count(cur.scalar("<Q"), path)
    n_kv = _checked_count(cur.scalar("<Q"), path)
    meta, types = _read_kv(cur, n_kv, path)
    alignment = 32
    if "general.alignment" in meta:  # gguf_init_from_file: a u32 power of two
        _expect(meta, types, path, "general.alignment", (V.UINT32,))
        alignment = int(meta["general.alignment"])
        if alignment <= 0 or alignment & (alignment - 1):
            raise _out_of_range(path, "general.alignment", alignment)

    data_needed = 0
    n_params = 0
    for _ in range(n_tensors):
        cur.skip_string()
        n_dims = cur.scalar("<I")
        if n_dims > MAX_DIMS:
            raise NotAGGUFError(
                translate(
                    "gguf_file", "{name} has a tensor with {n_dims} dimensions (corrupt file)."
                ).format(name=path.name, n_dims=n_dims)
            )
        dims = [cur.scalar("<Q") for _ in range(n_dims)]
        n_elements = math.prod(dims)
        ggml_type = cur.scalar("<I")
        offset = cur.scalar("<Q")
        n_params += n_elements
        data_needed = max(data_needed, offset + _tensor_bytes(ggml_type, dims, path))
    data_start = (cur.pos + alignment - 1) // alignment * alignment
    if data_start + data_needed > file_size:
        raise TruncatedModelError(
            translate(
                "gguf_file",
                "{name} is incomplete: it has {size} bytes of the {needed} its header "
                "describes. Download or copy it again.",
            ).format(name=path.name, size=f"{file_size:,}", needed=f"{data_start + data_needed:,}")
        )

    arch = meta.get("general.architecture", "")
    if not arch:
        raise NotAGGUFError(
            translate("gguf_file", "{name} does not say which model architecture it holds.").format(
                name=path.name
            )
        )
    _expect(meta, types, path, "general.architecture", (V.STRING,))
    if arch not in KNOWN_ARCHITECTURES:
        raise UnsupportedArchitectureError(
            translate(
                "gguf_file",
                "{name} is a '{arch}' model, which this version of llama.cpp cannot run. Pick a "
                "model of a supported family (Llama, Qwen, Mistral, Gemma, Phi, ...).",
            ).format(name=path.name, arch=arch)
        )
    _check_metadata(meta, types, arch, path)

    def num(key: str, default: int = 0) -> int:
        value = meta.get(f"{arch}.{key}", default)
        if isinstance(value, ArrayValue):  # per layer: the largest, for the estimates
            value = max(value.values or (default,))
        return int(value) if isinstance(value, int) else default

    n_embd = num("embedding_length")
    n_head = num("attention.head_count")
    head_dim = n_embd // n_head if n_head else 0
    tokens = meta.get("tokenizer.ggml.tokens")
    template = meta.get("tokenizer.chat_template")
    name = meta.get("general.name")
    return GGUFInfo(
        path=path,
        file_size=file_size,
        version=version,
        architecture=arch,
        name=name if isinstance(name, str) and name else path.stem,
        n_layers=num("block_count"),
        n_embd=n_embd,
        n_head=n_head,
        n_head_kv=num("attention.head_count_kv", n_head),
        key_length=num("attention.key_length", head_dim),
        value_length=num("attention.value_length", head_dim),
        context_length=num("context_length"),
        n_params=n_params,
        file_type=_file_type_name(meta.get("general.file_type")),
        chat_template=template if isinstance(template, str) else None,
        vocab_size=tokens.length if isinstance(tokens, ArrayValue) else 0,
        split_count=int(meta.get("split.count", 1)) or 1,
        metadata=meta,
        types=types,
    )


# --- the metadata llama.cpp reads, and what it does with it ----------------------------------

U32, U16, F32, BOOL, STR = V.UINT32, V.UINT16, V.FLOAT32, V.BOOL, V.STRING
# get_key_or_arr<std::array<uint32_t, 512>>: a u32, or one value per layer (u32, i32 or bool).
PER_LAYER = (U32, V.ARRAY)
PER_LAYER_ITEMS = (U32, V.INT32, BOOL)
# Keys outside the architecture's namespace: the GGUF type llama.cpp reads them as.
GENERAL_KEYS: dict[str, tuple[int, ...]] = {
    "general.name": (STR,),
    "general.file_type": (U32,),
    "split.count": (U16,),
    "tokenizer.ggml.model": (STR,),
    "tokenizer.ggml.pre": (STR,),
    "tokenizer.ggml.token_type_count": (U32,),
    "tokenizer.ggml.add_bos_token": (BOOL,),
    "tokenizer.ggml.add_eos_token": (BOOL,),
    "tokenizer.ggml.add_sep_token": (BOOL,),
    "tokenizer.ggml.add_space_prefix": (BOOL,),
    "tokenizer.ggml.remove_extra_whitespaces": (BOOL,),
    "tokenizer.ggml.normalizer.lowercase": (BOOL,),
    "tokenizer.ggml.normalizer.strip_accents": (BOOL,),
    "tokenizer.ggml.tokens": (V.ARRAY,),
    "tokenizer.ggml.merges": (V.ARRAY,),
    "tokenizer.ggml.scores": (V.ARRAY,),
    "tokenizer.ggml.token_type": (V.ARRAY,),
    "tokenizer.ggml.suppress_tokens": (V.ARRAY,),
    **{
        f"tokenizer.ggml.{which}_token_id": (U32,)
        for which in (
            "bos", "eos", "eot", "eom", "unknown", "seperator", "padding", "mask", "fim_pre",
            "fim_suf", "fim_mid", "fim_pad", "fim_rep", "fim_sep", "prefix", "suffix", "middle",
        )
    },
}
# Item types of the arrays above (llama_vocab::impl::load).
ARRAY_ITEMS: dict[str, tuple[int, ...]] = {
    "tokenizer.ggml.tokens": (STR,),
    "tokenizer.ggml.merges": (STR,),
    "tokenizer.ggml.scores": (F32, V.INT32),
    "tokenizer.ggml.token_type": (V.INT32,),
    "tokenizer.ggml.suppress_tokens": (V.INT32,),
}
# Keys ``{arch}.<key>`` that llama_model_base::load_hparams reads for every architecture, and
# the eps keys the architectures read (f32 each).
ARCH_KEYS: dict[str, tuple[int, ...]] = {
    "context_length": (U32,),
    "embedding_length": (U32,),
    "embedding_length_out": (U32,),
    "attention.causal": (BOOL,),
    "pooling_type": (U32,),
    "classifier.pooling_type": (U32,),
    "block_count": (U32,),
    "nextn_predict_layers": (U32,),
    "expert_count": (U32,),
    "expert_used_count": PER_LAYER,
    "expert_group_count": (U32,),
    "expert_group_used_count": (U32,),
    "feed_forward_length": PER_LAYER,
    "attention.head_count": PER_LAYER,
    "attention.head_count_kv": PER_LAYER,
    "rope.scaling.finetuned": (BOOL,),
    "rope.scaling.original_context_length": (U32,),
    "rope.freq_base": (F32,),
    "rope.scaling.type": (STR,),
    "rope.scaling.factor": (F32,),
    "rope.scale_linear": (F32,),
    "rope.scaling.attn_factor": (F32,),
    "rope.scaling.alpha": (F32,),
    "attention.key_length": (U32,),
    "attention.value_length": (U32,),
    "rope.dimension_count": (U32,),
    "attention.key_length_swa": (U32,),
    "attention.value_length_swa": (U32,),
    "rope.dimension_count_swa": (U32,),
    "vocab_size": (U32,),
    "attention.layer_norm_epsilon": (F32,),
    "attention.layer_norm_rms_epsilon": (F32,),
}
REQUIRED_ARCH_KEYS = ("context_length", "embedding_length", "block_count")
EPS_KEYS = ("attention.layer_norm_epsilon", "attention.layer_norm_rms_epsilon")


def _type_name(vtype: int, value: Any) -> str:
    if vtype == V.ARRAY and isinstance(value, ArrayValue):
        return f"arr[{TYPE_NAMES.get(value.item_type, value.item_type)}]"
    return TYPE_NAMES.get(vtype, str(vtype))


def _damaged(message: str, path: Path, **values: object) -> InvalidModelError:
    return InvalidModelError(message.format(name=path.name, **values))


def _missing_key(path: Path, key: str) -> InvalidModelError:
    return _damaged(
        translate(
            "gguf_file",
            "{name} lacks {key}, which llama.cpp needs: the file is damaged or was made by a "
            "faulty converter. Download it again or pick another model.",
        ),
        path,
        key=key,
    )


def _out_of_range(path: Path, key: str, value: object) -> InvalidModelError:
    return _damaged(
        translate(
            "gguf_file",
            "llama.cpp would reject {key} = {value} in {name}: the file is damaged or made for "
            "a newer version. Download it again or pick another model.",
        ),
        path,
        key=key,
        value=value,
    )


def _expect(
    meta: dict[str, Any],
    types: dict[str, int],
    path: Path,
    key: str,
    allowed: tuple[int, ...],
    items: tuple[int, ...] = (),
) -> None:
    """``key``, when present, has one of the ``allowed`` types (arrays: ``items`` inside)."""
    if key not in types:
        return
    vtype, value = types[key], meta[key]
    ok = vtype in allowed
    if ok and vtype == V.ARRAY and items:
        ok = isinstance(value, ArrayValue) and value.item_type in items
    if not ok:
        expected = " or ".join(
            f"arr[{'|'.join(TYPE_NAMES[t] for t in items)}]" if t == V.ARRAY and items
            else TYPE_NAMES[t]
            for t in allowed
        )
        raise _damaged(
            translate(
                "gguf_file",
                "{name} stores {key} as {found} where llama.cpp expects {expected}: the file is "
                "damaged or was made by a faulty converter. Download it again or pick another "
                "model.",
            ),
            path,
            key=key,
            found=_type_name(vtype, value),
            expected=expected,
        )


def _per_layer(value: Any, n_layer: int, path: Path, key: str) -> tuple[int, ...]:
    """A u32-or-array hyper-parameter as one value per layer (get_key_or_arr)."""
    if not isinstance(value, ArrayValue):
        return (int(value),) * n_layer
    if value.length != n_layer or value.values is None:
        raise _out_of_range(path, key, f"[{value.length} values for {n_layer} layers]")
    return tuple(int(v) for v in value.values)


def _check_metadata(meta: dict[str, Any], types: dict[str, int], arch: str, path: Path) -> None:
    """Refuse what llama.cpp would refuse, or abort on, in the keys it reads."""
    for key, allowed in GENERAL_KEYS.items():
        _expect(meta, types, path, key, allowed, ARRAY_ITEMS.get(key, ()))
    for key, allowed in ARCH_KEYS.items():
        _expect(meta, types, path, f"{arch}.{key}", allowed, PER_LAYER_ITEMS)
    _check_vocabulary(meta, path)
    if arch == "clip":  # load_hparams reads nothing more for CLIP
        return
    for key in REQUIRED_ARCH_KEYS:
        if f"{arch}.{key}" not in meta:
            raise _missing_key(path, f"{arch}.{key}")

    def get(key: str, default: object = 0) -> Any:
        return meta.get(f"{arch}.{key}", default)

    n_layer = int(get("block_count"))
    if not 0 < n_layer <= MAX_LAYERS:  # GGML_ASSERT in load_hparams
        raise _damaged(
            translate(
                "gguf_file",
                "llama.cpp would reject the layer count of {name} ({value}; it runs 1 to "
                "{max}): the file is damaged or made for a newer version. Download it again or "
                "pick another model.",
            ),
            path,
            value=n_layer,
            max=MAX_LAYERS,
        )
    if int(get("nextn_predict_layers")) > n_layer:  # GGML_ASSERT
        raise _out_of_range(path, f"{arch}.nextn_predict_layers", get("nextn_predict_layers"))
    _check_experts(meta, arch, n_layer, path)
    scaling = get("rope.scaling.type", "linear")
    if scaling not in ROPE_SCALING_TYPES:  # GGML_ASSERT(... != UNSPECIFIED)
        raise _out_of_range(path, f"{arch}.rope.scaling.type", f"'{scaling}'")
    for key in EPS_KEYS:  # GGML_ASSERT(eps >= 0.0f) in the norm kernels, at the first decode
        eps = meta.get(f"{arch}.{key}")
        if eps is not None and not (math.isfinite(eps) and eps >= 0):
            raise _damaged(
                translate(
                    "gguf_file",
                    "{name} has a normalization epsilon of {value}, on which llama.cpp crashes "
                    "or writes nothing: the file is damaged. Download it again or pick another "
                    "model.",
                ),
                path,
                value=f"{eps:g}",
            )
    _check_attention(meta, arch, n_layer, path)


def _check_experts(meta: dict[str, Any], arch: str, n_layer: int, path: Path) -> None:
    """The GGML_ASSERTs on experts in load_hparams."""
    key = f"{arch}.expert_count"
    n_expert = int(meta.get(key, 0))
    used_key = f"{arch}.expert_used_count"
    used = max(_per_layer(meta.get(used_key, 0), n_layer, path, used_key), default=0)
    groups = int(meta.get(f"{arch}.expert_group_count", 0))
    group_used = int(meta.get(f"{arch}.expert_group_used_count", 0))
    if arch in ("hunyuan-dense", "hunyuan_vl") and n_expert <= 1:
        n_expert = used = 0
    if n_expert > MAX_EXPERTS:
        raise _out_of_range(path, key, n_expert)
    if n_expert > 0:
        ok = 0 < used <= n_expert and groups < n_expert
        if ok and groups > 1:
            ok = n_expert % groups == 0 and 0 < group_used < groups
    else:
        ok = used == 0 and groups == 0
    if not ok:
        detail = f"{n_expert}, expert_used_count {used}, expert_group_count {groups}"
        raise _out_of_range(path, key, detail)


def _check_attention(meta: dict[str, Any], arch: str, n_layer: int, path: Path) -> None:
    """Head counts llama.cpp cannot shape its tensors with (a u32 each: per-layer arrays are
    left to llama.cpp, whose hybrid models mix attention and recurrent layers)."""
    n_embd = int(meta[f"{arch}.embedding_length"])
    if n_embd == 0:
        raise _out_of_range(path, f"{arch}.embedding_length", 0)
    for key in ("attention.head_count", "attention.head_count_kv", "feed_forward_length"):
        value = meta.get(f"{arch}.{key}")
        if isinstance(value, ArrayValue):
            _per_layer(value, n_layer, path, f"{arch}.{key}")  # the length must match
    n_head = meta.get(f"{arch}.attention.head_count")
    n_head_kv = meta.get(f"{arch}.attention.head_count_kv", n_head)
    if not isinstance(n_head, int) or not isinstance(n_head_kv, int) or n_head == 0:
        return
    if n_head_kv == 0:
        raise _out_of_range(path, f"{arch}.attention.head_count_kv", 0)
    if n_head % n_head_kv:
        detail = f"{n_head_kv} (with attention.head_count {n_head})"
        raise _out_of_range(path, f"{arch}.attention.head_count_kv", detail)
    if f"{arch}.attention.key_length" not in meta and n_embd % n_head:
        detail = f"{n_head} (with embedding_length {n_embd})"
        raise _out_of_range(path, f"{arch}.attention.head_count", detail)


def _check_vocabulary(meta: dict[str, Any], path: Path) -> None:
    """llama_vocab::impl::load: a tokenizer model and a vocabulary gptdesk can chat with."""
    model = meta.get("tokenizer.ggml.model")
    tokens = meta.get("tokenizer.ggml.tokens")
    if (
        model is None
        or model in NO_VOCAB_MODELS
        or not isinstance(tokens, ArrayValue)
        or tokens.length == 0
    ):
        raise _damaged(
            translate(
                "gguf_file",
                "{name} has no vocabulary, so llama.cpp cannot turn text into tokens for it: the "
                "file is damaged or holds only part of a model. Download it again or pick "
                "another model.",
            ),
            path,
        )
    for key in ("tokenizer.ggml.scores", "tokenizer.ggml.token_type"):
        value = meta.get(key)
        if isinstance(value, ArrayValue) and value.length < tokens.length:
            raise _out_of_range(path, key, f"[{value.length} values for {tokens.length} tokens]")
    if (
        model in BPE_MODELS
        and meta.get("tokenizer.ggml.pre") != "kimi-k2"
        and "tokenizer.ggml.merges" not in meta
    ):
        raise _missing_key(path, "tokenizer.ggml.merges")
