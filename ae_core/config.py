"""Frozen configurations for a model and a training run; the values a saved model needs to be rebuilt."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

ARCHITECTURES = ("dense", "conv")
LATENT_DIM_RANGE = (2, 256)
# The lecture's reported validation (= test set) MSE for its dense 64-dim model: the reference line in the UI.
LECTURE_VAL_MSE = 0.0088


@dataclass(frozen=True)
class ModelConfig:
    # "dense" is the lecture's model: Flatten -> Dense(latent, relu) -> Dense(784, sigmoid).
    arch: str = "dense"
    # 64 as in the lecture: a 12x compression of the 784 pixels.
    latent_dim: int = 64

    def __post_init__(self) -> None:
        if self.arch not in ARCHITECTURES:
            raise ValueError(f"Unknown architecture {self.arch!r}: choose one of {', '.join(ARCHITECTURES)}.")
        low, high = LATENT_DIM_RANGE
        if isinstance(self.latent_dim, bool) or not isinstance(self.latent_dim, int):
            raise ValueError(f"latent_dim must be a whole number, got {self.latent_dim!r}.")
        if not low <= self.latent_dim <= high:
            raise ValueError(f"latent_dim must be between {low} and {high}, got {self.latent_dim}.")

    @property
    def name(self) -> str:
        return f"{self.arch}-{self.latent_dim}"


@dataclass(frozen=True)
class TrainConfig:
    # The lecture's recipe: 10 epochs of Adam at its default rate, batch 32, MSE.
    epochs: int = 10
    batch_size: int = 32
    learning_rate: float = 1e-3
    # Cosine decay to zero over the run lets a larger step size converge as far as the lecture's constant one.
    schedule: str = "constant"
    seed: int = 0
    # Optimizer steps per compiled call: fewer calls, less overhead; progress and Stop act between calls.
    steps_per_call: int = 100

    def __post_init__(self) -> None:
        checks = (
            (1 <= self.epochs <= 500, f"epochs must be between 1 and 500, got {self.epochs}."),
            (1 <= self.batch_size <= 4096, f"batch_size must be between 1 and 4096, got {self.batch_size}."),
            (0 < self.learning_rate <= 1, f"learning_rate must be in (0, 1], got {self.learning_rate}."),
            (self.schedule in ("constant", "cosine"), f"schedule must be 'constant' or 'cosine', got {self.schedule!r}."),
            (self.steps_per_call >= 1, f"steps_per_call must be at least 1, got {self.steps_per_call}."),
            (0 <= self.seed < 2**31, f"seed must be between 0 and 2^31-1, got {self.seed}."),
        )
        for ok, message in checks:
            if not ok:
                raise ValueError(message)


def to_dict(config: ModelConfig | TrainConfig) -> dict:
    return dataclasses.asdict(config)
