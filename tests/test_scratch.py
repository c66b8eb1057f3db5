"""FedAvg « à la main » (fltutor.scratch) : unités et équivalence avec TFF."""

import numpy as np
import pytest
import tensorflow as tf

from fltutor import scratch


def test_aggregate_is_weighted_mean_by_hand():
    a = [np.array([[1.0, 2.0]], np.float32), np.array([10.0], np.float32)]
    b = [np.array([[5.0, -2.0]], np.float32), np.array([2.0], np.float32)]
    result = scratch.aggregate([a, b], [1, 3])
    # (1·a + 3·b) / 4
    np.testing.assert_allclose(result[0], [[4.0, -1.0]])
    np.testing.assert_allclose(result[1], [4.0])
    assert [r.dtype for r in result] == [np.float32, np.float32]
    assert [r.shape for r in result] == [(1, 2), (1,)]


def test_aggregate_equal_sizes_is_plain_mean_and_single_client_is_identity():
    ws = [[np.full((2,), v, np.float32)] for v in (1.0, 2.0, 6.0)]
    np.testing.assert_allclose(scratch.aggregate(ws, [7, 7, 7])[0], [3.0, 3.0])
    np.testing.assert_array_equal(scratch.aggregate(ws[:1], [5])[0], ws[0][0])


def test_aggregate_errors_in_french():
    with pytest.raises(ValueError, match="autant de tailles"):
        scratch.aggregate([[np.zeros(1)]], [1, 2])
    with pytest.raises(ValueError, match="aucun exemple"):
        scratch.aggregate([[np.zeros(1)]], [0])


def test_select_clients_deterministic_sorted_distinct():
    a = scratch.select_clients(100, 10, np.random.default_rng(42))
    b = scratch.select_clients(100, 10, np.random.default_rng(42))
    c = scratch.select_clients(100, 10, np.random.default_rng(43))
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    assert len(set(a.tolist())) == 10 and list(a) == sorted(a)
    assert a.min() >= 0 and a.max() < 100
    # Tours successifs avec le même générateur : des tirages différents.
    rng = np.random.default_rng(0)
    draws = [tuple(scratch.select_clients(50, 5, rng)) for _ in range(5)]
    assert len(set(draws)) > 1
    np.testing.assert_array_equal(scratch.select_clients(4, 4, rng), [0, 1, 2, 3])
    with pytest.raises(ValueError, match="de 1 à 4"):
        scratch.select_clients(4, 5, rng)


def test_broadcast_copies():
    w = [np.zeros(3, np.float32)]
    copy = scratch.broadcast(w)
    copy[0][0] = 1.0
    assert w[0][0] == 0.0


def _tiny_model(seed=0):
    tf.keras.utils.set_random_seed(seed)
    return tf.keras.Sequential(
        [
            tf.keras.layers.Input((28, 28, 1)),
            tf.keras.layers.Flatten(),
            tf.keras.layers.Dense(3),
        ]
    )


def test_local_train_one_step_by_hand_and_counts_examples():
    from fltutor import federated

    model = _tiny_model()
    w0 = model.get_weights()
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)
    y = np.array([0, 1, 2, 0, 1, 2])
    ds = federated.to_dataset(x, y, batch_size=None, epochs=2)
    new, n = scratch.local_train(model, w0, ds, lr=0.5)
    assert n == 12  # 2 époques × 6 exemples : chaque exemple compte E fois
    # Premier pas à la main : gradient de l'entropie croisée moyenne.
    xf = x.reshape(6, -1).astype(np.float32) / 255.0
    logits = xf @ w0[0] + w0[1]
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    p[np.arange(6), y] -= 1.0
    kernel = w0[0] - 0.5 * xf.T @ p / 6
    bias = w0[1] - 0.5 * p.mean(0)
    _, n1 = scratch.local_train(
        model, w0, federated.to_dataset(x, y, batch_size=None), 0.5
    )
    np.testing.assert_allclose(model.get_weights()[0], kernel, atol=1e-5)
    np.testing.assert_allclose(model.get_weights()[1], bias, atol=1e-5)
    assert n1 == 6
    assert not np.allclose(new[0], kernel)  # la 2e époque a encore bougé les poids


def test_scratch_fedavg_round_matches_tff(mnist):
    """Un tour de FedAvg à la main = un tour de build_weighted_fed_avg (TFF)."""
    import tensorflow_federated as tff

    from fltutor import federated, models

    (x, y), _ = mnist
    sizes = [40, 50, 60]  # tailles différentes : la pondération compte
    starts = np.cumsum([0] + sizes)
    parts = [np.arange(starts[i], starts[i + 1]) for i in range(3)]
    lr = 0.1

    def make_datasets():
        # Jeux neufs (mélange avec graine, 2 époques de lots de 10) : TFF lit
        # toujours un jeu depuis son début, comme un jeu neuf en Python.
        return federated.client_datasets(x, y, parts, epochs=2, batch_size=10, seed=7)

    model = models.mlp(seed=0)
    initial = model.get_weights()

    process = federated.build_process(
        "fedavg", model="mlp", client_lr=lr, server_lr=1.0
    )
    state = process.initialize()
    state = process.set_model_weights(
        state,
        tff.learning.models.ModelWeights(
            trainable=[w.copy() for w in initial], non_trainable=[]
        ),
    )
    start = process.get_model_weights(state).trainable
    for a, b in zip(start, initial):
        np.testing.assert_array_equal(a, b)
    result = process.next(state, make_datasets())
    tff_weights = process.get_model_weights(result.state).trainable
    assert int(result.metrics["client_work"]["train"]["num_examples"]) == 2 * sum(sizes)

    hand_weights = scratch.fedavg_round(model, initial, make_datasets(), lr)

    assert len(hand_weights) == len(tff_weights)
    moved = max(float(np.max(np.abs(h - w0))) for h, w0 in zip(hand_weights, initial))
    assert moved > 1e-3  # le tour a réellement modifié le modèle
    for hand, tff_w in zip(hand_weights, tff_weights):
        assert hand.shape == tff_w.shape
        np.testing.assert_allclose(hand, tff_w, atol=1e-5, rtol=0)

    # Sans pondération par la taille, on s'écarterait nettement de TFF.
    unweighted = scratch.aggregate(
        [scratch.local_train(model, initial, ds, lr)[0] for ds in make_datasets()],
        [1, 1, 1],
    )
    gap = max(float(np.max(np.abs(u - t))) for u, t in zip(unweighted, tff_weights))
    assert gap > 1e-4


