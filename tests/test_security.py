"""Tests de fltutor.security : attaques (inversion, porte dérobée, remplacement) et défenses."""

from __future__ import annotations

import collections

import numpy as np
import pytest
import scipy.stats

from fltutor import federated, models, security

tff = pytest.importorskip("tensorflow_federated")

# Une « mise à jour » de modèle : deux tenseurs, comme les poids d'une couche.
VALUE_TYPE = tff.types.to_type(
    [tff.TensorType(np.float32, (3, 4)), tff.TensorType(np.float32, (5,))]
)


def _updates(num_clients: int, seed: int = 0) -> list[list[np.ndarray]]:
    rng = np.random.default_rng(seed)
    return [
        [
            rng.normal(size=(3, 4)).astype(np.float32),
            rng.normal(size=5).astype(np.float32),
        ]
        for _ in range(num_clients)
    ]


def _aggregate(factory, updates) -> list[np.ndarray]:
    process = factory.create(VALUE_TYPE)
    output = process.next(process.initialize(), updates)
    return [np.asarray(v) for v in output.result]


def _stack(updates, leaf: int) -> np.ndarray:
    return np.stack([u[leaf] for u in updates])


# --- Les agrégateurs robustes valent leur équivalent NumPy / SciPy -----------


@pytest.mark.parametrize("num_clients", [1, 4, 7, 10])
def test_mediane_egale_numpy(num_clients):
    updates = _updates(num_clients, seed=num_clients)
    result = _aggregate(security.MedianFactory(max_clients=10), updates)
    for leaf in range(2):
        expected = np.median(_stack(updates, leaf), axis=0)
        np.testing.assert_allclose(result[leaf], expected, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("num_clients, beta", [(10, 0.2), (7, 0.1), (9, 0.3), (5, 0.0)])
def test_moyenne_tronquee_egale_scipy(num_clients, beta):
    updates = _updates(num_clients, seed=100 + num_clients)
    result = _aggregate(security.TrimmedMeanFactory(beta=beta, max_clients=10), updates)
    for leaf in range(2):
        expected = scipy.stats.trim_mean(_stack(updates, leaf), beta, axis=0)
        np.testing.assert_allclose(result[leaf], expected, rtol=1e-5, atol=1e-6)


def test_krum_choisit_la_mise_a_jour_la_plus_entouree():
    updates = _updates(8, seed=3)
    # Calcul direct du score de Krum (f = 2 : n − f − 2 = 4 voisins).
    flat = np.stack([np.concatenate([u[0].ravel(), u[1]]) for u in updates])
    dist = ((flat[:, None, :] - flat[None, :, :]) ** 2).sum(axis=2)
    scores = np.sort(dist, axis=1)[:, 1:5].sum(axis=1)
    best = int(np.argmin(scores))
    result = _aggregate(security.KrumFactory(num_malicious=2, max_clients=8), updates)
    np.testing.assert_allclose(result[0], updates[best][0], rtol=1e-6)
    np.testing.assert_allclose(result[1], updates[best][1], rtol=1e-6)


# --- f clients malveillants parmi n : la moyenne cède, pas les défenses -------


@pytest.mark.parametrize(
    "factory",
    [
        security.MedianFactory(max_clients=10),
        security.TrimmedMeanFactory(beta=0.3, max_clients=10),
        security.KrumFactory(num_malicious=3, max_clients=10),
    ],
    ids=["mediane", "moyenne_tronquee", "krum"],
)
def test_agregat_robuste_reste_entre_les_honnetes(factory):
    n, f = 10, 3
    honest = _updates(n - f, seed=7)
    malicious = [[np.full((3, 4), 1e6, np.float32), np.full(5, -1e6, np.float32)]] * f
    updates = honest + malicious
    robust = _aggregate(factory, updates)
    mean = _aggregate(tff.aggregators.UnweightedMeanFactory(), updates)
    for leaf in range(2):
        low = _stack(honest, leaf).min(axis=0)
        high = _stack(honest, leaf).max(axis=0)
        assert np.all((robust[leaf] >= low - 1e-6) & (robust[leaf] <= high + 1e-6))
        # La moyenne simple, elle, sort de l'intervalle des honnêtes partout.
        assert np.all((mean[leaf] < low) | (mean[leaf] > high))


def test_mise_a_zero_et_ecretage_de_tff_bornent_un_client():
    # Les fabriques de TFF choisies par `defence`, avec des seuils fixes.
    honest = _updates(9, seed=11)
    huge = [[np.full((3, 4), 1e3, np.float32), np.full(5, 1e3, np.float32)]]
    updates = honest + huge
    weights = [1.0] * len(updates)
    zeroing = security.defence("mise_a_zero", zeroing_norm=10.0).create(
        VALUE_TYPE, tff.TensorType(np.float32)
    )
    out = zeroing.next(zeroing.initialize(), updates, weights)
    for leaf in range(2):
        # La mise à jour énorme est remplacée par zéro : moyenne des honnêtes × 9/10.
        expected = _stack(honest, leaf).sum(axis=0) / 10
        np.testing.assert_allclose(out.result[leaf], expected, rtol=1e-5, atol=1e-6)
    clipping = security.defence("ecretage", clip=1.0).create(
        VALUE_TYPE, tff.TensorType(np.float32)
    )
    out = clipping.next(clipping.initialize(), updates, weights)
    norm = np.sqrt(sum(np.sum(np.square(v)) for v in out.result))
    assert norm <= 1.0 + 1e-5  # moyenne de vecteurs de norme ≤ 1


# --- Les attaques font ce qu'elles disent ------------------------------------


def test_inversion_et_declencheur():
    y = np.arange(10)
    assert security.flip_labels(y).tolist() == list(range(9, -1, -1))
    x = np.zeros((3, 28, 28), np.uint8)
    triggered = security.add_trigger(x)
    assert x.sum() == 0  # les images d'origine ne changent pas
    assert (triggered[:, 23:27, 23:27] == 255).all()
    assert triggered.sum() == 3 * 16 * 255
    xp, yp = security.poison_backdoor(
        np.zeros((10, 28, 28), np.uint8), np.ones(10, int), target=7, fraction=0.3
    )
    marked = xp.reshape(10, -1).sum(axis=1) > 0
    assert marked.sum() == 3 and (yp[marked] == 7).all() and (yp[~marked] == 1).all()


def test_client_data_inverse_les_etiquettes_des_malveillants():
    x = np.zeros((40, 28, 28), np.uint8)
    y = np.arange(40) % 10
    parts = [np.arange(0, 20), np.arange(20, 40)]
    clients = security.client_data(
        x, y, parts, attack="inversion", malicious=1, batch_size=None
    )
    labels = [np.concatenate([b[1].numpy() for b in c["data"]]) for c in clients]
    assert sorted(labels[0].tolist()) == sorted((9 - y[:20]).tolist())
    assert sorted(labels[1].tolist()) == sorted(y[20:].tolist())
    boosts = [float(next(iter(c["boost"]))) for c in clients]
    assert boosts == [1.0, 1.0]


def test_le_client_multiplie_bien_sa_mise_a_jour(mnist):
    (x, y), _ = mnist
    parts = [np.arange(100)]
    honest = security.client_data(x, y, parts, batch_size=20)
    boosted = security.client_data(
        x,
        y,
        parts,
        attack="remplacement",
        malicious=1,
        boost=3.0,
        poison_fraction=0.0,
        batch_size=20,
    )
    process = security.build_process("fedavg", clients_per_round=1)
    state = process.initialize()
    start = process.get_model_weights(state).trainable
    after = {}
    for name, clients in {"honnête": honest, "×3": boosted}.items():
        new_state = process.next(state, clients).state
        after[name] = process.get_model_weights(new_state).trainable
    for w0, w1, w3 in zip(start, after["honnête"], after["×3"]):
        np.testing.assert_allclose(
            np.asarray(w3) - w0, 3 * (np.asarray(w1) - w0), rtol=1e-3, atol=1e-6
        )


@pytest.mark.slow
def test_la_porte_derobee_change_la_prediction(mnist):
    """Petite exécution fixe : le remplacement de modèle pose la porte dérobée."""
    (x, y), (x_test, y_test) = mnist
    x, y = x[:1200], y[:1200]
    parts = [np.arange(k * 300, (k + 1) * 300) for k in range(4)]
    test = (x_test[:500], y_test[:500])
    process = security.build_process("fedavg", clients_per_round=4)
    runs = {}
    for attack in ("aucune", "remplacement"):
        clients = security.client_data(
            x, y, parts, attack=attack, malicious=1, boost=4.0, seed=0
        )
        runs[attack] = security.train(process, clients, rounds=3, test_data=test)
    clean = runs["aucune"].column("backdoor_success")[-1]
    attacked = runs["remplacement"].column("backdoor_success")[-1]
    assert clean < 0.2 and attacked > 0.8, (clean, attacked)
    # La même image, avec et sans déclencheur : la prédiction bascule sur 0.
    keras_model = models.mlp()
    keras_model.set_weights(runs["remplacement"].final_weights)
    image = x_test[y_test != 0][:50]
    before = keras_model.predict(image[..., None] / 255.0, verbose=0).argmax(axis=1)
    after = keras_model.predict(
        security.add_trigger(image)[..., None] / 255.0, verbose=0
    ).argmax(axis=1)
    assert (before != 0).mean() > 0.7 and (after == 0).mean() > 0.8


# --- Erreurs en français ------------------------------------------------------


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: security.defence("bidon"), "Défense inconnue"),
        (lambda: security.TrimmedMeanFactory(beta=0.5), "beta"),
        (lambda: security.KrumFactory(num_malicious=-1), "≥ 0"),
        (lambda: security.flip_labels(np.array([10])), "chiffres"),
        (lambda: security.add_trigger(np.zeros((2, 5, 5))), "28 × 28"),
        (
            lambda: security.client_data(
                np.zeros((4, 28, 28), np.uint8),
                np.zeros(4, int),
                [np.arange(4)],
                attack="sabotage",
            ),
            "Attaque inconnue",
        ),
        (
            lambda: security.client_data(
                np.zeros((4, 28, 28), np.uint8),
                np.zeros(4, int),
                [np.arange(4)],
                attack="inversion",
                malicious=2,
            ),
            "dépasse",
        ),
    ],
)
def test_erreurs_en_francais(call, fragment):
    with pytest.raises(ValueError, match=fragment):
        call()


