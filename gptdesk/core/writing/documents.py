"""Reading the text out of a file: plain text, Markdown, HTML, PDF (pypdf) and Word .docx.

``read_document(path)`` returns a ``Document`` (the text, a title, the kind of file, and where
they are known the headings and the PDF pages, as offsets into the text) or raises
``DocumentError`` with a message that says what is wrong and what to do. It blocks (a large
PDF takes seconds): call it off the GUI thread.
"""

from __future__ import annotations

import bisect
import codecs
import logging
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from gptdesk.core.errors import GptdeskError
from gptdesk.core.i18n import QT_TRANSLATE_NOOP, translate

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 200 * 1024 * 1024  # larger files are refused before they are read

KINDS = {
    ".txt": "text",
    ".text": "text",
    ".log": "text",  # a log is plain text (the scanner skips one too large to index)
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
"""File suffixes read_document knows, and the kind each is read as."""

_REFUSED = {  # shown with translate("documents", ...)
    ".doc": QT_TRANSLATE_NOOP("documents", "an old Word document (.doc)"),
    ".rtf": QT_TRANSLATE_NOOP("documents", "a Rich Text (.rtf) file"),
    ".odt": QT_TRANSLATE_NOOP("documents", "an OpenDocument text (.odt)"),
    ".pages": QT_TRANSLATE_NOOP("documents", "a Pages document"),
    ".epub": QT_TRANSLATE_NOOP("documents", "an e-book (.epub)"),
}
SUPPORTED = QT_TRANSLATE_NOOP(
    "documents", "plain text (.txt), Markdown (.md), HTML, PDF and Word (.docx)"
)


class DocumentError(GptdeskError):
    """A file's text cannot be read: the message names the file and says what to do."""


@dataclass(frozen=True)
class Heading:
    """A heading in a document's text: where its line starts in ``Document.text``, its level
    (1 is the top) and its title."""

    start: int
    level: int
    title: str


@dataclass(frozen=True)
class Document:
    """The text of a file, its title (from the file's own metadata or its name) and kind:
    "text", "markdown", "html", "pdf" or "docx".

    ``headings``: the headings of a Markdown file (``#`` and underlined ones) or a .docx
    (paragraphs in a Heading style), in order; empty for the other kinds. ``page_starts``: for
    a PDF, where the text of page n begins (``page_starts[n - 1]``), one entry per page of the
    file (a page without text starts where the next text would); empty for the other kinds.
    """

    text: str
    title: str
    kind: str
    headings: tuple[Heading, ...] = ()
    page_starts: tuple[int, ...] = ()

    def page_at(self, offset: int) -> int | None:
        """The page (1-based) the character at ``offset`` is on; None when not a PDF."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))


def read_document(path: Path) -> Document:
    """The text of ``path``. Files with an unknown suffix are read as text when they are text."""
    path = Path(path)
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise DocumentError(
            translate("documents", "{name} does not exist (was it moved or deleted?).").format(
                name=name
            )
        ) from exc
    except OSError as exc:
        raise DocumentError(
            translate("documents", "{name} cannot be read: {error}.").format(
                name=name, error=exc.strerror or exc
            )
        ) from exc
    if path.is_dir():
        raise DocumentError(
            translate("documents", "{name} is a folder; choose a file.").format(name=name)
        )
    if size > MAX_FILE_BYTES:
        raise DocumentError(
            translate(
                "documents",
                "{name} is {size} MiB, more than gptdesk reads ({most} MiB). Split it or copy "
                "the part you need.",
            ).format(name=name, size=f"{size / 2**20:.0f}", most=MAX_FILE_BYTES // 2**20)
        )
    suffix = path.suffix.lower()
    if suffix in _REFUSED:
        raise DocumentError(
            translate(
                "documents",
                "{name} is {kind}, which gptdesk cannot read yet. Save it as PDF, .docx or "
                "plain text, or paste its text.",
            ).format(name=name, kind=translate("documents", _REFUSED[suffix]))
        )
    kind = KINDS.get(suffix)
    if kind == "pdf":
        document = _read_pdf(path)
    elif kind == "docx":
        document = _read_docx(path)
    else:
        data = _read_bytes(path)
        if kind is None:
            utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
            if b"\x00" in data[:8192] and not utf16:  # binary: an image, an archive, ...
                raise DocumentError(
                    translate(
                        "documents", "{name} is not a text file gptdesk can read. It reads {kinds}."
                    ).format(name=name, kinds=translate("documents", SUPPORTED))
                )
            kind = "text"
        text = _decode(data, name)
        if kind == "html":
            document = _html_document(text, path)
        elif kind == "markdown":
            normalized = _normalize(text)
            document = Document(
                normalized,
                _markdown_title(text) or path.stem,
                kind,
                headings=markdown_headings(normalized),
            )
        else:
            document = Document(_normalize(text), path.stem, kind)
    if not document.text.strip():
        message = (
            translate(
                "documents",
                "{name} has no text. It may be a scan: gptdesk reads a PDF's text layer, not its "
                "images; run it through text recognition (OCR) first.",
            )
            if document.kind == "pdf"
            else translate("documents", "{name} has no text.")
        )
        raise DocumentError(message.format(name=name))
    return document


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise DocumentError(
            translate("documents", "{name} cannot be read: {error}.").format(
                name=path.name, error=exc.strerror or exc
            )
        ) from exc


def _normalize(text: str) -> str:
    """Line ends as ``\\n``, no BOM, no trailing spaces at the end."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return text.rstrip() + "\n" if text.strip() else ""


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else the encoding charset detection
    finds most likely (old Windows and Mac files)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DocumentError(
                translate("documents", "{name} claims to be UTF-16 but is not; re-save it.").format(
                    name=name
                )
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or _SINGLE_BYTE.match(best.encoding):
        # Detection cannot tell the Latin code pages apart on short texts (it reads French
        # from Windows as Baltic); the Western one is by far the most common: prefer it.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    if best is None:
        raise DocumentError(
            translate(
                "documents",
                "The text encoding of {name} cannot be recognized. Save it as UTF-8 and try again.",
            ).format(name=name)
        )
    log.info("%s decoded as %s", name, best.encoding)
    return str(best)


_SINGLE_BYTE = re.compile(r"^(cp12[0-9]{2}|iso8859_\d+|latin_1|mac_\w+|cp4[0-9]{2}|cp8[0-9]{2})$")


# ---------------------------------------------------------------------- Markdown


def _markdown_title(text: str) -> str | None:
    match = re.search(r"^#{1,2}[ \t]+(.+?)[ \t#]*$", text, re.MULTILINE)
    return match.group(1).strip() if match else None


_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def markdown_headings(text: str) -> tuple[Heading, ...]:
    """The ``#`` headings and underlined (``===``, ``---``) headings of Markdown ``text``,
    outside fenced code blocks and YAML front matter, with their offsets in ``text``."""
    headings: list[Heading] = []
    fence = ""
    front_matter = text.startswith("---\n")
    offset = 0
    previous: tuple[int, str] | None = None  # the last line of a paragraph: its start, text
    for number, line in enumerate(text.split("\n")):
        start, offset = offset, offset + len(line) + 1
        if front_matter:
            front_matter = number == 0 or line.rstrip() not in ("---", "...")
            continue
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = ""
            previous = None
            continue
        if opening:
            fence = opening.group(1)
            previous = None
            continue
        atx = _ATX.match(line)
        if atx:
            title = (atx.group(2) or "").strip()
            if title:
                headings.append(Heading(start, len(atx.group(1)), title))
            previous = None
            continue
        setext = _SETEXT.match(line)
        if setext and previous is not None:
            level = 1 if setext.group(1)[0] == "=" else 2
            headings.append(Heading(previous[0], level, previous[1].strip()))
            previous = None
            continue
        is_text = bool(line.strip()) and not line.startswith(("    ", "\t", ">", "- ", "* "))
        previous = (start, line) if is_text else None
    return tuple(headings)


def _normalized_offsets(raw: str, offsets: Sequence[int]) -> list[int]:
    """``offsets`` into ``raw`` moved to where they land in ``_normalize(raw)`` (which joins
    ``\\r\\n`` and drops a leading BOM); each must not fall inside a ``\\r\\n``."""
    if "\r\n" not in raw and not raw.startswith("\ufeff"):
        return list(offsets)
    joined = [m.start() for m in re.finditer("\r\n", raw)]
    boms = len(raw) - len(raw.lstrip("\ufeff"))
    return [max(0, o - bisect.bisect_left(joined, o) - boms) for o in offsets]


# ---------------------------------------------------------------------- HTML

_BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table",
    "tr", "ul",
}  # fmt: skip
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space (not Python's \s: no U+00A0)
_SKIPPED = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page: blocks become paragraphs, script and style are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.heading = ""
        self._skip = 0
        self._pre = 0
        self._in_title = False
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        if tag == "title":
            self._in_title = True
        elif tag == "h1":
            self._in_h1 = True
        if self._skip:
            return
        if tag == "br":
            self._break("\n")
        elif tag in _BLOCKS:
            self._break("\n\n")
            if tag == "li":
                self.parts.append("- ")
        elif tag in ("td", "th"):
            self.parts.append("\t")
        if tag == "pre":
            self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self._skip:
            self._break("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED and self._skip:
            self._skip -= 1
        if tag == "title":
            self._in_title = False
        elif tag == "h1":
            self._in_h1 = False
        elif tag == "pre" and self._pre:
            self._pre -= 1
        if not self._skip and tag in _BLOCKS:
            self._break("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if self._skip:
            return
        if self._in_h1:
            self.heading += data
        if self._pre:
            self.parts.append(data)
            return
        data = _HTML_SPACE.sub(" ", data)
        if not self.parts or self.parts[-1].endswith(("\n", "\t", " ")):
            data = data.lstrip(" ")  # spaces at the start of a line or after a space
        if data:
            self.parts.append(data)

    def _break(self, text: str) -> None:
        """A line or paragraph break; spaces that collapsing left at the line's end go."""
        if self.parts and not self._pre:
            self.parts[-1] = self.parts[-1].rstrip(" ")
        self.parts.append(text)


def html_to_text(source: str) -> tuple[str, str]:
    """The visible text of an HTML page and its title ("" if it has none)."""
    parser = _TextExtractor()
    parser.feed(source)
    parser.close()
    text = re.sub(r"\n{3,}", "\n\n", "".join(parser.parts))
    title = re.sub(r"\s+", " ", parser.title or parser.heading).strip()
    return _normalize(text.strip()), title


def _html_document(source: str, path: Path) -> Document:
    text, title = html_to_text(source)
    return Document(text, title or path.stem, "html")


# ---------------------------------------------------------------------- PDF


def _read_pdf(path: Path) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

    name = path.name
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # many PDFs are "encrypted" with no password
            except (NotImplementedError, PyPdfError) as exc:
                raise DocumentError(
                    translate(
                        "documents",
                        "{name} is encrypted in a way gptdesk cannot open ({error}). Save an "
                        "unprotected copy (for example by printing it to PDF) and open that.",
                    ).format(name=name, error=exc)
                ) from exc
            if not opened:
                raise DocumentError(_password_protected(name))
        pages = [(page.extract_text() or "").strip() for page in reader.pages]
        title = ""
        metadata = reader.metadata
        if metadata is not None and metadata.title:
            title = str(metadata.title).strip()
    except FileNotDecryptedError as exc:
        raise DocumentError(_password_protected(name)) from exc
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(
            translate(
                "documents",
                "{name} is not a readable PDF (it may be damaged or not a PDF at all): {error}",
            ).format(name=name, error=exc)
        ) from exc
    except OSError as exc:
        raise DocumentError(
            translate("documents", "{name} cannot be read: {error}.").format(
                name=name, error=exc.strerror or exc
            )
        ) from exc
    raw, page_starts = _join_blocks(pages)
    text = _normalize(raw)
    return Document(
        text,
        title or path.stem,
        "pdf",
        page_starts=tuple(_normalized_offsets(raw, page_starts)),
    )


def _join_blocks(blocks: Sequence[str]) -> tuple[str, list[int]]:
    """``"\\n\\n".join`` of the blocks that have text, and where each block (also an empty
    one) starts in it."""
    parts: list[str] = []
    starts: list[int] = []
    length = 0
    for block in blocks:
        if not block.strip():
            starts.append(length + 2 if parts else 0)
            continue
        if parts:
            parts.append("\n\n")
            length += 2
        starts.append(length)
        parts.append(block)
        length += len(block)
    return "".join(parts), starts


def _password_protected(name: str) -> str:
    return translate(
        "documents",
        "{name} is protected by a password. Open it in a PDF viewer, save a copy without the "
        "password, and open that copy.",
    ).format(name=name)


# ---------------------------------------------------------------------- Word .docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"


def _read_docx(path: Path) -> Document:
    """Paragraphs of a .docx's main text (a zip of XML), read with the standard library."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            body = archive.read("word/document.xml")
            try:
                core = archive.read("docProps/core.xml")
            except KeyError:
                core = b""
            try:
                styles = archive.read("word/styles.xml")
            except KeyError:
                styles = b""
    except (zipfile.BadZipFile, KeyError, OSError) as exc:
        raise DocumentError(
            translate(
                "documents",
                "{name} is not a readable Word document (it may be password-protected, "
                "damaged, or an old .doc renamed). Save it again as .docx or PDF.",
            ).format(name=name)
        ) from exc
    try:
        root = ElementTree.fromstring(body)
        title_node = ElementTree.fromstring(core).find(_DC_TITLE) if core else None
    except ElementTree.ParseError as exc:
        raise DocumentError(
            translate(
                "documents", "{name} is damaged ({error}). Save it again as .docx or PDF."
            ).format(name=name, error=exc)
        ) from exc
    heading_styles = _heading_styles(styles)
    paragraphs: list[str] = []
    levels: list[int] = []  # the heading level of each paragraph, 0: body text
    for para in root.iter(f"{_W}p"):
        pieces: list[str] = []
        for node in para.iter():
            if node.tag == f"{_W}t" and node.text:
                pieces.append(node.text)
            elif node.tag == f"{_W}tab":
                pieces.append("\t")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                pieces.append("\n")
        paragraphs.append("".join(pieces))
        levels.append(_paragraph_level(para, heading_styles))
    raw, starts = _join_blocks(paragraphs)
    title = (title_node.text or "").strip() if title_node is not None else ""
    found = [
        (start, level, p)
        for start, level, p in zip(starts, levels, paragraphs, strict=True)
        if level and p.strip()
    ]
    offsets = _normalized_offsets(raw, [start for start, _level, _p in found])
    headings = tuple(
        Heading(offset, level, " ".join(p.split()))
        for offset, (_start, level, p) in zip(offsets, found, strict=True)
    )
    return Document(_normalize(raw), title or path.stem, "docx", headings=headings)


_HEADING_NAME = re.compile(r"heading\s*([1-9])", re.IGNORECASE)


def _heading_styles(styles: bytes) -> dict[str, int]:
    """Paragraph style id -> heading level, from word/styles.xml: styles named "heading N"
    (Word's built-in names, whatever the interface language calls them) or with an outline
    level. A file without styles.xml (or a damaged one) gives no styles."""
    if not styles:
        return {}
    try:
        root = ElementTree.fromstring(styles)
    except ElementTree.ParseError:
        return {}
    levels: dict[str, int] = {}
    for style in root.iter(f"{_W}style"):
        style_id = style.get(f"{_W}styleId")
        if not style_id:
            continue
        name = style.find(f"{_W}name")
        match = _HEADING_NAME.fullmatch((name.get(f"{_W}val") or "") if name is not None else "")
        outline = style.find(f"{_W}pPr/{_W}outlineLvl")
        if match:
            levels[style_id] = int(match.group(1))
        elif outline is not None and (outline.get(f"{_W}val") or "").isdigit():
            level = int(outline.get(f"{_W}val") or "9") + 1
            if level <= 9:
                levels[style_id] = level
    return levels


def _paragraph_level(para: ElementTree.Element, heading_styles: dict[str, int]) -> int:
    """A paragraph's heading level (1-9), 0 for body text."""
    outline = para.find(f"{_W}pPr/{_W}outlineLvl")
    if outline is not None and (outline.get(f"{_W}val") or "").isdigit():
        level = int(outline.get(f"{_W}val") or "9") + 1
        return level if level <= 9 else 0
    style = para.find(f"{_W}pPr/{_W}pStyle")
    style_id = (style.get(f"{_W}val") or "") if style is not None else ""
    if not style_id:
        return 0
    if style_id in heading_styles:
        return heading_styles[style_id]
    match = _HEADING_NAME.fullmatch(style_id)  # no styles.xml: Word's English style ids
    return int(match.group(1)) if match else 0
