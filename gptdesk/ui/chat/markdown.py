"""Markdown to the HTML subset Qt's rich text understands: no raw HTML, no images, safe links only.

``render_markdown`` turns a chat message into HTML for a ``QTextDocument``. Raw HTML in the
source is shown literally (never interpreted), images become a "[image: alt]" link (nothing is
ever fetched), links other than http(s)/mailto become plain text (so a reply cannot smuggle in
an app-internal link), and code blocks get a language label, a Copy link and, when Pygments
knows the language, colours (an empty block, such as a stray closing fence, is left out).
The module needs no widgets: colours and fonts come in a ``Theme``; its two visible words
("Copy", "[image: …]") are translated with QtCore's ``QCoreApplication.translate``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QFontDatabase, QPalette

SAFE_LINK_SCHEMES = ("http:", "https:", "mailto:")


@dataclass(frozen=True)
class Theme:
    """Colours (``#rrggbb``) and the monospace family the HTML is written with."""

    text: str = "#202020"
    muted: str = "#707070"
    link: str = "#1a5fb4"
    code_background: str = "#f2f2f2"
    code_border: str = "#dcdcdc"
    mono_family: str = "monospace"
    dark: bool = False


@dataclass(frozen=True)
class RenderedMarkdown:
    """The HTML and the original text of each code block, in order (what its Copy link copies)."""

    html: str
    code_blocks: tuple[str, ...]


def is_safe_link(url: str) -> bool:
    """Whether ``url`` may be offered to the system browser (http, https or mailto)."""
    return url.strip().lower().startswith(SAFE_LINK_SCHEMES)


def render_plain(text: str) -> str:
    """HTML for text shown as typed: escaped, line breaks and spaces kept."""
    return f'<p style="white-space:pre-wrap">{html.escape(text, quote=False)}</p>'


Words = tuple[str, str, str]
"""A code block's Copy link, an image's text with ``{alt}`` (its description), and without."""


def markdown_words() -> Words:
    """The rendered HTML's own words (see ``Words``) in the interface language."""
    return (
        QCoreApplication.translate("markdown", "Copy"),
        QCoreApplication.translate("markdown", "[image: {alt}]"),
        QCoreApplication.translate("markdown", "[image]"),
    )


def render_markdown(
    source: str,
    theme: Theme,
    code_href: Callable[[int], str] = lambda i: f"#code-{i}",
    words: Words | None = None,
) -> RenderedMarkdown:
    """Render ``source`` (CommonMark + tables + strikethrough); line breaks inside a paragraph
    are kept. ``code_href(i)`` is the link target of the Copy link of the i-th code block;
    ``words``: ``markdown_words()`` (taken now when not given)."""
    copy, image, bare_image = words if words is not None else markdown_words()
    env: dict[str, Any] = {
        "theme": theme,
        "code_href": code_href,
        "codes": [],
        "links": [],
        "copy": copy,
        "image": image,
        "bare_image": bare_image,
    }
    body = _parser().render(source, env)
    return RenderedMarkdown(body.strip(), tuple(env["codes"]))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(
        ["table", "strikethrough"]
    )
    md.add_render_rule("fence", _render_code_block)
    md.add_render_rule("code_block", _render_code_block)
    md.add_render_rule("code_inline", _render_code_inline)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    md.add_render_rule("table_open", _render_table_open)
    md.add_render_rule("th_open", _render_cell_open)
    md.add_render_rule("td_open", _render_cell_open)
    md.add_render_rule("blockquote_open", _render_blockquote_open)
    md.add_render_rule("bullet_list_open", _render_list_open)
    md.add_render_rule("ordered_list_open", _render_list_open)
    return md


# Render rules: markdown-it calls them as ``rule(renderer, tokens, idx, options, env)``.


def _render_code_block(
    _renderer: Any, tokens: Sequence[Token], idx: int, _options: Any, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    theme: Theme = env["theme"]
    code = token.content[:-1] if token.content.endswith("\n") else token.content
    if not code.strip():
        return ""  # a stray or empty fence (a reply ending in "```"): nothing to show or copy
    language = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else ""
    index = len(env["codes"])
    env["codes"].append(code)
    href = html.escape(env["code_href"](index))
    label = html.escape(language) if language else "&nbsp;"
    return (
        f'<table width="100%" border="1" cellspacing="0" cellpadding="6" '
        f'style="border-collapse:collapse;border-style:solid;border-color:{theme.code_border};'
        f'background-color:{theme.code_background};margin-top:8px;margin-bottom:8px">'
        f'<tr><td style="border-color:{theme.code_border}">'
        f'<p style="margin:0;color:{theme.muted};font-size:small">'
        f"<span>{label}</span>&nbsp;&nbsp;&nbsp;"
        f'<a href="{href}" style="color:{theme.link}">{html.escape(env["copy"])}</a></p>'
        f"<pre style=\"margin:0;font-family:'{theme.mono_family}'\">"
        f"{_highlight(code, language, theme.dark)}</pre>"
        "</td></tr></table>\n"
    )


def _render_code_inline(
    _renderer: Any, tokens: Sequence[Token], idx: int, _options: Any, env: dict[str, Any]
) -> str:
    theme: Theme = env["theme"]
    return (
        f"<code style=\"font-family:'{theme.mono_family}';"
        f'background-color:{theme.code_background}">'
        f"{html.escape(tokens[idx].content, quote=False)}</code>"
    )


def _render_image(
    renderer: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    text = html.escape(env["image"].format(alt=alt) if alt else env["bare_image"], quote=False)
    src = str(token.attrGet("src") or "")
    if is_safe_link(src):
        theme: Theme = env["theme"]
        return f'<a href="{html.escape(src)}" style="color:{theme.link}">{text}</a>'
    return text


def _render_link_open(
    _renderer: Any, tokens: Sequence[Token], idx: int, _options: Any, env: dict[str, Any]
) -> str:
    href = str(tokens[idx].attrGet("href") or "")
    safe = is_safe_link(href)
    env["links"].append(safe)
    if not safe:
        return ""
    theme: Theme = env["theme"]
    return f'<a href="{html.escape(href)}" style="color:{theme.link}">'


def _render_link_close(
    _renderer: Any, _tokens: Sequence[Token], _idx: int, _options: Any, env: dict[str, Any]
) -> str:
    return "</a>" if env["links"].pop() else ""


def _render_table_open(
    _renderer: Any, _tokens: Sequence[Token], _idx: int, _options: Any, env: dict[str, Any]
) -> str:
    theme: Theme = env["theme"]
    return (
        '<table border="1" cellspacing="0" cellpadding="4" '
        f'style="border-collapse:collapse;border-style:solid;border-color:{theme.code_border};'
        'margin-top:8px;margin-bottom:8px">\n'
    )


def _render_cell_open(
    _renderer: Any, tokens: Sequence[Token], idx: int, _options: Any, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    theme: Theme = env["theme"]
    style = f"border-color:{theme.code_border};"
    if token.tag == "th":
        style += f"background-color:{theme.code_background};"
    align = str(token.attrGet("style") or "")
    if align.startswith("text-align:"):
        style += align + ";"
    return f'<{token.tag} style="{style}">'


def _render_blockquote_open(
    _renderer: Any, _tokens: Sequence[Token], _idx: int, _options: Any, env: dict[str, Any]
) -> str:
    theme: Theme = env["theme"]
    return f'<blockquote style="color:{theme.muted}">\n'


def _render_list_open(
    _renderer: Any, tokens: Sequence[Token], idx: int, _options: Any, _env: dict[str, Any]
) -> str:
    token = tokens[idx]
    start = token.attrGet("start")
    attrs = f' start="{int(start)}"' if start is not None else ""
    # A list inside a list item: no blank gap above and below it.
    margins = ' style="margin-top:0;margin-bottom:0"' if token.level > 0 else ""
    return f"<{token.tag}{attrs}{margins}>\n"


# Syntax colours: Pygments when it knows the language, else plain escaped text.


def _highlight(code: str, language: str, dark: bool) -> str:
    styles = _token_styles("monokai" if dark else "default")
    lexer = _lexer(language.lower()) if language else None
    if lexer is None or styles is None:
        return html.escape(code, quote=False)
    # One span per run of same-styled text (whitespace joins any run): fewer spans, faster layout.
    runs: list[tuple[str, list[str]]] = []
    for ttype, value in lexer.get_tokens(code):
        if value.isspace() and runs:
            runs[-1][1].append(value)
            continue
        while ttype not in styles and ttype.parent is not None:
            ttype = ttype.parent
        style = styles.get(ttype, "")
        if runs and runs[-1][0] == style:
            runs[-1][1].append(value)
        else:
            runs.append((style, [value]))
    parts = []
    for style, values in runs:
        text = html.escape("".join(values), quote=False)
        parts.append(f'<span style="{style}">{text}</span>' if style else text)
    return "".join(parts)


@lru_cache(maxsize=64)
def _lexer(language: str) -> Any:
    try:
        from pygments.lexers import get_lexer_by_name
        from pygments.util import ClassNotFound
    except ImportError:  # highlighting is a nicety; without Pygments code is plain
        return None
    try:
        # ensurenl/stripnl off: the highlighted text is exactly the block's text.
        return get_lexer_by_name(language, ensurenl=False, stripnl=False)
    except ClassNotFound:
        return None


@lru_cache(maxsize=2)
def _token_styles(name: str) -> dict[Any, str] | None:
    try:
        from pygments.styles import get_style_by_name
    except ImportError:
        return None
    style = get_style_by_name(name)
    css: dict[Any, str] = {}
    for ttype, spec in style:
        rules = []
        if spec["color"]:
            rules.append(f"color:#{spec['color']}")
        if spec["bold"]:
            rules.append("font-weight:bold")
        if spec["italic"]:
            rules.append("font-style:italic")
        css[ttype] = ";".join(rules)
    return css


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` towards ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )


def theme_from_palette(palette: QPalette) -> Theme:
    """Markdown colours for a widget's palette (light or dark), readable on its Base colour."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = base.lightness() < 128
    link = QColor(palette.color(QPalette.ColorRole.Link))
    if dark and link.lightness() < 150:  # the default link blue is unreadable on dark
        link = QColor.fromHsl(link.hslHue(), max(link.hslSaturation(), 120), 170)
    return Theme(
        text=text.name(),
        muted=mix(base, text, 0.55).name(),
        link=link.name(),
        code_background=mix(base, text, 0.06).name(),
        code_border=mix(base, text, 0.18).name(),
        mono_family=QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family(),
        dark=dark,
    )