def test_tableau_des_resultats():
    h = federated.History(
        [{"round": 1, "test_accuracy": 0.9123, "backdoor_success": 0.05}]
    )
    results = collections.OrderedDict(
        [(("fedavg", "A"), h), (("mediane", "A"), h), (("mediane", "B"), h)]
    )
    table = security.results_table(results, "backdoor_success")
    lines = table.splitlines()
    assert lines[0].split() == ["Défense", "A", "B"]
    assert "5,0 %" in lines[2] and lines[1].rstrip().endswith("—")


def test_figures_en_francais():
    h = federated.History(
        [
            {"round": 1, "test_accuracy": 0.8, "backdoor_success": 0.1},
            {"round": 2, "test_accuracy": 0.85, "backdoor_success": 0.3},
        ]
    )
    results = {("fedavg", "A"): h, ("mediane", "A"): h}
    fig = security.success_curves(results, "A")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["FedAvg", "Médiane"]
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels() if t.get_text()]
    assert ticks and all(t.endswith(" %") and "." not in t for t in ticks)
    with pytest.raises(ValueError, match="Aucun résultat pour le scénario"):
        security.success_curves(results, "B")
    with pytest.raises(ValueError, match="Aucun résultat pour la défense"):
        security.curves(results, "krum")
    x = np.zeros((8, 28, 28), np.uint8)
    fig = security.trigger_examples(x, np.arange(8), target=0, count=4)
    rows = [ax.get_ylabel() for ax in fig.axes[::4]]
    assert rows == ["Honnête", "Malveillant"]


