"""Every page in the registry, in both languages, through app.py: it runs, shows its title and no error."""

import pytest
from apptest_pages import open_app

from ui.i18n import LANGUAGES, t
from ui.pages import PAGES


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_page_renders_in_both_languages(page, language):
    at = open_app(page.name, language)
    assert not at.exception, [exception.value for exception in at.exception]
    assert not at.error, [error.value for error in at.error]
    assert at.title[0].value == t(page.title_key, language)
    assert [link.label for link in at.sidebar.selectbox][:1] == [t("sidebar.language", language)]
