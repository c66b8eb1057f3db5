"""fltutor.federated : données client, process TFF, entraînement, historique.

La fixture `mnist` (MNIST chargé une fois) vient de tests/conftest.py.
"""

import math

import numpy as np
import pytest
import tensorflow as tf
import tensorflow_federated as tff

from fltutor import federated, models, partition

NUM_CLIENTS = 10
PER_CLIENT = 100
NUM_TEST = 2000


@pytest.fixture(scope="module")
def small(mnist):
    """10 clients × 100 exemples (IID) et 2 000 images de test."""
    (x, y), (x_test, y_test) = mnist
    x, y = x[: NUM_CLIENTS * PER_CLIENT], y[: NUM_CLIENTS * PER_CLIENT]
    parts = partition.iid(y, NUM_CLIENTS, seed=0)
    return {
        "x": x,
        "y": y,
        "parts": parts,
        "clients": federated.client_datasets(x, y, parts, epochs=1, batch_size=10),
        "test": (x_test[:NUM_TEST], y_test[:NUM_TEST]),
    }


@pytest.fixture(scope="module")
def fedavg_mlp():
    return federated.build_process("fedavg", model="mlp", client_lr=0.1)


@pytest.fixture(scope="module")
def history(fedavg_mlp, small):
    return federated.train(
        fedavg_mlp,
        small["clients"],
        rounds=2,
        clients_per_round=5,
        test_data=small["test"],
        seed=0,
        progress=False,
        model="mlp",
    )


# --- Étape 2 : les données -------------------------------------------------


def test_dataset_pipeline_types_shapes_and_range(mnist):
    (x, y), _ = mnist
    assert x.dtype == np.uint8
    ds = federated.to_dataset(x[:25], y[:25], batch_size=10)
    batches = list(ds)
    assert [int(b[0].shape[0]) for b in batches] == [10, 10, 5]
    images, labels = batches[0]
    assert images.dtype == tf.float32 and labels.dtype == tf.int32
    assert tuple(images.shape) == (10, 28, 28, 1)
    assert float(tf.reduce_min(images)) >= 0.0 and float(tf.reduce_max(images)) == 1.0
    np.testing.assert_allclose(images.numpy()[..., 0], x[:10] / 255.0, atol=1e-7)
    np.testing.assert_array_equal(labels.numpy(), y[:10])
    assert ds.element_spec[0].shape.as_list() == [None, 28, 28, 1]
    # Des images déjà en réels dans [0, 1] ne sont pas redivisées par 255.
    floats = federated.to_dataset(x[:10] / np.float32(255), y[:10], batch_size=10)
    np.testing.assert_allclose(next(iter(floats))[0].numpy(), images.numpy(), atol=1e-6)


def test_batch_none_is_one_batch_per_epoch(small):
    datasets = federated.client_datasets(
        small["x"], small["y"], small["parts"][:3], epochs=3, batch_size=None
    )
    for ds, idx in zip(datasets, small["parts"][:3]):
        sizes = [int(b[1].shape[0]) for b in ds]
        assert sizes == [len(idx)] * 3


def test_client_datasets_epochs_and_shuffle(small):
    x, y, parts = small["x"], small["y"], small["parts"][:2]

    def labels(ds):
        return np.concatenate([b[1].numpy() for b in ds])

    a = federated.client_datasets(x, y, parts, epochs=2, batch_size=7, seed=3)
    b = federated.client_datasets(x, y, parts, epochs=2, batch_size=7, seed=3)
    c = federated.client_datasets(x, y, parts, epochs=2, batch_size=7, seed=4)
    la, lb, lc = labels(a[0]), labels(b[0]), labels(c[0])
    assert len(la) == 2 * len(parts[0])
    np.testing.assert_array_equal(la, lb)  # même graine : même ordre
    assert not np.array_equal(la, lc)
    n = len(parts[0])
    # Chaque époque voit tous les exemples du client, dans un nouvel ordre.
    assert sorted(la[:n]) == sorted(la[n:]) == sorted(y[parts[0]])
    assert not np.array_equal(la[:n], la[n:])
    # 15 lots de 7 par époque (le dernier incomplet) : l'époque ne déborde pas.
    assert [int(bt[1].shape[0]) for bt in a[0]][:15] == [7] * 14 + [2]
    # seed=None : l'ordre de la partition, sans mélange.
    plain = federated.client_datasets(x, y, parts, batch_size=10, seed=None)
    np.testing.assert_array_equal(labels(plain[1]), y[parts[1]])


