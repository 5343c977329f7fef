"""The Models page's training form: one widget per training setting (ae_core/config.py), the lecture's recipe by
default, and typed numbers checked by the page so that every mistake gets a message in the user's language.

Each setting's widget follows from what its definition says: a yes/no setting is a checkbox, a text with choices (or a
number the form offers a list of) a selectbox, a number with offered levels a slider over them, a whole number a
number input, any other number a text field. Its label is the string `setting.<name>`, its help `setting.<name>.help`
where there is one, else its range.

Usage: `request = training_form(manager.taken_names())`  # a TrainingRequest on a submit that parses, else None
"""

from __future__ import annotations

import streamlit as st

from ae_core.config import SETTINGS, Setting
from ae_core.training.request import TrainingRequest, free_name
from ui import i18n, state
from ui.formatting import parse_number
from ui.layout import flowing_columns
from ui.plain_text import literal
from ui.state import t

GROUPS = ("recipe", "variant")  # the form's two sections, in the settings' order within each
FORM_KEY = "models_train_form"
# An optional setting's "none" in its selectbox: not None, which a selectbox shows as "no choice" once its labels
# change language.
NONE_OPTION = "none"


def widget_key(setting: Setting) -> str:
    # A keyed selectbox keeps showing its old labels after a language switch: one key per language avoids that.
    translated = widget_kind(setting) == "choice"
    return f"models_{setting.name}" + (f"_{state.language()}" if translated else "")


def _help(setting: Setting) -> str | None:
    key = f"setting.{setting.name}.help"
    if key in i18n.STRINGS:
        return t(key)
    return t("models.range_help", low=setting.bounds[0], high=setting.bounds[1]) if setting.bounds else None


def widget_kind(setting: Setting) -> str:
    """Which widget offers `setting`: "checkbox", "toggle", "choice", "offered", "slider", "number" or "text"."""
    if setting.type is bool or setting.widget == "toggle":
        return "checkbox" if setting.type is bool else "toggle"
    if setting.choices or setting.optional:
        return "choice"
    if setting.offered:
        return "offered" if setting.type is int else "slider"
    return "number" if setting.type is int else "text"


def _widget(column, setting: Setting):
    """Draws the setting's widget in `column`; what it holds (text for a number typed as text)."""
    label, key, help_text = t(f"setting.{setting.name}"), widget_key(setting), _help(setting)
    kind = widget_kind(setting)
    if kind == "toggle":  # ticked is the second choice
        ticked = column.checkbox(label, value=setting.default == setting.choices[1], key=key, help=help_text)
        return setting.choices[1] if ticked else setting.choices[0]
    if kind == "choice":
        options = list(setting.choices) or [NONE_OPTION, *range(setting.bounds[0], setting.bounds[1] + 1)]
        # Labels made now, not in format_func: it may also be called outside this run, where t() has no session.
        labels = {option: t(setting.label_key(None if option == NONE_OPTION else option)) for option in options}
        default = NONE_OPTION if setting.default is None else setting.default
        chosen = column.selectbox(label, options, index=options.index(default), format_func=labels.get, key=key,
                                  help=help_text)
        return None if chosen == NONE_OPTION else chosen
    draw = {
        "checkbox": lambda: column.checkbox(label, value=setting.default, key=key, help=help_text),
        "offered": lambda: column.selectbox(label, setting.offered, index=setting.offered.index(setting.default),
                                            key=key, help=help_text),
        "slider": lambda: column.select_slider(label, setting.offered, value=setting.default, key=key, help=help_text),
        # No min or max: with them, Streamlit refuses a value typed out of range with an English tooltip and keeps the
        # old one; without, the range check says what is wrong in the user's language.
        "number": lambda: column.number_input(label, value=setting.default, step=1, key=key, help=help_text),
        "text": lambda: column.text_input(label, str(setting.default), key=key, help=help_text),
    }
    return draw[kind]()


def training_form(taken_names) -> TrainingRequest | None:
    """Draws the form; after a submit, the request it describes, or None once it has said which field is not a number.

    Ranges are checked where every request is (ae_core.training.request): the page shows those problems when it starts
    the job. Whatever is typed reaches that check: the number inputs have no bounds of their own, and numbers that are
    not whole are typed as text (see ui.formatting.parse_number).
    """
    shown: dict[str, object] = {}
    with st.form(FORM_KEY):
        name = st.text_input(t("models.name"), key="models_name", placeholder="my-model", help=t("models.name_help"))
        for group in GROUPS:
            settings = [setting for setting in SETTINGS if setting.group == group]
            if group != GROUPS[0]:
                st.markdown(f"**{t(f'models.group.{group}')}**", help=t(f"models.group.{group}.help"))
            columns = flowing_columns(3, key=f"models_form_{group}", min_width="12rem", vertical_alignment="bottom")
            for number, setting in enumerate(settings):
                shown[setting.name] = _widget(columns[number % len(columns)], setting)
        submitted = st.form_submit_button(t("models.start"), type="primary", key="models_start")
    if not submitted:
        return None

    values, unreadable = {}, False
    for setting in SETTINGS:
        value = shown[setting.name]
        if setting.requires and not shown[setting.requires]:
            value = setting.default  # it does not apply (β without a VAE)
        elif isinstance(value, str) and setting.type is float:
            number = parse_number(value)
            if number is None:
                st.error(t("models.error.not_a_number", field=t(f"setting.{setting.name}"), value=literal(value)))
                unreadable = True
            value = number
        elif setting.type is int and value is not None:
            value = int(value)
        elif setting.type is float:
            value = float(value)
        values[setting.name] = value
    if unreadable:
        return None
    base = f"{'vae-' if values['variational'] else ''}{values['arch']}-{values['latent_dim']}"
    return TrainingRequest(name.strip() or free_name(base, taken_names), **values)