def test_client_update_is_a_delta_and_server_update_applies_it():
    model = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    model.build((None, 3))
    start = [np.ones_like(w) for w in model.get_weights()]
    ds = tf.data.Dataset.from_tensor_slices(
        (np.eye(3, dtype=np.float32), np.array([0, 1, 0]))
    ).batch(2)
    delta, n = scratch.client_update(model, start, ds, lr=0.5)
    local, _ = scratch.local_train(model, start, ds, lr=0.5)
    assert n == 3
    for d, w, s in zip(delta, local, start):
        np.testing.assert_allclose(d, w - s)
    # Taux 1 : le nouveau modèle est celui du client ; taux 0,5 : à mi-chemin.
    for full, w in zip(scratch.server_update(start, delta, 1.0), local):
        np.testing.assert_allclose(full, w, rtol=1e-6)
    for half, w, s in zip(scratch.server_update(start, delta, 0.5), local, start):
        np.testing.assert_allclose(half, (w + s) / 2, rtol=1e-6)
    with pytest.raises(ValueError, match="server_lr"):
        scratch.server_update(start, delta, 0.0)


def test_scratch_server_lr_matches_tff(mnist):
    """Le taux du serveur de `fedavg_round` est celui de TFF (SGD serveur)."""
    from fltutor import federated, models

    (x, y), _ = mnist
    parts = [np.arange(0, 30), np.arange(30, 80)]
    model = models.mlp(seed=0)
    initial = model.get_weights()
    process = federated.build_process(
        "fedavg", model="mlp", client_lr=0.1, server_lr=0.5
    )
    state = process.set_model_weights(
        process.initialize(),
        federated.tff.learning.models.ModelWeights(
            trainable=[w.copy() for w in initial], non_trainable=[]
        ),
    )

    def datasets():
        return federated.client_datasets(x, y, parts, batch_size=10, seed=3)

    tff_weights = process.get_model_weights(process.next(state, datasets()).state)
    hand = scratch.fedavg_round(model, initial, datasets(), lr=0.1, server_lr=0.5)
    for h, t in zip(hand, tff_weights.trainable):
        np.testing.assert_allclose(h, t, atol=1e-5, rtol=0)


def test_flat_update_est_la_difference_aplatie_et_verifie_les_formes():
    new = [np.full((2, 3), 2.0, np.float32), np.array([1.0, -1.0], np.float32)]
    old = [np.ones((2, 3), np.float32), np.zeros(2, np.float32)]
    delta = scratch.flat_update(new, old)
    assert delta.shape == (8,)
    np.testing.assert_allclose(delta, [1, 1, 1, 1, 1, 1, 1, -1])
    assert np.linalg.norm(delta) == pytest.approx(np.sqrt(8))
    with pytest.raises(ValueError, match="mêmes formes"):
        scratch.flat_update(new, old[:1])


def test_mean_cosine_mesure_si_les_mises_a_jour_vont_dans_le_meme_sens():
    same = [np.array([1.0, 2.0]), np.array([2.0, 4.0]), np.array([0.5, 1.0])]
    assert scratch.mean_cosine(same) == pytest.approx(1.0)
    opposite = [np.array([1.0, 0.0]), np.array([-1.0, 0.0])]
    assert scratch.mean_cosine(opposite) == pytest.approx(-1.0)
    orthogonal = [np.array([1.0, 0.0]), np.array([0.0, 3.0])]
    assert scratch.mean_cosine(orthogonal) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="au moins deux"):
        scratch.mean_cosine([np.ones(2)])
    with pytest.raises(ValueError, match="nulle"):
        scratch.mean_cosine([np.ones(2), np.zeros(2)])


def test_client_drift_identical_clients_agree_and_opposite_clients_do_not():
    model = _tiny_model()
    w0 = model.get_weights()
    rng = np.random.default_rng(0)
    images = rng.random((20, 28, 28, 1)).astype(np.float32)
    same = tf.data.Dataset.from_tensor_slices((images, np.zeros(20, np.int32))).batch(5)
    other = tf.data.Dataset.from_tensor_slices((images, np.ones(20, np.int32))).batch(5)
    cosines, distances = scratch.client_drift(model, w0, [same, same], lr=0.1)
    np.testing.assert_allclose(cosines, 1.0, atol=1e-6)
    np.testing.assert_allclose(distances, 0.0, atol=1e-6)
    cosines, distances = scratch.client_drift(model, w0, [same, other], lr=0.1)
    assert np.all(cosines < 0.9) and np.all(distances > 0.3)
    with pytest.raises(ValueError, match="deux clients"):
        scratch.client_drift(model, w0, [same], lr=0.1)
