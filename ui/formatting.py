"""Values as the pages show them: durations, times, the stored models as table rows, training problems as sentences;
and numbers as people type them.

Usage: `format_duration(754)` → "12:34"; `model_rows(models, "dense-64")`; `problem_text(problem)`; `parse_number("1e-3")`
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

from ae_core.config import ARCHITECTURES, Problem
from ae_core.store import StoredModel
from ae_core.store.kinds import excluded_class, model_kind, noise_std
from ui.plain_text import literal
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


def arch_label(arch: str, variational: bool = False) -> str:
    """The architecture's name; the dense one is the lecture's only when it is not a VAE (whose halves are deeper)."""
    if arch == "dense" and variational:
        return t("arch.dense_vae")
    return t(f"arch.{arch}") if arch in ARCHITECTURES else arch


def kind_label(model: StoredModel) -> str:
    """Plain, VAE (with its β), denoising (with its noise) or trained without a class, in the session's language."""
    kind = model_kind(model)
    values = {"beta": model.config.beta, "noise": noise_std(model), "label": ""}
    if kind == "leave_one_out":
        values["label"] = t(f"class.{excluded_class(model)}")
    return t(f"models.kind.{kind}", **values)


def recipe_text(model: StoredModel) -> str:
    """How a stored model was trained, in one line: epochs, batch size, learning rate and its kind."""
    config = model.train_config
    return t("models.recipe", epochs=config.get("epochs", "–"), batch=config.get("batch_size", "–"),
             rate=config.get("learning_rate", "–"), kind=kind_label(model))


def origin_label(shipped: bool) -> str:
    return t("model.shipped" if shipped else "model.trained")


def model_summary(model: StoredModel) -> str:
    """One line under the sidebar's model: its architecture and kind, latent size, epochs and origin."""
    parts = [arch_label(model.arch, model.config.variational)]
    if model_kind(model) != "plain":
        parts.append(kind_label(model))
    epochs = model.epochs_completed if model.epochs_completed is not None else "–"
    parts += [f"{t('model.latent_dim')} {model.latent_dim}", f"{t('model.epochs')} {epochs}", origin_label(model.shipped)]
    return " · ".join(parts)


def model_rows(models: Iterable[StoredModel], active_name: str | None) -> list[dict]:
    """One row per stored model for st.dataframe, in the session's language."""
    return [{
        "active": model.name == active_name,
        "name": model.name,
        "arch": arch_label(model.arch, model.config.variational),
        "kind": kind_label(model),
        "latent_dim": model.latent_dim,
        "val_mse": model.val_mse,
        "epochs": model.epochs_completed,
        "training_seconds": model.training_seconds,
        "created": short_time(model.created),
        "origin": origin_label(model.shipped),
    } for model in models]


def problem_text(problem: Problem) -> str:
    """A training request's problem as a sentence in the session's language."""
    # The values are what someone typed (or a child read from its command line): shown as written.
    values = {key: literal(value) if isinstance(value, str) else value for key, value in problem.values.items()}
    if problem.field == "name":
        return t("models.error.bad_name" if problem.code == "invalid" else "models.error.name_taken", **values)
    return t(f"models.error.{problem.code}", field=t(f"setting.{problem.field}"), **values)


def parse_number(text: str) -> float | None:
    """A number as typed: "0.001", "1e-3", " 2E-3 ", or "0,001" with a decimal comma; None when it is none (or inf/NaN).

    The form takes the learning rate and β as text: Streamlit 1.67's number_input refuses an out-of-range value in the
    browser with an English tooltip and silently keeps the old one, so "start training" seemed to do nothing; as text,
    the page itself says what is wrong, in the user's language.
    """
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None
