import string

import pytest

from ui.i18n import LANGUAGES, STRINGS, t


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_string_exists_in_both_languages_with_the_same_placeholders(key):
    entry = STRINGS[key]
    assert set(entry) == set(LANGUAGES), f"{key} is missing a language"
    assert all(entry[language].strip() for language in LANGUAGES)
    assert placeholders(entry["ko"]) == placeholders(entry["en"]), f"{key}: placeholders differ between ko and en"


def test_translation_fills_placeholders_and_unknown_keys_fail_loudly():
    assert t("home.code", "ko", dims=64) == "잠재 벡터 (64개의 값)"
    assert t("home.code", "en", dims=64) == "Latent vector (64 numbers)"
    with pytest.raises(KeyError):
        t("no.such.key", "en")
