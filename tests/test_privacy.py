"""Tests de fltutor.privacy : fuite par le gradient, DP-FedAvg, ε, agrégation sécurisée."""

from __future__ import annotations

import math

import numpy as np
import pytest

from fltutor import privacy

# --- ε (dp_accounting) --------------------------------------------------------


def _epsilon_direct(noise, m, n, rounds, delta):
    import dp_accounting

    accountant = dp_accounting.rdp.RdpAccountant()
    accountant.compose(
        dp_accounting.SelfComposedDpEvent(
            dp_accounting.PoissonSampledDpEvent(
                m / n, dp_accounting.GaussianDpEvent(noise)
            ),
            rounds,
        )
    )
    return accountant.get_epsilon(delta)


@pytest.mark.parametrize("noise, m, n, rounds", [(1.0, 10, 100, 50), (2.0, 5, 50, 200)])
def test_epsilon_egal_au_calcul_direct(noise, m, n, rounds):
    expected = _epsilon_direct(noise, m, n, rounds, n**-1.1)
    assert privacy.epsilon(noise, m, n, rounds) == pytest.approx(expected, rel=1e-12)
    assert privacy.epsilon(noise, m, n, rounds, delta=1e-5) == pytest.approx(
        _epsilon_direct(noise, m, n, rounds, 1e-5), rel=1e-12
    )


def test_epsilon_valeur_de_reference_et_sens_de_variation():
    eps = privacy.epsilon(1.0, 10, 100, 50)
    assert 3.1 < eps < 3.3
    assert privacy.epsilon(2.0, 10, 100, 50) < eps  # plus de bruit : plus privé
    assert privacy.epsilon(1.0, 10, 100, 100) > eps  # plus de tours : moins privé
    assert privacy.epsilon(1.0, 10, 1000, 50) < eps  # tiré plus rarement
    assert privacy.epsilon(0.0, 10, 100, 50) == math.inf


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"noise_multiplier": -1.0}, "≥ 0"),
        ({"clients_per_round": 200}, "dépasse"),
        ({"clients_per_round": 0}, "≥ 1"),
        ({"rounds": 0}, "≥ 1"),
        ({"num_clients": 2.5}, "entier"),
        ({"delta": 1.5}, "entre 0 et 1"),
        ({"delta": 0.0}, "> 0"),
    ],
)
def test_epsilon_erreurs_en_francais(kwargs, fragment):
    args = {
        "noise_multiplier": 1.0,
        "clients_per_round": 10,
        "num_clients": 100,
        "rounds": 5,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=fragment):
        privacy.epsilon(**args)


def test_agregateur_dp_erreurs_en_francais():
    with pytest.raises(ValueError, match="multiplicateur de bruit"):
        privacy.dp_aggregator(-0.5, 10)
    with pytest.raises(ValueError, match="adaptive"):
        privacy.dp_aggregator(1.0, 10, clipping="moyen")
    with pytest.raises(ValueError, match="écrêtage"):
        privacy.dp_aggregator(1.0, 10, clipping="fixed", clip=0.0)
    with pytest.raises(ValueError, match="entre 0 et 1"):
        privacy.dp_aggregator(1.0, 10, target_quantile=1.0)
    with pytest.raises(ValueError, match="clipped_count_stddev"):
        privacy.dp_aggregator(1.0, 10, clipped_count_stddev=0.2)
    with pytest.raises(ValueError, match="dépasse le nombre de clients"):
        privacy.build_dp_process("mlp", clients_per_round=20, num_clients=10)


def test_petites_classes_acceptees_en_ecretage_adaptatif():
    # TFF refuse clients_per_round < 10 × noise_multiplier avec ses valeurs par défaut.
    agg = privacy.dp_aggregator(2.0, clients_per_round=5)
    assert agg is not None


# --- Fuite par le gradient ----------------------------------------------------


