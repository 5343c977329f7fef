"""Every page in the registry through app.py: it runs, shows its title and no error, in both languages, with every
shipped model and with a model whose latent space has only two dimensions.

"No error" means neither an exception nor an st.error: a normal visit never shows an error box. And when something
does go wrong, the page says so in its own words, in the UI language, without a server path.
"""

import json
import re
from pathlib import Path

import pytest
from apptest_pages import APP, TIMEOUT_SECONDS, open_app
from streamlit.testing.v1 import AppTest
from two_dim_model import MODEL_NAME, trained_dir_with_2d_model

from ae_core import store
from ui.i18n import LANGUAGES, t
from ui.pages import PAGES

SHIPPED = sorted(model.name for model in store.list_models() if model.shipped)
PROJECT = Path(__file__).resolve().parent.parent


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
    # Every chart's toolbar speaks the page's language (ui/plotly_locale.py).
    for chart in at.get("plotly_chart"):
        assert json.loads(chart.proto.config or "{}").get("locale", "en") == language, chart.proto.id


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


def page_texts(at) -> list[str]:
    """Every sentence the page shows: markdown, captions, alerts, toasts, exceptions, titles."""
    kinds = ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success", "toast",
             "exception")
    return [str(getattr(element, "value", "")) for kind in kinds for element in getattr(at, kind)]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_no_server_path_reaches_a_page(page, private_trained_dir):
    at = open_app(page.name, "en")
    for text in page_texts(at):
        assert str(PROJECT) not in text and str(private_trained_dir) not in text and "/home/" not in text, text


def test_an_unexpected_error_shows_the_apps_own_message(monkeypatch):
    """A bug on a page: the app's message in the UI language with a reference, no traceback, no path."""
    from ae_core import reconstruction

    def broken(*args, **kwargs):
        raise RuntimeError(f"something broke in {PROJECT / 'ae_core' / 'reconstruction.py'}")

    monkeypatch.setattr(reconstruction, "reconstruct", broken)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)  # a visitor's session: no RAISE_KEY
    at.session_state["language"] = "ko"
    at.run()
    assert not at.exception, "Streamlit's own error box"
    [error] = at.error
    reference = error.value.split("참조 번호 ")[1].split("로 ")[0]
    assert error.value == t("app.unexpected_error", "ko", reference=reference)
    assert re.fullmatch(r"[0-9a-f]{6}", reference)
    assert all(str(PROJECT) not in text for text in page_texts(at))
    assert at.title[0].value == t("home.title", "ko"), "the page keeps what it drew before the error"
