"""The lesson pages in a real browser: each renders its pictures and charts without errors, and a click on a cell of
the latent grid (an invisible marker over the decoded picture) opens the explorer at that cell's code.

Uses the module's app server and Chromium from conftest.py; each test gets its own session.
Run: `.venv/bin/python -m pytest tests/e2e/test_lesson_pages.py -q`
"""

import pytest
from harness import (
    MAIN,
    error_texts,
    go_to,
    open_page,
    run_and_wait,
    title,
    wait_for_images,
    wait_for_plots,
)

from ui.i18n import t

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PLOTS = f'{MAIN} [data-testid="stPlotlyChart"] .js-plotly-plot'


def plot_count(page) -> int:
    return page.locator(PLOTS).count()


def test_every_lesson_page_draws_its_pictures_and_charts_without_errors(page, app_server):
    open_page(page, app_server, "")
    expected = {"latent_grid": (2, 0), "denoising": (1, 40), "anomalies": (2, 20), "ae_vs_pca": (1, 30)}
    for path, (plots, images) in expected.items():
        go_to(page, path)
        wait_for_images(page)
        wait_for_plots(page)
        assert plot_count(page) == plots, f"/{path}: {plot_count(page)} charts"
        assert page.locator(f'{MAIN} [data-testid="stImage"] img').count() >= images, f"/{path}: pictures missing"
        assert error_texts(page) == [], f"/{path} shows errors"
        if path == "latent_grid":  # its picture is a layout image in the chart, under the invisible cell markers
            assert page.locator(f"{PLOTS} svg image").count() == 1
    assert page.js_errors == []


def test_a_click_on_a_grid_cell_opens_the_explorer_at_that_cell(page, app_server):
    open_page(page, app_server, "latent_grid")
    wait_for_plots(page)
    # The middle of cell (row 4, column 4) of the 15×15 grid, in screen pixels, from the plot's own axes.
    position = page.evaluate(
        """() => {
            const plot = document.querySelector('[data-testid="stPlotlyChart"] .js-plotly-plot');
            const axes = plot._fullLayout._plots.xy, box = plot.getBoundingClientRect();
            return {x: box.left + axes.xaxis._offset + axes.xaxis.l2p(4.5),
                    y: box.top + axes.yaxis._offset + axes.yaxis.l2p(15 - 4.5)};
        }""")
    run_and_wait(page, lambda: page.mouse.click(position["x"], position["y"]))
    page.wait_for_function("(expected) => document.querySelector('[data-testid=\"stMain\"] h1')?.innerText.trim() === "
                           "expected", arg=t("explorer.title", "ko"), timeout=60_000)
    wait_for_images(page)
    assert title(page) == t("explorer.title", "ko")
    assert page.get_by_text(t("explorer.custom_start", "ko")).count() >= 1, "the explorer did not start from the cell"
    assert error_texts(page) == []
