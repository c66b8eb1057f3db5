"""Exercices du notebook 02 (les étapes)."""

from __future__ import annotations

import numpy as np

from fltutor.verifier._core import Wrong, call, exercise, fr, multiple_choice, weights
from fltutor.verifier._data import partition_of, train_labels

OPTIONS_02_1 = (
    "Les mises à jour rapetissent : chaque client converge vers le modèle global.",
    "Les modèles locaux s'améliorent mais le modèle agrégé est toujours moins bon.",
    "Les mises à jour ‖w_k − w‖ grandissent, les modèles locaux sont meilleurs, "
    "et le modèle agrégé progresse davantage en un seul tour.",
    "Rien ne change : une époque suffit à chaque client.",
)


@exercise("02-1", "plus de travail local", level=1, minutes=10, options=OPTIONS_02_1)
def more_epochs(reponse):
    """QCM : l'effet de E = 5 sur la norme des mises à jour et les exactitudes."""
    multiple_choice(
        reponse,
        OPTIONS_02_1,
        "c",
        {
            "a": "Chaque époque ajoute des pas de SGD : w_k s'éloigne davantage de w.",
            "d": "Comparez les tableaux E = 1 et E = 5, colonne par colonne.",
            "b": "Au premier tour, sur ces clients, regardez la ligne « modèle agrégé ».",
        },
    )


@exercise("02-2", "pondérer ou pas ?", level=2, minutes=10)
def simple_mean(reponse):
    """`moyenne_simple(poids_locaux)` : la moyenne non pondérée, couche par couche."""
    rng = np.random.default_rng(2)
    local = [[rng.normal(size=(3, 2)), rng.normal(size=2)] for _ in range(3)]
    got = weights(call(reponse, local), "La moyenne renvoyée")
    expected = [np.mean([w[i] for w in local], axis=0) for i in range(2)]
    if len(got) != 2 or any(g.shape != e.shape for g, e in zip(got, expected)):
        raise Wrong(
            "La moyenne n'a pas la forme d'un modèle (une liste de tableaux, "
            "un par couche).",
            "Moyennez couche par couche : scratch.aggregate(poids, [1] * len(poids)).",
        )
    total = [np.sum([w[i] for w in local], axis=0) for i in range(2)]
    if all(np.allclose(g, t) for g, t in zip(got, total)):
        raise Wrong("Vous renvoyez la somme des modèles.", "Divisez par leur nombre.")
    if not all(np.allclose(g, e) for g, e in zip(got, expected)):
        raise Wrong(
            "Ce n'est pas la moyenne simple des modèles locaux.",
            "Tous les clients doivent peser autant (n_k = 1 pour chacun).",
        )
    return "les petits clients pèsent désormais autant que les grands."


@exercise("02-3", "des clients qui ne voient que deux chiffres", level=3, minutes=15)
def two_digits(reponse):
    """La répartition non-IID (indices dans `y_train`) : environ deux chiffres par client."""
    labels = train_labels()
    parts, stats = partition_of(reponse, labels)
    if len(parts) < 10:
        raise Wrong(
            f"Seulement {len(parts)} clients.", "Gardez les 100 clients du notebook."
        )
    if stats.mean_classes_per_client > 3:
        raise Wrong(
            f"Les clients voient {fr(stats.mean_classes_per_client, 1)} chiffres en "
            "moyenne : ce n'est pas une répartition en tessons.",
            "partition.shards(y_train, NUM_CLIENTS, shards_per_client=2, seed=SEED).",
        )
