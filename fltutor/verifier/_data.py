"""Les étiquettes de MNIST, chargées une fois, pour vérifier les répartitions."""

from __future__ import annotations

import numpy as np

from fltutor.verifier._core import Wrong


def train_labels() -> np.ndarray:
    """Les 60 000 étiquettes d'entraînement de MNIST (mises en cache par `fltutor.data`)."""
    from fltutor import data

    return data.load_mnist()[0][1]


def partition_of(reponse, labels, name="La répartition"):
    """Vérifie une partition (liste de tableaux d'indices disjoints) et la renvoie."""
    from fltutor import partition

    if isinstance(reponse, np.ndarray) or not isinstance(reponse, (list, tuple)):
        raise Wrong(
            f"{name} doit être une liste de tableaux d'indices, un par client "
            f"(reçu : {type(reponse).__name__}).",
            "Donnez la liste renvoyée par partition.iid, partition.shards…",
        )
    try:
        stats = partition.heterogeneity(labels, reponse)
    except ValueError as error:
        raise Wrong(str(error)) from None
    parts = [np.asarray(p) for p in reponse]
    everything = np.concatenate(parts) if parts else np.zeros(0, int)
    if len(np.unique(everything)) != len(everything):
        raise Wrong(
            f"{name} donne le même exemple à plusieurs clients.",
            "Chaque exemple appartient à un seul client.",
        )
    return parts, stats