def test_dataset_errors_in_french(small):
    x, y = small["x"], small["y"]
    with pytest.raises(ValueError, match="batch_size"):
        federated.to_dataset(x, y, batch_size=0)
    with pytest.raises(ValueError, match="28×28"):
        federated.to_dataset(np.zeros((3, 10, 10), np.uint8), np.zeros(3, np.int64))
    with pytest.raises(ValueError, match="aucun exemple"):
        federated.client_datasets(x, y, [np.arange(5), np.array([], np.int64)])
    with pytest.raises(ValueError, match="étiquettes y"):
        federated.to_dataset(x, y.astype(np.float32))
    with pytest.raises(ValueError, match="uint8"):
        federated.to_dataset(x.astype(np.int64), y)
    with pytest.raises(ValueError, match="epochs"):
        federated.client_datasets(x, y, small["parts"], epochs=0)


# --- Étapes 1, 3 et 4 : modèle et calcul fédéré -----------------------------


def test_tff_model_fn_builds_fresh_models():
    model_fn = federated.tff_model_fn("mlp")
    m1, m2 = model_fn(), model_fn()
    assert m1 is not m2
    assert m1.input_spec[0].shape.as_list() == [None, 28, 28, 1]
    assert m1.input_spec[1].dtype == tf.int32
    with pytest.raises(ValueError, match="Modèle inconnu"):
        federated.tff_model_fn("resnet")


def test_build_process_errors_in_french():
    with pytest.raises(ValueError, match="Algorithme inconnu.*fedavg"):
        federated.build_process("fedavgg", model="mlp")
    with pytest.raises(ValueError, match="client_lr.*strictement positif"):
        federated.build_process("fedavg", model="mlp", client_lr=0)
    with pytest.raises(ValueError, match="server_lr"):
        federated.build_process("fedadam", model="mlp", server_lr=-1.0)
    with pytest.raises(ValueError, match="mu"):
        federated.build_process("fedprox", model="mlp", mu=-0.1)
    with pytest.raises(ValueError, match="client_weighting"):
        federated.build_process("fedavg", model="mlp", client_weighting="poids")
    with pytest.raises(ValueError, match="FedSGD"):
        federated.build_process("fedsgd", model="mlp", client_weighting="uniform")


def test_keras_models_still_usable_after_build_process(fedavg_mlp):
    # TFF construit ses modèles dans un graphe TF1 : build_process doit
    # laisser les modèles Keras (créés avant ou après) utilisables.
    model = models.mlp(seed=0)
    federated.build_process("fedavg", model="mlp")
    assert model(np.zeros((2, 28, 28, 1), np.float32)).shape == (2, 10)


def test_type_signature_is_federated(fedavg_mlp):
    text = str(fedavg_mlp.next.type_signature)
    assert "@SERVER" in text and "@CLIENTS" in text
    assert "float32[?,28,28,1]" in text


@pytest.mark.parametrize("algorithm", ["fedsgd", "fedprox", "fedadam"])
def test_other_algorithms_run_one_round(algorithm, small):
    process = federated.build_process(algorithm, model="mlp", client_lr=0.1)
    clients = small["clients"]
    if algorithm == "fedsgd":  # FedSGD : un seul lot (B = ∞) par client
        clients = federated.client_datasets(
            small["x"], small["y"], small["parts"], batch_size=None
        )
    hist = federated.train(
        process, clients, rounds=1, clients_per_round=3, progress=False, model="mlp"
    )
    row = hist.rounds[0]
    assert math.isfinite(row["train_loss"]) and 0 <= row["train_accuracy"] <= 1
    assert math.isnan(row["test_accuracy"])  # pas de test_data
    assert hist.final_weights[0].shape == (784, 200)


