"""Markdown to Qt HTML: structure, escaping of raw HTML, no images, safe links, code blocks."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocument

from gptdesk.ui.chat.markdown import Theme, is_safe_link, render_markdown, render_plain

pytestmark = pytest.mark.usefixtures("qapp")  # QTextDocument needs fonts, hence an application

THEME = Theme(mono_family="Test Mono", code_background="#eeeeee", link="#123456")


def html_of(source: str) -> str:
    return render_markdown(source, THEME).html


def as_text(markup: str) -> str:
    """What a QTextDocument shows for ``markup`` (no widget needed)."""
    doc = QTextDocument()
    doc.setHtml(markup)
    return doc.toPlainText()


def test_headings_lists_emphasis_and_strikethrough():
    markup = html_of("# Title\n\n## Sub\n\n- one\n- two\n\n1. first\n\n**b** *i* ~~gone~~")
    assert "<h1>Title</h1>" in markup and "<h2>Sub</h2>" in markup
    assert "<ul>" in markup and "<li>one</li>" in markup
    assert "<ol>" in markup and "<li>first</li>" in markup
    assert "<strong>b</strong>" in markup and "<em>i</em>" in markup and "<s>gone</s>" in markup


def test_nested_list_has_no_gap_above_it():
    markup = html_of("- outer\n  - inner\n")
    assert '<ul style="margin-top:0;margin-bottom:0">' in markup
    assert markup.startswith("<ul>")


def test_ordered_list_keeps_its_start_number():
    assert '<ol start="3">' in html_of("3. three\n4. four\n")


def test_table_with_alignment_and_borders():
    markup = html_of("| a | b |\n|---|--:|\n| 1 | 2 |\n")
    assert '<table border="1"' in markup
    assert "<th " in markup and "text-align:right" in markup
    assert as_text(markup).split() == ["a", "b", "1", "2"]


def test_inline_code_is_monospace_and_escaped():
    markup = html_of("use `a<b && c` here")
    assert "font-family:'Test Mono'" in markup
    assert "a&lt;b &amp;&amp; c" in markup
    assert as_text(markup) == "use a<b && c here"


def test_raw_html_is_shown_literally_never_interpreted():
    source = '<script>alert(1)</script>\n\nText <b onclick="x()">bold?</b> <img src="http://e.com/i.png">'
    markup = html_of(source)
    assert "<script" not in markup and "<b " not in markup and "<img" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert "<script>alert(1)</script>" in as_text(markup)


def test_images_become_a_link_with_their_alt_text_and_are_never_embedded():
    markup = html_of(
        "See ![a diagram](https://example.com/d.png) and ![](http://example.com/e.png)"
    )
    assert "<img" not in markup
    assert '<a href="https://example.com/d.png"' in markup
    assert "[image: a diagram]" in markup and ">[image]<" in markup


def test_image_with_an_unsafe_source_is_plain_text():
    markup = html_of("![x](ftp://e.com/x.png) ![y](data:image/png;base64,AAAA)")
    assert "<a " not in markup and "<img" not in markup
    assert "[image: x]" in markup and "[image: y]" in markup
    # markdown-it refuses file: and javascript: targets outright: the source shows as typed
    assert as_text(html_of("![z](file:///etc/passwd)")) == "![z](file:///etc/passwd)"


@pytest.mark.parametrize(
    "href", ["gptdesk-action:regenerate/1", "ftp://e.com/x", "relative/page", "#top"]
)
def test_links_other_than_http_and_mailto_are_plain_text(href):
    markup = html_of(f"[click me]({href})")
    assert "<a " not in markup
    assert as_text(markup) == "click me"


@pytest.mark.parametrize("href", ["javascript:alert(1)", "file:///etc/passwd"])
def test_script_and_file_links_show_as_typed(href):
    markup = html_of(f"[click me]({href})")
    assert "<a " not in markup
    assert as_text(markup) == f"[click me]({href})"


def test_safe_links_keep_their_target_and_colour():
    markup = html_of("[site](https://example.com/a?b=1&c=2) [mail](mailto:me@example.com)")
    assert '<a href="https://example.com/a?b=1&amp;c=2" style="color:#123456">site</a>' in markup
    assert '<a href="mailto:me@example.com"' in markup


def test_fenced_code_block_keeps_exact_text_label_and_copy_link():
    code = 'def f(x):\n    if x < 1 & 2:\n        return "<tag>"\n\n    return x'
    result = render_markdown(
        f"Before\n\n```python\n{code}\n```\n\nAfter", THEME, lambda i: f"copy:{i}"
    )
    assert result.code_blocks == (code,)
    assert '<a href="copy:0"' in result.html and ">Copy</a>" in result.html
    assert ">python</span>" in result.html
    assert "font-family:'Test Mono'" in result.html
    assert "background-color:#eeeeee" in result.html
    shown = as_text(result.html)
    assert code in shown  # highlighting changes colours, never characters
    assert "<pre" in result.html and "&lt;tag&gt;" in result.html


def test_indented_and_unknown_language_blocks_are_plain_and_copyable():
    result = render_markdown(
        "    indented <x>\n      more\n\n```nosuchlang\na & b\n```\n\n```\n\n  spaced\n\n```",
        THEME,
        lambda i: f"copy:{i}",
    )
    assert result.code_blocks == ("indented <x>\n  more", "a & b", "\n  spaced\n")
    assert '<a href="copy:2"' in result.html
    assert "a &amp; b</pre>" in result.html  # unknown language: no colour spans


def test_highlighting_uses_dark_colours_on_a_dark_theme():
    light = render_markdown("```python\ndef f(): pass\n```", Theme()).html
    dark = render_markdown("```python\ndef f(): pass\n```", Theme(dark=True)).html
    assert "<span style=" in light and "<span style=" in dark
    assert light != dark


def test_plain_text_keeps_line_breaks_and_escapes():
    markup = render_plain("line <one>\n  **two** & three")
    assert "white-space:pre-wrap" in markup
    assert as_text(markup) == "line <one>\n  **two** & three"


def test_safe_link_schemes():
    assert is_safe_link("https://e.com") and is_safe_link("HTTP://e.com")
    assert is_safe_link("mailto:a@b.c")
    assert not is_safe_link("javascript:alert(1)")
    assert not is_safe_link("gptdesk-action:copy/1")
    assert not is_safe_link("file:///x")


@pytest.mark.parametrize(
    "source",
    ["All done.\n\n```", "All done.\n```\n", "All done.\n\n```python\n```", "Done.\n```\n\n \n```"],
)
def test_an_empty_or_stray_code_fence_shows_no_block_and_no_copy_link(source):
    result = render_markdown(source, THEME, lambda i: f"copy:{i}")
    assert result.code_blocks == ()
    assert "copy:" not in result.html and "Copy" not in result.html
    assert "<table" not in result.html and "<pre" not in result.html
    assert as_text(result.html).strip() in ("All done.", "Done.")


def test_copy_links_count_only_the_blocks_shown():
    result = render_markdown("```\n```\n\n```sh\nls\n```", THEME, lambda i: f"copy:{i}")
    assert result.code_blocks == ("ls",)
    assert '<a href="copy:0"' in result.html and "copy:1" not in result.html


def test_its_words_can_be_given_in_another_language_and_are_escaped():
    words = ("复制", "【图片：{alt}】", "<image>")
    result = render_markdown("```sh\nls\n```\n\n![a & b](x.png) ![](y.png)", THEME, words=words)
    assert ">复制</a>" in result.html
    assert "【图片：a &amp; b】" in result.html and "&lt;image&gt;" in result.html
