"""Read and check a GGUF file's header and metadata without loading tensors.

llama.cpp aborts the whole process on some malformed files, so every file is checked here
first. The ``gguf`` package (from llama.cpp) supplies the type tables; its ``GGUFReader``
materialises every vocabulary entry (seconds for a 100 MB model), so the walk over the header
is done here over an mmap, skipping arrays instead of decoding them.
"""

from __future__ import annotations

import mmap
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gguf

from gptdesk.core.errors import (
    ModelFileMissingError,
    NotAGGUFError,
    TruncatedModelError,
    UnsupportedArchitectureError,
)
from gptdesk.core.i18n import translate

GGUF_MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
KNOWN_ARCHITECTURES = frozenset(gguf.MODEL_ARCH_NAMES.values())
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


@dataclass(frozen=True)
class ArrayValue:
    """A metadata array, kept as its length only (vocabularies hold 100k+ entries)."""

    length: int


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
        n = self.scalar("<Q")
        self._need(n)
        raw = self.buf[self.pos : self.pos + n]
        self.pos += n
        return bytes(raw).decode("utf-8", errors="replace")

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
                nbytes = struct.calcsize(_SCALAR_FORMATS[item_type]) * length
                self._need(nbytes)
                self.pos += nbytes
            else:
                raise NotAGGUFError(
                    translate("gguf_file", "{name} has a metadata array of unknown type.").format(
                        name=self.path.name
                    )
                )
            return ArrayValue(length)
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


def _tensor_bytes(ggml_type: int, n_elements: int, path: Path) -> int:
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
    return n_elements // block * type_size


def _file_type_name(value: Any) -> str:
    try:
        return gguf.LlamaFileType(int(value)).name.removeprefix("MOSTLY_").removeprefix("ALL_")
    except (TypeError, ValueError):
        return "unknown"


def read_gguf(path: str | Path) -> GGUFInfo:
    """Check ``path`` is a complete GGUF model of a known architecture and return its metadata.

    Raises ModelFileMissingError, NotAGGUFError, TruncatedModelError or
    UnsupportedArchitectureError, each with a message that says what to do.
    """
    path = Path(path)
    if not path.is_file():
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
                path=path, error=exc
            )
        ) from exc
    for part in split_parts(path)[1:]:
        if not part.is_file():
            raise TruncatedModelError(
                translate(
                    "gguf_file",
                    "{name} is one part of a split model and {part} is missing. Download all "
                    "parts into the same folder.",
                ).format(name=path.name, part=part.name)
            )
    return info


def parse_header(buf: mmap.mmap | bytes, path: Path, file_size: int) -> GGUFInfo:
    """Parse a GGUF header from ``buf`` (the whole file, or a prefix of it of ``file_size``).

    Raises HeaderIncompleteError when ``buf`` ends before the header does.
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
    n_tensors = cur.scalar("<Q")
    n_kv = cur.scalar("<Q")
    if n_tensors > 1_000_000 or n_kv > 1_000_000:
        raise NotAGGUFError(
            translate("gguf_file", "{name} has an impossible header (corrupt file).").format(
                name=path.name
            )
        )
    meta: dict[str, Any] = {}
    for _ in range(n_kv):
        key = cur.string()
        meta[key] = cur.value(cur.scalar("<I"))

    data_needed = 0
    n_params = 0
    for _ in range(n_tensors):
        cur.skip_string()
        n_dims = cur.scalar("<I")
        if n_dims > 8:
            raise NotAGGUFError(
                translate(
                    "gguf_file", "{name} has a tensor with {n_dims} dimensions (corrupt file)."
                ).format(name=path.name, n_dims=n_dims)
            )
        n_elements = 1
        for _ in range(n_dims):
            n_elements *= cur.scalar("<Q")
        ggml_type = cur.scalar("<I")
        offset = cur.scalar("<Q")
        n_params += n_elements
        data_needed = max(data_needed, offset + _tensor_bytes(ggml_type, n_elements, path))
    alignment = int(meta.get("general.alignment", 32)) or 32
    data_start = (cur.pos + alignment - 1) // alignment * alignment
    if data_start + data_needed > file_size:
        raise TruncatedModelError(
            translate(
                "gguf_file",
                "{name} is incomplete: it has {size} bytes of the {needed} its header "
                "describes. Download or copy it again.",
            ).format(name=path.name, size=f"{file_size:,}", needed=f"{data_start + data_needed:,}")
        )

    arch = str(meta.get("general.architecture", ""))
    if not arch:
        raise NotAGGUFError(
            translate("gguf_file", "{name} does not say which model architecture it holds.").format(
                name=path.name
            )
        )
    if arch not in KNOWN_ARCHITECTURES:
        raise UnsupportedArchitectureError(
            translate(
                "gguf_file",
                "{name} is a '{arch}' model, which this version of llama.cpp cannot run. Pick a "
                "model of a supported family (Llama, Qwen, Mistral, Gemma, Phi, ...).",
            ).format(name=path.name, arch=arch)
        )

    def num(key: str, default: int = 0) -> int:
        value = meta.get(f"{arch}.{key}", default)
        return int(value) if isinstance(value, (int, float)) else default

    n_embd = num("embedding_length")
    n_head = num("attention.head_count")
    head_dim = n_embd // n_head if n_head else 0
    tokens = meta.get("tokenizer.ggml.tokens")
    template = meta.get("tokenizer.chat_template")
    return GGUFInfo(
        path=path,
        file_size=file_size,
        version=version,
        architecture=arch,
        name=str(meta.get("general.name") or path.stem),
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
        split_count=int(meta.get("split.count", 1) or 1),
        metadata=meta,
    )
