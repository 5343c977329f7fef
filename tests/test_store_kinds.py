"""What kind of lesson model a stored model is, read defensively from its metadata's train_config."""

import pytest

from ae_core.config import ModelConfig
from ae_core.store.kinds import excluded_class, model_kind, noise_std
from ae_core.store.metadata import ModelRecord


def record(train_config: dict, variational: bool = False) -> ModelRecord:
    return ModelRecord(model_file="model-000000000000.keras", sha256="0" * 64,
                       config=ModelConfig("dense", 2 if variational else 64, variational=variational), val_mse=0.01,
                       train_config=train_config)


@pytest.mark.parametrize("train_config,variational,kind", [
    ({}, False, "plain"),
    ({"noise_std": None, "exclude_class": None}, False, "plain"),  # the first shipped models' metadata
    ({"noise_std": 0.3}, False, "denoising"),
    ({"noise_std": 0.0}, True, "variational"),
    ({"exclude_class": 8}, False, "leave_one_out"),
    ({"exclude_class": 0, "noise_std": 0.2}, True, "leave_one_out"),  # its val MSE leaves the class out: that matters most
])
def test_the_kind_of_a_model(train_config, variational, kind):
    assert model_kind(record(train_config, variational)) == kind


@pytest.mark.parametrize("value", ["0.3", True, float("nan"), -0.1, 1.5, [0.3]])
def test_a_noise_std_that_is_no_usable_number_counts_as_none(value):
    assert noise_std(record({"noise_std": value})) == 0.0


@pytest.mark.parametrize("value,expected", [(8, 8), (0, 0), (10, None), (-1, None), (True, None), ("8", None), (8.0, None)])
def test_only_a_whole_class_number_is_an_excluded_class(value, expected):
    assert excluded_class(record({"exclude_class": value})) == expected