def test_fedadam_default_server_lr_is_documented():
    assert 0.001 <= federated.DEFAULT_FEDADAM_SERVER_LR <= 0.01
    assert "fedadam" in federated.build_process.__doc__


# --- Étape 5 : l'entraînement ----------------------------------------------


def test_train_smoke_history_fields(history, small):
    assert len(history) == len(history.rounds) == 2
    assert [r["round"] for r in history.rounds] == [1, 2]
    per_client = models.model_bytes(models.mlp())
    assert per_client == 199_210 * 4
    for r in history.rounds:
        assert set(federated._COLUMNS) <= set(r)
        assert r["bytes_down"] == r["bytes_up"] == 5 * per_client
        assert len(r["clients"]) == 5 == len(set(r["clients"]))
        assert r["seconds"] > 0
        assert math.isfinite(r["train_loss"]) and 0 <= r["train_accuracy"] <= 1
        assert 0.2 < r["test_accuracy"] <= 1  # bien au-dessus du hasard (0,1)
    assert history.column("test_accuracy")[-1] == history.final_accuracy
    assert history.best_accuracy == max(history.column("test_accuracy"))
    assert history.rounds_to_target is None
    assert [w.shape for w in history.final_weights] == [
        tuple(w.shape) for w in models.mlp().weights
    ]
    assert history.total_bytes == 4 * 5 * per_client
    assert "2 tours" in repr(history)
    with pytest.raises(ValueError, match="Colonne inconnue"):
        history.column("precision")


def test_history_weights_evaluate_like_train(history, small):
    x_test, y_test = small["test"]
    loss, acc = federated.evaluate(history.final_weights, x_test, y_test, model="mlp")
    assert acc == pytest.approx(history.rounds[-1]["test_accuracy"], abs=1e-6)
    assert loss == pytest.approx(history.rounds[-1]["test_loss"], rel=1e-4)
    model = models.mlp()
    model.set_weights(history.final_weights)
    assert federated.evaluate(model, x_test, y_test)[1] == pytest.approx(acc)
    with pytest.raises(ValueError, match="ne correspondent pas"):
        federated.evaluate(history.final_weights, x_test, y_test, model="cnn")


def test_federated_evaluation_matches_central_evaluation(history, small):
    x_test, y_test = small["test"]
    parts = partition.iid(y_test, 4, seed=0)
    jeux = federated.client_datasets(x_test, y_test, parts, epochs=1, batch_size=50)
    ev = federated.federated_evaluation(history.final_weights, jeux, model="mlp")
    # Chaque client évalue sur sa part : les mêmes exactitudes que Keras.
    expected = [
        federated.evaluate(history.final_weights, x_test[i], y_test[i], model="mlp")[1]
        for i in parts
    ]
    np.testing.assert_allclose(ev.per_client, expected, atol=1e-6)
    assert ev.examples.tolist() == [len(i) for i in parts]
    # L'agrégat du serveur pèse chaque exemple : la moyenne pondérée des clients.
    assert ev.accuracy == pytest.approx(
        np.average(ev.per_client, weights=ev.examples), abs=1e-6
    )
    assert ev.accuracy == pytest.approx(history.rounds[-1]["test_accuracy"], abs=1e-6)
    with pytest.raises(ValueError, match="Aucun jeu de données client"):
        federated.federated_evaluation(history.final_weights, [], model="mlp")


def test_history_table_and_csv(history, tmp_path):
    text = history.table()
    lines = text.splitlines()
    assert len(lines) == 3 and lines[0].split()[0] == "Tour"
    assert "Exactitude test" in lines[0]
    assert len({len(line) for line in lines}) == 1  # colonnes alignées
    assert len(history.table(every=5).splitlines()) == 2  # le dernier tour reste
    path = tmp_path / "hist.csv"
    history.to_csv(path)
    rows = path.read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("round,train_loss,train_accuracy,test_loss")
    assert len(rows) == 3
    assert float(rows[2].split(",")[4]) == pytest.approx(history.final_accuracy)


