"""Tests de fltutor.partition : propriétés (hypothesis) et exemples."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fltutor import partition as P

SETTINGS = settings(max_examples=50, deadline=None)


@st.composite
def labels_and_clients(draw, max_n=300, max_classes=10):
    n = draw(st.integers(min_value=1, max_value=max_n))
    num_classes = draw(st.integers(min_value=1, max_value=max_classes))
    values = draw(st.lists(st.integers(0, num_classes - 1), min_size=n, max_size=n))
    labels = np.array(values, dtype=np.int64)
    num_clients = draw(st.integers(min_value=1, max_value=min(n, 25)))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    return labels, num_clients, seed


def mnist_like_labels(n_per_class=600, seed=1):
    """Étiquettes équilibrées (10 classes) mélangées, comme MNIST en plus petit."""
    labels = np.repeat(np.arange(10), n_per_class)
    return np.random.default_rng(seed).permutation(labels)


def assert_valid_partition(parts, n, num_clients, covering=True):
    assert isinstance(parts, list)
    assert len(parts) == num_clients
    for p in parts:
        assert isinstance(p, np.ndarray)
        assert p.dtype == np.int64
        assert p.ndim == 1
    allidx = np.concatenate(parts)
    assert len(np.unique(allidx)) == len(allidx), "clients non disjoints"
    assert allidx.min() >= 0 and allidx.max() < n
    if covering:
        assert len(allidx) == n, "des exemples ne sont pas distribués"


def assert_same(parts_a, parts_b):
    assert len(parts_a) == len(parts_b)
    for a, b in zip(parts_a, parts_b):
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------- iid


@SETTINGS
@given(labels_and_clients())
def test_iid_properties(args):
    labels, k, seed = args
    parts = P.iid(labels, k, seed=seed)
    assert_valid_partition(parts, len(labels), k)
    sizes = [len(p) for p in parts]
    assert max(sizes) - min(sizes) <= 1
    assert sizes == sorted(sizes, reverse=True)  # les premiers ont un exemple de plus
    assert_same(parts, P.iid(labels, k, seed=seed))


def test_iid_seed_changes_split():
    labels = mnist_like_labels(50)
    a, b = P.iid(labels, 5, seed=0), P.iid(labels, 5, seed=1)
    assert not all(np.array_equal(x, y) for x, y in zip(a, b))


def test_iid_is_close_to_global_distribution():
    labels = mnist_like_labels()
    h = P.heterogeneity(labels, P.iid(labels, 10, seed=0))
    assert h.mean_classes_per_client == 10
    assert h.mean_emd < 0.05
    assert h.sizes_min == h.sizes_max == 600


# ------------------------------------------------------------------------ shards


@SETTINGS
@given(
    num_clients=st.integers(1, 20),
    spc=st.integers(1, 4),
    shard_size=st.integers(1, 15),
    seed=st.integers(0, 10_000),
    data=st.data(),
)
def test_shards_properties(num_clients, spc, shard_size, seed, data):
    n = num_clients * spc * shard_size
    labels = np.array(
        data.draw(st.lists(st.integers(0, 9), min_size=n, max_size=n)), dtype=np.int64
    )
    parts = P.shards(labels, num_clients, shards_per_client=spc, seed=seed)
    assert_valid_partition(parts, n, num_clients)
    assert all(len(p) == spc * shard_size for p in parts)
    # Chaque client reçoit des tessons : des blocs contigus du tri stable.
    order = np.argsort(labels, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    for p in parts:
        blocks = np.unique(rank[p] // shard_size)
        assert len(blocks) == spc
    assert_same(parts, P.shards(labels, num_clients, shards_per_client=spc, seed=seed))


@pytest.mark.parametrize("spc", [1, 2, 3])
def test_shards_at_most_spc_labels_when_classes_align(spc):
    # 10 classes de 600 : des tessons de 100 ne chevauchent jamais deux classes.
    labels = mnist_like_labels(600)
    num_clients = 60 // spc
    parts = P.shards(labels, num_clients, shards_per_client=spc, seed=3)
    for p in parts:
        assert len(np.unique(labels[p])) <= spc
    h = P.heterogeneity(labels, parts)
    assert h.mean_classes_per_client <= spc


def test_shards_mcmahan_mnist_layout():
    # 60 000 étiquettes aux effectifs inégaux, comme MNIST : 100 clients × 2 × 300.
    rng = np.random.default_rng(0)
    labels = rng.choice(10, size=60_000, p=np.full(10, 0.1))
    parts = P.shards(labels, 100, seed=0)
    assert_valid_partition(parts, 60_000, 100)
    assert {len(p) for p in parts} == {600}
    # un tesson chevauche au plus deux classes : au plus 4 chiffres par client
    assert max(len(np.unique(labels[p])) for p in parts) <= 4
    assert P.heterogeneity(labels, parts).mean_classes_per_client < 2.2


def test_shards_client_indices_are_shuffled():
    labels = mnist_like_labels(100)
    parts = P.shards(labels, 5, seed=0)
    assert any(np.any(np.diff(labels[p]) < 0) or np.any(np.diff(p) < 0) for p in parts)


def test_shards_not_divisible_raises_with_suggestion():
    labels = mnist_like_labels(6000)  # 60 000
    with pytest.raises(ValueError, match="tessons égaux.*num_clients=6"):
        P.shards(labels, 7)


def test_shards_more_shards_than_examples():
    with pytest.raises(ValueError, match="ne se coupent pas"):
        P.shards(np.arange(10) % 3, 10, shards_per_client=2)


# --------------------------------------------------------------------- dirichlet


@SETTINGS
@given(
    args=labels_and_clients(max_n=200),
    alpha=st.floats(min_value=0.05, max_value=1000.0),
)
def test_dirichlet_properties(args, alpha):
    labels, k, seed = args
    min_size = len(labels) // (4 * k)
    try:
        parts = P.dirichlet(labels, k, alpha, seed=seed, min_size=min_size)
    except ValueError as err:  # min_size inatteignable : message en français
        assert "Impossible" in str(err)
        return
    assert_valid_partition(parts, len(labels), k)
    assert min(len(p) for p in parts) >= min_size
    assert_same(parts, P.dirichlet(labels, k, alpha, seed=seed, min_size=min_size))


def test_dirichlet_skew_decreases_with_alpha():
    labels = mnist_like_labels(600)
    emd = {
        a: P.heterogeneity(labels, P.dirichlet(labels, 20, a, seed=0)).mean_emd
        for a in (0.1, 1.0, 100.0)
    }
    assert emd[0.1] > emd[1.0] > emd[100.0]
    assert emd[0.1] > 0.5
    assert emd[100.0] < 0.1
    classes = {
        a: P.heterogeneity(
            labels, P.dirichlet(labels, 20, a, seed=0)
        ).mean_classes_per_client
        for a in (0.1, 100.0)
    }
    assert classes[0.1] < 6 < classes[100.0]


def test_dirichlet_respects_min_size():
    labels = mnist_like_labels(100)
    parts = P.dirichlet(labels, 20, 0.1, seed=0, min_size=20)
    assert min(len(p) for p in parts) >= 20


def test_dirichlet_impossible_min_size():
    labels = mnist_like_labels(10)  # 100 exemples
    with pytest.raises(ValueError, match="Impossible de donner au moins 11"):
        P.dirichlet(labels, 10, 1.0, min_size=11)


def test_dirichlet_gives_up_after_bounded_tries():
    labels = mnist_like_labels(
        10
    )  # 100 exemples, 10 clients de 10 exactement : improbable
    with pytest.raises(ValueError, match="tirages.*Augmentez alpha"):
        P.dirichlet(labels, 10, 0.01, min_size=10)


@pytest.mark.parametrize(
    "alpha", [0, -1.0, float("nan"), float("inf"), "1", None, True]
)
def test_dirichlet_bad_alpha(alpha):
    with pytest.raises(ValueError, match="alpha"):
        P.dirichlet(mnist_like_labels(10), 5, alpha)


# ----------------------------------------------------------------- quantity_skew


@SETTINGS
@given(
    args=labels_and_clients(),
    sigma=st.floats(min_value=0.0, max_value=3.0),
)
def test_quantity_skew_properties(args, sigma):
    labels, k, seed = args
    min_size = len(labels) // (2 * k)
    parts = P.quantity_skew(labels, k, sigma=sigma, seed=seed, min_size=min_size)
    assert_valid_partition(parts, len(labels), k)
    assert min(len(p) for p in parts) >= min_size
    assert_same(
        parts, P.quantity_skew(labels, k, sigma=sigma, seed=seed, min_size=min_size)
    )


def test_quantity_skew_sigma_zero_is_balanced_and_sigma_spreads_sizes():
    labels = mnist_like_labels(600)
    equal = [len(p) for p in P.quantity_skew(labels, 7, sigma=0.0)]
    assert max(equal) - min(equal) <= 1
    spread = {
        s: np.std([len(p) for p in P.quantity_skew(labels, 50, sigma=s, seed=0)])
        for s in (0.5, 2.0)
    }
    assert spread[2.0] > spread[0.5] > 0


def test_quantity_skew_labels_stay_iid():
    labels = mnist_like_labels(600)
    parts = P.quantity_skew(labels, 10, sigma=1.0, seed=0, min_size=300)
    assert P.heterogeneity(labels, parts).mean_emd < 0.1


def test_quantity_skew_bad_sigma():
    with pytest.raises(ValueError, match="sigma.*positif ou nul"):
        P.quantity_skew(mnist_like_labels(10), 5, sigma=-0.5)


# ------------------------------------------------------------ erreurs communes

ALL_SPLITS = [
    lambda y, k: P.iid(y, k),
    lambda y, k: P.shards(y, k, shards_per_client=1),
    lambda y, k: P.dirichlet(y, k, 1.0, min_size=0),
    lambda y, k: P.quantity_skew(y, k, min_size=0),
]


@pytest.mark.parametrize("split", ALL_SPLITS)
@pytest.mark.parametrize(
    ("num_clients", "words"),
    [
        (0, "entier ≥ 1"),
        (-3, "entier ≥ 1"),
        (101, "Trop de clients"),
        (2.5, "nombre entier"),
        (10.0, "nombre entier"),
        ("10", "nombre entier"),
        (True, "nombre entier"),
    ],
)
def test_bad_num_clients(split, num_clients, words):
    with pytest.raises(ValueError, match=words):
        split(mnist_like_labels(10), num_clients)


@pytest.mark.parametrize("split", ALL_SPLITS)
@pytest.mark.parametrize(
    ("labels", "words"),
    [
        (np.zeros((10, 2), dtype=int), "une dimension"),
        (np.linspace(0, 9, 20), "entiers"),
        (np.array([], dtype=int), "Aucune étiquette"),
        (np.array([0, 1, -1, 2]), "positifs ou nuls"),
        (np.zeros((5, 28, 28), dtype=np.uint8), "pas les images"),
    ],
)
def test_bad_labels(split, labels, words):
    with pytest.raises(ValueError, match=words):
        split(labels, 1)


def test_numpy_integer_num_clients_accepted():
    parts = P.iid(mnist_like_labels(10), np.int64(4))
    assert len(parts) == 4


def test_by_name():
    labels = mnist_like_labels(10)
    assert_same(
        P.by_name("Dirichlet", labels, 5, alpha=0.5, min_size=0),
        P.dirichlet(labels, 5, 0.5, min_size=0),
    )
    with pytest.raises(ValueError, match="Répartition inconnue"):
        P.by_name("pathologique", labels, 5)


# --------------------------------------------------------------------- mesures


def test_label_counts_example():
    labels = np.array([0, 0, 1, 2, 2, 2])
    parts = [np.array([0, 3]), np.array([1, 2, 4, 5])]
    counts = P.label_counts(labels, parts)
    np.testing.assert_array_equal(counts, [[1, 0, 1], [1, 1, 2]])
    assert counts.dtype.kind == "i"
    assert P.label_counts(labels, parts, num_classes=10).shape == (2, 10)


@SETTINGS
@given(labels_and_clients())
def test_label_counts_sum_to_class_totals(args):
    labels, k, seed = args
    parts = P.iid(labels, k, seed=seed)
    counts = P.label_counts(labels, parts)
    np.testing.assert_array_equal(counts.sum(axis=0), np.bincount(labels))
    np.testing.assert_array_equal(counts.sum(axis=1), [len(p) for p in parts])


def test_label_counts_errors():
    labels = np.array([0, 1, 2])
    with pytest.raises(ValueError, match="trop petit"):
        P.label_counts(labels, [np.array([0, 1, 2])], num_classes=2)
    with pytest.raises(ValueError, match="hors du jeu"):
        P.label_counts(labels, [np.array([0, 3])])
    with pytest.raises(ValueError, match="liste de tableaux"):
        P.label_counts(labels, np.array([0, 1]))
    with pytest.raises(ValueError, match="vide"):
        P.label_counts(labels, [])


def test_heterogeneity_values_and_french_str():
    labels = np.array([0] * 50 + [1] * 50)
    h = P.heterogeneity(labels, [np.arange(50), np.arange(50, 100)])
    assert h.mean_classes_per_client == 1.0
    assert h.mean_emd == pytest.approx(0.5)
    assert (h.sizes_min, h.sizes_max, h.sizes_mean) == (50, 50, 50.0)
    text = str(h)
    assert "Répartition sur 2 clients" in text
    assert "variation totale" in text
    assert "0,500" in text  # virgule décimale
    with pytest.raises(Exception):  # noqa: B017 - dataclass gelée
        h.mean_emd = 0.0


def test_heterogeneity_disjoint_classes_is_near_one():
    labels = np.repeat(np.arange(10), 10)
    parts = [np.arange(10 * c, 10 * (c + 1)) for c in range(10)]
    assert P.heterogeneity(labels, parts).mean_emd == pytest.approx(0.9)


def test_heterogeneity_ignores_empty_clients_for_distance():
    labels = np.array([0, 1, 0, 1])
    h = P.heterogeneity(labels, [np.array([0, 1, 2, 3]), np.array([], dtype=np.int64)])
    assert h.mean_emd == 0.0
    assert h.sizes_min == 0
    assert h.mean_classes_per_client == 1.0


def test_sites_sizes_shares_disjoint_and_errors():
    y = np.array([1] * 40 + [0] * 60)
    parts = P.sites(y, sizes=[30, 20, 10], positive_shares=[0.5, 0.9, 0.0], seed=3)
    assert [len(p) for p in parts] == [30, 20, 10]
    assert [int(y[p].sum()) for p in parts] == [15, 18, 0]
    everything = np.concatenate(parts)
    assert len(np.unique(everything)) == len(everything)
    again = P.sites(y, sizes=[30, 20, 10], positive_shares=[0.5, 0.9, 0.0], seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(parts, again))
    with pytest.raises(ValueError, match="Pas assez"):
        P.sites(y, sizes=[50], positive_shares=[1.0])
    with pytest.raises(ValueError, match="binaires"):
        P.sites(np.array([0, 1, 2]), sizes=[1], positive_shares=[0.0])


# ---------------------------------------------------------------------------
# like : le test de chaque client, tiré comme ses données d'entraînement
# ---------------------------------------------------------------------------


@SETTINGS
@given(labels_and_clients(), st.integers(min_value=1, max_value=300))
def test_like_couvre_et_respecte_les_classes(data, n_test):
    labels, num_clients, seed = data
    parts = P.iid(labels, num_clients, seed=seed)
    test = np.random.default_rng(seed).integers(0, labels.max() + 1, n_test)
    tests = P.like(labels, parts, test, seed=seed)
    assert len(tests) == num_clients
    allidx = np.concatenate(tests)
    assert len(np.unique(allidx)) == len(allidx), "un exemple donné deux fois"
    # Tous les exemples d'une classe présente à l'entraînement sont donnés.
    present = np.isin(test, np.unique(labels))
    assert sorted(allidx.tolist()) == np.flatnonzero(present).tolist()
    for p, t in zip(parts, tests):
        assert set(test[t].tolist()) <= set(labels[p].tolist())


def test_like_suit_les_proportions_des_tessons():
    labels = mnist_like_labels()
    parts = P.shards(labels, 20, seed=0)
    test = mnist_like_labels(n_per_class=100, seed=2)
    tests = P.like(labels, parts, test, seed=0)
    train = P.label_counts(labels, parts, 10)
    got = P.label_counts(test, tests, 10)
    expected = train / train.sum(axis=0) * 100  # 100 exemples de test par classe
    assert np.abs(got - expected).max() < 1  # plus forts restes : écart < 1
    assert (got[train == 0] == 0).all()


def test_like_refuse_une_partition_qui_ne_va_pas():
    with pytest.raises(ValueError, match="indices hors du jeu"):
        P.like(np.arange(10) % 2, [np.array([0, 50])], np.array([0, 1]))
