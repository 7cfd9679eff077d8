"""The catalog's document-search embedder is Qwen3-Embedding-0.6B: a GGUF of architecture
``qwen3`` with last-token pooling (``qwen3.pooling_type = 3``), downloaded from the Hugging Face
Hub, which these tests cannot reach. So this module builds a synthetic model of that
architecture and pooling: 2 layers, 64-wide, 4 query and 2 key/value heads of 16, random
(seeded) F32 weights and the starter model's real BPE tokenizer (SmolLM2's, so 49152 rows of
token embeddings; no ``output.weight``, which llama.cpp's qwen3 loader does without). Its
vectors mean nothing: it checks the load path, not the quality of a search. It checks that
gptdesk's header checks accept the file and call it an embedder, that ``HostEmbedder`` loads it
on its own engine host with llama.cpp (llama-cpp-python 0.3.36) and gets vectors of the last
token (the same as a forward pass written here in numpy), and that the chat engine refuses it.

Like Qwen3-Embedding as llama.cpp's converter writes it, the synthetic file says
``tokenizer.ggml.add_eos_token = true``: llama.cpp appends the EOS token to every text, and the
vector is that token's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import gguf
import numpy as np
import pytest

from gptdesk.core.documents.embed import HostEmbedder, traits_for
from gptdesk.core.errors import ModelLoadError
from gptdesk.core.inference.engine import Engine
from gptdesk.core.inference.gguf_file import read_gguf

ARCH = "qwen3"
N_LAYER = 2
N_EMBD = 64
N_HEAD = 4
N_HEAD_KV = 2
HEAD_DIM = 16
N_FF = 128
N_CTX = 512
ROPE_BASE = 1_000_000.0
EPS = 1e-6
SEED = 20250605
TEXTS = ["a", "b text", "The keeper lit the lighthouse lamp at dusk."]


def _weights(vocab_size: int) -> dict[str, np.ndarray]:
    """The tensors, named as llama.cpp's qwen3 loader (src/models/qwen3.cpp) wants them, with
    numpy shapes that are ggml's reversed (token_embd is {n_embd, n_vocab} there). No
    ``output.weight``: llama.cpp then uses ``token_embd.weight`` as the output."""
    rng = np.random.default_rng(SEED)

    def matrix(rows: int, cols: int) -> np.ndarray:
        weights: np.ndarray = rng.standard_normal((rows, cols)) / np.sqrt(cols)
        return weights.astype(np.float32)

    def norm(size: int) -> np.ndarray:
        return (1.0 + 0.1 * rng.standard_normal(size)).astype(np.float32)

    tensors = {
        "token_embd.weight": rng.standard_normal((vocab_size, N_EMBD)).astype(np.float32),
        "output_norm.weight": norm(N_EMBD),
    }
    for i in range(N_LAYER):
        tensors |= {
            f"blk.{i}.attn_norm.weight": norm(N_EMBD),
            f"blk.{i}.attn_q.weight": matrix(N_HEAD * HEAD_DIM, N_EMBD),
            f"blk.{i}.attn_k.weight": matrix(N_HEAD_KV * HEAD_DIM, N_EMBD),
            f"blk.{i}.attn_v.weight": matrix(N_HEAD_KV * HEAD_DIM, N_EMBD),
            f"blk.{i}.attn_output.weight": matrix(N_EMBD, N_HEAD * HEAD_DIM),
            f"blk.{i}.attn_q_norm.weight": norm(HEAD_DIM),
            f"blk.{i}.attn_k_norm.weight": norm(HEAD_DIM),
            f"blk.{i}.ffn_norm.weight": norm(N_EMBD),
            f"blk.{i}.ffn_gate.weight": matrix(N_FF, N_EMBD),
            f"blk.{i}.ffn_up.weight": matrix(N_FF, N_EMBD),
            f"blk.{i}.ffn_down.weight": matrix(N_EMBD, N_FF),
        }
    return tensors


def make_qwen3_embedder(dst: Path, source: gguf.GGUFReader) -> dict[str, np.ndarray]:
    """Write the synthetic Qwen3 embedder to ``dst`` with ``source``'s tokenizer; returns its
    tensors (for the reference forward pass)."""
    writer = gguf.GGUFWriter(dst, arch=ARCH)
    writer.add_name("Tiny synthetic qwen3 embedder")
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_context_length(N_CTX)
    writer.add_embedding_length(N_EMBD)
    writer.add_block_count(N_LAYER)
    writer.add_feed_forward_length(N_FF)
    writer.add_head_count(N_HEAD)
    writer.add_head_count_kv(N_HEAD_KV)
    writer.add_key_length(HEAD_DIM)
    writer.add_value_length(HEAD_DIM)
    writer.add_rope_freq_base(ROPE_BASE)
    writer.add_layer_norm_rms_eps(EPS)
    writer.add_pooling_type(gguf.PoolingType.LAST)
    for name, field in source.fields.items():
        if name.startswith("tokenizer.ggml."):  # not the chat template: it never chats
            vtype = field.types[0]
            sub_type = field.types[-1] if vtype == gguf.GGUFValueType.ARRAY else None
            if name == "tokenizer.ggml.add_eos_token":
                continue
            writer.add_key_value(name, field.contents(), vtype, sub_type=sub_type)
    writer.add_add_eos_token(True)
    vocab_size = len(source.fields["tokenizer.ggml.tokens"].data)
    tensors = _weights(vocab_size)
    for name, data in tensors.items():
        writer.add_tensor(name, data)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return tensors


# --- a forward pass of qwen3 in numpy (src/models/qwen3.cpp), for one text ------------------


def _rms_norm(x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    normed: np.ndarray = x / np.sqrt(np.mean(x * x, axis=-1, keepdims=True) + EPS) * weight
    return normed


def _rope_neox(x: np.ndarray) -> np.ndarray:
    """x: (tokens, heads, HEAD_DIM); qwen3 rotates the two halves of a head (NEOX)."""
    half = HEAD_DIM // 2
    theta = np.arange(len(x))[:, None] * ROPE_BASE ** (-np.arange(half) * 2 / HEAD_DIM)
    cos, sin = np.cos(theta)[:, None, :], np.sin(theta)[:, None, :]
    x1, x2 = x[..., :half], x[..., half:]
    return np.concatenate([x1 * cos - x2 * sin, x2 * cos + x1 * sin], axis=-1)


def reference_vector(
    w: dict[str, np.ndarray], tokens: list[int], *, pooling: str = "last"
) -> np.ndarray:
    """The unit-length hidden state after the output norm of the last token (``"last"``) or
    the mean of the tokens' (``"mean"``)."""
    w64 = {name: t.astype(np.float64) for name, t in w.items()}
    n = len(tokens)
    x = w64["token_embd.weight"][tokens]
    causal = np.triu(np.full((n, n), -np.inf), k=1)
    for i in range(N_LAYER):
        p = f"blk.{i}."
        h = _rms_norm(x, w64[p + "attn_norm.weight"])
        q = (h @ w64[p + "attn_q.weight"].T).reshape(n, N_HEAD, HEAD_DIM)
        k = (h @ w64[p + "attn_k.weight"].T).reshape(n, N_HEAD_KV, HEAD_DIM)
        v = (h @ w64[p + "attn_v.weight"].T).reshape(n, N_HEAD_KV, HEAD_DIM)
        q = _rope_neox(_rms_norm(q, w64[p + "attn_q_norm.weight"]))
        k = _rope_neox(_rms_norm(k, w64[p + "attn_k_norm.weight"]))
        group = N_HEAD // N_HEAD_KV
        k, v = np.repeat(k, group, axis=1), np.repeat(v, group, axis=1)
        scores = np.einsum("qhd,khd->hqk", q, k) / np.sqrt(HEAD_DIM) + causal
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        attn = np.einsum("hqk,khd->qhd", scores, v).reshape(n, N_HEAD * HEAD_DIM)
        x = x + attn @ w64[p + "attn_output.weight"].T
        h = _rms_norm(x, w64[p + "ffn_norm.weight"])
        gate = h @ w64[p + "ffn_gate.weight"].T
        up = h @ w64[p + "ffn_up.weight"].T
        x = x + (gate / (1 + np.exp(-gate)) * up) @ w64[p + "ffn_down.weight"].T
    rows = _rms_norm(x, w64["output_norm.weight"])
    pooled: np.ndarray = rows[-1] if pooling == "last" else rows.mean(axis=0)
    return pooled / float(np.linalg.norm(pooled))


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def qwen3_model(
    tmp_path_factory: pytest.TempPathFactory, starter_gguf: gguf.GGUFReader
) -> tuple[Path, dict[str, np.ndarray]]:
    path = tmp_path_factory.mktemp("qwen3-embedder") / "tiny-qwen3-embedder-f32.gguf"
    tensors = make_qwen3_embedder(path, starter_gguf)
    return path, tensors


