"""What a person asks to train: a name and a value for every training setting (ae_core/config.py, where each is defined
once), and everything wrong with it, as Problems that the page shows in its own language.

Usage: `problems = request_problems(TrainingRequest("my-dense", latent_dim=32), taken_names={"dense-64"})`
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable

from ae_core import config
from ae_core.config import ConfigError, Problem
from ae_core.store import ModelStoreError, validate_name


def _model_config(self) -> config.ModelConfig:
    return config.split(self.settings())[0]


def _train_config(self) -> config.TrainConfig:
    return config.split(self.settings())[1]


def _settings(self) -> dict:
    """The request's value of every setting, by name (what the child's command line carries)."""
    return {setting.name: getattr(self, setting.name) for setting in config.SETTINGS}


# TrainingRequest(name, **settings): one keyword field per training setting, with its default (the lecture's recipe).
TrainingRequest = dataclasses.make_dataclass(
    "TrainingRequest",
    [("name", str), *((setting.name, setting.type | None if setting.optional else setting.type,
                       dataclasses.field(default=setting.default, kw_only=True)) for setting in config.SETTINGS)],
    frozen=True,
    namespace={"__module__": __name__, "model_config": _model_config, "train_config": _train_config,
               "settings": _settings},
)


class InvalidRequestError(ConfigError):
    """A request that cannot run; `problems` says every reason."""


def request_problems(request: TrainingRequest, taken_names: Iterable[str]) -> list[Problem]:
    """Everything wrong with `request`, in the form's order; empty when it can run."""
    problems = []
    try:
        validate_name(request.name)
    except ModelStoreError:
        problems.append(Problem("name", "invalid", {"value": request.name}))
    if request.name in set(taken_names):
        problems.append(Problem("name", "taken", {"value": request.name}))
    return problems + config.setting_problems(request.settings())


def free_name(base: str, taken: Iterable[str]) -> str:
    """`base-1`, `base-2`, ...: the first that is not taken (the form's name when the field is left empty)."""
    taken = set(taken)
    return next(f"{base}-{number}" for number in itertools.count(1) if f"{base}-{number}" not in taken)