def test_le_gradient_d_un_exemple_revele_l_image(mnist):
    (x, y), _ = mnist
    for i in (0, 1, 7):
        fuite = privacy.gradient_leakage(x[i], y[i], seed=i)
        assert fuite.label_guess == y[i]
        assert fuite.cosine > 0.99
        truth = x[i].astype(np.float64) / 255
        assert privacy.cosine_similarity(fuite.reconstruction, truth) > 0.99
        assert fuite.gradient_w.shape == (784, 10) and fuite.gradient_b.shape == (10,)


def test_un_lot_ne_donne_qu_un_melange(mnist):
    (x, y), _ = mnist
    fuite = privacy.gradient_leakage(x[:8], y[:8])
    images = x[:8].reshape(8, -1).astype(np.float64)
    assert (
        max(privacy.cosine_similarity(fuite.reconstruction, im) for im in images) < 0.95
    )


def test_fuite_erreurs_en_francais():
    with pytest.raises(ValueError, match="28 × 28"):
        privacy.gradient_leakage(np.zeros((2, 10, 10)), [1, 2])
    with pytest.raises(ValueError, match="étiquette"):
        privacy.gradient_leakage(np.zeros((2, 28, 28)), [1])
    with pytest.raises(ValueError, match="0 à 9"):
        privacy.gradient_leakage(np.zeros((1, 28, 28)), [12])


# --- Agrégation sécurisée : masques deux à deux ------------------------------


def test_les_masques_s_annulent_exactement():
    rng = np.random.default_rng(3)
    values = rng.normal(0, 5, size=(7, 50))
    res = privacy.secure_sum_masks(values, seed=11)
    assert res.masked.dtype == np.uint32
    # La somme des masques est exactement 0 modulo 2^32…
    mask_sum = res.masks.astype(np.uint64).sum(axis=0) % 2**32
    assert np.all(mask_sum == 0)
    # … donc la somme des envois masqués est exactement celle des valeurs codées.
    encoded_sum = res.encoded.astype(np.uint64).sum(axis=0) % 2**32
    assert np.array_equal(res.masked_sum, encoded_sum.astype(np.uint32))
    # Décodée, c'est la vraie somme, à l'arrondi de la virgule fixe près.
    assert np.abs(res.sum - values.sum(axis=0)).max() <= 7 * 0.5 / res.scale
    # Aucun envoi ne ressemble à la valeur du client.
    assert np.mean(res.masked == res.encoded) < 0.01
    other = privacy.secure_sum_masks(values, seed=12)
    assert not np.array_equal(other.masked, res.masked)
    assert np.array_equal(other.masked_sum, res.masked_sum)


def test_masques_erreurs_en_francais():
    with pytest.raises(ValueError, match="au moins 2 clients"):
        privacy.secure_sum_masks([[1.0, 2.0]])
    with pytest.raises(ValueError, match="trop grandes"):
        privacy.secure_sum_masks([[1e9], [1.0]])
    with pytest.raises(ValueError, match="finis"):
        privacy.secure_sum_masks([[np.nan], [1.0]])


def test_somme_securisee_tff_dans_le_contexte_simule():
    import tensorflow_federated as tff

    from fltutor import runtime

    factory = tff.aggregators.SecureSumFactory(
        upper_bound_threshold=100, lower_bound_threshold=0
    )
    process = factory.create(tff.TensorType(np.int32))

    @tff.federated_computation(tff.FederatedType(np.int32, tff.CLIENTS))
    def secure_total(values):
        return process.next(process.initialize(), values).result

    @tff.federated_computation(tff.FederatedType(np.int32, tff.CLIENTS))
    def total(values):
        return tff.federated_sum(values)

    assert total([1, 2]) == 3  # le contexte de fltutor (et son worker) tourne
    before = [w.pid for w in runtime.workers()]
    with privacy.simulated_secure_context():
        assert secure_total([1, 2, 3]) == 6
        assert len(runtime.workers()) == len(before) + 1
    assert [w.pid for w in runtime.workers()] == before  # son worker est arrêté
    assert total([4, 5]) == 9  # et le contexte de fltutor est revenu


# --- DP-FedAvg avec TFF -------------------------------------------------------