# --- Outils du notebook 11 (diapositives courtes) ------------------------------


def test_les_cinq_scenarios_d_attaque():
    x = np.zeros((50, 28, 28), np.uint8)
    y = np.arange(50) % 10
    parts = [np.arange(10 * k, 10 * (k + 1)) for k in range(5)]
    scenarios = security.attack_scenarios(x, y, parts, several=2, boost=4.0)
    assert list(scenarios) == [
        "sans attaque",
        "inversion (2 clients)",
        "porte dérobée (1 client)",
        "porte dérobée (2 clients)",
        "remplacement (1 client)",
    ]
    assert all(len(clients) == 5 for clients in scenarios.values())
    boosts = [
        float(next(iter(c["boost"]))) for c in scenarios["remplacement (1 client)"]
    ]
    assert boosts == [4.0, 1.0, 1.0, 1.0, 1.0]
    # Porte dérobée par 2 clients : le déclencheur chez les 2 premiers seulement.
    images = [
        np.concatenate([b[0].numpy() for b in c["data"]])
        for c in scenarios["porte dérobée (2 clients)"]
    ]
    marked = [bool(np.any(im != 0)) for im in images]
    assert marked == [True, True, False, False, False]
    with pytest.raises(ValueError, match="several"):
        security.attack_scenarios(x, y, parts, several=0)


def test_un_tour_d_agregation_et_son_tableau():
    envois = [[1.0, -2.0], [3.0, 0.0], [2.0, 5.0], [100.0, 100.0]]
    mediane = security.aggregate(security.MedianFactory(max_clients=4), envois)
    np.testing.assert_allclose(mediane, np.median(envois, axis=0))
    moyenne = security.aggregate(tff.aggregators.UnweightedMeanFactory(), envois)
    np.testing.assert_allclose(moyenne, np.mean(envois, axis=0), rtol=1e-6)
    table = security.aggregation_table(
        {"Moyenne": tff.aggregators.UnweightedMeanFactory()}, envois, honest=envois[:3]
    )
    assert table.splitlines() == [
        "Honnêtes : de (1,00 ; -2,00) à (3,00 ; 5,00)",
        "Moyenne → (26,50 ; 25,75)",
    ]
    with pytest.raises(ValueError, match="même taille"):
        security.aggregate(security.MedianFactory(max_clients=4), [[1.0], [1.0, 2.0]])
    with pytest.raises(ValueError, match="au moins un agrégateur"):
        security.aggregation_table({}, envois)


def test_choisir_une_partie_des_resultats():
    results = {("fedavg", "A"): 1, ("dp", "A"): 2, ("fedavg", "B"): 3}
    assert security.select(results, defences=["fedavg"], scenarios=["B"]) == {
        ("fedavg", "B"): 3
    }
    assert list(security.select(results)) == list(results)
