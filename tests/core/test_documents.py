"""Reading files: text in several encodings, Markdown, HTML, real PDFs and .docx; clear errors."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from gptdesk.core.writing.documents import DocumentError, html_to_text, read_document


def make_pdf(pages: list[str], title: str | None = None) -> bytes:
    """A small real PDF, written by hand: one Helvetica text line per entry of ``pages``."""
    objects: list[bytes] = []
    n_pages = len(pages)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for i, text in enumerate(pages):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode("latin-1")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    info = None
    if title is not None:
        objects.append(f"<< /Title ({title}) >>".encode("latin-1"))
        info = len(objects)
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if info is not None:
        trailer += f" /Info {info} 0 R"
    out.write(f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_docx(paragraphs: list[str], title: str | None = None) -> bytes:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(f'<w:p><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>' for p in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", f"<w:document {ns}><w:body>{body}</w:body></w:document>"
        )
        if title is not None:
            archive.writestr(
                "docProps/core.xml",
                '<cp:coreProperties xmlns:cp="urn:x" xmlns:dc="http://purl.org/dc/elements/1.1/">'
                f"<dc:title>{title}</dc:title></cp:coreProperties>",
            )
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


# ---------------------------------------------------------------------- text


def test_plain_text_is_read_as_utf8_with_line_ends_normalized(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", "Première ligne\r\nSecond line 😀\r\n\r\n".encode())
    doc = read_document(path)
    assert doc.text == "Première ligne\nSecond line 😀\n"
    assert doc.title == "notes" and doc.kind == "text"


def test_a_bom_and_utf16_are_understood(tmp_path: Path) -> None:
    assert read_document(write(tmp_path, "a.txt", b"\xef\xbb\xbfhello")).text == "hello\n"
    utf16 = "grüße aus Köln".encode("utf-16")
    assert read_document(write(tmp_path, "b.txt", utf16)).text == "grüße aus Köln\n"


def test_other_encodings_are_detected(tmp_path: Path) -> None:
    text = "Le café était très chaud, déjà prêt à être servi à la fenêtre de l'hôtel. " * 5
    doc = read_document(write(tmp_path, "old.txt", text.encode("cp1252")))
    assert "café était très chaud" in doc.text


def test_markdown_title_comes_from_its_heading(tmp_path: Path) -> None:
    doc = read_document(write(tmp_path, "readme.md", "Intro\n\n# The Real Title #\n\nBody.\n"))
    assert doc.title == "The Real Title" and doc.kind == "markdown"
    assert "Body." in doc.text


def test_an_unknown_suffix_is_read_when_it_is_text_and_refused_when_binary(
    tmp_path: Path,
) -> None:
    assert read_document(write(tmp_path, "data.csv", "a,b\n1,2\n")).text == "a,b\n1,2\n"
    with pytest.raises(DocumentError, match=r"not a text file.*PDF"):
        read_document(write(tmp_path, "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))


# ---------------------------------------------------------------------- HTML


def test_html_keeps_visible_text_and_drops_script_and_style(tmp_path: Path) -> None:
    page = """<!doctype html><html><head><title>My  Page</title>
    <style>body { color: red }</style><script>alert("x < y")</script></head>
    <body><h1>Heading</h1><p>First   paragraph with <b>bold</b> &amp; entities&nbsp;here.</p>
    <ul><li>one</li><li>two</li></ul><p>Line<br>break</p>
    <pre>  keep   spacing</pre><noscript>enable js</noscript></body></html>"""
    doc = read_document(write(tmp_path, "page.html", page))
    assert doc.title == "My Page" and doc.kind == "html"
    assert "alert" not in doc.text and "color" not in doc.text and "enable js" not in doc.text
    assert "First paragraph with bold & entities\xa0here." in doc.text
    assert "Heading\n\nFirst" in doc.text
    assert "- one\n\n- two" in doc.text
    assert "Line\nbreak" in doc.text
    assert "  keep   spacing" in doc.text


def test_html_title_falls_back_to_h1_then_the_file_name() -> None:
    assert html_to_text("<h1>Big  title</h1><p>x</p>")[1] == "Big title"
    assert html_to_text("<p>x</p>")[1] == ""


# ---------------------------------------------------------------------- PDF


def test_a_pdf_gives_the_text_of_every_page_and_its_title(tmp_path: Path) -> None:
    data = make_pdf(["The first page talks about apples.", "Page two is on pears."], "Fruit")
    path = write(tmp_path, "fruit.pdf", data)
    assert len(PdfReader(path).pages) == 2  # the hand-made file is a valid PDF
    doc = read_document(path)
    assert doc.kind == "pdf" and doc.title == "Fruit"
    assert "The first page talks about apples." in doc.text
    assert "Page two is on pears." in doc.text
    assert doc.text.index("apples") < doc.text.index("pears")


def encrypted(data: bytes, user_password: str, tmp_path: Path) -> Path:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    path = tmp_path / f"locked-{user_password or 'none'}.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_a_pdf_with_a_password_is_refused_with_what_to_do(tmp_path: Path) -> None:
    path = encrypted(make_pdf(["Secret text."]), "hunter2", tmp_path)
    with pytest.raises(DocumentError, match=r"password.*copy without the password"):
        read_document(path)


def test_a_pdf_encrypted_without_a_user_password_opens(tmp_path: Path) -> None:
    path = encrypted(make_pdf(["Open text."]), "", tmp_path)
    assert "Open text." in read_document(path).text


def test_a_pdf_without_text_says_it_may_be_a_scan(tmp_path: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(DocumentError, match=r"no text.*OCR"):
        read_document(path)


def test_a_damaged_pdf_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="not a readable PDF"):
        read_document(write(tmp_path, "broken.pdf", b"this is not a pdf at all"))


# ---------------------------------------------------------------------- Word


def test_a_docx_gives_its_paragraphs_and_title(tmp_path: Path) -> None:
    path = write(tmp_path, "memo.docx", make_docx(["Dear team,", "The meeting moves."], "Memo"))
    doc = read_document(path)
    assert doc.text == "Dear team,\n\nThe meeting moves.\n"
    assert doc.title == "Memo" and doc.kind == "docx"


def test_a_docx_that_is_not_a_zip_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="not a readable Word document"):
        read_document(write(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0 compound file"))


# ---------------------------------------------------------------------- errors


def test_missing_empty_folder_and_unsupported_files_are_explained(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="does not exist"):
        read_document(tmp_path / "gone.txt")
    with pytest.raises(DocumentError, match="has no text"):
        read_document(write(tmp_path, "empty.txt", "  \n\n "))
    with pytest.raises(DocumentError, match="folder"):
        read_document(tmp_path)
    with pytest.raises(DocumentError, match=r"old Word document.*Save it as PDF"):
        read_document(write(tmp_path, "letter.doc", b"\xd0\xcf\x11\xe0"))
