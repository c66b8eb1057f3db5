"""Tests de `fltutor.distributed` : un tour FedAvg réparti sur plusieurs workers TFF.

Ce que l'on vérifie :
- le tour réparti sur 2 workers donne les mêmes poids qu'en un seul processus,
  à 1e-6 près (l'ordre des sommes flottantes change, pas le calcul) ;
- les clients sont bien partagés entre les workers (3 + 3) ;
- aucun worker ne survit au bloc `with`, même sur exception ou Ctrl-C,
  et le contexte TFF d'avant est rétabli ;
- une adresse muette ou un worker mort donnent une erreur française, vite.
"""

from __future__ import annotations

import os
import signal
import threading
import time

import numpy as np
import psutil
import pytest

tf = pytest.importorskip("tensorflow")
tff = pytest.importorskip("tensorflow_federated")

from fltutor import distributed, models, runtime  # noqa: E402

#: Écart maximal toléré entre les poids « un processus » et « 2 workers ».
TOLERANCE = 1e-6
NUM_CLIENTS = 6
EXAMPLES_PER_CLIENT = 50


def _client_data(num_clients=NUM_CLIENTS, n=EXAMPLES_PER_CLIENT, seed=0):
    """Des « images » et étiquettes synthétiques, fixes, au format du cours."""
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(num_clients * n, 28, 28), dtype=np.uint8)
    labels = rng.integers(0, 10, size=num_clients * n).astype(np.int32)

    def to_batch(x, y):
        return tf.cast(x, tf.float32)[..., None] / 255.0, y

    return [
        tf.data.Dataset.from_tensor_slices(
            (images[k * n : (k + 1) * n], labels[k * n : (k + 1) * n])
        )
        .batch(10)
        .map(to_batch)
        for k in range(num_clients)
    ]


@pytest.fixture(scope="module")
def fedavg():
    """Un process FedAvg (modèle « 2NN » du cours), son état initial et les données."""
    runtime.install()
    data = _client_data()

    def model_fn():
        return tff.learning.models.from_keras_model(
            models.mlp(),
            input_spec=data[0].element_spec,
            loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=[tf.keras.metrics.SparseCategoricalAccuracy()],
        )

    tf.keras.utils.set_random_seed(0)
    process = tff.learning.algorithms.build_weighted_fed_avg(
        model_fn,
        client_optimizer_fn=tff.learning.optimizers.build_sgdm(learning_rate=0.1),
        server_optimizer_fn=tff.learning.optimizers.build_sgdm(learning_rate=1.0),
    )
    state = process.initialize()
    local = process.next(state, data)  # contexte par défaut de fltutor (1 worker)
    return process, state, data, local


def _weights(process, state):
    return process.get_model_weights(state).trainable


def _max_abs_diff(a, b):
    return max(
        float(np.max(np.abs(np.asarray(x) - np.asarray(y)))) for x, y in zip(a, b)
    )


def _assert_stopped(workers):
    for worker in workers:
        assert not worker.is_running(), f"worker {worker.pid} encore actif"
        assert not psutil.pid_exists(worker.pid) or (
            psutil.Process(worker.pid).status() == psutil.STATUS_ZOMBIE
        ), f"le processus {worker.pid} existe encore"
    mine = {p.pid for p in psutil.Process().children(recursive=True)}
    assert not mine & {w.pid for w in workers}


@pytest.mark.parametrize("parallel", [True, False], ids=["parallele", "sequentiel"])
def test_meme_resultat_qu_en_un_seul_processus(fedavg, parallel, monkeypatch):
    process, state, data, local = fedavg
    thread_errors = []  # ex. le fil de surveillance gRPC qui meurt sur un canal fermé
    monkeypatch.setattr(
        threading, "excepthook", lambda a: thread_errors.append(repr(a.exc_value))
    )
    current = tff.framework.get_context_stack().current
    with distributed.workers_context(num_workers=2, parallel=parallel) as cluster:
        assert len(cluster.workers) == 2
        assert all(w.is_running() and w.loopback_only for w in cluster.workers)
        assert tff.framework.get_context_stack().current is cluster.context
        spread = process.next(state, data)
        per_worker = cluster.clients_per_worker()
        steps = [d.step for d in cluster.dispatches]
        workers = list(cluster.workers)
    # Les 6 clients sont partagés : 3 par worker, puis une fusion.
    assert sorted(per_worker.values()) == [3, 3], per_worker
    assert (
        steps.count("avant fusion") == 2
        and "fusion" in steps
        and "après fusion" in steps
    )
    # Même modèle à TOLERANCE près, mêmes métriques.
    diff = _max_abs_diff(
        _weights(process, local.state), _weights(process, spread.state)
    )
    assert diff <= TOLERANCE, f"écart {diff:.3g} > {TOLERANCE}"
    train_local = local.metrics["client_work"]["train"]
    train_spread = spread.metrics["client_work"]["train"]
    assert train_spread["num_examples"] == train_local["num_examples"] == 300
    assert train_spread["loss"] == pytest.approx(train_local["loss"], rel=1e-5)
    # Sortie du bloc : workers arrêtés, contexte d'avant rétabli.
    _assert_stopped(workers)
    assert tff.framework.get_context_stack().current is current
    assert cluster.closed
    time.sleep(0.5)  # laisse aux fils gRPC le temps de finir
    assert not thread_errors, thread_errors


def test_le_tour_suivant_repart_en_local(fedavg):
    """Après le bloc, le contexte local de fltutor resert et donne le même résultat."""
    process, state, data, local = fedavg
    again = process.next(state, data)
    assert (
        _max_abs_diff(_weights(process, local.state), _weights(process, again.state))
        == 0.0
    )


