"""Chat presets: the shipped file loads, presets are valid, stored values are checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gptdesk.core.chat.presets import load_presets, sampling_params
from gptdesk.core.errors import GptdeskError
from gptdesk.core.inference.engine import SamplingParams


def test_shipped_presets_load_and_cover_precise_balanced_creative() -> None:
    presets = load_presets()
    assert [p.name for p in presets.sampling] == ["Precise", "Balanced", "Creative"]
    temps = [sampling_params(p.params).temperature for p in presets.sampling]
    assert temps == sorted(temps) and len(set(temps)) == 3
    assert presets.system_prompts[0].text == ""  # "None" comes first
    assert all(t.text for t in presets.system_prompts[1:])
    assert presets.matching_preset(presets.default_params()) == presets.default_sampling


def test_values_override_the_base_and_unknown_keys_are_ignored() -> None:
    params = sampling_params({"temperature": 0, "top_k": 10, "preset": "x", "seed": None})
    assert params == SamplingParams(temperature=0.0, top_k=10, seed=None)
    assert isinstance(params.top_k, int) and isinstance(params.temperature, float)


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"temperature": -1}, "temperature"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"min_p": "high"}, "min_p"),
        ({"repeat_penalty": True}, "repeat_penalty"),
        ({"seed": 1.5}, "seed"),
    ],
)
def test_bad_values_name_the_setting(values: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        sampling_params(values)


def test_a_damaged_presets_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "presets.json"
    bad.write_text(json.dumps({"system_prompts": [], "sampling_presets": [
        {"id": "x", "name": "X", "params": {"top_p": 9}}], "default_sampling": "x"}))
    with pytest.raises(GptdeskError, match="damaged"):
        load_presets(bad)
