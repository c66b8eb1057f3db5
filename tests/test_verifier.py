"""Tests du vérificateur d'exercices (`fltutor.verifier`).

Pour chaque exercice : la vérification accepte la réponse de la solution
(recalculée ici avec le même code que `notebooks/solutions/`), refuse le
stub `...` avec un message (pas une trace d'erreur) et refuse au moins une
erreur typique avec l'indice attendu. Aucun entraînement complet : un seul
mini-entraînement du 2NN (2 tours, 2 clients) sert aux exercices du 06.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pytest

from fltutor import verifier
from fltutor.verifier import _core

SEED = 0


# --- Les réponses : juste (comme la solution) et fausse (erreur typique) -----


@pytest.fixture(scope="module")
def tff():
    import tensorflow_federated as tff

    from fltutor import runtime

    runtime.install()
    return tff


def federated_reducer(tff, reducer):
    @tff.federated_computation(tff.FederatedType(np.float32, tff.CLIENTS))
    def computation(values):
        return reducer(values)

    return computation


@pytest.fixture(scope="module")
def mini_history(mnist):
    """Un vrai historique du 2NN en réglages minimes (2 tours, 2 clients sur 4)."""
    import tensorflow as tf

    from fltutor import federated, partition

    (x_train, y_train), (x_test, y_test) = mnist
    x, y = x_train[:400], y_train[:400]
    tf.keras.utils.set_random_seed(SEED)
    parts = partition.iid(y, 4, seed=SEED)
    jeux = federated.client_datasets(x, y, parts, batch_size=20, seed=SEED)
    process = federated.build_process("fedavg", model="mlp", client_lr=0.1)
    return federated.train(
        process,
        jeux,
        rounds=2,
        clients_per_round=2,
        test_data=(x_test[:200], y_test[:200]),
        target_accuracy=0.97,
        model="mlp",
        seed=SEED,
        progress=False,
    )


def phones(y_train, kind):
    """Les trois téléphones du notebook 01 (mode rapide), comme la solution."""
    from fltutor import partition

    rng = np.random.default_rng(SEED)
    sample = np.sort(rng.choice(len(y_train), 3 * 200, replace=False))
    if kind == "shards":
        parts = partition.shards(y_train[sample], 3, shards_per_client=1, seed=SEED)
    else:
        parts = partition.iid(y_train[sample], 3, seed=SEED)
    return [sample[p] for p in parts]


def first_round_over(history, threshold):
    return next((t for t, a in enumerate(history, start=1) if a > threshold), None)


def line_fit_numpy(eta=0.02, rounds=60):
    """FedAvg pondéré de la solution 05-3 (SGD point par point), en numpy."""
    rng = np.random.default_rng(SEED)
    clients = []
    for x_min, x_max, n in [(0.0, 1.0, 50), (1.0, 2.0, 20), (2.0, 4.0, 5)]:
        x = rng.uniform(x_min, x_max, n).astype(np.float32)
        clients.append(
            (x, (3.0 * x + 1.0 + rng.normal(0.0, 0.3, n)).astype(np.float32))
        )
    w = b = 0.0
    for _ in range(rounds):
        local = []
        for xs, ys in clients:
            lw, lb = w, b
            for x, y in zip(xs, ys):
                error = lw * x + lb - y
                lw, lb = lw - eta * 2 * error * x, lb - eta * 2 * error
            local.append((lw, lb, len(xs)))
        total = sum(n for *_, n in local)
        w = sum(lw * n for lw, _, n in local) / total
        b = sum(lb * n for _, lb, n in local) / total
    return float(w), float(b)


def mean_distance(local_models, sizes):
    """07-3 comme un étudiant l'écrirait : scratch.aggregate puis normes."""
    from fltutor import scratch

    mean = scratch.aggregate(local_models, sizes)
    flat_mean = np.concatenate([np.ravel(t) for t in mean])
    return float(
        np.mean(
            [
                np.linalg.norm(np.concatenate([np.ravel(t) for t in m]) - flat_mean)
                for m in local_models
            ]
        )
    )


def mean_cosine(local_models, sizes):
    """L'ancienne solution de 07-3 : un cosinus, pas une distance."""
    flat = np.stack([np.concatenate([np.ravel(t) for t in m]) for m in local_models])
    mean = np.average(flat, axis=0, weights=sizes)
    return float(
        np.mean([v @ mean / (np.linalg.norm(v) * np.linalg.norm(mean)) for v in flat])
    )