def test_dp_fedavg_construit_et_entraine(mnist):
    from fltutor import federated, models, partition, scratch

    (x, y), _ = mnist
    x, y = x[:120], y[:120]
    parts = partition.iid(y, 4, seed=0)
    jeux = federated.client_datasets(x, y, parts, batch_size=20)[:3]

    # Sans bruit et sans écrêtage effectif : DP-FedAvg = FedAvg non pondéré,
    # que l'on refait à la main (fltutor.scratch) à partir du même modèle.
    process = privacy.build_dp_process("mlp", 0.0, 3, clipping="fixed", clip=1e6)
    state = process.initialize()
    start = process.get_model_weights(state)
    after = process.get_model_weights(process.next(state, jeux).state)
    keras_model = models.mlp()
    start.assign_weights_to(keras_model)
    w0 = keras_model.get_weights()
    local = [scratch.local_train(keras_model, w0, ds, lr=0.1)[0] for ds in jeux]
    expected = scratch.aggregate(local, [1, 1, 1])  # moyenne simple
    after.assign_weights_to(keras_model)
    for got, want in zip(keras_model.get_weights(), expected):
        np.testing.assert_allclose(got, want, atol=1e-5)
    assert max(np.abs(a - b).max() for a, b in zip(expected, w0)) > 1e-3

    # Avec du bruit (écrêtage adaptatif) : un tour s'exécute, le modèle change autrement.
    noisy_process = privacy.build_dp_process("mlp", 1.0, 3, clipping="adaptive")
    noisy_state = noisy_process.set_model_weights(noisy_process.initialize(), start)
    noisy = noisy_process.get_model_weights(noisy_process.next(noisy_state, jeux).state)
    noisy.assign_weights_to(keras_model)
    diffs = [np.abs(a - b).max() for a, b in zip(keras_model.get_weights(), expected)]
    assert all(np.all(np.isfinite(w)) for w in keras_model.get_weights())
    assert max(diffs) > 1e-3


# --- Outils du notebook 08 (diapositives courtes) ------------------------------


def test_comparer_dp_fedavg(mnist):
    from fltutor import federated, partition

    (x, y), (x_test, y_test) = mnist
    x, y = x[:90], y[:90]
    parts = partition.iid(y, 3, seed=0)
    jeux = federated.client_datasets(x, y, parts, batch_size=30)
    reglages = {
        "sans bruit": dict(noise_multiplier=0.0, clipping="fixed"),
        "z = 1": dict(noise_multiplier=1.0, clipping="fixed"),
    }
    lignes = []
    hist, eps = privacy.compare_dp(
        reglages,
        jeux,
        1,
        3,
        log=lignes.append,
        test_data=(x_test[:100], y_test[:100]),
        progress=False,
    )
    assert list(hist) == list(reglages) and all(len(h) == 1 for h in hist.values())
    assert eps["sans bruit"] == math.inf
    assert eps["z = 1"] == privacy.epsilon(1.0, 3, 3, 1)
    assert lignes[0].startswith("sans bruit") and "ε =" in lignes[0]
    assert "exactitude en test finale" in lignes[1] and "%" in lignes[1]
    with pytest.raises(ValueError, match="au moins un réglage"):
        privacy.compare_dp({}, jeux, 1, 3)


def test_fedavg_avec_somme_securisee_simulee(mnist):
    from fltutor import federated, partition, runtime

    (x, y), _ = mnist
    x, y = x[:60], y[:60]
    jeux = federated.client_datasets(x, y, partition.iid(y, 2, seed=0), batch_size=30)
    process = privacy.build_secure_process("mlp")
    state = process.initialize()
    before = [w.pid for w in runtime.workers()]
    with privacy.simulated_secure_context():
        result = process.next(state, jeux)
    assert [w.pid for w in runtime.workers()] == before
    start = process.get_model_weights(state).trainable
    after = process.get_model_weights(result.state).trainable
    assert all(np.all(np.isfinite(w)) for w in after)
    assert any(np.abs(a - b).max() > 1e-4 for a, b in zip(after, start))
