"""The writing tasks' prompt templates: defaults in resources/prompts, user edits in SQLite.

Each template is a Jinja2 text (``resources/prompts/<name>.j2``) whose first line is a comment
saying what it is for: ``{# Summary of one part of a long text #}``. A user can change a template
in Settings; the change is stored in the ``prompt_overrides`` table of the app's database and
"Reset to default" deletes it. Templates render in a sandbox with undefined names as errors, so
a broken edit is reported with its line instead of producing a silently wrong prompt.

The rendered text is the content of a chat message: the model's own chat template wraps it.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from gptdesk.core.errors import GptdeskError
from gptdesk.core.i18n import translate
from gptdesk.core.resources import resource_path
from gptdesk.core.storage.database import memory_database, open_database

PROMPTS_DIR = resource_path("prompts")
_DESCRIPTION = re.compile(r"^\{#\s*(.*?)\s*#\}\s*\n?")


def _has_overrides_table(db: sqlite3.Connection) -> bool:
    row = db.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='prompt_overrides'"
    ).fetchone()
    return bool(row[0])


class PromptError(GptdeskError):
    """A prompt template is missing or cannot be rendered; the message names it."""


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    description: str
    text: str
    edited: bool  # the user changed it (a "Reset to default" is possible)


class PromptTemplates:
    """The templates, with the user's overrides from ``database_file`` (None: defaults only)."""

    def __init__(self, database_file: Path | None = None, folder: Path = PROMPTS_DIR) -> None:
        self.folder = folder
        self._env = SandboxedEnvironment(
            undefined=jinja2.StrictUndefined, keep_trailing_newline=False, autoescape=False
        )
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        if database_file is not None:
            try:
                opened = open_database(database_file, check_same_thread=False)
                if not opened.read_only or opened.in_memory:
                    opened.db.execute(
                        "CREATE TABLE IF NOT EXISTS prompt_overrides "
                        "(name TEXT PRIMARY KEY, text TEXT NOT NULL)"
                    )
                elif not _has_overrides_table(opened.db):  # nothing stored, nowhere to store
                    opened.db.close()
                    opened.db = memory_database(database_file, False)
                    opened.db.execute(
                        "CREATE TABLE prompt_overrides (name TEXT PRIMARY KEY, text TEXT NOT NULL)"
                    )
                opened.seal()
                self._db = opened.db
            except sqlite3.DatabaseError as exc:
                raise PromptError(
                    translate(
                        "prompts", "The prompt templates in {path} cannot be opened ({error})."
                    ).format(path=database_file, error=exc)
                ) from exc

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.folder.glob("*.j2"))

    def default(self, name: str) -> str:
        path = self.folder / f"{name}.j2"
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError as exc:
            raise PromptError(
                translate(
                    "prompts",
                    "The prompt template {name} is missing from {folder}; reinstall gptdesk.",
                ).format(name=repr(name), folder=self.folder)
            ) from exc

    def _override(self, name: str) -> str | None:
        with self._lock:
            if self._db is None:
                return None
            row = self._db.execute(
                "SELECT text FROM prompt_overrides WHERE name=?", (name,)
            ).fetchone()
        return str(row[0]) if row else None

    def get(self, name: str) -> PromptTemplate:
        default = self.default(name)
        override = self._override(name)
        match = _DESCRIPTION.match(default)
        description = match.group(1) if match else name
        return PromptTemplate(name, description, override or default, override is not None)

    def set(self, name: str, text: str) -> None:
        """Save the user's version of ``name`` (checked: it must compile)."""
        self.default(name)  # an unknown name is an error, not a new template
        try:
            self._env.parse(text)
        except jinja2.TemplateSyntaxError as exc:
            raise PromptError(
                translate("prompts", "Line {line} of the template has an error: {error}").format(
                    line=exc.lineno, error=exc
                )
            ) from exc
        if self._db is None:
            raise PromptError(
                translate("prompts", "Prompt templates cannot be saved without a database.")
            )
        with self._lock:
            self._db.execute(
                "INSERT INTO prompt_overrides(name, text) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET text=excluded.text",
                (name, text),
            )

    def reset(self, name: str) -> None:
        """Back to the shipped default."""
        with self._lock:
            if self._db is not None:
                self._db.execute("DELETE FROM prompt_overrides WHERE name=?", (name,))

    def render(self, name: str, /, **values: Any) -> str:
        """The template filled with ``values``; the description comment is not part of it."""
        template = self.get(name)
        try:
            text = self._env.from_string(template.text).render(**values)
        except jinja2.UndefinedError as exc:
            message = (
                translate(
                    "prompts",
                    "The prompt template {name} uses a value it is not given: {error} (reset it "
                    "to the default in Settings).",
                )
                if template.edited
                else translate(
                    "prompts", "The prompt template {name} uses a value it is not given: {error}."
                )
            )
            raise PromptError(message.format(name=repr(name), error=exc.message)) from exc
        except jinja2.TemplateError as exc:
            message = (
                translate(
                    "prompts",
                    "The prompt template {name} failed: {error}. Reset it to the default in "
                    "Settings.",
                )
                if template.edited
                else translate("prompts", "The prompt template {name} failed: {error}.")
            )
            raise PromptError(message.format(name=repr(name), error=exc)) from exc
        return _DESCRIPTION.sub("", text, count=1).strip()