def test_train_is_deterministic(fedavg_mlp, small, history):
    kwargs = dict(rounds=2, clients_per_round=5, progress=False, model="mlp")
    again = federated.train(fedavg_mlp, small["clients"], seed=0, **kwargs)
    for a, b in zip(history.final_weights, again.final_weights):
        np.testing.assert_array_equal(a, b)
    assert history.column("clients") == again.column("clients")
    other = federated.train(fedavg_mlp, small["clients"], seed=1, **kwargs)
    assert not np.array_equal(history.final_weights[0], other.final_weights[0])


def test_lazy_client_datasets_train_exactly_like_the_list(fedavg_mlp, small):
    # Le mélange de tf.data dépend aussi de la graine globale de TF au moment
    # où le jeu est fabriqué : on la fixe comme le fait `train` (seed=0).
    tf.keras.utils.set_random_seed(0)
    args = (small["x"], small["y"], small["parts"])
    fresh = federated.client_datasets(*args, epochs=1, batch_size=10)
    lazy = federated.client_datasets(*args, epochs=1, batch_size=10, lazy=True)
    assert len(lazy) == NUM_CLIENTS and not isinstance(lazy, list)
    for a, b in zip(lazy[2], fresh[2]):
        np.testing.assert_array_equal(a[0].numpy(), b[0].numpy())
        np.testing.assert_array_equal(a[1].numpy(), b[1].numpy())
    assert len(lazy[1:4]) == 3 and len(list(lazy[-1])) == 10
    kwargs = dict(rounds=2, clients_per_round=5, progress=False, model="mlp", seed=0)
    expected = federated.train(fedavg_mlp, fresh, **kwargs)
    again = federated.train(fedavg_mlp, lazy, **kwargs)
    for a, b in zip(expected.final_weights, again.final_weights):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(IndexError, match="Client 10 inexistant"):
        lazy[10]
    with pytest.raises(ValueError, match="epochs"):
        federated.client_datasets(*args, epochs=0, lazy=True)


def test_clients_per_round_fraction(fedavg_mlp, small):
    assert federated._num_sampled(0.1, 100) == 10
    assert federated._num_sampled(0.001, 100) == 1  # au moins un client
    assert federated._num_sampled(1.0, 7) == 7
    assert federated._num_sampled(3, 7) == 3
    hist = federated.train(
        fedavg_mlp,
        small["clients"],
        rounds=1,
        clients_per_round=0.3,
        progress=False,
        model="mlp",
    )
    assert len(hist.rounds[0]["clients"]) == 3
    assert hist.info["clients_per_round"] == 3
    per_client = models.model_bytes(models.mlp())
    assert hist.rounds[0]["bytes_down"] == 3 * per_client


def test_train_errors_in_french(fedavg_mlp, small):
    clients = small["clients"]
    kwargs = dict(progress=False, model="mlp")
    with pytest.raises(ValueError, match="entier de 1 à 10"):
        federated.train(fedavg_mlp, clients, 1, clients_per_round=11, **kwargs)
    for bad in (0, 1.5, 0.0, True, "10"):
        with pytest.raises(ValueError, match="clients_per_round|fraction"):
            federated.train(fedavg_mlp, clients, 1, clients_per_round=bad, **kwargs)
    with pytest.raises(ValueError, match="test_data"):
        federated.train(fedavg_mlp, clients, 1, target_accuracy=0.5, **kwargs)
    with pytest.raises(ValueError, match="rounds"):
        federated.train(fedavg_mlp, clients, 0, **kwargs)
    with pytest.raises(ValueError, match="vide"):
        federated.train(fedavg_mlp, [], 1, **kwargs)
    with pytest.raises(ValueError, match="model=.*build_process"):
        federated.train(fedavg_mlp, clients, 1, progress=False, model="cnn")


