"""Banc d'essai du cours : reproduire McMahan et al. (2017) et mesurer les coûts.

Ce paquet n'est pas pour les étudiants : il vérifie le cours. Trois
expériences, lancées depuis la racine du dépôt :

- ``mcmahan`` (`bench.mcmahan`) : tours pour atteindre 99 % (CNN) ou 97 %
  (2NN) sur MNIST, 100 clients, C = 0,1, IID et non-IID, à côté du
  tableau 2 de l'article (`bench.paper`) ; reprenable (`bench.checkpoint`) ;
- ``overhead`` (`bench.overhead`) : un tour TFF comparé au même travail en
  Keras ``fit`` et au FedAvg écrit à la main ;
- ``memory`` (`bench.memory`) : mémoire maximale de chaque notebook.

Les entraînements passent par la même boucle que les étudiants :
`fltutor.federated.run_rounds`.

::

    python -m bench --help
    python -m bench mcmahan --rows fedavg-e5-b10-iid,fedsgd-iid --max-rounds 300
    python -m bench overhead
    python -m bench memory --notebooks 02_etapes
"""

from __future__ import annotations

import datetime
import os
import pathlib
import platform

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "bench" / "results"


def say(log, text: str) -> None:
    """Affiche `text` avec la fonction `log` (rien si `log` vaut None)."""
    if log is not None:
        log(text)


def log_with_time(text: str) -> None:
    """Affiche `text` précédé de l'heure (journal des longues expériences)."""
    stamp = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"{stamp} {text}", flush=True)


def machine() -> str:
    """La machine de mesure, en une ligne (cœurs, mémoire, Python)."""
    import psutil

    gib = psutil.virtual_memory().total / 2**30
    return (
        f"{os.cpu_count()} vCPU, {gib:.0f} Gio, {platform.machine()}, "
        f"Python {platform.python_version()}"
    )