@pytest.fixture(scope="module")
def embedder(qwen3_model: tuple[Path, dict[str, np.ndarray]]) -> Iterator[HostEmbedder]:
    opened = HostEmbedder(qwen3_model[0])
    opened.load()
    yield opened
    opened.close()


def _tokens(path: Path, text: str) -> list[int]:
    """llama.cpp's tokens of ``text`` as llama-cpp-python's ``embed`` makes them (its
    ``tokenize`` with the special tokens the vocabulary adds)."""
    import llama_cpp

    vocab = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=True)
    try:
        return list(vocab.tokenize(text.encode("utf-8")))
    finally:
        vocab.close()


# --- tests -------------------------------------------------------------------------------------


def test_the_header_checks_accept_it_as_an_embedder_with_last_pooling(
    qwen3_model: tuple[Path, dict[str, np.ndarray]],
) -> None:
    info = read_gguf(qwen3_model[0])
    assert info.architecture == "qwen3"
    assert info.is_embedder and info.pooling_type == 3
    assert (info.n_layers, info.n_embd, info.n_head, info.n_head_kv) == (2, 64, 4, 2)
    assert info.key_length == info.value_length == HEAD_DIM
    assert info.context_length == N_CTX and info.vocab_size == 49152
    assert "qwen3-embedding" not in f"{info.name} {info.path.name}".lower()  # the arch decides
    assert traits_for(info).query.startswith("Instruct: Given a question")


