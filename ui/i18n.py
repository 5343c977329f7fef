"""UI strings in Korean and English: `t(key, language, **values)`; each page's strings live in ui/strings/.

Usage: `from ui.i18n import t; t("home.code", "ko", dims=64)`
"""

from __future__ import annotations

import importlib
import pkgutil

import ui.strings

LANGUAGES = {"ko": "한국어", "en": "English"}
DEFAULT_LANGUAGE = "ko"  # the lecture's classrooms are Korean


def _collect() -> dict[str, dict[str, str]]:
    strings: dict[str, dict[str, str]] = {}
    for module_info in pkgutil.iter_modules(ui.strings.__path__):
        module = importlib.import_module(f"ui.strings.{module_info.name}")
        duplicated = strings.keys() & module.STRINGS.keys()
        if duplicated:
            raise ValueError(f"String keys defined twice: {sorted(duplicated)}")
        strings.update(module.STRINGS)
    return strings


STRINGS = _collect()


def t(key: str, language: str, **values) -> str:
    """The string for `key` in `language` (English where missing), with {placeholders} filled from values."""
    entry = STRINGS.get(key)
    if entry is None:
        raise KeyError(f"No UI string {key!r}")
    text = entry.get(language) or entry["en"]
    return text.format(**values) if values else text


def unbroken(text: str) -> str:
    """`text` with its hyphens and slashes made unbreakable ("T-shirt/top" stays on one line in a caption that wraps)."""
    return text.replace("-", "\u2011").replace("/", "/\u2060")
