"""Every training setting, defined once: a field of ModelConfig or TrainConfig with its default, its limits and how
it is offered. The CLI's options (ae_core/cli.py), the form's widgets and defaults (ui/training_form.py), the request
a page submits (ae_core/training/request.py: TrainingRequest is made from these fields) and the command line the job
manager gives its child (ae_core/training/runners.py) are all derived from them.

Adding a training option is its field here (with `setting(...)`), its use (the trainer, or a model builder), and its
strings: `setting.<name>` (the form's label) and, where it helps, `setting.<name>.help` (ui/strings/settings.py).

A value out of range is a `Problem` (which field, and the values a message needs): the CLI prints its English
message, the page shows its own translated one. ModelConfig and TrainConfig raise ConfigError listing them.

Usage: `ModelConfig("dense", 64); TrainConfig(epochs=10); problems = setting_problems({"epochs": 0})`;
`[setting.name for setting in SETTINGS]`
"""

from __future__ import annotations

import dataclasses
import math
import numbers
import typing
from dataclasses import dataclass

ARCHITECTURES = ("dense", "conv")
SCHEDULES = ("constant", "cosine")
CLASS_RANGE = (0, 9)  # Fashion-MNIST's classes
# The lecture's reported validation (= test set) MSE for its dense 64-dim model: the reference line in the UI.
LECTURE_VAL_MSE = 0.0088

_MESSAGES = {  # by Problem.code, in English for the CLI and logs; the page has its own (ui/strings/settings.py)
    "range": "{name} must be between {low} and {high}, got {value}.",
    "whole_number": "{name} must be a whole number, got {value!r}.",
    "choice": "Unknown {name} {value!r}: choose one of {choices}.",
    "invalid": "Invalid model {name} {value!r}: use 1-64 letters, digits, '-', '_' or '.', not starting with '.'.",
    "taken": "A model or a training named {value!r} already exists.",
}
_FIELD_NAMES = {"arch": "architecture"}  # where a message reads better with another word than the field's


@dataclass(frozen=True)
class Setting:
    """How one training setting is checked and offered (its name, type and default come from its dataclass field).

    bounds: (low, high) of a number, both allowed. choices: the only values a text may take. optional: None is
    allowed too (and means "none"). offered: the values the form offers, where it offers a list (the CLI takes any
    value within the bounds). labels: the string prefix of a choice's label (`<labels>.<value>`; default
    `setting.<name>`). widget: "toggle" offers a two-choice text as a checkbox (ticked is the second choice). requires:
    another setting (a bool) without which this one does not apply (its default is used). group: the form's section,
    "recipe" or "variant". flag: the CLI's option where it is not `--name-with-dashes`. help: English, for the CLI.
    """

    name: str = ""
    type: type = object
    default: object = None
    bounds: tuple | None = None
    choices: tuple = ()
    optional: bool = False
    offered: tuple = ()
    labels: str = ""
    widget: str = ""
    requires: str = ""
    group: str = "recipe"
    flag: str = ""
    help: str = ""
    part: str = ""  # "model" (ModelConfig) or "train" (TrainConfig)

    @property
    def cli_flag(self) -> str:
        return self.flag or "--" + self.name.replace("_", "-")

    def label_key(self, value) -> str:
        """The string key of a choice's label."""
        return f"setting.{self.name}.none" if value is None else f"{self.labels or f'setting.{self.name}'}.{value}"


def setting(default, **details):
    """A dataclass field that is a training setting: `default`, and what Setting holds."""
    return dataclasses.field(default=default, metadata={"setting": Setting(**details)})


@dataclass(frozen=True)
class Problem:
    """One value that cannot be used: `field` names it (arch, latent_dim, epochs, …, name), `code` says what is wrong
    ("range", "whole_number", "choice", "invalid", "taken"), `values` holds what a message shows."""

    field: str
    code: str
    values: dict = dataclasses.field(default_factory=dict)

    def message(self) -> str:
        return _MESSAGES[self.code].format(name=_FIELD_NAMES.get(self.field, self.field), **self.values)

    @classmethod
    def from_dict(cls, values: dict) -> Problem:
        """The Problem a child process wrote as `vars(problem)` into its progress events."""
        return cls(str(values.get("field", "")), str(values.get("code", "")), dict(values.get("values") or {}))


