"""Prompt templates: shipped defaults, user overrides in SQLite, reset, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from gptdesk.core.writing.prompts import PROMPTS_DIR, PromptError, PromptTemplates


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "prompts"
    d.mkdir()
    (d / "greet.j2").write_text("{# Say hello #}\nHello {{ name }}!\n", encoding="utf-8")
    return d


def test_defaults_render_and_describe_themselves(folder: Path) -> None:
    prompts = PromptTemplates(None, folder)
    assert prompts.names() == ["greet"]
    template = prompts.get("greet")
    assert template.description == "Say hello" and not template.edited
    assert prompts.render("greet", name="Ana") == "Hello Ana!"


def test_an_override_is_kept_in_the_database_until_reset(folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "app.sqlite3"
    prompts = PromptTemplates(db, folder)
    prompts.set("greet", "Hi {{ name }}, welcome.")
    again = PromptTemplates(db, folder)  # another connection, as after a restart
    assert again.get("greet").edited
    assert again.render("greet", name="Li") == "Hi Li, welcome."
    again.reset("greet")
    assert prompts.render("greet", name="Li") == "Hello Li!"
    prompts.close()
    again.close()


def test_broken_edits_are_refused_or_explained(folder: Path, tmp_path: Path) -> None:
    prompts = PromptTemplates(tmp_path / "app.sqlite3", folder)
    with pytest.raises(PromptError, match="Line 1"):
        prompts.set("greet", "Hi {{ name ")
    prompts.set("greet", "Hi {{ nickname }}")
    with pytest.raises(PromptError, match=r"nickname.*Settings"):
        prompts.render("greet", name="Ana")
    with pytest.raises(PromptError, match="missing"):
        prompts.get("nope")
    prompts.close()


def test_templates_cannot_reach_python_internals(folder: Path, tmp_path: Path) -> None:
    prompts = PromptTemplates(tmp_path / "app.sqlite3", folder)
    prompts.set("greet", "{{ name.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(PromptError):
        prompts.render("greet", name="x")
    prompts.close()


def test_every_shipped_template_has_a_description() -> None:
    prompts = PromptTemplates(None, PROMPTS_DIR)
    for name in prompts.names():
        assert prompts.get(name).description != name, f"{name}.j2 needs a {{# comment #}} line"
