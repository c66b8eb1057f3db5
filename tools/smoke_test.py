"""Test de fumée d'une installation neuve : un tour fédéré sous le runtime confiné.

Lancé par `tools/fresh_steps.sh smoke` (test « machine neuve », Dockerfile)
avec le Python de `.venv`. Dix petits clients aux images aléatoires, un tour
de FedAvg (modèle « mlp ») par `fltutor.federated`, puis deux vérifications :
le worker TFF est confiné à la boucle locale (bibliothèque compilée avec le
compilateur C de la machine) et la perte est un nombre fini. Sort avec le
code 0 si tout va bien, 1 sinon, avec un message en français.

Exemple :

    $ .venv/bin/python tools/smoke_test.py
    Tour fédéré : perte 2,31 ; worker confiné à la boucle locale (127.0.0.1).
"""

from __future__ import annotations

import math
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("FLTUTOR_QUICK", "1")

import numpy as np  # noqa: E402
import psutil  # noqa: E402

from fltutor import federated, runtime  # noqa: E402

LOOPBACK = {"127.0.0.1", "::1", "::ffff:127.0.0.1"}


def listening_addresses(pid: int) -> set[str]:
    """Adresses sur lesquelles le processus `pid` attend des connexions."""
    return {
        conn.laddr.ip
        for conn in psutil.Process(pid).net_connections(kind="inet")
        if conn.status == psutil.CONN_LISTEN
    }


def one_round() -> tuple[float, set[str]]:
    """Un tour de FedAvg sur 10 clients ; renvoie (perte, adresses du worker)."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(200, 28, 28), dtype=np.uint8)
    y = rng.integers(0, 10, size=200)
    partition = np.array_split(np.arange(200), 10)
    clients = federated.client_datasets(x, y, partition, batch_size=10)
    process = federated.build_process("fedavg", model="mlp")
    history = federated.train(
        process, clients, rounds=1, clients_per_round=5, progress=False, model="mlp"
    )
    (worker,) = runtime.workers()
    if not worker.loopback_only:
        raise RuntimeError(
            "le worker TFF n'est pas confiné à la boucle locale : le compilateur C "
            "(gcc) manque-t-il ?"
        )
    return float(history.column("train_loss")[-1]), listening_addresses(worker.pid)


def main() -> int:
    try:
        loss, addresses = one_round()
    except Exception as error:  # le message suffit : pas de trace pour l'étudiant
        print(f"Échec du tour fédéré : {error}", file=sys.stderr)
        return 1
    finally:
        runtime.stop_all_workers()
    if not math.isfinite(loss) or not addresses or not addresses <= LOOPBACK:
        print(
            f"Échec : perte {loss}, worker à l'écoute sur {sorted(addresses)}",
            file=sys.stderr,
        )
        return 1
    print(
        f"Tour fédéré : perte {loss:.2f}".replace(".", ",")
        + f" ; worker confiné à la boucle locale ({', '.join(sorted(addresses))})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