class ConfigError(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__(" ".join(problem.message() for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class ModelConfig:
    # "dense" is the lecture's model: Flatten -> Dense(latent, relu) -> Dense(784, sigmoid).
    arch: str = setting("dense", choices=ARCHITECTURES, labels="arch", help="dense (the lecture's) or conv")
    # 64 as in the lecture: a 12x compression of the 784 pixels; up to 256, past which nothing is compressed.
    latent_dim: int = setting(64, bounds=(2, 256), help="numbers in the code between encoder and decoder")
    # A variational autoencoder: the encoder gives a mean and a log-variance per dimension, training decodes a sample
    # from them and adds the KL divergence to N(0, I) times `beta` to the loss, so the latent space fills a Gaussian.
    variational: bool = setting(False, group="variant", flag="--vae", help="a variational autoencoder")
    # The KL term's weight in a VAE's loss: 0 is a plain autoencoder with noise, 1 the textbook VAE.
    beta: float = setting(1.0, bounds=(0.0, 100.0), group="variant", requires="variational",
                          help="a VAE's weight on the KL term")

    def __post_init__(self) -> None:
        _raise_problems(self, "model")

    @property
    def name(self) -> str:
        return f"{'vae-' if self.variational else ''}{self.arch}-{self.latent_dim}"


# Powers of two within the batch-size bounds: the sizes people know, and the lecture's 32 among them.
_BATCH_SIZES = tuple(2**power for power in range(4, 11))
_NOISE_LEVELS = tuple(round(0.05 * step, 2) for step in range(21))  # 0 to 1 in steps of 0.05
_FRACTIONS = tuple(round(0.05 * step, 2) for step in range(1, 21))  # 5 % to all of it


@dataclass(frozen=True)
class TrainConfig:
    # The lecture's recipe: 10 epochs of Adam at its default rate, batch 32, MSE. The limits are those of every
    # training, from the CLI or from the page: on a shared 2-core server a class would wait hours behind a longer run.
    epochs: int = setting(10, bounds=(1, 100), help="passes over the training images")
    batch_size: int = setting(32, bounds=(16, 1024), offered=_BATCH_SIZES, help="images per optimizer step")
    learning_rate: float = setting(1e-3, bounds=(1e-5, 0.1), help="Adam's step size")
    # Cosine decay to zero over the run lets a larger step size converge as far as the lecture's constant one.
    schedule: str = setting("constant", choices=SCHEDULES, widget="toggle", help="constant or cosine")
    seed: int = setting(0, bounds=(0, 2**31 - 1), help="the random seed of the weights and the shuffle")
    # The share of the 60,000 training images a run uses (a seeded sample): a class preset trains in a fraction of the
    # time on a fraction of the data, and the lesson shows what less data costs.
    train_fraction: float = setting(1.0, bounds=(0.05, 1.0), offered=_FRACTIONS,
                                    help="the share of the training images used (0.05-1)")
    # A denoising autoencoder: Gaussian noise of this standard deviation on the inputs (clipped to [0, 1]), the clean
    # image as the target; images are in [0, 1].
    noise_std: float = setting(0.0, bounds=(0.0, 1.0), offered=_NOISE_LEVELS, group="variant",
                               help="denoising: noise on the training inputs")
    # Leave one class out of the training images (the anomaly lesson: can the model tell it is new?).
    exclude_class: int | None = setting(None, bounds=CLASS_RANGE, optional=True, labels="class", group="variant",
                                        help="leave this class (0-9) out of the training images")
    # Optimizer steps per compiled call: fewer calls, less overhead; progress and Stop act between calls.
    steps_per_call: int = 100

    def __post_init__(self) -> None:
        problems = setting_problems(dataclasses.asdict(self), "train")
        if self.steps_per_call < 1:
            problems.append(Problem("steps_per_call", "range", {"low": 1, "high": "∞", "value": self.steps_per_call}))
        if problems:
            raise ConfigError(problems)


def _settings_of(config_class, part: str) -> tuple[Setting, ...]:
    hints = typing.get_type_hints(config_class)
    found = []
    for field in dataclasses.fields(config_class):
        if "setting" in field.metadata:
            kind = hints[field.name]
            kind = next(arg for arg in typing.get_args(kind) if arg is not type(None)) if typing.get_args(kind) else kind
            found.append(dataclasses.replace(field.metadata["setting"], name=field.name, type=kind,
                                             default=field.default, part=part))
    return tuple(found)


# Every training setting, in the form's order: the model's, then the run's.
SETTINGS: tuple[Setting, ...] = _settings_of(ModelConfig, "model") + _settings_of(TrainConfig, "train")
BY_NAME = {setting.name: setting for setting in SETTINGS}


def defaults() -> dict:
    """Every setting's default, by name: the lecture's recipe."""
    return {setting.name: setting.default for setting in SETTINGS}


def setting_problems(values: dict, part: str | None = None) -> list[Problem]:
    """Everything wrong with `values` (by setting name; a missing one counts as its default), in SETTINGS' order;
    only the settings of `part` ("model" or "train") when given."""
    problems = []
    for spec in SETTINGS:
        if part is None or spec.part == part:
            problem = _problem(spec, values.get(spec.name, spec.default))
            if problem:
                problems.append(problem)
    return problems


def split(values: dict) -> tuple[ModelConfig, TrainConfig]:
    """The two configs of a set of setting values (ConfigError when one is wrong)."""
    model = {spec.name: values[spec.name] for spec in SETTINGS if spec.part == "model" and spec.name in values}
    train = {spec.name: values[spec.name] for spec in SETTINGS if spec.part == "train" and spec.name in values}
    return ModelConfig(**model), TrainConfig(**train)


def _raise_problems(config, part: str) -> None:
    problems = setting_problems(dataclasses.asdict(config), part)
    if problems:
        raise ConfigError(problems)


def _problem(spec: Setting, value) -> Problem | None:
    if value is None and spec.optional:
        return None
    if spec.type is bool:
        return None if isinstance(value, bool) else Problem(spec.name, "choice", {"value": value, "choices": "true, false"})
    if spec.type is str:
        return None if value in spec.choices else Problem(spec.name, "choice", {"value": value,
                                                                              "choices": ", ".join(spec.choices)})
    low, high = spec.bounds
    if spec.type is int and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
        return Problem(spec.name, "whole_number", {"low": low, "high": high, "value": value})
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not _within(value, low, high):
        return Problem(spec.name, "range", {"low": low, "high": high, "value": value})
    return None


def _within(value: numbers.Real, low, high) -> bool:
    # Integers are compared as integers: a huge one (10**400) has no float, and math.isfinite would raise.
    if isinstance(value, numbers.Integral):
        return low <= value <= high
    return math.isfinite(value) and low <= value <= high