def test_target_accuracy_stops_early(fedavg_mlp, small):
    hist = federated.train(
        fedavg_mlp,
        small["clients"],
        rounds=5,
        clients_per_round=5,
        test_data=small["test"],
        target_accuracy=0.15,
        progress=False,
        model="mlp",
    )
    assert hist.rounds_to_target == 1
    assert len(hist.rounds) == 1
    assert hist.rounds[0]["test_accuracy"] >= 0.15
    assert "atteint au tour 1" in repr(hist)


def test_callback_sees_each_round_and_can_stop(fedavg_mlp, small):
    seen = []

    def callback(hist):
        seen.append(len(hist.rounds))
        return len(hist.rounds) >= 2

    hist = federated.train(
        fedavg_mlp,
        small["clients"],
        rounds=4,
        clients_per_round=2,
        test_data=small["test"],
        eval_every=3,
        progress=False,
        callback=callback,
        model="mlp",
    )
    assert seen == [1, 2]
    assert len(hist.rounds) == 2
    # eval_every=3 : les tours 1 et 2 ne sont pas évalués.
    assert all(math.isnan(a) for a in hist.column("test_accuracy"))
    assert hist.best_accuracy is None


def test_bytes_per_round_cnn():
    b = federated.bytes_per_round("cnn", 10)
    assert b["per_client"] == 6_653_480 == 1_663_370 * 4
    assert b["down"] == b["up"] == 66_534_800
    assert federated.bytes_per_round(models.mlp(), 1)["per_client"] == 796_840
    with pytest.raises(ValueError, match="clients_per_round"):
        federated.bytes_per_round("cnn", -1)


def test_centralized_fit_baseline(small):
    res = federated.centralized_fit(
        small["x"],
        small["y"],
        epochs=2,
        batch_size=10,
        model="mlp",
        lr=0.1,
        test_data=small["test"],
    )
    assert len(res["loss"]) == len(res["test_accuracy"]) == 2
    assert res["final_accuracy"] == res["test_accuracy"][-1] > 0.5
    assert res["seconds"] > 0
    loss, acc = federated.evaluate(res["model"], *small["test"])
    assert acc == pytest.approx(res["final_accuracy"], abs=1e-6)


def test_sample_clients_depends_only_on_seed_and_round():
    a = federated.sample_clients(100, 10, seed=0, round_number=7)
    assert list(a) == sorted(set(a.tolist())) and len(a) == 10
    np.testing.assert_array_equal(
        a, federated.sample_clients(100, 10, seed=0, round_number=7)
    )
    assert not np.array_equal(a, federated.sample_clients(100, 10, 0, 8))
    assert not np.array_equal(a, federated.sample_clients(100, 10, 1, 7))


def test_class_accuracy_counts_each_digit_separately(small):
    x_test, y_test = small["test"]
    model = models.mlp(seed=0)
    per_class = federated.class_accuracy(model, x_test, y_test, model="mlp")
    assert per_class.shape == (10,)
    images, _ = next(iter(federated.to_dataset(x_test, y_test, batch_size=None)))
    predicted = np.argmax(model(images, training=False), axis=1)
    for c in range(10):
        mask = np.asarray(y_test) == c
        assert per_class[c] == pytest.approx(np.mean(predicted[mask] == c))
    # Moyenne pondérée par les effectifs = exactitude globale de evaluate.
    counts = np.bincount(np.asarray(y_test), minlength=10)
    overall = federated.evaluate(model.get_weights(), x_test, y_test, model="mlp")[1]
    assert np.sum(per_class * counts) / counts.sum() == pytest.approx(overall, abs=1e-6)
    # Une classe absente du jeu : NaN, pas une fausse exactitude.
    keep = np.asarray(y_test) != 3
    partial = federated.class_accuracy(model, x_test[keep], y_test[keep], "mlp")
    assert math.isnan(partial[3]) and not np.isnan(np.delete(partial, 3)).any()
    with pytest.raises(ValueError, match="ne correspondent pas"):
        federated.class_accuracy([np.zeros(3)], x_test, y_test, model="mlp")


