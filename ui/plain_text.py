"""Text that a person wrote (a model's name, a folder's name, a value typed into the form), shown on a page as exactly
those characters: never Markdown, never HTML, never a picture the browser fetches.

Why: Streamlit renders nearly every string it is given as Markdown with its own extensions: st.markdown, st.caption,
st.title and st.subheader, the alerts (st.error, ...), st.toast, and the labels of widgets, tabs, expanders, metrics
and buttons. A model folder named `![px](https:example.org)` was drawn as an image fetched from example.org on
everyone's Models page; `__init__` became a bold "init"; `:red[x]` would be red, `$x$` LaTeX, `:smile:` an emoji,
`www.example.org` a link.

`literal(text)` makes `text` an inline code span: inside one, CommonMark reads nothing (no emphasis, link, image or
HTML), and Streamlit's own additions (emoji and icon shortcodes, colours, LaTeX, links made of bare addresses) do not
reach it, because they rewrite the document's text nodes and a code span has none. Backslash-escaping cannot do the
same: `\\:smile\\:` is still a text node ":smile:" once parsed, and the emoji plugin replaces it. A code span is also
how the lecture writes identifiers. For a line of its own, `st.text(text)` is plain text too.

Usage: `st.success(t("anomaly.unseen", name=literal(stored.name), label=...))`; `st.markdown(f"- {literal(name)}")`
"""

from __future__ import annotations

import re

# Line breaks would end the code span's paragraph and start Markdown blocks (a heading, a list) after it.
_LINE_BREAKS = re.compile(r"[\r\n\v\f\x85\u2028\u2029]")
_BACKTICK_RUNS = re.compile(r"`+")


def literal(text: object) -> str:
    """Markdown that shows `text` (made a string) as written, as inline code; "" for empty text."""
    content = _LINE_BREAKS.sub(" ", str(text))
    if not content:
        return ""
    # The fence is one backtick longer than the longest run inside, so that no run inside closes it.
    fence = "`" * (max((len(run) for run in _BACKTICK_RUNS.findall(content)), default=0) + 1)
    # CommonMark strips one space at each end when both ends have one: pad where the content itself starts or ends with
    # a backtick (it would join the fence) or a space (it would be stripped).
    if content[0] in "` " or content[-1] in "` ":
        content = f" {content} "
    return f"{fence}{content}{fence}"
