"""Links (ui/url_state.py) through AppTest: the URL follows the session, a link opens what its sender saw, and a
malformed or stale link opens the page in its default state with a notice in the UI language, never an error.

A link is opened as a new browser would: a fresh session whose first run carries the query string.
"""

import base64

import numpy as np
import pytest
from apptest_pages import APP, TIMEOUT_SECONDS
from streamlit.testing.v1 import AppTest

from ae_core import latent, pictures, store
from ui import url_state
from ui.errors import RAISE_KEY
from ui.i18n import t
from ui.pages import BY_NAME, HOME


def open_link(page: str, query: dict[str, str]) -> tuple[AppTest, list[str]]:
    """A new session opening /<page>?<query>, and the notices it showed.

    The page is reached after a first run of the home page, as tests/apptest_pages.py does; a browser shows the
    first run's notices on the linked page itself.
    """
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    at.session_state[RAISE_KEY] = True
    at.query_params.update(query)
    at.run()
    shown = notices(at)
    if page != HOME:
        at.switch_page(BY_NAME[page].file).run()
        shown += notices(at)
    assert not at.exception, [exception.value for exception in at.exception]
    assert not at.error, [error.value for error in at.error]
    return at, shown


def notices(at: AppTest) -> list[str]:
    return [toast.value for toast in at.toast]


def code_text(values) -> str:
    return base64.urlsafe_b64encode(np.asarray(values, dtype="<f4").tobytes()).rstrip(b"=").decode()


def decoded_picture(at: AppTest) -> str:
    """The decoded picture's source on the explorer (a data URL of its PNG)."""
    [image] = [image for image in at.image if image.captions == [t("explorer.decoded", at.session_state["language"])]]
    return image.value[0]


@pytest.fixture(scope="module")
def decoder():
    return latent.CompiledDecoder(store.load_model("dense-64"))


# ---------------------------------------------------------------------------------------------------------------
# Codes in text


def test_a_code_survives_the_url_exactly_as_float32():
    code = np.random.default_rng(3).normal(size=64) * 10
    text = url_state.encode_code(code)
    assert len(text) == 342 and set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    np.testing.assert_array_equal(url_state.decode_code(text), code.astype(np.float32))


@pytest.mark.parametrize("text", ["", "!!!!", "AAAA", "A" * 5000, code_text([np.nan] * 4), code_text([np.inf]),
                                  code_text([1e6, 0.0]), "AAAAA"])
def test_text_that_is_no_code_is_refused(text):
    with pytest.raises(ValueError):
        url_state.decode_code(text)


# ---------------------------------------------------------------------------------------------------------------
# The URL follows the session, and a link opens the same picture


def test_the_url_follows_the_language_model_and_explorer():
    at, _ = open_link("explorer", {})
    assert at.query_params["lang"] == "ko" and at.query_params["model"] == "dense-64"
    assert at.query_params["img"] == "0"
    np.testing.assert_array_equal(url_state.decode_code(at.query_params["z"]),
                                  np.float32(at.session_state["explorer_code"]))
    pc0 = at.slider(key="explorer_pc_0")
    at = pc0.set_value(pc0.value + 3.0).run()
    np.testing.assert_array_equal(url_state.decode_code(at.query_params["z"]),
                                  np.float32(at.session_state["explorer_code"]))
    at.session_state["language"] = "en"
    at = at.run()
    assert at.query_params["lang"] == "en"
    at = at.switch_page(BY_NAME["reconstructions"].file).run()
    assert "z" not in at.query_params and "img" not in at.query_params and at.query_params["lang"] == "en"


def test_a_link_opens_the_same_decoded_image_byte_for_byte(decoder):
    sender, _ = open_link("explorer", {"lang": "en"})
    sender = sender.number_input(key="explorer_index_input").set_value(123).run()
    for axis, move in ((0, 2.345678), (2, -1.234567)):
        slider = sender.slider(key=f"explorer_pc_{axis}")
        sender = slider.set_value(slider.value + move).run()
    link = dict(sender.query_params)
    receiver, shown = open_link("explorer", link)
    assert receiver.session_state["language"] == "en" and receiver.title[0].value == "Latent explorer"
    assert receiver.session_state["explorer_index"] == 123
    assert decoded_picture(receiver) == decoded_picture(sender)
    # The very bytes: the picture (a data URL) is the PNG of the decode of the link's float32 code.
    assert decoded_picture(receiver) == pictures.image_data_url(latent.decode(decoder, url_state.decode_code(link["z"])), 8)
    assert shown == []


def test_a_link_keeps_the_language_and_presenter_mode_across_a_refresh():
    at, _ = open_link("home", {"lang": "en", "present": "1"})
    assert at.title[0].value == t("home.title", "en")
    assert at.toggle(key="presenter").value is True
    assert at.query_params["present"] == "1"
    assert any("font-size: 21px" in html.proto.body for html in at.get("html"))
    at.toggle(key="presenter").set_value(False).run()
    assert "present" not in at.query_params


