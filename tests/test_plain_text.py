"""ui/plain_text.py: a name made Markdown that a CommonMark renderer shows as exactly its characters, whatever they
are (Streamlit's own extensions are checked in a real browser: tests/e2e/test_plain_names.py)."""

import pytest

from ui.plain_text import literal

markdown_it = pytest.importorskip("markdown_it")

HOSTILE = ["![px](https:example.org)", "__init__", "*x*", ":red[x]", "$x$", "$$x$$", "<b>x</b>", ":smile:",
           "[link](https://example.org)", "www.example.org", "`tick`", "a``b", "```", "`", " lead", "trail ", "&amp;",
           "# heading", "- item", "1. item", "> quote", "\\", "x\\*y", "|a|b|"]


def rendered(markdown: str) -> str:
    return markdown_it.MarkdownIt("commonmark").render(markdown)


def escaped_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@pytest.mark.parametrize("name", HOSTILE)
def test_a_name_renders_as_its_own_characters_in_code(name):
    assert rendered(literal(name)) == f"<p><code>{escaped_html(name)}</code></p>\n"


@pytest.mark.parametrize("name", HOSTILE)
def test_a_name_inside_a_sentence_and_in_bold_stays_as_written(name):
    assert rendered(f"Saved **{literal(name)}** after 3 epochs.") == (
        f"<p>Saved <strong><code>{escaped_html(name)}</code></strong> after 3 epochs.</p>\n")


def test_line_breaks_cannot_start_markdown_blocks():
    assert rendered(literal("a\n# b\r\n- c\u2028d")) == "<p><code>a # b  - c d</code></p>\n"


def test_empty_text_is_empty():
    assert literal("") == ""
