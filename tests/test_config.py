import pytest

from ae_core.config import ModelConfig, TrainConfig


@pytest.mark.parametrize("latent_dim", [1, 0, -3, 257, 1000])
def test_latent_dim_outside_range_is_rejected(latent_dim):
    with pytest.raises(ValueError, match="between 2 and 256"):
        ModelConfig("dense", latent_dim)


@pytest.mark.parametrize("latent_dim", [2, 64, 256])
def test_latent_dim_range_edges_are_accepted(latent_dim):
    assert ModelConfig("conv", latent_dim).latent_dim == latent_dim


def test_unknown_architecture_names_the_choices():
    with pytest.raises(ValueError, match=r"Unknown architecture 'transformer'.*dense, conv"):
        ModelConfig("transformer", 64)


def test_non_integer_latent_dim_is_rejected():
    with pytest.raises(ValueError, match="whole number"):
        ModelConfig("dense", 64.5)


@pytest.mark.parametrize("field,value", [("epochs", 0), ("batch_size", 0), ("learning_rate", 0.0),
                                         ("schedule", "step"), ("seed", -1)])
def test_bad_train_config_is_rejected(field, value):
    with pytest.raises(ValueError, match=field):
        TrainConfig(**{field: value})


def test_default_train_config_is_the_lecture_recipe():
    config = TrainConfig()
    assert (config.epochs, config.batch_size, config.learning_rate, config.schedule) == (10, 32, 1e-3, "constant")



@pytest.mark.parametrize("field,value", [("latent_dim", 10**400), ("epochs", -(10**400)), ("learning_rate", 10**400)])
def test_huge_integers_are_out_of_range_not_a_crash(field, value):
    with pytest.raises(ValueError, match=field):
        (ModelConfig if field == "latent_dim" else TrainConfig)(**{field: value})
