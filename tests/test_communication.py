"""Tests de fltutor.communication : octets par tour, compression des mises à jour."""

from __future__ import annotations

import math

import pytest

from fltutor import communication as C

CNN_PARAMS = 1_663_370


def test_octets_du_cnn_sans_compression():
    assert C.upload_bytes("cnn") == 4 * CNN_PARAMS == 6_653_480
    r = C.bytes_per_round("cnn", 10)
    assert r["down"] == r["up"] == 10 * 6_653_480
    assert r["per_client_down"] == r["per_client_up"] == 6_653_480


def test_octets_du_cnn_compresse_compte_a_la_main():
    # Tenseurs du CNN : conv1 (800 + 32), conv2 (51 200 + 64), dense (1 605 632 + 512),
    # logits (5 120 + 10). Seuls conv2 et dense dépassent 20 000 éléments : 8 bits
    # par valeur, empaquetés par 28 bits dans des int32, + min et max (8 octets).
    float32 = 4 * (800 + 32 + 64 + 512 + 5_120 + 10)
    conv2 = 4 * math.ceil(51_200 * 8 / 28) + 8
    dense = 4 * math.ceil(1_605_632 * 8 / 28) + 8
    expected = float32 + conv2 + dense
    assert expected == 1_919_692
    assert C.upload_bytes("cnn", compressed=True) == expected
    r = C.bytes_per_round("cnn", 10, compressed=True)
    assert r["up"] == 10 * expected and r["down"] == 10 * 6_653_480
    # Idéal (8 bits tout juste) : ≈ 1,68 Mo ; TFF envoie un peu plus (28 bits sur 32).
    ideal = float32 + 51_200 + 1_605_632
    assert ideal == 1_682_984 and expected > ideal


@pytest.mark.parametrize(
    "model, bits", [("cnn", 8), ("mlp", 8), ("mlp", 4), ("mlp", 12)]
)
def test_le_compte_a_la_main_egale_l_encodeur_de_tff(model, bits):
    assert C.encoded_bytes(model, bits=bits) == C.upload_bytes(
        model, compressed=True, bits=bits
    )


def test_seuil_enorme_pas_de_compression():
    assert C.upload_bytes("mlp", compressed=True, threshold=10**9) == C.upload_bytes(
        "mlp"
    )


@pytest.mark.parametrize(
    "call, fragment",
    [
        (lambda: C.upload_bytes("cnn", compressed=True, bits=0), "1 à 16"),
        (lambda: C.upload_bytes("cnn", compressed=True, bits=17), "1 à 16"),
        (lambda: C.upload_bytes("cnn", compressed=True, threshold=-1), "≥ 0"),
        (lambda: C.upload_bytes("resnet"), "Modèle inconnu"),
        (lambda: C.upload_bytes(3), "cnn"),
        (lambda: C.bytes_per_round("cnn", -2), "≥ 0"),
        (lambda: C.compression_aggregator(bits=2.5), "entier"),
    ],
)
def test_erreurs_en_francais(call, fragment):
    with pytest.raises(ValueError, match=fragment):
        call()


def _compressed_fedavg(mnist, num_clients):
    """FedAvg (2NN) avec l'agrégateur compressé, et `num_clients` clients de 30 exemples."""
    from fltutor import federated, partition

    (x, y), _ = mnist
    x, y = x[: 30 * num_clients], y[: 30 * num_clients]
    parts = partition.iid(y, num_clients, seed=0)
    jeux = federated.client_datasets(x, y, parts, batch_size=30)
    process = federated.build_process(
        "fedavg", model="mlp", aggregator=C.compression_aggregator()
    )
    return process, jeux


def test_agregateur_compresse_et_compte_les_octets(mnist):
    import numpy as np

    process, jeux = _compressed_fedavg(mnist, 3)
    state = process.initialize()
    result = process.next(state, jeux)
    measured = int(result.metrics["aggregator"][C.BYTES_MEASUREMENT])
    assert measured == 3 * C.upload_bytes("mlp", compressed=True)
    before = process.get_model_weights(state).trainable
    after = process.get_model_weights(result.state).trainable
    assert all(np.all(np.isfinite(w)) for w in after)
    assert any(np.abs(a - b).max() > 0 for a, b in zip(after, before))


def test_train_garde_les_mesures_de_l_agregateur_a_chaque_tour(mnist):
    from fltutor import federated

    process, jeux = _compressed_fedavg(mnist, 4)
    hist = federated.train(
        process, jeux, rounds=2, clients_per_round=2, model="mlp", progress=False
    )
    mesures = hist.column("aggregator")
    assert len(mesures) == 2
    attendu = 2 * C.upload_bytes("mlp", compressed=True)
    assert [m[C.BYTES_MEASUREMENT] for m in mesures] == [attendu, attendu]
    assert isinstance(mesures[0][C.BYTES_MEASUREMENT], int)


def test_resume_du_banc(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text(
        "algorithm,epochs,batch_size,partition,target,reached,rounds_to_target,"
        "rounds_done,best_accuracy,paper_rounds\n"
        "fedavg,5,10,iid,0.99,1,22,22,0.9912,20\n"
        "fedsgd,1,inf,noniid,0.99,0,,483,0.9771,\n",
        encoding="utf-8",
    )
    lines = C.bench_summary(path).splitlines()
    assert lines[0] == "Tours pour atteindre 99 % (2 expérience(s), results.csv) :"
    assert lines[1].endswith("iid     : 22 ; article : 20")
    assert lines[2].endswith(": > 483 (au mieux 97,7 %) ; article : —")
    assert "make bench" in C.bench_summary(tmp_path / "absent.csv")


def test_comparer_le_calcul_local(mnist):
    from fltutor import federated, partition

    (x, y), (x_test, y_test) = mnist
    x, y = x[:60], y[:60]
    parts = partition.iid(y, 2, seed=0)
    process = federated.build_process("fedavg", model="mlp")
    lignes = []
    hist = C.compare_local_work(
        process,
        {"FedSGD": (1, None), "E=2, B=10": (2, 10)},
        x,
        y,
        parts,
        rounds=1,
        clients_per_round=2,
        log=lignes.append,
        test_data=(x_test[:100], y_test[:100]),
        model="mlp",
        progress=False,
    )
    assert list(hist) == ["FedSGD", "E=2, B=10"]
    assert all(len(h) == 1 for h in hist.values())
    assert "u =    1 pas par tour" in lignes[0]
    assert "u =    6 pas par tour" in lignes[1]  # 2 époques × 30 exemples / 10
    with pytest.raises(ValueError, match="au moins un réglage"):
        C.compare_local_work(process, {}, x, y, parts, rounds=1)
