"""End to end in a real browser: every page renders without errors, the explorer's slider redraws the decoded image,
the language switch changes the text, and a shared link works on a freshly started server.

One app server and one headless Chromium (Debian's) for the module; each test gets its own session.
Run: `.venv/bin/python -m pytest tests/e2e -q`  (15-40 s on 2 busy CPU cores)
"""

import pytest
from harness import (
    DECODED_IMAGE,
    LIVE_CANVAS,
    MAIN,
    NAV_LINKS,
    SIDEBAR,
    error_texts,
    go_to,
    language_selectbox,
    open_page,
    run_and_wait,
    set_language,
    title,
    wait_for_images,
    wait_for_plots,
)

from ui.i18n import t
from ui.pages import BY_NAME

pytestmark = [pytest.mark.slow, pytest.mark.browser]



def check_home(page) -> None:
    wait_for_images(page)
    assert page.locator(f'{MAIN} [data-testid="stImage"] img').count() >= 2, "no original and reconstruction"
    page.locator(f'{MAIN} [data-testid="stVegaLiteChart"]').first.wait_for()  # the latent vector's bar chart
    assert page.locator(f'{MAIN} [data-testid="stPageLink"]').count() >= 4, "links to the other pages are missing"


def check_models(page) -> None:
    page.locator(f'{MAIN} [data-testid="stForm"]').wait_for()
    assert page.locator(f'{MAIN} [data-testid="stForm"] [data-testid="stFormSubmitButton"]').is_visible()
    assert page.locator(f'{MAIN} [data-testid="stDataFrame"]').first.is_visible(), "the stored models' table is missing"


def check_reconstructions(page) -> None:
    wait_for_images(page)
    images = page.locator(f'{MAIN} [data-testid="stImage"] img')
    # 10 originals, 10 reconstructions and 10 error maps by default, plus the colour scale.
    assert images.count() >= 30, f"only {images.count()} images on the reconstructions page"
    assert images.first.is_visible()


def check_explorer(page) -> None:
    wait_for_images(page)
    assert page.locator(f'{MAIN} [data-testid="stSlider"]').count() >= 5
    assert page.locator(".st-key-explorer_pc_0 input[type=range]").count() == 1
    assert page.locator(DECODED_IMAGE).is_visible()


def check_latent_map(page) -> None:
    wait_for_plots(page)
    points = page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot =>
               (plot._fullData || []).reduce((total, trace) => total + (trace.x ? trace.x.length : 0), 0))""")
    assert points, "no plotly chart on the latent map"
    assert points[0] >= 1000, f"the latent map shows only {points[0]} points"
    assert page.locator(".js-plotly-plot").first.is_visible()


# The default page first: it is the one "/" opens.
CHECKS = {"home": check_home, "reconstructions": check_reconstructions, "explorer": check_explorer,
          "latent_map": check_latent_map, "models": check_models}


def test_a_shared_link_opens_the_whole_app_on_a_fresh_server(first_visit):
    """The first visitor after a restart who follows a link to /explorer gets the app's sidebar and navigation.

    Streamlit runs a page file on its own, without app.py (no sidebar, no language choice, navigation built from
    file names), while no session has yet called st.navigation and a folder named `pages/` sits beside app.py.
    """
    assert t("sidebar.language", "ko") in first_visit.sidebar_text, (
        f"The first visit to /{first_visit.path} ran the page without app.py: no language selectbox in the sidebar "
        f"(sidebar: {first_visit.sidebar_text!r}; navigation links: {first_visit.nav_links}). Streamlit treats a "
        "'pages/' folder beside the entry script as a legacy multipage app until some session calls st.navigation.")
    assert not any(link.rstrip("/").endswith("/app") for link in first_visit.nav_links)


def test_the_active_model_survives_a_page_change_on_a_fresh_server(first_visit):
    """The sidebar's model stays the same when an early session changes pages (it fell back to the first option)."""
    (_, before), (_, after) = first_visit.model_choices
    assert before == after, f"the active model changed from {before} to {after} on a page change: {first_visit}"


