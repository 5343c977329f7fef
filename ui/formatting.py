"""Values as the pages show them: durations, times, the stored models as table rows, training problems as sentences.

Usage: `format_duration(754)` → "12:34"; `model_rows(models, "dense-64")`; `problem_text(problem)`
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from ae_core.config import ARCHITECTURES, Problem
from ae_core.store import StoredModel
from ui.state import t


def format_duration(seconds: float | None) -> str:
    """`0:07`, `12:34`, `1:02:03`; `–` for an unknown duration."""
    if seconds is None:
        return "–"
    minutes, whole_seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{whole_seconds:02d}" if hours else f"{minutes}:{whole_seconds:02d}"


def short_time(iso_time: str | None) -> str | None:
    """'2026-05-01T12:34:56+00:00' -> '2026-05-01 12:34 UTC' (the store writes UTC times)."""
    if not iso_time:
        return None
    try:
        moment = datetime.fromisoformat(iso_time)
    except ValueError:
        return iso_time
    return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.tzinfo else "")


def arch_label(arch: str) -> str:
    return t(f"arch.{arch}") if arch in ARCHITECTURES else arch


def origin_label(shipped: bool) -> str:
    return t("model.shipped" if shipped else "model.trained")


def model_rows(models: Iterable[StoredModel], active_name: str | None) -> list[dict]:
    """One row per stored model for st.dataframe, in the session's language."""
    return [{
        "active": model.name == active_name,
        "name": model.name,
        "arch": arch_label(model.arch),
        "latent_dim": model.latent_dim,
        "val_mse": model.val_mse,
        "epochs": model.epochs_completed,
        "training_seconds": model.training_seconds,
        "created": short_time(model.created),
        "origin": origin_label(model.shipped),
    } for model in models]


def problem_text(problem: Problem) -> str:
    """A training request's problem as a sentence in the session's language."""
    if problem.field == "name":
        return t("models.error.bad_name" if problem.code == "invalid" else "models.error.name_taken", **problem.values)
    return t(f"models.error.{problem.field}", **problem.values)