def test_adresse_muette_erreur_rapide_en_francais():
    start = time.monotonic()
    with pytest.raises(TimeoutError, match=r"127\.0\.0\.1:1") as info:
        with distributed.workers_context(addresses=["127.0.0.1:1"], ready_timeout=5):
            pytest.fail("le bloc ne doit pas s'exécuter")
    elapsed = time.monotonic() - start
    assert elapsed < 15, f"{elapsed:.1f} s pour signaler une adresse muette"
    assert "Aucune réponse" in str(info.value) and "5 s" in str(info.value)


def test_workers_distants_par_adresse_et_worker_mort(fedavg):
    """`addresses=` utilise des workers déjà lancés, sans les arrêter ; un worker
    qui meurt en cours de route donne une erreur française, sans attente sans fin."""
    process, state, data, local = fedavg
    external = [runtime.start_worker(), runtime.start_worker()]
    try:
        addresses = [w.address for w in external]
        with distributed.workers_context(
            addresses=addresses, ready_timeout=3
        ) as cluster:
            assert cluster.workers == [] and cluster.addresses == addresses
            spread = process.next(state, data)
            diff = _max_abs_diff(
                _weights(process, local.state), _weights(process, spread.state)
            )
            assert diff <= TOLERANCE
            victim = external[1]
            victim.process.kill()
            victim.process.wait()
            start = time.monotonic()
            with pytest.raises(ConnectionError, match=victim.address):
                process.next(state, data)
            assert time.monotonic() - start < 30
        assert external[0].is_running(), "un worker distant ne doit pas être arrêté"
    finally:
        for worker in external:
            worker.stop()
    _assert_stopped(external)


def test_exception_dans_le_bloc_arrete_les_workers():
    current = tff.framework.get_context_stack().current
    with pytest.raises(ZeroDivisionError):
        with distributed.workers_context(num_workers=1) as cluster:
            workers = list(cluster.workers)
            raise ZeroDivisionError("erreur dans le bloc")
    _assert_stopped(workers)
    assert tff.framework.get_context_stack().current is current


def test_interruption_pendant_un_tour(fedavg):
    """Ctrl-C (SIGINT, comme « Interrupt » dans Jupyter) pendant `process.next`."""
    process, state, data, _ = fedavg
    current = tff.framework.get_context_stack().current
    workers = []
    timer = None
    with pytest.raises(KeyboardInterrupt):
        with distributed.workers_context(num_workers=2) as cluster:
            workers = list(cluster.workers)
            process.next(state, data)  # compilation faite : le tour suivant est court
            timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
            timer.start()
            try:
                for _ in range(200):
                    process.next(state, data)
            finally:
                timer.cancel()
            pytest.fail("l'interruption n'est pas arrivée")
    _assert_stopped(workers)
    assert tff.framework.get_context_stack().current is current
    # Le contexte local fonctionne toujours.
    assert (
        process.next(state, data).metrics["client_work"]["train"]["num_examples"] == 300
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_workers": 0}, "de 1 à"),
        ({"num_workers": 2.5}, "entier"),
        ({"num_workers": 99}, "de 1 à"),
        ({"num_workers": 2, "addresses": ["localhost:1"]}, "pas les deux"),
        ({"addresses": "localhost:8000"}, "liste"),
        ({"addresses": []}, "vide"),
        ({"addresses": ["localhost"]}, "hôte:port"),
        ({"addresses": ["localhost:http"]}, "hôte:port"),
        ({"addresses": ["localhost:70000"]}, "hôte:port"),
        ({"addresses": ["::1:8000"]}, "crochets"),
        ({"addresses": ["a:1", "a:1"]}, "doublons"),
        ({"ready_timeout": 0}, "positif"),
        ({"num_subrounds": 0}, "num_subrounds"),
    ],
)
def test_arguments_invalides(kwargs, message):
    with pytest.raises(ValueError, match=message):
        with distributed.workers_context(**kwargs):
            pass


# --- Mesurer un tour (notebook 10) -------------------------------------------


class _FakeProcess:
    """Un « processus » minimal : `next` compte ses appels, des poids fixes."""

    def __init__(self):
        self.calls = 0

    def next(self, state, data):
        self.calls += 1
        time.sleep(0.001)
        return state

    def get_model_weights(self, state):
        class Weights:
            trainable = state

        return Weights()


def test_mesures_d_un_tour():
    process = _FakeProcess()
    seconds = distributed.median_round_time(process, None, [], repeats=3)
    assert process.calls == 3 and 0 < seconds < 5
    with pytest.raises(ValueError, match="repeats"):
        distributed.median_round_time(process, None, [], repeats=0)

    class Out:
        def __init__(self, *weights):
            self.state = [np.asarray(w, dtype=np.float32) for w in weights]

    a, b = Out([1.0, 2.0], [3.0]), Out([1.0, 2.5], [2.0])
    assert distributed.max_weight_difference(process, a, b) == pytest.approx(1.0)
    assert distributed.max_weight_difference(process, a, a) == 0.0


def test_tableau_des_durees():
    lines = distributed.timing_table({"Local": 2.0, "2 workers": 3.0}).splitlines()
    assert lines[0].split() == ["Exécution", "s", "/", "tour", "vs", "local"]
    assert lines[1].split() == ["Local", "2,00", "1,00×"]
    assert lines[2].split() == ["2", "workers", "3,00", "1,50×"]
    with pytest.raises(ValueError, match="au moins une durée"):
        distributed.timing_table({})
    with pytest.raises(ValueError, match="positive"):
        distributed.timing_table({"Local": 0.0})
