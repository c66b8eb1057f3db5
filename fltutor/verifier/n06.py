"""Exercices du notebook 06 (MNIST avec TFF).

Les entraînements sont longs (plusieurs CNN) : on vérifie des propriétés
peu coûteuses de ce qu'ils renvoient (structure de l'historique, octets par
client, qui dépendent du modèle) et la lecture qu'en fait l'étudiant.
"""

from __future__ import annotations

import math

from fltutor.verifier._core import Wrong, exercise, fr, integer, mapping, real
from fltutor.verifier._data import train_labels
from fltutor.verifier._history import history, upload_per_client

TARGET = 0.97


@exercise("06-1", "plus de travail local", level=1, minutes=15, long_run=10)
def more_local_work(reponse):
    """`{"historique": hist_e5, "tours": ..., "octets": ...}` lus dans l'historique.

    Vérifie la structure de l'historique (tours 1, 2, 3…), puis que `tours`
    est le premier tour à 97 % (None s'il n'est pas atteint) et `octets` le
    total échangé (descente + montée) jusqu'à ce tour (ou jusqu'au bout).
    """
    given = mapping(reponse, ["historique", "tours", "octets"])
    rounds = history(given["historique"])
    reached = next(
        (
            r["round"]
            for r in rounds
            if r.get("test_accuracy") == r.get("test_accuracy")
            and r["test_accuracy"] >= TARGET
        ),
        None,
    )
    said = given["tours"]
    if said is not None:
        said = integer(said, "Le nombre de tours")
    if said != reached:
        raise Wrong(
            f"Votre historique atteint 97 % au tour {reached}, pas {said}."
            if reached
            else f"Votre historique n'atteint jamais 97 % (vous dites : tour {said}).",
            "Cherchez le premier tour où test_accuracy ≥ 0,97 (None si aucun).",
        )
    upto = rounds[: reached or len(rounds)]
    total = sum(r["bytes_down"] + r["bytes_up"] for r in upto)
    octets = real(given["octets"], "Le nombre d'octets")
    if octets == sum(r["bytes_up"] for r in upto):
        raise Wrong(
            "Vous n'avez compté que la montée.",
            "Ajoutez la descente (bytes_down) : le serveur envoie aussi le modèle.",
        )
    if not math.isclose(octets, total, rel_tol=1e-6):
        raise Wrong(
            "Ce n'est pas le total des octets échangés jusqu'à l'objectif.",
            "Additionnez bytes_down + bytes_up des tours jusqu'au tour atteint.",
        )


@exercise("06-2", "le 2NN au lieu du CNN", level=2, minutes=10, long_run=3)
def two_nn(reponse):
    """L'historique de FedAvg avec le 2NN : structure, et octets par client du 2NN.

    La taille des mises à jour trahit le modèle entraîné : 2NN et CNN n'ont
    pas le même nombre de paramètres.
    """
    from fltutor import communication

    rounds = history(reponse)
    per_client = upload_per_client(rounds)
    if math.isclose(per_client, communication.upload_bytes("cnn"), rel_tol=1e-3):
        raise Wrong(
            "Cet historique est celui d'un CNN (ses mises à jour en ont la taille).",
            "Passez model='mlp' à build_process **et** à train.",
        )
    if not math.isclose(per_client, communication.upload_bytes("mlp"), rel_tol=1e-3):
        raise Wrong(
            "Les mises à jour n'ont pas la taille de celles du 2NN.",
            "Entraînez le modèle « mlp » avec build_process et train.",
        )


@exercise("06-3", "une répartition de Dirichlet", level=3, minutes=20, long_run=6)
def dirichlet_midpoint(reponse):
    """L'α de Dirichlet dont l'écart moyen est à mi-chemin entre IID et tessons.

    Calculé à la volée sur les étiquettes de MNIST (100 clients) ; accepté si
    l'écart est à moins d'un sixième de l'intervalle IID–tessons du milieu.
    """
    from fltutor import partition

    alpha = real(reponse, "α")
    if alpha <= 0:
        raise Wrong(f"α doit être strictement positif (reçu : {fr(alpha)}).")
    labels = train_labels()
    iid = partition.heterogeneity(labels, partition.iid(labels, 100, seed=0)).mean_emd
    shards = partition.heterogeneity(
        labels, partition.shards(labels, 100, shards_per_client=2, seed=0)
    ).mean_emd
    middle, tolerance = (iid + shards) / 2, (shards - iid) / 6
    got = partition.heterogeneity(
        labels, partition.dirichlet(labels, 100, alpha, seed=0)
    ).mean_emd
    if got < middle - tolerance:
        raise Wrong(
            f"Avec α = {fr(alpha)}, la répartition est trop proche de l'IID.",
            "Diminuez α : plus α est petit, plus les clients sont déséquilibrés.",
        )
    if got > middle + tolerance:
        raise Wrong(
            f"Avec α = {fr(alpha)}, la répartition est trop proche des tessons.",
            "Augmentez α.",
        )