def test_the_embedder_host_loads_it_and_makes_last_token_vectors(
    embedder: HostEmbedder, qwen3_model: tuple[Path, dict[str, np.ndarray]]
) -> None:
    path, tensors = qwen3_model
    assert embedder.traits.query == (
        "Instruct: Given a question, retrieve passages that answer the question\nQuery:"
    )
    assert embedder.traits.document == ""

    vectors = embedder.embed_documents(TEXTS)
    assert vectors.dtype == np.float32 and vectors.shape == (len(TEXTS), N_EMBD)
    assert np.all(np.isfinite(vectors))
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    again = embedder.embed_documents(TEXTS)
    np.testing.assert_array_equal(vectors, again)  # deterministic
    alone = embedder.embed_documents([TEXTS[1]])
    np.testing.assert_allclose(alone[0], vectors[1], atol=1e-4)  # batching changes nothing
    cosines = vectors @ vectors.T
    assert np.all(cosines[~np.eye(len(TEXTS), dtype=bool)] < 0.99)  # texts differ, vectors too

    # The vector is the last token's (the EOS the tokenizer appends): a numpy forward pass
    # of the same weights agrees; the mean of the tokens would not.
    for text, vector in zip(TEXTS, vectors, strict=True):
        tokens = _tokens(path, text)
        assert tokens[-1] == int(read_gguf(path).metadata["tokenizer.ggml.eos_token_id"])
        assert float(vector @ reference_vector(tensors, tokens)) > 0.999, text
        assert float(vector @ reference_vector(tensors, tokens, pooling="mean")) < 0.99, text
        assert float(vector @ reference_vector(tensors, tokens[:-1])) < 0.99, text  # no EOS

    query = embedder.embed_query("a")
    assert query.dtype == np.float32 and query.shape == (N_EMBD,)
    assert abs(float(np.linalg.norm(query)) - 1.0) < 1e-5
    assert float(query @ vectors[0]) < 0.99  # the instruction in front of a query counts
    prefixed = embedder.embed_documents([embedder.traits.query + "a"])[0]
    np.testing.assert_allclose(query, prefixed, atol=1e-4)


def test_the_chat_engine_refuses_it(qwen3_model: tuple[Path, dict[str, np.ndarray]]) -> None:
    with pytest.raises(ModelLoadError, match="embedding model"):
        Engine(qwen3_model[0]).load()
