"""A "copy link" button: copies the page's current URL (which ui/url_state.py keeps up to date) to the clipboard.

The clipboard API needs a secure context (https, or localhost): a classroom server reached as http://10.0.0.5 has
none, so where copying fails the link appears in a selected text field to copy by hand. The component's data is
only its labels, the same on every rerun, so it costs nothing after the first.

Usage: `copy_link_button()` (app.py puts it in the sidebar)
"""

from __future__ import annotations

import streamlit as st

from ui import url_state
from ui.state import t

_HTML = """
<div class="copy-link">
  <button type="button" class="copy-link-button" data-testid="copy-link-button"></button>
  <span class="copy-link-status" data-testid="copy-link-status" role="status"></span>
  <input class="copy-link-field" data-testid="copy-link-field" type="text" readonly hidden>
</div>
"""

_CSS = """
.copy-link { display: flex; flex-direction: column; gap: 0.35rem; font-family: var(--st-font, sans-serif);
             font-size: var(--st-base-font-size, 1rem); color: var(--st-text-color, inherit); }
.copy-link-button { align-self: flex-start; padding: 0.3rem 0.8rem; font: inherit; font-size: 0.9em; color: inherit;
                    background: var(--st-secondary-background-color, transparent);
                    border: 1px solid var(--st-border-color, #ccc); border-radius: var(--st-button-radius, 0.5rem);
                    cursor: pointer; }
.copy-link-button:hover { border-color: var(--st-primary-color, #ff4b4b); color: var(--st-primary-color, #ff4b4b); }
.copy-link-status { font-size: 0.8em; opacity: 0.8; min-height: 1em; }
.copy-link-field { width: 100%; box-sizing: border-box; font: inherit; font-size: 0.75em; padding: 0.25rem; }
"""

_JS = """
export default function ({ data, parentElement }) {
  const root = parentElement.querySelector(".copy-link");
  if (!root || !data) return;
  const button = root.querySelector(".copy-link-button");
  const status = root.querySelector(".copy-link-status");
  const field = root.querySelector(".copy-link-field");
  button.textContent = data.copy;
  button.title = data.help;
  button.onclick = async () => {
    const url = new URL(window.location.href);
    for (const name of data.private || []) url.searchParams.delete(name);
    const link = url.toString();
    field.hidden = true;
    try {
      if (!navigator.clipboard || !window.isSecureContext) throw new Error("no clipboard here");
      await navigator.clipboard.writeText(link);
      status.textContent = data.copied;
    } catch (error) {
      // No clipboard (plain http on a classroom network): the link, selected, to copy by hand.
      field.value = link;
      field.hidden = false;
      field.focus();
      field.select();
      status.textContent = data.failed;
    }
  };
}
"""

_component = st.components.v2.component("ae_lab.copy_link", html=_HTML, css=_CSS, js=_JS)


def copy_link_button() -> None:
    # The session's training job stays out of the copied link (ui/url_state.py).
    _component(key="copy_link", data={"copy": t("link.copy"), "copied": t("link.copied"),
                                      "failed": t("link.copy_failed"), "help": t("link.help"),
                                      "private": [url_state.JOB]})