def test_every_page_renders_its_content_without_errors(page, app_server):
    open_page(page, app_server, "")
    for path, check in CHECKS.items():
        if path != "home":  # the default page, already open
            go_to(page, path)
        assert title(page) == t(BY_NAME[path].title_key, "ko"), f"/{path} shows the wrong page"
        check(page)
        assert error_texts(page) == [], f"/{path} shows errors"
    assert page.js_errors == [], "uncaught JavaScript errors"


def test_moving_a_latent_slider_redraws_the_decoded_image(page, app_server):
    open_page(page, app_server, "explorer")
    wait_for_images(page)
    thumb = page.locator(".st-key-explorer_pc_0 input[type=range]")
    image = page.locator(DECODED_IMAGE)
    value_before, source_before = thumb.input_value(), image.get_attribute("src")
    # The far end of the axis is a large move whatever the starting image is; from the far end, go to the other one.
    key = "Home" if float(value_before) >= float(thumb.get_attribute("max")) - 1e-9 else "End"
    thumb.focus()
    run_and_wait(page, lambda: thumb.press(key))
    page.wait_for_function("([selector, before]) => document.querySelector(selector)?.getAttribute('src') !== before",
                           arg=[DECODED_IMAGE, source_before], timeout=30_000)
    assert thumb.input_value() != value_before
    assert image.get_attribute("src") != source_before
    wait_for_images(page)
    assert error_texts(page) == []


def test_switching_the_language_translates_the_sidebar_and_the_page(page, app_server):
    open_page(page, app_server, "reconstructions")
    sidebar_label = language_selectbox(page).locator('[data-testid="stWidgetLabel"]')
    assert sidebar_label.inner_text().strip() == t("sidebar.language", "ko")
    assert title(page) == t("recon.title", "ko")

    set_language(page, "en")
    assert sidebar_label.inner_text().strip() == t("sidebar.language", "en")
    assert title(page) == t("recon.title", "en")
    assert any(t("nav.explorer", "en") in link for link in page.locator(NAV_LINKS).all_inner_texts())

    go_to(page, "explorer")  # the choice is the session's: it holds on other pages
    assert title(page) == t("explorer.title", "en")
    assert t("sidebar.model", "en") in page.locator(SIDEBAR).inner_text()

    set_language(page, "ko")
    assert title(page) == t("explorer.title", "ko")
    assert error_texts(page) == []


def test_dragging_a_live_slider_redraws_the_canvas_before_release(page, app_server):
    """The live tab decodes in the browser: the canvas is redrawn while the mouse button is still down."""
    open_page(page, app_server, "explorer")
    page.get_by_role("tab", name=t("explorer.tab_live", "ko")).click()
    canvas = page.locator(LIVE_CANVAS)
    canvas.wait_for()
    page.wait_for_function("(canvas) => Number(canvas.dataset.frame) >= 1", arg=canvas.element_handle())
    frames_before, picture_before = int(canvas.get_attribute("data-frame")), canvas.evaluate("c => c.toDataURL()")
    slider = page.locator('.live-decoder-sliders input[type="range"]').first
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.1, y)
    page.mouse.down()
    for step in range(1, 9):  # a drag to the far end, in small moves
        page.mouse.move(box["x"] + box["width"] * (0.1 + 0.1 * step), y)
        page.wait_for_timeout(30)
    page.wait_for_function(f"(canvas) => Number(canvas.dataset.frame) > {frames_before}", arg=canvas.element_handle())
    redrawn_while_held = int(canvas.get_attribute("data-frame")) - frames_before
    picture_while_held = canvas.evaluate("c => c.toDataURL()")
    run_and_wait(page, page.mouse.up)  # the release is sent to the server, which adopts it as the current code
    assert redrawn_while_held >= 1
    assert picture_while_held != picture_before, "the canvas was redrawn with the same picture"
    assert error_texts(page) == []
    assert page.js_errors == []