def grid_noise(m):
    from fltutor import privacy

    # La grille de la solution (0,3 à 3,0 par pas de 0,1), parcourue par
    # dichotomie : ε décroît quand z augmente.
    grid = np.round(np.arange(0.3, 3.01, 0.1), 1)
    low, high = 0, len(grid) - 1
    assert privacy.epsilon(float(grid[high]), m, 1_000, 100) <= 2.0
    while low < high:
        middle = (low + high) // 2
        if privacy.epsilon(float(grid[middle]), m, 1_000, 100) <= 2.0:
            high = middle
        else:
            low = middle + 1
    return float(grid[low])


def sum_present(res, present, remove_masks=True):
    """La solution 08-3 : somme des envois présents, masques orphelins retirés."""
    received = res.masked[present].astype(np.uint64).sum(axis=0) % 2**32
    if remove_masks:
        left = res.masks[present].astype(np.uint64).sum(axis=0) % 2**32
        received = (received + 2**32 - left) % 2**32
    return received.astype(np.uint32).view(np.int32) / res.scale


def cost(rounds, clients, epochs, batch, examples, update, both_ways=True):
    octets = rounds * clients * (2 if both_ways else 1) * update
    return octets, rounds * clients * epochs * -(-examples // (batch or examples))


def slices(n, k):
    sizes = []
    for remaining in range(k, 0, -1):
        size = math.ceil((n - sum(sizes)) / remaining)
        sizes.append(size)
    return [s for s in sizes if s]


def network_seconds(bits_per_byte=8):
    from fltutor import communication

    down = communication.upload_bytes("cnn") * bits_per_byte / 50e6
    return {
        key: down
        + communication.upload_bytes("cnn", compressed=c) * bits_per_byte / 10e6
        for key, c in (("sans", False), ("avec", True))
    }


def answers(id, request):
    """(réponse juste, réponse fausse typique, fragment attendu dans le message).

    Les fixtures coûteuses (TFF, mini-entraînement) ne sont demandées que par
    les exercices qui en ont besoin.
    """
    (x_train, y_train), (_, y_test) = request.getfixturevalue("mnist")
    from fltutor import communication, partition, privacy

    if id == "00-1":
        saved, seen = os.environ.get("FLTUTOR_QUICK"), {}
        import fltutor

        for value in ("1", "0"):
            os.environ["FLTUTOR_QUICK"] = value
            seen[value] = fltutor.quick_mode()
        os.environ["FLTUTOR_QUICK"] = saved if saved is not None else ""
        return seen, {"1": True, "0": True}, "relit la variable"
    if id == "00-2":
        return (
            np.bincount(y_train, minlength=10),
            np.bincount(y_test, minlength=10),
            "10 000 images de test",
        )
    if id in ("00-3", "05-1"):
        tff = request.getfixturevalue("tff")
    if id in ("06-1", "06-2"):
        mini_history = request.getfixturevalue("mini_history")
    if id == "00-3":
        return (
            federated_reducer(tff, tff.federated_mean),
            federated_reducer(tff, tff.federated_sum),
            "federated_mean",
        )
    if id == "01-1":
        return (
            phones(y_train, "iid"),
            phones(y_train, "shards"),
            "pas une répartition IID",
        )
    if id == "01-2":
        return "b", "c", "non-IID"
    if id == "01-3":
        rng = np.random.default_rng(SEED)
        return (
            lambda poids: [
                10.0 * rng.standard_normal(p.shape).astype(p.dtype) for p in poids
            ],
            lambda poids: poids,
            "sans le changer",
        )
    if id == "02-1":
        return "c", "a", "s'éloigne"
    if id == "02-2":
        from fltutor import scratch

        return (
            lambda poids: scratch.aggregate(poids, [1] * len(poids)),
            lambda poids: [sum(layer) for layer in zip(*poids)],
            "la somme",
        )
    if id == "02-3":
        return (
            partition.shards(y_train, 100, shards_per_client=2, seed=SEED),
            partition.iid(y_train, 100, seed=SEED),
            "pas une répartition en tessons",
        )
    if id == "03-1":
        from fltutor import federated

        update = federated.bytes_per_round("cnn", clients_per_round=1)["per_client"]
        return (
            (math.ceil(update / 3e6), math.ceil(10 * 2 * update / 3e6)),
            (math.ceil(update / 3e6), math.ceil(10 * update / 3e6)),
            "diffusion",
        )
    if id == "03-2":
        return "a", "b", "presque IID"
    if id == "03-3":
        return (
            lambda w0, wk: sorted(np.argsort(wk[-1] - w0[-1])[-2:].tolist()),
            lambda w0, wk: sorted(np.argsort(wk[-1])[-2:].tolist()),
            "a **changé**",
        )
    if id == "04-1":
        return "la Clinique", "le CHU", "perd au contraire"
    if id == "04-2":
        return (
            first_round_over,
            lambda h, s: next((t for t, a in enumerate(h) if a > s), None),
            "à partir de 1",
        )
    if id == "04-3":
        return "d", "b", "graine"
    if id == "05-1":
        return (
            federated_reducer(tff, tff.federated_max),
            federated_reducer(tff, tff.federated_mean),
            "federated_max",
        )
    if id == "05-2":
        return "la moyenne pondérée", "simple", "petit client"
    if id == "05-3":
        w, _ = line_fit_numpy()
        return line_fit_numpy(), (w, 0.0), "b n'a pas été appris"
    if id == "06-1":
        hist = mini_history
        tour = hist.rounds_to(0.97)
        upto = hist.rounds[: tour or len(hist)]
        total = sum(r["bytes_down"] + r["bytes_up"] for r in upto)
        up = sum(r["bytes_up"] for r in upto)
        return (
            {"historique": hist, "tours": tour, "octets": total},
            {"historique": hist, "tours": tour, "octets": up},
            "bytes_down",
        )
    if id == "06-2":
        from fltutor.federated import History

        cnn = History(
            [
                dict(
                    row,
                    bytes_up=len(row["clients"]) * communication.upload_bytes("cnn"),
                )
                for row in mini_history.rounds
            ]
        )
        return mini_history, cnn, "model='mlp'"
    if id == "06-3":
        y = y_train[:12_000]  # la solution, en mode rapide
        middle = np.mean(
            [
                partition.heterogeneity(y, partition.iid(y, 100, seed=SEED)).mean_emd,
                partition.heterogeneity(
                    y, partition.shards(y, 100, shards_per_client=2, seed=SEED)
                ).mean_emd,
            ]
        )
        alpha = min(
            (0.1, 0.2, 0.3, 0.5, 1.0),
            key=lambda a: abs(
                partition.heterogeneity(
                    y, partition.dirichlet(y, 100, a, seed=SEED)
                ).mean_emd
                - middle
            ),
        )
        return alpha, 100.0, "trop proche de l'IID"
    if id == "07-1":
        return "b", "a", "μ = 0,1"
    if id == "07-2":
        return "les tessons", "Dirichlet", "quelques exemples"
    if id == "07-3":
        return mean_distance, mean_cosine, "cosinus"
    if id == "08-1":
        return (
            {m: grid_noise(m) for m in (10, 50, 100)},
            {10: 0.3, 50: 0.3, 100: 0.3},
            "Augmentez z",
        )
    if id == "08-2":
        best = []
        for b in (1, 2, 4, 8, 32):
            leak = privacy.gradient_leakage(x_train[:b], y_train[:b], seed=SEED)
            best.append(
                max(
                    privacy.cosine_similarity(leak.reconstruction, im)
                    for im in x_train[:b]
                )
            )
        return best, [0.5, 0.6, 0.7, 0.8, 0.9], "presque parfaite"
    if id == "08-3":
        return (
            lambda res, present: sum_present(res, present),
            lambda res, present: sum_present(res, present, remove_masks=False),
            "retirez-les",
        )
    if id == "09-2":
        return cost, lambda *a: cost(*a, both_ways=False), "descente"
    if id == "09-1":
        n_params = communication.upload_bytes("cnn") // 4
        return (
            {
                b: communication.upload_bytes("cnn", compressed=True, bits=b)
                for b in (2, 4, 8, 12)
            },
            {b: n_params * b // 8 for b in (2, 4, 8, 12)},
            "petits tenseurs",
        )
    if id == "09-3":
        return network_seconds(), network_seconds(bits_per_byte=1), "8 bits"
    if id == "10-1":
        return (
            slices,
            lambda n, k: [min(-(-n // k), n - i * -(-n // k)) for i in range(k)],
            "recommence",
        )
    if id == "10-2":
        right = {"tranches": slices(6, 4), "avant fusion": 4, "fusions": 3}
        return right, dict(right, fusions=4), "deux à deux"
    if id == "10-3":
        from fltutor import runtime

        stopped = runtime.start_worker()
        stopped.stop()
        running = runtime.start_worker()
        return (
            {"tourne apres le bloc": True, "worker": stopped},
            {"tourne apres le bloc": True, "worker": running},
            "worker.stop()",
        )
    if id == "11-1":
        return 5, 3, "encore majoritaires"
    if id == "11-2":
        return "c", "b", "quantile 0,98"
    if id == "11-3":
        return 0.4, 0.1, "ne retire que 1"
    raise KeyError(id)


# --- Les tests ---------------------------------------------------------------


def test_every_exercise_of_the_course_is_registered():
    """12 notebooks × 3 exercices « À vous de jouer », ids NN-k."""
    expected = {f"{n:02d}-{k}" for n in range(12) for k in (1, 2, 3)}
    assert set(verifier.REGISTRY) == expected


@pytest.mark.parametrize("id", sorted(verifier.REGISTRY))
def test_check_accepts_solution_rejects_stub_and_typical_error(id, request):
    right, wrong, fragment = answers(id, request)
    try:
        accepted = _core.run(id, right)
        assert accepted.ok, str(accepted)
        assert accepted.message.startswith("✅")

        stub = _core.run(id, ...)
        assert not stub.ok
        assert "..." in stub.message and "Traceback" not in str(stub)

        refused = _core.run(id, wrong)
        assert not refused.ok, f"réponse fausse acceptée : {wrong!r}"
        assert refused.message.startswith("❌")
        assert fragment in str(refused), str(refused)
        assert "Traceback" not in str(refused)
    finally:
        if id == "10-3":
            wrong["worker"].stop()


def _untouched_stub(*args): ...


def _forgets_return(*args):
    total = sum(0 for _ in args)  # noqa: F841 — la réponse n'est pas renvoyée


@pytest.mark.parametrize(
    "id", ["01-3", "02-2", "03-3", "04-2", "07-3", "08-3", "09-2", "10-1"]
)
def test_function_stub_gives_a_clear_message(id):
    """Un squelette de fonction resté `...` : « pas encore de réponse » (✏️) ;
    une fonction sans `return` renvoie None : on le dit (❌)."""
    result = _core.run(id, _untouched_stub)
    assert not result.ok and result.message.startswith("✏️"), result.message
    assert "pas encore de réponse" in result.message
    result = _core.run(id, _forgets_return)
    assert not result.ok and "renvoie None" in result.message
    assert "return" in result.hint


def test_student_exception_and_wrong_types_never_give_a_traceback(capsys):
    def broken(*args):
        raise KeyError("poids")

    for id, answer in [
        ("07-3", broken),
        ("07-3", 3),
        ("08-1", [1, 2]),
        ("09-3", {"sans": "vite"}),
        ("06-2", {"rounds": 1}),
        ("01-1", np.arange(10)),
        ("08-1", {10: ..., 50: 1.0, 100: 2.0}),
    ]:
        result = verifier.exercice(id, answer)
        printed = capsys.readouterr().out
        assert not result.ok
        assert printed.strip() == str(result).strip()
        assert "Traceback" not in printed and printed.startswith(("❌", "✏️"))
    assert "KeyError" in verifier.exercice("07-3", broken).message


def test_a_bug_in_a_check_still_gives_a_french_message(monkeypatch):
    def buggy(reponse):
        return {}["clé"]

    monkeypatch.setattr(verifier.REGISTRY["11-1"], "check", buggy)
    result = _core.run("11-1", 5)
    assert not result.ok and "n'a pas la forme attendue" in result.message


def test_unknown_exercise_and_wrong_letter():
    assert "inconnu" in _core.run("12-1", 1).message
    result = _core.run("11-2", "z")
    assert not result.ok and "lettre" in result.message
    assert _core.run("11-2", " C. ").ok  # majuscule, espaces et point acceptés


def test_consigne_levels_and_long_runs():
    assert (
        verifier.consigne("06-2") == "★★ application · 10 min · calcul long (≈ 3 min)"
    )
    assert verifier.consigne("00-1") == "★ découverte · 5 min"
    with pytest.raises(ValueError, match="Exercice inconnu"):
        verifier.consigne("6-2")
    table = verifier.tableau()
    assert len(table) == 36
    for notebook in range(12):
        levels = {
            verifier.REGISTRY[row["id"]].level
            for row in table
            if row["id"].startswith(f"{notebook:02d}")
        }
        assert min(levels) == 1 and max(levels) == 3, (
            f"notebook {notebook:02d} : de ★ à ★★★ attendu"
        )


def test_choix_lists_the_options(capsys):
    verifier.choix("11-2")
    lines = capsys.readouterr().out.splitlines()
    assert [line[:2] for line in lines] == ["a)", "b)", "c)", "d)"]
    verifier.choix("11-1")
    assert "pas un QCM" in capsys.readouterr().out


def test_right_letters_are_not_always_the_same():
    """Les bonnes réponses des QCM ne sont pas toutes à la même place."""
    rights = {
        id: next(letter for letter in "abcd" if _core.run(id, letter).ok)
        for id, e in verifier.REGISTRY.items()
        if e.options
    }
    assert len(set(rights.values())) >= 3
