"""Interface translations: extract the marked strings, fill in the JSON translations, build .ts/.qm.

    tools/translations.py                 write resources/translations/gptdesk_<lang>.ts and .qm
    tools/translations.py --check [FILE]  list untranslated strings, stale or broken JSON entries
                                          and UI strings not wrapped in tr(); exit 1 if any
    tools/translations.py --update-json FILE...
                                          add every string of FILE to its JSON ("" = to do),
                                          drop the ones no longer in FILE

Strings are marked in the code with ``self.tr("...")``, ``QCoreApplication.translate("Context",
"...")`` or ``QT_TRANSLATE_NOOP("Context", "...")`` and extracted by Qt's ``pyside6-lupdate``.
Translations live per source module in ``resources/translations/<lang>/<module>.json`` as
``{"<context>": {"<source text>": "<translation>"}}`` (module: the path under gptdesk/ with dots,
``ui.window.main_window``). See resources/translations/README.md.
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "gptdesk"
TRANSLATIONS = ROOT / "resources" / "translations"
SOURCE_LANGUAGE = "en"
COMMENT_SEP = "@@"  # JSON key of a string with a disambiguation: "<source>@@<comment>"
# Interface text that lives in data files: module name -> (file, context, how to list its texts).
# Shown with QCoreApplication.translate("catalog", entry.summary) and, for the names of the chat
# presets and system prompt templates (not their texts: prompts), translate("chat_presets", name).
DATA_SOURCES: dict[str, tuple[str, str, Callable[[Any], list[str]]]] = {
    "catalog": ("resources/catalog.json", "catalog", lambda d: [m["summary"] for m in d["models"]]),
    "chat_presets": (
        "resources/chat_presets.json",
        "chat_presets",
        lambda d: [p["name"] for p in (*d["system_prompts"], *d["sampling_presets"])],
    ),
}

# --check also looks for literal text handed to these calls without tr(): a heuristic that
# catches most forgotten strings (the rest show up in English in the translated window).
TEXT_METHODS = {
    "setText", "setToolTip", "setStatusTip", "setWhatsThis", "setAccessibleName",
    "setAccessibleDescription", "setPlaceholderText", "setWindowTitle", "setTitle",
    "setLabelText", "setFormat", "setPrefix", "setSuffix", "setSpecialValueText", "setTabText",
    "setTabToolTip", "setItemText", "setHeaderLabels", "setHorizontalHeaderLabels",
    "setButtonText", "setInformativeText", "setNameFilter", "setNameFilters", "addAction",
    "addMenu", "addItem", "addItems", "insertItem", "addTab", "insertTab", "addRow",
    "addButton", "showMessage", "show_error", "show_info", "information", "warning",
    "critical", "question", "about", "getSaveFileName", "getOpenFileName", "getOpenFileNames",
    "getExistingDirectory", "getText", "getItem", "setHtml", "setMarkdown",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QMenu",
    "QToolButton", "QMessageBox", "QCommandLinkButton", "QDockWidget", "QListWidgetItem",
}  # fmt: skip
DATA_LIKE = re.compile(r"[a-z0-9_.\-]*")  # "md", "json", "chat": values, not text
NOT_TEXT = {"gptdesk"}
LOGGERS = {"log", "logger", "logging", "_log", "LOG"}  # log.warning(...) is not for the user
IGNORE_MARK = "i18n: ignore"  # a comment on the line: this literal is not interface text


@dataclass
class Message:
    """One marked string as lupdate found it."""

    context: str
    source: str
    comment: str
    numerus: bool
    locations: list[tuple[str, int]] = field(default_factory=list)  # (path under ROOT, line)

    @property
    def key(self) -> str:
        return f"{self.source}{COMMENT_SEP}{self.comment}" if self.comment else self.source

    @property
    def modules(self) -> set[str]:
        return {module_of(path) for path, _ in self.locations}


@dataclass
class Issue:
    """Something ``--check`` reports."""

    path: str
    line: int
    context: str
    text: str
    what: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: [{self.context}] {self.text!r}: {self.what}"


def module_of(path: str) -> str:
    """``gptdesk/ui/window/main_window.py`` -> ``ui.window.main_window``; a data file: its
    DATA_SOURCES name."""
    for module, (file, _, _) in DATA_SOURCES.items():
        if path == file:
            return module
    return ".".join(Path(path).relative_to("gptdesk").with_suffix("").parts)


def path_of(module: str) -> str:
    if module in DATA_SOURCES:
        return DATA_SOURCES[module][0]
    return str(Path("gptdesk", *module.split(".")).with_suffix(".py"))


def qt_tool(name: str) -> str:
    """The path of ``pyside6-<name>`` (next to this Python, else on PATH)."""
    for candidate in (
        Path(sys.executable).parent / f"pyside6-{name}",
        shutil.which(f"pyside6-{name}"),
    ):
        if candidate and Path(candidate).exists():
            return str(candidate)
    sys.exit(f"pyside6-{name} not found: install PySide6 (make install) and run with its Python.")


def languages() -> list[str]:
    return sorted(p.name for p in TRANSLATIONS.iterdir() if p.is_dir())


def source_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


# ---------------------------------------------------------------------- extraction


def extract() -> list[Message]:
    """Every marked string in gptdesk/, in lupdate's order."""
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp).resolve() / "extracted.ts"
        files = [str(p.relative_to(ROOT)) for p in source_files()]
        done = subprocess.run(
            [qt_tool("lupdate"), "-silent", "-locations", "absolute", "-no-obsolete",
             "-source-language", SOURCE_LANGUAGE, *files, "-ts", str(ts)],
            cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            sys.exit(f"lupdate failed:\n{done.stdout}{done.stderr}")
        tree = ET.parse(ts)
    messages = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name", "")
        for msg in context.iter("message"):
            locations = []
            for loc in msg.iter("location"):
                path = (ts.parent / loc.get("filename", "")).resolve()
                try:
                    rel = str(path.relative_to(ROOT))
                except ValueError:
                    rel = str(Path(loc.get("filename", "")))
                locations.append((rel, int(loc.get("line", "0"))))
            messages.append(
                Message(
                    context=name,
                    source=msg.findtext("source", ""),
                    comment=msg.findtext("comment", ""),
                    numerus=msg.get("numerus") == "yes",
                    locations=locations,
                )
            )
    for file, data_context, texts in DATA_SOURCES.values():
        data = json.loads((ROOT / file).read_text(encoding="utf-8"))
        for text in dict.fromkeys(texts(data)):
            messages.append(Message(data_context, text, "", False, [(file, 0)]))
    return messages


# ---------------------------------------------------------------------- the JSON files

Translation = str | list[str]
ModuleTable = dict[str, dict[str, Translation]]  # context -> key -> translation


def json_path(language: str, module: str) -> Path:
    return TRANSLATIONS / language / f"{module}.json"


def load_tables(language: str) -> dict[str, ModuleTable]:
    tables = {}
    for path in sorted((TRANSLATIONS / language).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            sys.exit(f"{path}: expected {{context: {{source: translation}}}}")
        tables[path.stem] = data
    return tables


def write_table(language: str, module: str, table: ModuleTable) -> None:
    path = json_path(language, module)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(table, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def translation_of(message: Message, tables: dict[str, ModuleTable]) -> Translation:
    """The message's translation from the JSON of a module it is in ("" when there is none)."""
    for module in sorted(message.modules):
        found = tables.get(module, {}).get(message.context, {}).get(message.key)
        if found:
            return found
    return ""


# ---------------------------------------------------------------------- checks

PLACEHOLDER = re.compile(r"\{[^{}]*\}|%[0-9nvmp]")  # str.format fields; Qt's %1 %n %v %m %p


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def has_mnemonic(text: str) -> bool:
    return bool(re.search(r"&(?!&)\S", text.replace("&&", "")))


def translation_problem(message: Message, translation: Translation) -> str | None:
    """What is wrong with a (non-empty) translation, if anything."""
    forms = translation if isinstance(translation, list) else [translation]
    if not all(isinstance(f, str) and f for f in forms):
        return "a translation is a non-empty string (or a list of them for %n forms)"
    if isinstance(translation, list) and not message.numerus:
        return "a list is only for strings with %n forms; give one string"
    wanted = placeholders(message.source)
    offered = set(wanted) | set(placeholders(message.comment))  # "or {other}" in the comment
    for form in forms:
        have = placeholders(form)
        if have != wanted and not (message.comment and have and set(have) <= offered):
            return f"the translation {form!r} must keep the placeholders {wanted} (has {have})"
        if has_mnemonic(message.source) and not has_mnemonic(form):
            return f"the translation {form!r} needs a keyboard mnemonic, e.g. 文件(&F)"
    return None


def check_language(
    language: str,
    messages: list[Message],
    only: set[str] | None = None,
    tables: dict[str, ModuleTable] | None = None,
) -> list[Issue]:
    """Untranslated messages, broken translations and stale JSON entries (of the modules in
    ``only``, if given; ``tables``: the JSON files' contents, read when not given)."""
    tables = load_tables(language) if tables is None else tables
    issues: list[Issue] = []

    def wanted(modules: Iterable[str]) -> bool:
        return only is None or bool(set(modules) & only)

    for message in messages:
        if not wanted(message.modules):
            continue
        path, line = message.locations[0] if message.locations else ("?", 0)
        found = {
            json.dumps(t, ensure_ascii=False)
            for m in message.modules
            if (t := tables.get(m, {}).get(message.context, {}).get(message.key))
        }
        translation = translation_of(message, tables)
        if not translation:
            issues.append(
                Issue(path, line, message.context, message.key, f"no {language} translation")
            )
        elif len(found) > 1:
            issues.append(
                Issue(path, line, message.context, message.key, f"different translations: {found}")
            )
        elif problem := translation_problem(message, translation):
            issues.append(Issue(path, line, message.context, message.key, problem))
    present = {(m, msg.context, msg.key) for msg in messages for m in msg.modules}
    for module, table in tables.items():
        if not wanted([module]):
            continue
        if not (ROOT / path_of(module)).exists():
            where = str(json_path(language, module).relative_to(ROOT))
            issues.append(Issue(where, 0, "", "", f"no source file {path_of(module)} for it"))
            continue
        for context, entries in table.items():
            for key in entries:
                if (module, context, key) not in present:
                    issues.append(
                        Issue(
                            str(json_path(language, module).relative_to(ROOT)), 0, context, key,
                            f"not in {path_of(module)} (any more): remove it or fix its text",
                        )
                    )  # fmt: skip
    return issues


def unwrapped_strings(path: Path) -> list[Issue]:
    """Literal text passed to Qt text calls without tr() (heuristic; see TEXT_METHODS)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    rel = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)
    issues = []

    def literal_text(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if DATA_LIKE.fullmatch(text) or text in NOT_TEXT or not re.search("[A-Za-z]", text):
                return None
            return text
        if isinstance(node, ast.JoinedStr):
            parts = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
            return ast.unparse(node) if re.search("[A-Za-z]{2}", parts) else None
        if isinstance(node, ast.BinOp):
            return literal_text(node.left) or literal_text(node.right)
        if isinstance(node, ast.IfExp):
            return literal_text(node.body) or literal_text(node.orelse)
        return None

    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in TEXT_METHODS or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in LOGGERS
        ):
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            text = literal_text(arg)
            if text is None:
                continue
            last = arg.end_lineno or arg.lineno
            if any(IGNORE_MARK in lines[n - 1] for n in range(arg.lineno, last + 1)):
                continue
            issues.append(Issue(rel, arg.lineno, name, text, "interface text not wrapped in tr()"))
    return issues


# ---------------------------------------------------------------------- writing .ts and .qm


def ts_text(language: str, messages: list[Message], tables: dict[str, ModuleTable]) -> str:
    """The Qt Linguist file: every message with its translation, locations without line
    numbers (so the file changes only when a text does)."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<!DOCTYPE TS>",
        f'<TS version="2.1" language="{language}" sourcelanguage="{SOURCE_LANGUAGE}">',
    ]
    contexts: dict[str, list[Message]] = {}
    for message in messages:
        contexts.setdefault(message.context, []).append(message)
    for context in sorted(contexts):
        out += ["<context>", f"    <name>{escape(context)}</name>"]
        for message in contexts[context]:
            out.append('    <message numerus="yes">' if message.numerus else "    <message>")
            for path in sorted({p for p, _ in message.locations}):
                rel = Path("../..", path).as_posix()
                out.append(f"        <location filename={quoteattr(rel)}/>")
            out.append(f"        <source>{escape(message.source)}</source>")
            if message.comment:
                out.append(f"        <comment>{escape(message.comment)}</comment>")
            translation = translation_of(message, tables)
            if translation and translation_problem(message, translation):
                translation = ""  # broken: English rather than a crash in str.format
            state = "" if translation else ' type="unfinished"'
            if message.numerus:
                forms = translation if isinstance(translation, list) else [translation]
                out.append(f"        <translation{state}>")
                out += [f"            <numerusform>{escape(f)}</numerusform>" for f in forms]
                out.append("        </translation>")
            else:
                out.append(f"        <translation{state}>{escape(str(translation))}</translation>")
            out.append("    </message>")
        out.append("</context>")
    out.append("</TS>")
    return "\n".join(out) + "\n"


def build(language: str, messages: list[Message], out_dir: Path = TRANSLATIONS) -> Path:
    """Write ``gptdesk_<language>.ts`` and compile it to ``.qm`` in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ts = out_dir / f"gptdesk_{language}.ts"
    qm = ts.with_suffix(".qm")
    text = ts_text(language, messages, load_tables(language))
    if not ts.exists() or ts.read_text(encoding="utf-8") != text:
        ts.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [qt_tool("lrelease"), "-silent", str(ts), "-qm", str(qm)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"lrelease failed:\n{done.stdout}{done.stderr}")
    return qm


def update_json(language: str, messages: list[Message], files: list[str]) -> None:
    tables = load_tables(language)
    for file in files:
        module = module_of(str(Path(file).resolve().relative_to(ROOT)))
        old = tables.get(module, {})
        new: ModuleTable = {}
        for message in messages:
            if module in message.modules:
                keep = old.get(message.context, {}).get(message.key, "")
                new.setdefault(message.context, {})[message.key] = keep
        for context, entries in old.items():
            for key, value in entries.items():
                if key not in new.get(context, {}):
                    print(f"{module}: dropped [{context}] {key!r} = {value!r}")
        todo = sum(1 for entries in new.values() for v in entries.values() if not v)
        write_table(language, module, new)
        print(f"{json_path(language, module).relative_to(ROOT)}: {todo} to translate")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--check", action="store_true", help="report problems, write nothing")
    action.add_argument("--update-json", action="store_true", help="add FILE's strings to its JSON")
    parser.add_argument("--language", action="append", help="only this language (repeatable)")
    parser.add_argument("files", nargs="*", help="source files (default: all of gptdesk/)")
    args = parser.parse_args(argv)
    langs = args.language or languages()
    messages = extract()
    if args.update_json:
        if not args.files:
            parser.error("--update-json needs the source files whose strings to add")
        for language in langs:
            update_json(language, messages, args.files)
        return 0
    if args.check:
        only = (
            {module_of(str(Path(f).resolve().relative_to(ROOT))) for f in args.files}
            if args.files
            else None
        )
        issues: list[Issue] = []
        for language in langs:
            issues += check_language(language, messages, only)
        checked = (
            [ROOT / path_of(m) for m in only]
            if only is not None
            else [ROOT / path_of(m) for lang in langs for m in load_tables(lang)]
        )
        for path in sorted(set(checked)):
            if path.exists() and path.suffix == ".py":
                issues += unwrapped_strings(path)
        for issue in issues:
            print(issue)
        print(f"{len(messages)} strings, {len(issues)} problems", file=sys.stderr)
        return 1 if issues else 0
    for language in langs:
        qm = build(language, messages)
        print(f"{qm.relative_to(ROOT)}: {len(messages)} strings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
