"""The recommended-models catalog: complete entries, safe names, no invented sizes or hashes."""

from __future__ import annotations

import json

import pytest

from gptdesk.core.errors import GptdeskError
from gptdesk.core.models.catalog import CATALOG_FILE, load_catalog, recommend
from gptdesk.core.models.downloads import safe_relative_path
from gptdesk.core.models.hub import QUANT_ORDER


def test_catalog_spans_tiny_to_8b_with_chinese_models() -> None:
    entries = load_catalog()
    assert len(entries) >= 10
    assert entries[0].params_b < 1 and entries[-1].params_b >= 7.5
    assert sum("chinese" in e.tags for e in entries) >= 2
    assert len({e.repo for e in entries}) == len(entries)


def test_every_entry_is_complete_and_safe_to_download() -> None:
    for e in load_catalog():
        assert e.name and e.license and e.context >= 4096 and e.tags and e.summary
        assert e.quants and all(q in QUANT_ORDER for q in e.quants), e.quants
        safe_relative_path(e.repo, "model.gguf")  # raises for names that could escape


def test_catalog_never_states_sizes_or_hashes() -> None:
    text = CATALOG_FILE.read_text(encoding="utf-8").lower()
    for key in ('"size"', '"sha256"', '"sha"', '"bytes"', '"etag"'):
        assert key not in text
    assert all(set(m) <= {"id", "name", "repo", "params_b", "context", "license", "quants",
                          "tags", "summary"} for m in json.loads(text)["models"])


def test_recommendation_grows_with_free_memory() -> None:
    entries = load_catalog()
    small, big = recommend(entries, 2 * 2**30), recommend(entries, 16 * 2**30)
    assert small is not None and big is not None
    assert small.params_b < big.params_b
    assert recommend(entries, 100 * 2**20) is None


def test_a_damaged_catalog_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "catalog.json"
    bad.write_text('{"models": [{"id": 1}]}', encoding="utf-8")
    with pytest.raises(GptdeskError, match="damaged"):
        load_catalog(bad)
