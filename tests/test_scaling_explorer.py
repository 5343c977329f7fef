"""The explorer's per-move work: only the open tab is drawn, and the live tab's weights live outside the fragment.

What a slider release costs on the server is what a class of students multiplies (docs/scaling.md): a release on the
sliders tab must not redraw the live tab (or re-encode the decoder's weights), and the live tab, when opened, still
starts from the code the sliders made.
"""

import json

import numpy as np
import pytest
from apptest_pages import open_app

from ui.explorer_view import TABS_KEY
from ui.i18n import t


def components(at) -> dict:
    return {element.proto.component_name: element.proto for element in at.main
            if getattr(element, "proto", None).__class__.__name__ == "BidiComponent"}


def live_code(view: dict) -> np.ndarray:
    return np.asarray(view["origin"]) + sum(slider["value"] * np.asarray(slider["direction"]) for slider in view["sliders"])


def test_the_sliders_tab_draws_no_live_view_and_the_live_tab_no_sliders():
    at = open_app("explorer", "en", model_name="dense-64")
    assert not at.exception
    drawn = components(at)
    assert "ae_lab.live_decoder" not in drawn  # the live tab is closed: its view is not drawn
    assert "ae_lab.decoder_weights" in drawn  # the weights are there for when it opens
    assert at.slider(key="explorer_pc_0") is not None

    at.session_state[TABS_KEY] = t("explorer.tab_live", "en")  # what a click on the tab sends
    at.run()
    assert not at.exception
    assert "ae_lab.live_decoder" in components(at)
    assert not [slider for slider in at.slider if slider.key and slider.key.startswith("explorer_pc_")]


def test_the_live_tab_starts_from_the_code_the_sliders_made():
    at = open_app("explorer", "en", model_name="dense-64")
    slider = at.slider(key="explorer_pc_0")
    at = slider.set_value(slider.max).run()
    moved = np.asarray(at.session_state["explorer_code"])
    at.session_state[TABS_KEY] = t("explorer.tab_live", "en")
    at.run()
    view = json.loads(components(at)["ae_lab.live_decoder"].json)
    np.testing.assert_allclose(live_code(view), moved, atol=1e-3)


def descendants(node) -> list:
    children = list(getattr(node, "children", {}).values())
    return children + [grandchild for child in children for grandchild in descendants(child)]


def test_the_weights_are_drawn_outside_the_tabs_and_the_view_inside_the_live_tab():
    # The tabs are all the sliders' fragment draws: what is outside them is not redrawn (nor re-encoded) on a release.
    at = open_app("explorer", "en", model_name="dense-64")
    at.session_state[TABS_KEY] = t("explorer.tab_live", "en")
    at.run()
    inside_tabs = [node for tab in at.tabs for node in descendants(tab)]
    names = [node.proto.component_name for node in inside_tabs if node.proto.__class__.__name__ == "BidiComponent"]
    assert names == ["ae_lab.live_decoder"]
    assert "ae_lab.decoder_weights" in components(at)


def test_only_the_shown_dimensions_keep_slider_state_and_a_new_one_starts_at_the_code():
    # One session-state entry per latent dimension (64) made every widget's look-up of the state dearer on each move.
    at = open_app("explorer", "en", model_name="dense-64")
    shown = list(at.multiselect(key="explorer_dims").value)
    dim_keys = sorted(key for key in at.session_state._state._state.filtered_state if key.startswith("explorer_dim_"))
    assert dim_keys == sorted(f"explorer_dim_{dim}" for dim in shown)
    slider = at.slider(key="explorer_pc_0")
    at = slider.set_value(slider.max).run()  # every shown slider follows the code; no others appear
    code = np.asarray(at.session_state["explorer_code"])
    new_dim = next(dim for dim in range(64) if dim not in shown)
    at = at.multiselect(key="explorer_dims").select(new_dim).run()
    assert not at.exception
    added = at.slider(key=f"explorer_dim_{new_dim}")
    assert added.value == pytest.approx(min(max(code[new_dim], added.min), added.max))


def test_a_page_run_lists_the_store_once_and_resolves_one_model(monkeypatch):
    # Every part of a run reads the run's one listing and one resolved model (ui/state.py): the explorer once listed
    # the store eleven times a run, each listing a stat of every model folder. The one listing is the process's kept
    # one (store.cached_scan), a full scan only where the store changed.
    from ae_core import store
    from ae_core.store import cached_listing

    at = open_app("explorer", "en", model_name="dense-64")
    listings, full_scans = [], []

    def counting_cached_scan():
        listings.append(1)
        return original_cached_scan()

    def counting_full_scan():
        full_scans.append(1)
        return original_full_scan()

    original_cached_scan, original_full_scan = cached_listing.cached_scan, cached_listing.scan_with_unsettled
    monkeypatch.setattr(store, "cached_scan", counting_cached_scan)
    monkeypatch.setattr(cached_listing, "scan_with_unsettled", counting_full_scan)
    slider = at.slider(key="explorer_pc_0")
    at = slider.set_value(slider.max).run()
    assert not at.exception
    assert len(listings) == 1 and len(full_scans) <= 1
