"""Reading the text out of a file: plain text, Markdown, HTML, PDF (pypdf) and Word .docx.

``read_document(path)`` returns a ``Document`` (the text, a title, the kind of file) or raises
``DocumentError`` with a message that says what is wrong and what to do. It blocks (a large
PDF takes seconds): call it off the GUI thread.
"""

from __future__ import annotations

import codecs
import logging
import re
import zipfile
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
class Document:
    """The text of a file, its title (from the file's own metadata or its name) and kind:
    "text", "markdown", "html", "pdf" or "docx"."""

    text: str
    title: str
    kind: str


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
            document = Document(_normalize(text), _markdown_title(text) or path.stem, kind)
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
    text = "\n\n".join(p for p in pages if p)
    return Document(_normalize(text), title or path.stem, "pdf")


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
    paragraphs: list[str] = []
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
    text = "\n\n".join(p for p in paragraphs if p.strip())
    title = (title_node.text or "").strip() if title_node is not None else ""
    return Document(_normalize(text), title or path.stem, "docx")
