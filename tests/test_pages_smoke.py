"""Every page in the registry through app.py: it runs, shows its title and no error, in both languages, with every
shipped model and with a model whose latent space has only two dimensions.

"No error" means neither an exception nor an st.error: a normal visit never shows an error box.
"""

import pytest
from apptest_pages import open_app
from two_dim_model import MODEL_NAME, trained_dir_with_2d_model

from ae_core import store
from ui.i18n import LANGUAGES, t
from ui.pages import PAGES

SHIPPED = sorted(model.name for model in store.list_models() if model.shipped)


@pytest.fixture(autouse=True)
def private_trained_dir(tmp_path_factory, monkeypatch):
    """Overrides tests/conftest.py's: the trained folder holds the 2-D model, trained once for the session."""
    folder = trained_dir_with_2d_model(tmp_path_factory)
    monkeypatch.setenv("AE_LAB_TRAINED_DIR", str(folder))
    return folder


def check_page(page, language: str, model_name: str) -> None:
    at = open_app(page.name, language, model_name=model_name)
    assert not at.exception, [exception.value for exception in at.exception]
    assert not at.error, [error.value for error in at.error]
    assert at.title[0].value == t(page.title_key, language)
    assert [box.label for box in at.sidebar.selectbox][:1] == [t("sidebar.language", language)]
    assert at.session_state["model_name"] == model_name, "the page ran with another model than the one chosen"


@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_page_renders_in_both_languages(page, language):
    check_page(page, language, "dense-64")


@pytest.mark.slow
@pytest.mark.parametrize("language", list(LANGUAGES))
@pytest.mark.parametrize("model_name", [*[name for name in SHIPPED if name != "dense-64"], MODEL_NAME])
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_every_page_renders_with_every_model(page, model_name, language):
    check_page(page, language, model_name)
