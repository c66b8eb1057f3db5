"""Tests de fltutor.models."""

from __future__ import annotations

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from fltutor import models  # noqa: E402


@pytest.fixture(scope="module")
def cnn_model():
    return models.cnn(seed=0)


@pytest.fixture(scope="module")
def mlp_model():
    return models.mlp(seed=0)


def test_cnn_param_count_and_bytes(cnn_model):
    assert models.count_params(cnn_model) == 1_663_370
    assert cnn_model.count_params() == 1_663_370
    assert models.model_bytes(cnn_model) == 6_653_480


def test_cnn_architecture(cnn_model):
    kinds = [type(layer).__name__ for layer in cnn_model.layers]
    assert kinds == [
        "Conv2D",
        "MaxPooling2D",
        "Conv2D",
        "MaxPooling2D",
        "Flatten",
        "Dense",
        "Dense",
    ]
    conv1, conv2 = cnn_model.layers[0], cnn_model.layers[2]
    assert (conv1.filters, conv1.kernel_size, conv1.padding) == (32, (5, 5), "same")
    assert (conv2.filters, conv2.kernel_size, conv2.padding) == (64, (5, 5), "same")
    assert cnn_model.layers[5].units == 512


def test_mlp_param_count_and_bytes(mlp_model):
    assert models.count_params(mlp_model) == 199_210
    assert models.model_bytes(mlp_model) == 4 * 199_210


@pytest.mark.parametrize("fixture", ["cnn_model", "mlp_model"])
def test_shapes_and_logits(fixture, request):
    model = request.getfixturevalue(fixture)
    assert model.input_shape == (None, 28, 28, 1)
    assert model.output_shape == (None, 10)
    assert model.dtype == "float32"
    x = np.random.default_rng(0).random((4, 28, 28, 1), dtype=np.float32)
    out = model(x).numpy()
    assert out.shape == (4, 10)
    # des logits, pas des probabilités : les lignes ne somment pas à 1
    assert not np.allclose(out.sum(axis=1), 1.0)
    # dernière couche linéaire (pas de softmax)
    assert model.layers[-1].activation is tf.keras.activations.linear


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_builders_not_compiled(name):
    model = models.get(name)()
    assert model.optimizer is None


def test_seed_makes_weights_reproducible(mlp_model):
    again = models.mlp(seed=0)
    for a, b in zip(mlp_model.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)
    other = models.mlp(seed=1)
    assert not np.array_equal(mlp_model.get_weights()[0], other.get_weights()[0])


def test_cnn_seed_reproducible(cnn_model):
    again = models.cnn(seed=0)
    np.testing.assert_array_equal(cnn_model.get_weights()[0], again.get_weights()[0])
    np.testing.assert_array_equal(cnn_model.get_weights()[-2], again.get_weights()[-2])


def test_get():
    assert models.get("cnn") is models.cnn
    assert models.get(" MLP ") is models.mlp
    assert models.get("2nn") is models.mlp
    for bad in ["resnet", "", None, 3]:
        with pytest.raises(ValueError, match="Modèle inconnu.*Choisissez"):
            models.get(bad)


def test_compiled_trains_and_evaluates():
    tf.keras.utils.set_random_seed(0)
    model = models.compiled("mlp", lr=0.1, seed=0)
    assert isinstance(model.optimizer, tf.keras.optimizers.SGD)
    rng = np.random.default_rng(0)
    y = rng.integers(0, 10, size=64)
    x = np.zeros((64, 28, 28, 1), dtype=np.float32)
    x[np.arange(64), y, y, 0] = 1.0  # un pixel allumé qui dépend de la classe
    before = model.evaluate(x, y, verbose=0, return_dict=True)
    model.fit(x, y, epochs=20, batch_size=16, verbose=0)
    after = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(after) == {"loss", "accuracy"}
    assert after["loss"] < before["loss"]
    assert after["accuracy"] > 0.5


def test_compile_for_eval_bad_lr():
    with pytest.raises(ValueError, match="taux d'apprentissage"):
        models.compile_for_eval(models.mlp(), lr=0)
