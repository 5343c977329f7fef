"""The home page through AppTest: one test image through the active model, in both languages."""

from apptest_pages import open_app
from streamlit.testing.v1 import AppTest


def open_home(language: str, model_name: str = "dense-64") -> AppTest:
    return open_app("home", language, model_name)


def test_home_shows_an_image_its_latent_vector_and_its_reconstruction():
    at = open_home("ko")
    assert not at.exception and not at.error
    assert at.title[0].value == "오토인코더 실험실"
    assert at.session_state["home_index"] in range(10_000)
    captions = [element.value for element in at.caption]
    assert "잠재 벡터 (64개의 값)" in captions


def test_another_image_button_picks_a_new_index_and_english_follows_the_language():
    at = open_home("en", "conv-64")
    seen = {at.session_state["home_index"]}
    for _ in range(3):
        at.button(key="home_another").click().run()
        seen.add(at.session_state["home_index"])
    assert len(seen) > 1, "the button never changed the image"
    assert at.title[0].value == "Autoencoder Lab"
    assert not at.exception
