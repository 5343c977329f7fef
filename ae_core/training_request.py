"""What a person asks to train, and everything wrong with it, as Problems that the page shows in its own language.

Usage: `problems = request_problems(TrainingRequest("my-dense", latent_dim=32), taken_names={"dense-64"})`
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from ae_core.config import ConfigError, ModelConfig, Problem, TrainConfig, model_config_problems, train_config_problems
from ae_core.store import ModelStoreError, validate_name


@dataclass(frozen=True)
class TrainingRequest:
    name: str
    arch: str = "dense"
    latent_dim: int = 64
    epochs: int = 10
    batch_size: int = 32
    learning_rate: float = 1e-3
    seed: int = 0
    schedule: str = "constant"  # or "cosine": the learning rate decays to zero over the run (conv-64's recipe)
    variational: bool = False
    beta: float = 1.0
    noise_std: float = 0.0
    exclude_class: int | None = None

    def model_config(self) -> ModelConfig:
        return ModelConfig(arch=self.arch, latent_dim=self.latent_dim, variational=self.variational, beta=self.beta)

    def train_config(self) -> TrainConfig:
        return TrainConfig(epochs=self.epochs, batch_size=self.batch_size, learning_rate=self.learning_rate,
                           seed=self.seed, schedule=self.schedule, noise_std=self.noise_std,
                           exclude_class=self.exclude_class)


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
    problems += model_config_problems(request.arch, request.latent_dim, request.variational, request.beta)
    problems += train_config_problems(epochs=request.epochs, batch_size=request.batch_size,
                                      learning_rate=request.learning_rate, schedule=request.schedule, seed=request.seed,
                                      noise_std=request.noise_std, exclude_class=request.exclude_class)
    return problems


def free_name(base: str, taken: Iterable[str]) -> str:
    """`base-1`, `base-2`, ...: the first that is not taken (the form's name when the field is left empty)."""
    taken = set(taken)
    return next(f"{base}-{number}" for number in itertools.count(1) if f"{base}-{number}" not in taken)
