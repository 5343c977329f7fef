"""Frozen configurations for a model and a training run, and the one set of limits every training is held to.

A value out of range is a `Problem` (which field, and the values a message needs): the CLI prints its English
message, the page shows its own translated one. ModelConfig and TrainConfig raise ConfigError listing them.

Usage: `ModelConfig("dense", 64); TrainConfig(epochs=10); problems = train_config_problems(epochs=0)`
"""

from __future__ import annotations

import dataclasses
import math
import numbers
from dataclasses import dataclass

ARCHITECTURES = ("dense", "conv")
SCHEDULES = ("constant", "cosine")
# The limits of every training, from the CLI or from the page: on a shared 2-core server a class would wait hours
# behind a longer run, and the rest are the values that train at all.
LATENT_DIM_RANGE = (2, 256)
EPOCH_RANGE = (1, 100)
BATCH_SIZE_RANGE = (16, 1024)
LEARNING_RATE_RANGE = (1e-5, 0.1)
SEED_RANGE = (0, 2**31 - 1)
BETA_RANGE = (0.0, 100.0)  # the KL term's weight in a VAE's loss: 0 is a plain autoencoder with noise, 1 the textbook VAE
NOISE_STD_RANGE = (0.0, 1.0)  # Gaussian noise on the training inputs (a denoising autoencoder); images are in [0, 1]
CLASS_RANGE = (0, 9)  # Fashion-MNIST's classes
# The lecture's reported validation (= test set) MSE for its dense 64-dim model: the reference line in the UI.
LECTURE_VAL_MSE = 0.0088

_MESSAGES = {  # by Problem.code, in English for the CLI and logs; the page has its own (ui/strings/models.py)
    "range": "{name} must be between {low} and {high}, got {value}.",
    "whole_number": "{name} must be a whole number, got {value!r}.",
    "choice": "Unknown {name} {value!r}: choose one of {choices}.",
    "invalid": "Invalid model {name} {value!r}: use 1-64 letters, digits, '-', '_' or '.', not starting with '.'.",
    "taken": "A model or a training named {value!r} already exists.",
}
_FIELD_NAMES = {"arch": "architecture"}  # where a message reads better with another word than the field's


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


def _range_problem(name: str, value, bounds: tuple, whole: bool = True) -> Problem | None:
    low, high = bounds
    if whole and (isinstance(value, bool) or not isinstance(value, numbers.Integral)):
        return Problem(name, "whole_number", {"low": low, "high": high, "value": value})
    if not isinstance(value, numbers.Real) or isinstance(value, bool) or not _within(value, low, high):
        return Problem(name, "range", {"low": low, "high": high, "value": value})
    return None


def _within(value: numbers.Real, low, high) -> bool:
    # Integers are compared as integers: a huge one (10**400) has no float, and math.isfinite would raise.
    if isinstance(value, numbers.Integral):
        return low <= value <= high
    return math.isfinite(value) and low <= value <= high


def _choice_problem(name: str, value, choices: tuple[str, ...]) -> Problem | None:
    return None if value in choices else Problem(name, "choice", {"value": value, "choices": ", ".join(choices)})


def model_config_problems(arch, latent_dim, variational=False, beta=1.0) -> list[Problem]:
    checks = (
        _choice_problem("arch", arch, ARCHITECTURES),
        _range_problem("latent_dim", latent_dim, LATENT_DIM_RANGE),
        None if isinstance(variational, bool) else Problem("variational", "choice", {"value": variational,
                                                                                      "choices": "true, false"}),
        _range_problem("beta", beta, BETA_RANGE, whole=False),
    )
    return [problem for problem in checks if problem]


def train_config_problems(*, epochs=10, batch_size=32, learning_rate=1e-3, schedule="constant", seed=0, noise_std=0.0,
                          exclude_class=None) -> list[Problem]:
    checks = (
        _range_problem("epochs", epochs, EPOCH_RANGE),
        _range_problem("batch_size", batch_size, BATCH_SIZE_RANGE),
        _range_problem("learning_rate", learning_rate, LEARNING_RATE_RANGE, whole=False),
        _choice_problem("schedule", schedule, SCHEDULES),
        _range_problem("seed", seed, SEED_RANGE),
        _range_problem("noise_std", noise_std, NOISE_STD_RANGE, whole=False),
        None if exclude_class is None else _range_problem("exclude_class", exclude_class, CLASS_RANGE),
    )
    return [problem for problem in checks if problem]


@dataclass(frozen=True)
class ModelConfig:
    # "dense" is the lecture's model: Flatten -> Dense(latent, relu) -> Dense(784, sigmoid).
    arch: str = "dense"
    # 64 as in the lecture: a 12x compression of the 784 pixels.
    latent_dim: int = 64
    # A variational autoencoder: the encoder gives a mean and a log-variance per dimension, training decodes a sample
    # from them and adds the KL divergence to N(0, I) times `beta` to the loss, so the latent space fills a Gaussian.
    variational: bool = False
    beta: float = 1.0

    def __post_init__(self) -> None:
        problems = model_config_problems(self.arch, self.latent_dim, self.variational, self.beta)
        if problems:
            raise ConfigError(problems)

    @property
    def name(self) -> str:
        return f"{'vae-' if self.variational else ''}{self.arch}-{self.latent_dim}"


@dataclass(frozen=True)
class TrainConfig:
    # The lecture's recipe: 10 epochs of Adam at its default rate, batch 32, MSE.
    epochs: int = 10
    batch_size: int = 32
    learning_rate: float = 1e-3
    # Cosine decay to zero over the run lets a larger step size converge as far as the lecture's constant one.
    schedule: str = "constant"
    seed: int = 0
    # A denoising autoencoder: Gaussian noise of this standard deviation on the inputs (clipped to [0, 1]), the clean
    # image as the target.
    noise_std: float = 0.0
    # Leave one class out of the training images (the anomaly lesson: can the model tell it is new?).
    exclude_class: int | None = None
    # Optimizer steps per compiled call: fewer calls, less overhead; progress and Stop act between calls.
    steps_per_call: int = 100

    def __post_init__(self) -> None:
        problems = train_config_problems(epochs=self.epochs, batch_size=self.batch_size, learning_rate=self.learning_rate,
                                         schedule=self.schedule, seed=self.seed, noise_std=self.noise_std,
                                         exclude_class=self.exclude_class)
        if self.steps_per_call < 1:
            problems.append(Problem("steps_per_call", "range", {"low": 1, "high": "∞", "value": self.steps_per_call}))
        if problems:
            raise ConfigError(problems)


def to_dict(config: ModelConfig | TrainConfig) -> dict:
    return dataclasses.asdict(config)