def test_a_code_without_an_image_is_the_start():
    code = np.linspace(0.0, 3.0, 64)
    at, _ = open_link("explorer", {"model": "dense-64", "z": code_text(code)})
    np.testing.assert_array_equal(at.session_state["explorer_code"], np.float32(code))
    assert any(image.captions == [t("explorer.custom_start", "ko")] for image in at.image)
    assert "img" not in at.query_params


# ---------------------------------------------------------------------------------------------------------------
# Malformed and stale links: the default state, a notice, no error

GOOD_CODE = code_text(np.ones(64))
MALFORMED = {
    "unknown language": ({"lang": "xx"}, ["language"]),
    "language in capitals": ({"lang": "EN"}, ["language"]),
    "empty language": ({"lang": ""}, ["language"]),
    "unknown model": ({"model": "no-such-model"}, ["model"]),
    "model as a path": ({"model": "../models/dense-64"}, ["model"]),
    "negative image": ({"img": "-1"}, ["image"]),
    "image past the test set": ({"img": "10000"}, ["image"]),
    "huge image number": ({"img": "99999999999"}, ["image"]),
    "image not a number": ({"img": "abc"}, ["image"]),
    "image in exponent form": ({"img": "1e3"}, ["image"]),
    "image in full-width digits": ({"img": "１２"}, ["image"]),
    "image in Arabic-Indic digits": ({"img": "٣"}, ["image"]),
    "image in Devanagari digits": ({"img": "४२"}, ["image"]),
    "code of the wrong length": ({"z": code_text(np.ones(32))}, ["code"]),
    "code with NaN": ({"z": code_text([np.nan] * 64)}, ["code"]),
    "code with infinity": ({"z": code_text([np.inf] + [0.0] * 63)}, ["code"]),
    "code with huge values": ({"z": code_text(np.full(64, 1e9))}, ["code"]),
    "code not base64": ({"z": "%%%not-base64%%%"}, ["code"]),
    "code cut short": ({"z": GOOD_CODE[:-3]}, ["code"]),
    "code far too long": ({"z": "A" * 100_000}, ["code"]),
    "code of an unknown model": ({"model": "gone", "z": GOOD_CODE}, ["model"]),
    "presenter neither 0 nor 1": ({"present": "yes"}, ["present"]),
    "a training this server does not know": ({"job": "job-AAAAAAAAAAAAAAAA"}, ["job"]),
    "a job id far too long": ({"job": "job-" + "A" * 5000}, ["job"]),
    "everything wrong at once": ({"lang": "zz", "model": "x", "img": "-5", "z": "!", "present": "2"},
                                 ["language", "model", "present", "image", "code"]),
}


@pytest.mark.parametrize("query, problems", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_link_opens_the_default_page_with_a_notice(query, problems):
    at, shown = open_link("explorer", query)
    language = at.session_state["language"]
    assert language == "ko", "the default language"
    assert at.session_state["model_name"] == "dense-64", "the default model"
    assert at.session_state["explorer_index"] == 0, "the default start image"
    [notice] = shown
    assert notice == t("link.ignored", language, parts=", ".join(t(f"link.part.{name}", language) for name in problems))
    # The URL is repaired: what the session shows, not what the link said.
    assert at.query_params["lang"] == "ko" and at.query_params["model"] == "dense-64"
    assert at.query_params["img"] == "0"
    # And it is said once, not on every rerun.
    at = at.slider(key="explorer_pc_0").set_value(1.0).run()
    assert notices(at) == []


@pytest.mark.parametrize("text", ["１２", "٣", "४२", "12\n", " 12", "+12", "1_000", ""])
def test_an_image_number_is_ascii_digits_only(text):
    with pytest.raises(ValueError):
        url_state.parse_index(text)
    assert [url_state.parse_index(number) for number in ("0", "12", "9999")] == [0, 12, 9999]


def test_a_link_that_is_partly_right_keeps_the_right_part():
    at, shown = open_link("explorer", {"lang": "en", "model": "conv-64", "img": "77", "z": code_text(np.ones(3))})
    assert at.session_state["language"] == "en" and at.session_state["model_name"] == "conv-64"
    assert at.session_state["explorer_index"] == 77
    assert shown == [t("link.ignored", "en", parts=t("link.part.code", "en"))]


def test_an_image_past_the_test_set_is_noticed_where_the_explorer_opens():
    at, shown = open_link("latent_map", {"lang": "en", "img": "12345"})
    assert at.title[0].value == t("map.title", "en") and shown == []
    # The image number is checked against the test set by the explorer, which says so when it opens.
    at = at.switch_page(BY_NAME["explorer"].file).run()
    assert notices(at) == [t("link.ignored", "en", parts=t("link.part.image", "en"))]
    assert at.query_params["img"] == "0"
