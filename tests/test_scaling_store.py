"""A page run costs the same whatever the number of stored models: no page reads the store per model (the listing is
the process's kept one, ae_core/store/cached_listing.cached_scan), so a term of 1,000 models makes no run dearer in file
system calls. What a page does with the listing (the sidebar's model list, the models table, the AE vs PCA chart, the
pickers) is work in memory."""

import pytest
from apptest_pages import open_app
from test_store_cached_listing import STORE_SIZE, file_system_calls, write_folder

from ae_core import store
from ae_core.store import cached_listing
from ui.pages import PAGES

# A warm run of any page asks the store's two roots and nothing else of the store; a little room for a page that
# looks at one folder (its model's) is left.
MOST_STORE_CALLS = 6


@pytest.mark.slow
def test_no_page_run_reads_the_store_per_model(private_trained_dir, monkeypatch):
    monkeypatch.setattr(cached_listing, "RACY_SECONDS", 0.0)  # kept at once: no clock tick is waited out here
    for number in range(STORE_SIZE - len(store.scan().models)):
        write_folder(private_trained_dir / f"term-{number:04d}")
    calls = {}
    for page in PAGES:
        # A page's first run in this process makes its caches; the app's first run also makes the job manager's
        # .jobs/ in the trained folder, which changes its root: the run after lists the store in full once more.
        at = open_app(page.name, "ko", model_name="dense-64").run()
        assert not at.exception, page.name
        assert len(at.sidebar.selectbox(key="model_name").options) == STORE_SIZE
        with file_system_calls(under=store.store_roots()) as counts:
            at.run()
        assert not at.exception, page.name
        calls[page.name] = sum(counts.values())
    assert max(calls.values()) <= MOST_STORE_CALLS, calls  # before: 3,000 lstat calls for the listing alone
