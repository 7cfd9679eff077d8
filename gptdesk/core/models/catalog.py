"""The catalog of recommended models (resources/catalog.json) and picking one for this machine."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from gptdesk.core.errors import GptdeskError
from gptdesk.core.i18n import translate
from gptdesk.core.resources import resource_path

CATALOG_FILE = resource_path("catalog.json")
# Bytes per parameter of a file in each quant, for a size *estimate* before the Hub is asked
# (llama.cpp's bits per weight, rounded up: Q4_K_M 4.85, Q5_K_M 5.7, Q6_K 6.6, Q8_0 8.5).
BYTES_PER_PARAM = {"Q4_K_M": 0.61, "Q5_K_M": 0.72, "Q6_K": 0.83, "Q8_0": 1.07}


@dataclass(frozen=True)
class CatalogEntry:
    """A recommended model: where it is and what it is; sizes come from the Hub."""

    id: str
    name: str
    repo: str
    params_b: float
    context: int
    license: str
    quants: tuple[str, ...]
    tags: tuple[str, ...]
    summary: str

    @property
    def is_embedder(self) -> bool:
        """An embedding model (Documents' search by meaning), not one to chat with."""
        return "embedding" in self.tags

    def estimated_size(self, quant: str | None = None) -> int:
        """About how big the file of ``quant`` (default: the first listed) is, in bytes."""
        q = quant or self.quants[0]
        return int(self.params_b * 1e9 * BYTES_PER_PARAM.get(q, 0.61))


def load_catalog(path: Path = CATALOG_FILE) -> list[CatalogEntry]:
    """The catalog, smallest model first; raises GptdeskError if the file is damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = [
            CatalogEntry(
                id=str(m["id"]),
                name=str(m["name"]),
                repo=str(m["repo"]),
                params_b=float(m["params_b"]),
                context=int(m["context"]),
                license=str(m["license"]),
                quants=tuple(m["quants"]),
                tags=tuple(m["tags"]),
                summary=str(m.get("summary", "")),
            )
            for m in data["models"]
        ]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GptdeskError(
            translate(
                "catalog", "The model catalog {path} is damaged ({error}); reinstall gptdesk."
            ).format(path=path, error=exc)
        ) from exc
    return sorted(entries, key=lambda e: e.params_b)


def recommend(
    entries: list[CatalogEntry], ram_free: int, share: float = 0.6
) -> CatalogEntry | None:
    """The largest catalog model whose default quant (plus room to work) fits in ``share`` of
    the free memory: a model that leaves the rest of the computer usable."""
    fitting = [
        e
        for e in entries
        if not e.is_embedder and e.estimated_size() * 1.25 <= ram_free * share
    ]
    return max(fitting, key=lambda e: e.params_b) if fitting else None
