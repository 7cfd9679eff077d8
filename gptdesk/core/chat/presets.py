"""System prompt templates and sampling presets (resources/chat_presets.json), and turning a
conversation's stored parameters into checked SamplingParams."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from gptdesk.core.errors import GptdeskError
from gptdesk.core.i18n import translate
from gptdesk.core.inference.backend import SamplingParams
from gptdesk.core.resources import resource_path

PRESETS_FILE = resource_path("chat_presets.json")

# name: (lowest, highest) allowed; ints stay ints.
LIMITS: dict[str, tuple[float, float]] = {
    "temperature": (0.0, 5.0),
    "top_p": (0.0, 1.0),
    "top_k": (0, 1000),
    "min_p": (0.0, 1.0),
    "repeat_penalty": (0.5, 3.0),
    "max_tokens": (1, 32768),
    "seed": (0, 2**31 - 1),
}


@dataclass(frozen=True)
class SystemPromptTemplate:
    id: str
    name: str
    text: str


@dataclass(frozen=True)
class SamplingPreset:
    id: str
    name: str
    params: dict[str, float]


@dataclass(frozen=True)
class Presets:
    system_prompts: tuple[SystemPromptTemplate, ...]
    sampling: tuple[SamplingPreset, ...]
    default_sampling: str

    def sampling_preset(self, preset_id: str) -> SamplingPreset | None:
        return next((p for p in self.sampling if p.id == preset_id), None)

    def default_params(self) -> dict[str, Any]:
        """A new conversation's parameters: the default preset's values and its id."""
        preset = self.sampling_preset(self.default_sampling)
        values: dict[str, Any] = dict(preset.params) if preset else {}
        values["preset"] = self.default_sampling
        return values

    def matching_preset(self, params: dict[str, Any]) -> str | None:
        """The id of the preset whose values ``params`` has, else None ("Custom")."""
        for preset in self.sampling:
            if all(params.get(k) == v for k, v in preset.params.items()):
                return preset.id
        return None


def load_presets(path: Path = PRESETS_FILE) -> Presets:
    """The shipped templates and presets; raises GptdeskError if the file is damaged."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        prompts = tuple(
            SystemPromptTemplate(str(p["id"]), str(p["name"]), str(p["text"]))
            for p in data["system_prompts"]
        )
        sampling = tuple(
            SamplingPreset(str(p["id"]), str(p["name"]), dict(p["params"]))
            for p in data["sampling_presets"]
        )
        for preset in sampling:
            sampling_params(preset.params)
        return Presets(prompts, sampling, str(data["default_sampling"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise GptdeskError(
            translate(
                "presets", "The chat presets {path} are damaged ({error}); reinstall gptdesk."
            ).format(path=path, error=exc)
        ) from exc


def sampling_params(values: dict[str, Any], base: SamplingParams | None = None) -> SamplingParams:
    """SamplingParams from stored ``values`` (unknown keys such as "preset" ignored).

    Raises ValueError naming the setting when a value has the wrong type or is out of range.
    """
    known = set(LIMITS)  # what a conversation keeps; stop strings and grammars are the API's
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known:
            continue
        if key == "seed" and value is None:
            clean[key] = None
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(
                translate("presets", "{key} must be a number, not {value}").format(
                    key=key, value=repr(value)
                )
            )
        low, high = LIMITS[key]
        if not low <= value <= high:
            raise ValueError(
                translate("presets", "{key} must be between {low} and {high}, not {value}").format(
                    key=key, low=f"{low:g}", high=f"{high:g}", value=f"{value:g}"
                )
            )
        is_int = key in ("top_k", "max_tokens", "seed")
        if is_int and value != int(value):
            raise ValueError(
                translate("presets", "{key} must be a whole number, not {value}").format(
                    key=key, value=f"{value:g}"
                )
            )
        clean[key] = int(value) if is_int else float(value)
    merged = {**asdict(base or SamplingParams()), **clean}
    return SamplingParams(**merged)
