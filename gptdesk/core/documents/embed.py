"""Embeddings for document search: an embedding model (a GGUF file) on an engine host of its
own, and the passes that give every passage of a collection its vector.

The embedder runs in its own engine host process (``EngineHost`` loaded with
``LoadOptions(embedding=True)``), never in the window's process and never beside the chat
model in one: indexing can run while the chat model answers, and a crash of either leaves the
other. Vectors are stored per passage with the id of the model that made them
(``Embedder.model_id``); another embedder, or another file of it, means new vectors.

Some models want the query and the passages told apart by a prefix (an instruction for
Qwen3-Embedding, ``search_query:`` for nomic's): ``traits_for`` knows the common ones.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from gptdesk.core.errors import GptdeskError
from gptdesk.core.i18n import translate
from gptdesk.core.inference.backend import LoadOptions
from gptdesk.core.inference.gguf_file import GGUFInfo, read_gguf

if TYPE_CHECKING:
    from gptdesk.core.documents.index import DocumentIndex
    from gptdesk.core.inference.host import EngineHost

log = logging.getLogger(__name__)

EMBED_CTX = 2048  # tokens per passage at most (the scanner's passages are far shorter)
BATCH = 32  # passages embedded and stored together (a Stop takes effect between batches)
MIN_SIMILARITY = 0.5  # below this cosine a passage is not a match by meaning (see Traits)
MIN_MARGIN = 0.05  # ... nor when it is less than this above the collection's median cosine


class Embedder(Protocol):
    """Something that turns texts into unit-length vectors."""

    @property
    def model_id(self) -> str:
        """Names the model (and file) the vectors come from: vectors of two ids never mix."""
        ...

    def embed_documents(
        self, texts: Sequence[str], cancel: threading.Event | None = None
    ) -> np.ndarray:
        """float32 array (len(texts), dim), rows of unit length."""
        ...

    def embed_query(self, text: str) -> np.ndarray:
        """float32 vector (dim,) of unit length for a search."""
        ...

    @property
    def traits(self) -> Traits:
        """Its prefixes and when a passage matches a query by meaning."""
        ...


@dataclass(frozen=True)
class Traits:
    """What a model expects in front of a query and of a passage, and when a passage is a
    match by meaning for a question none of whose words is found: a cosine of at least
    ``min_similarity`` and ``min_margin`` above the median of the collection. Models differ:
    multilingual-e5-small scores unrelated texts 0.7 to 0.8 and any two Chinese texts 0.81 to
    0.83, whatever they are about; a passage that answers a question scores 0.85 and more (in
    its own language: across languages it rarely reaches that)."""

    query: str = ""
    document: str = ""
    min_similarity: float = MIN_SIMILARITY
    min_margin: float = MIN_MARGIN


_QWEN3_TASK = "Given a question, retrieve passages that answer the question"


def traits_for(info: GGUFInfo) -> Traits:
    """The prefixes (from the model cards) and match threshold of a known model family."""
    name = f"{info.name} {info.path.name}".lower()
    if info.architecture.startswith("qwen3") or "qwen3-embedding" in name:
        return Traits(query=f"Instruct: {_QWEN3_TASK}\nQuery:")
    if info.architecture.startswith("nomic-bert"):
        return Traits(query="search_query: ", document="search_document: ")
    if "e5" in name.replace("-", " ").split() or "multilingual-e5" in name:
        return Traits(query="query: ", document="passage: ", min_similarity=0.84)
    if info.architecture == "gemma-embedding":
        return Traits(query="task: search result | query: ", document="title: none | text: ")
    return Traits()


def model_id_for(path: Path) -> str:
    """``file name:size``: another download of the same file keeps its vectors, another
    quantization (another size) does not."""
    return f"{path.name}:{path.stat().st_size}"


def as_matrix(vectors: Sequence[bytes]) -> np.ndarray:
    if not vectors:
        return np.zeros((0, 0), dtype=np.float32)
    return np.vstack([np.frombuffer(v, dtype=np.float32) for v in vectors])


class HostEmbedder:
    """An embedding model in its own engine host process. Load it (``load``) off the GUI
    thread; ``close`` ends the process."""

    def __init__(self, path: str | Path, *, n_threads: int | None = None) -> None:
        self.path = Path(path)
        self.info = read_gguf(self.path)
        if not self.info.is_embedder:
            raise GptdeskError(
                translate(
                    "embed",
                    "{name} is not an embedding model (it writes text). Choose an embedding "
                    "model, such as Qwen3 Embedding from the catalog.",
                ).format(name=self.path.name)
            )
        self.traits = traits_for(self.info)
        self._model_id = model_id_for(self.path)
        self._options = LoadOptions(
            n_ctx=EMBED_CTX, n_threads=n_threads, warmup=False, embedding=True
        )
        self._host: EngineHost | None = None
        self._lock = threading.Lock()

    @property
    def model_id(self) -> str:
        return self._model_id

    @property
    def started(self) -> bool:
        """Its engine host runs with the model loaded."""
        host = self._host
        return host is not None and host.loaded

    def load(self, cancel: threading.Event | None = None) -> None:
        from gptdesk.core.inference.host import EngineHost

        with self._lock:
            if self._host is not None and self._host.loaded:
                return
            host = EngineHost(self.path, self._options)
            host.load(cancel=cancel)
            self._host = host

    def _embed(self, texts: Sequence[str], cancel: threading.Event | None) -> np.ndarray:
        self.load(cancel)
        assert self._host is not None
        return as_matrix(self._host.embed(texts, cancel))

    def embed_documents(
        self, texts: Sequence[str], cancel: threading.Event | None = None
    ) -> np.ndarray:
        return self._embed([self.traits.document + t for t in texts], cancel)

    def embed_query(self, text: str) -> np.ndarray:
        vector: np.ndarray = self._embed([self.traits.query + text], None)[0]
        return vector

    def close(self) -> None:
        with self._lock:
            if self._host is not None:
                self._host.close()
                self._host = None

    def terminate(self) -> None:
        """From any thread: end the process now (quitting)."""
        host = self._host
        if host is not None:
            host.terminate()


@dataclass(frozen=True)
class EmbedProgress:
    """Passages of the collection with a vector of this model, of all its passages."""

    done: int
    total: int
    rate: float  # passages per second in this pass
    eta_s: float | None


def embed_collection(
    index: DocumentIndex,
    embedder: Embedder,
    collection: str | None = None,
    cancel: threading.Event | None = None,
    on_progress: Callable[[EmbedProgress], None] | None = None,
) -> int:
    """Give every passage of ``collection`` (or of all) that has none a vector of
    ``embedder``, a batch at a time; returns how many were made. Stopping keeps the batches
    already stored; the next pass goes on from there. Blocking: not on the GUI thread."""
    done, total = index.embedding_counts(embedder.model_id, collection)
    made = 0
    start = time.perf_counter()
    report = on_progress or (lambda _p: None)
    report(EmbedProgress(done, total, 0.0, None))
    while not (cancel is not None and cancel.is_set()):
        pending = index.pending_embeddings(embedder.model_id, collection, BATCH)
        if not pending:
            break
        vectors = embedder.embed_documents([text for _id, text in pending], cancel)
        if cancel is not None and cancel.is_set():
            break
        index.store_vectors(
            embedder.model_id, [(chunk_id, vectors[i]) for i, (chunk_id, _t) in enumerate(pending)]
        )
        made += len(pending)
        done = min(total, done + len(pending))
        elapsed = time.perf_counter() - start
        rate = made / elapsed if elapsed > 0 else 0.0
        eta = (total - done) / rate if rate > 0 else None
        report(EmbedProgress(done, total, rate, eta))
    return made
