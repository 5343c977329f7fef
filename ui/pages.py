"""The app's pages, in one list: app.py's navigation, the home page's links, page switches, the tests and the
browser harness all read it. Adding a page is one line here (and its file in views/, its strings in ui/strings/).

Usage: `st.navigation(navigation(t)).run()`; `switch_to("explorer")`; `[page.name for page in PAGES]`
"""

from __future__ import annotations

from dataclasses import dataclass

HOME = "home"


@dataclass(frozen=True)
class PageInfo:
    name: str  # also its url path; the home page, the default, lives at "/"
    icon: str
    nav_key: str  # its name in the sidebar (ui/strings)
    title_key: str  # the heading it shows
    blurb_key: str | None = None  # one line on the home page, under a link to it

    @property
    def file(self) -> str:
        return f"views/{self.name}.py"

    @property
    def url_path(self) -> str:
        return "" if self.name == HOME else self.name


PAGES = (
    PageInfo(HOME, ":material/school:", "nav.home", "home.title"),
    PageInfo("reconstructions", ":material/compare:", "nav.reconstructions", "recon.title", "home.go.reconstructions"),
    PageInfo("explorer", ":material/tune:", "nav.explorer", "explorer.title", "home.go.explorer"),
    PageInfo("latent_map", ":material/scatter_plot:", "nav.latent_map", "map.title", "home.go.latent_map"),
    PageInfo("latent_grid", ":material/grid_view:", "nav.latent_grid", "grid.title", "home.go.latent_grid"),
    PageInfo("denoising", ":material/blur_off:", "nav.denoising", "denoise.title", "home.go.denoising"),
    PageInfo("anomalies", ":material/troubleshoot:", "nav.anomalies", "anomaly.title", "home.go.anomalies"),
    PageInfo("ae_vs_pca", ":material/compress:", "nav.ae_vs_pca", "pca.title", "home.go.ae_vs_pca"),
    PageInfo("garment", ":material/draw:", "nav.garment", "garment.title", "home.go.garment"),
    PageInfo("models", ":material/model_training:", "nav.models", "models.title", "home.go.models"),
)
BY_NAME = {page.name: page for page in PAGES}


def navigation(translate) -> list:
    """st.Page objects for st.navigation, titled by `translate(key)`."""
    import streamlit as st

    return [st.Page(page.file, title=translate(page.nav_key), icon=page.icon, url_path=page.url_path or None,
                    default=page.name == HOME) for page in PAGES]


def switch_to(name: str) -> None:
    """Go to another page of the app in this session (its state comes along)."""
    import streamlit as st

    st.switch_page(BY_NAME[name].file)


def link(name: str, label: str) -> None:
    import streamlit as st

    page = BY_NAME[name]
    st.page_link(page.file, label=label, icon=page.icon)
