"""Where gptdesk's read-only resources (catalog, presets, prompts, icons) are on this install.

Three layouts are known, tried in this order (the first holding ``catalog.json`` wins):

- a frozen PyInstaller build: ``resources/`` inside the bundle (``sys._MEIPASS``);
- the source tree (also an editable install): ``resources/`` next to the ``gptdesk`` package;
- an installed wheel: the wheel's data files, ``<prefix>/share/gptdesk/resources`` (the
  environment's prefix, or the user base for ``pip install --user``).
"""

from __future__ import annotations

import site
import sys
from pathlib import Path

MARKER = "catalog.json"  # a file every complete resources folder has
SHARE = Path("share", "gptdesk", "resources")  # where the wheel's data files land under a prefix
_SOURCE_TREE = Path(__file__).resolve().parents[2] / "resources"


def resource_roots() -> list[Path]:
    """The folders that may hold the resources, most specific first."""
    roots = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        roots.append(Path(bundle) / "resources")
    roots.append(_SOURCE_TREE)
    roots.append(Path(sys.prefix) / SHARE)
    if getattr(site, "ENABLE_USER_SITE", False):
        roots.append(Path(site.getuserbase()) / SHARE)
    return roots


def resources_dir() -> Path:
    """The resources folder of this install (the source tree's when none is found, so that an
    error message names a sensible path)."""
    for root in resource_roots():
        if (root / MARKER).is_file():
            return root
    return _SOURCE_TREE


def resource_path(*parts: str) -> Path:
    """A file or folder among the resources, e.g. ``resource_path("prompts", "x.j2")``."""
    return resources_dir().joinpath(*parts)
