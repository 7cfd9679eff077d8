"""Resources are found in the source tree, a frozen bundle and a wheel's data files; the wheel
declares every resource file; the app icon exists in every size."""

from __future__ import annotations

import fnmatch
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gptdesk.core import resources
from gptdesk.core.chat.presets import load_presets
from gptdesk.core.models.catalog import load_catalog
from gptdesk.core.resources import resource_path, resources_dir
from gptdesk.core.writing.prompts import PromptTemplates

REPO = Path(__file__).resolve().parent.parent
ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)


def _fake_resources(root: Path) -> Path:
    """A minimal resources folder (the marker file only) below ``root``."""
    root.mkdir(parents=True)
    (root / resources.MARKER).write_text('{"models": []}', encoding="utf-8")
    return root


def test_source_tree_resources_are_found() -> None:
    assert resources_dir() == REPO / "resources"
    assert resource_path("catalog.json") == REPO / "resources" / "catalog.json"
    assert resource_path("prompts").is_dir()


def test_the_modules_read_their_files_through_resource_path() -> None:
    assert load_catalog(resource_path("catalog.json"))
    assert load_presets(resource_path("chat_presets.json")).sampling
    templates = PromptTemplates(folder=resource_path("prompts"))
    assert templates.names()


def test_a_frozen_bundle_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = _fake_resources(tmp_path / "_internal" / "resources")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert resources_dir() == bundled
    assert resource_path("prompts", "summary_text.j2") == bundled / "prompts" / "summary_text.j2"
    assert load_catalog(resource_path("catalog.json")) == []


def test_an_incomplete_bundle_falls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "resources").mkdir()  # no catalog.json in it
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == REPO / "resources"


def test_an_installed_wheel_uses_its_data_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # site-packages/gptdesk/core/resources.py: two levels up is lib/python3.X, with no resources
    monkeypatch.setattr(resources, "_SOURCE_TREE", tmp_path / "lib" / "resources")
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    shared = _fake_resources(tmp_path / "share" / "gptdesk" / "resources")
    assert resource_path("catalog.json") == shared / "catalog.json"


def test_nothing_found_names_the_source_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(resources, "_SOURCE_TREE", tmp_path / "missing")
    monkeypatch.setattr(sys, "prefix", str(tmp_path))
    monkeypatch.setattr(resources.site, "ENABLE_USER_SITE", False)
    assert resource_path("catalog.json") == tmp_path / "missing" / "catalog.json"


def _source_only(path: Path) -> bool:
    """Files the app does not read at run time: notes, and translation sources (the app
    loads the compiled .qm files only)."""
    in_translations = (REPO / "resources" / "translations") in path.parents
    return path.suffix == ".md" or (in_translations and path.suffix != ".qm")


def test_the_wheel_declares_every_resource_file() -> None:
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    declared = config["tool"]["setuptools"]["data-files"]
    patterns = [pattern for globs in declared.values() for pattern in globs]
    for target, globs in declared.items():
        for pattern in globs:  # each lands where resource_path looks for it
            assert target == str(Path("share/gptdesk") / Path(pattern).parent), pattern
    files = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "resources").rglob("*")
        if path.is_file() and not _source_only(path)
    ]
    missing = [f for f in files if not any(fnmatch.fnmatchcase(f, p) for p in patterns)]
    assert not missing, f"add these to [tool.setuptools.data-files]: {missing}"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.parametrize("size", ICON_SIZES)
def test_the_icon_exists_in_every_size_and_is_square(size: int) -> None:
    assert _png_size(resource_path("icons", f"gptdesk-{size}.png")) == (size, size)


def test_the_scalable_icon_is_a_square_svg() -> None:
    root = ET.parse(resource_path("icons", "gptdesk.svg")).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    x, y, width, height = (float(v) for v in root.attrib["viewBox"].split())
    assert (x, y) == (0, 0)
    assert width == height
