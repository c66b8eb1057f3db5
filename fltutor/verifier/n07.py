"""Exercices du notebook 07 (non-IID et algorithmes)."""

from __future__ import annotations

import numpy as np

from fltutor.verifier._core import (
    Wrong,
    call,
    exercise,
    fr,
    multiple_choice,
    real,
    short_answer,
)

OPTIONS_07_1 = (
    "μ n'a aucun effet avec E = 5.",
    "Un μ plus grand réduit la dérive, mais trop grand il empêche presque "
    "l'entraînement local : il faut alors plus de tours.",
    "Un μ plus grand éloigne les clients du modèle global.",
    "Un μ plus grand améliore toujours l'exactitude.",
)


@exercise(
    "07-1",
    "le poids du rappel",
    level=1,
    minutes=15,
    long_run=5,
    options=OPTIONS_07_1,
)
def proximal_weight(reponse):
    """QCM (les entraînements sont longs) : l'effet de μ dans FedProx."""
    multiple_choice(
        reponse,
        OPTIONS_07_1,
        "b",
        {
            "d": "Que devient l'entraînement local si le rappel est très fort ?",
            "a": "Comparez les courbes μ = 0,1 et μ = 1.",
            "c": "Le terme μ/2·‖w − w_global‖² pénalise l'éloignement du modèle global.",
        },
    )


def _flat(model):
    return np.concatenate([np.ravel(np.asarray(t, dtype=np.float64)) for t in model])


def reference_distance(local_models, sizes):
    """Distance euclidienne moyenne des modèles locaux au modèle moyen (pondéré par n_k)."""
    flat = np.stack([_flat(m) for m in local_models])
    mean = np.average(flat, axis=0, weights=np.asarray(sizes, dtype=np.float64))
    return float(np.mean(np.linalg.norm(flat - mean, axis=1)))


@exercise("07-3", "dérive et époques", level=3, minutes=20, long_run=2)
def drift_distance(reponse):
    """`distance_moyenne(modeles_locaux, tailles)` : distance moyenne au modèle moyen.

    Le modèle moyen est la moyenne des modèles locaux pondérée par `tailles`
    (comme `scratch.aggregate`) ; la distance est la norme euclidienne de la
    différence, tous les tenseurs mis bout à bout. Vérifiée sur de petits
    modèles fabriqués, comparée au calcul de référence.
    """
    rng = np.random.default_rng(7)
    for sizes in ([10, 10, 10], [50, 5, 20, 25]):
        models = [
            [rng.normal(size=(3, 2)), rng.normal(size=2)] for _ in range(len(sizes))
        ]
        got = real(call(reponse, models, list(sizes)), "La distance")
        expected = reference_distance(models, sizes)
        if abs(got - expected) <= 1e-6 * max(1.0, expected):
            continue
        flat = np.stack([_flat(m) for m in models])
        mean = np.average(flat, axis=0, weights=sizes)
        cosines = [v @ mean / (np.linalg.norm(v) * np.linalg.norm(mean)) for v in flat]
        unweighted = float(np.mean(np.linalg.norm(flat - flat.mean(0), axis=1)))
        if abs(got - float(np.mean(cosines))) < 1e-6 or -1 <= got <= 1 < expected:
            hint = (
                "Vous mesurez un cosinus (un angle) : l'exercice demande une "
                "distance, la norme de la différence w_k − w_moyen."
            )
        elif abs(got - unweighted) < 1e-6:
            hint = (
                "Le modèle moyen est pondéré par les tailles n_k (scratch.aggregate)."
            )
        elif abs(got - expected**2) < 1e-6 * max(1.0, expected**2):
            hint = "Prenez la racine carrée : la norme, pas son carré."
        else:
            hint = (
                "Mettez chaque modèle bout à bout (np.concatenate des tenseurs "
                "aplatis), puis moyennez np.linalg.norm(w_k − w_moyen)."
            )
        raise Wrong(f"Sur des modèles d'essai, vous trouvez {fr(got)}.", hint)


@exercise("07-2", "tessons ou Dirichlet ?", level=2, minutes=15, long_run=3)
def shards_or_dirichlet(reponse):
    """Réponse courte : la répartition la plus difficile (« tessons » ou « dirichlet »)."""
    short_answer(
        reponse,
        ["tesson", "shard"],
        {
            "dirichlet": (
                "Avec Dirichlet α = 0,1, les clients gardent souvent quelques "
                "exemples des autres chiffres.",
                "Comparez les classes par client dans partition.heterogeneity.",
            )
        },
    )
    return "avec les tessons, aucun client ne voit jamais les huit autres chiffres."