def test_centralized_rounds_counts_examples_per_round(small):
    central = federated.centralized_rounds(
        small["x"],
        small["y"],
        rounds=2,
        examples_per_round=200,
        test_data=small["test"],
        batch_size=20,
        model="mlp",
    )
    assert central["round"] == [1, 2]
    assert central["steps_per_round"] == 10
    assert len(central["test_accuracy"]) == 2
    assert central["test_accuracy"][-1] > 0.3  # mieux que le hasard (10 %)
    with pytest.raises(ValueError, match="examples_per_round"):
        federated.centralized_rounds(
            small["x"], small["y"], 1, 5, small["test"], batch_size=20, model="mlp"
        )


def test_comparison_table_columns_and_first_round_to_target(history):
    runs = {
        "FedAvg": history,
        "Centralisé": {"round": [1, 2], "test_accuracy": [0.5, 0.99], "seconds": 4.2},
    }
    lines = federated.comparison_table(runs, target=0.98).splitlines()
    assert lines[0].split()[:3] == ["Entraînement", "Exactitude", "finale"]
    assert lines[2].startswith("Centralisé")
    assert lines[2].split()[-2:] == ["2", "4"]
    assert "99,0 %" in lines[2]
    with pytest.raises(ValueError, match="aucune exactitude"):
        federated.comparison_table({"X": {"round": [1], "test_accuracy": [math.nan]}})


def _first_round_delta(process, datasets) -> float:
    """Norme du déplacement du modèle global après un tour."""
    state = process.initialize()
    before = [np.array(w) for w in process.get_model_weights(state).trainable]
    state = process.next(state, datasets).state
    after = [np.array(w) for w in process.get_model_weights(state).trainable]
    with np.errstate(over="ignore", invalid="ignore"):  # TFF peut diverger (inf)
        return float(np.sqrt(sum(((a - b) ** 2).sum() for a, b in zip(before, after))))


def test_fedprox_retient_les_clients_pres_du_modele_global(small):
    """Plus mu est grand, moins le client s'éloigne du modèle reçu (et rien ne diverge)."""
    x, y = small["x"][:300], small["y"][:300]
    jeux = federated.client_datasets(x, y, [np.arange(300)], epochs=5, batch_size=10)
    deltas = [
        _first_round_delta(
            federated.build_process("fedprox", model="mlp", client_lr=0.1, mu=mu), jeux
        )
        for mu in (0.0, 1.0, 5.0)
    ]
    assert all(math.isfinite(d) and d > 0 for d in deltas), deltas
    assert deltas[0] > deltas[1] > deltas[2], deltas
    # Le minimum de perte + 5/2·‖w − w0‖² reste à moins de ‖∇perte(w0)‖ / 5.
    assert deltas[2] < 0.5 * deltas[0]


def test_le_fedprox_de_tff_0_87_eloigne_les_clients(small):
    """Pourquoi fltutor écrit `ProximalSGD` : TFF ajoute `mu · (w0 − w)` au gradient.

    Si ce test échoue, TFF a corrigé le signe : `build_process("fedprox")`
    peut revenir à `tff.learning.algorithms.build_weighted_fed_prox`.
    """
    x, y = small["x"][:300], small["y"][:300]
    jeux = federated.client_datasets(x, y, [np.arange(300)], epochs=5, batch_size=10)
    tff_prox = tff.learning.algorithms.build_weighted_fed_prox(
        federated.tff_model_fn("mlp"),
        proximal_strength=1.0,
        client_optimizer_fn=tff.learning.optimizers.build_sgdm(learning_rate=0.1),
    )
    fedavg = federated.build_process("fedavg", model="mlp", client_lr=0.1)
    delta_tff = _first_round_delta(tff_prox, jeux)
    assert not math.isfinite(delta_tff) or delta_tff > _first_round_delta(fedavg, jeux)
