"""Exercices du notebook 01 (définition)."""

from __future__ import annotations

import numpy as np

from fltutor.verifier._core import Wrong, call, exercise, fr, multiple_choice, weights
from fltutor.verifier._data import partition_of, train_labels


@exercise("01-1", "des téléphones qui se ressemblent", level=1, minutes=10)
def iid_phones(reponse):
    """La répartition IID des téléphones (indices dans `y_train`) : chacun voit les 10 chiffres."""
    labels = train_labels()
    parts, _ = partition_of(reponse, labels)
    if len(parts) < 2:
        raise Wrong("Il faut au moins deux téléphones.")
    sizes = [len(p) for p in parts]
    if max(sizes) - min(sizes) > 1:
        raise Wrong(
            f"Les téléphones ont des tailles différentes ({sizes}).",
            "partition.iid donne à chacun le même nombre d'images.",
        )
    for k, part in enumerate(parts):
        seen = len(np.unique(labels[part]))
        if seen < 10:
            raise Wrong(
                f"Le téléphone {k} ne voit que {seen} chiffres sur 10 : ce n'est "
                "pas une répartition IID.",
                "Remplacez partition.shards par partition.iid.",
            )


OPTIONS_01_2 = (
    "E = 5 fait autant d'allers-retours que E = 1, avec plus de calcul.",
    "E = 5 divise par deux les allers-retours, mais chaque téléphone dérive "
    "davantage vers ses propres chiffres : le résultat n'est pas forcément meilleur.",
    "E = 5 est toujours meilleur, quelles que soient les données.",
    "E = 5 fait moins de calcul sur chaque téléphone.",
)


@exercise("01-2", "plus de travail local", level=2, minutes=10, options=OPTIONS_01_2)
def local_work(reponse):
    """QCM : ce que coûtent et rapportent 5 époques locales avec moitié moins de tours."""
    multiple_choice(
        reponse,
        OPTIONS_01_2,
        "b",
        {
            "a": "Comptez les tours : moitié moins de tours, moitié moins d'allers-retours.",
            "c": "Regardez la courbe non-IID : les téléphones tirent chacun de leur côté.",
            "d": "5 époques, c'est 5 passages sur les données à chaque tour.",
        },
    )


@exercise("01-3", "un téléphone malveillant", level=3, minutes=10)
def cheater(reponse):
    """`tricheur(poids)` : mêmes formes, valeurs aléatoires environ 10 fois plus grandes."""
    given = [np.zeros((4, 3), np.float32), np.ones(3, np.float32)]
    got = weights(call(reponse, [w.copy() for w in given]), "Le modèle renvoyé")
    if len(got) != len(given) or any(g.shape != w.shape for g, w in zip(got, given)):
        raise Wrong(
            "Le modèle renvoyé n'a pas la forme du modèle reçu.",
            "Renvoyez un tableau de même forme pour chaque tableau reçu (p.shape).",
        )
    if all(np.allclose(g, w) for g, w in zip(got, given)):
        raise Wrong(
            "Votre tricheur renvoie le modèle sans le changer.",
            "Tirez des poids aléatoires (rng.standard_normal) et multipliez par 10.",
        )
    spread = float(np.std(np.concatenate([g.ravel() for g in got])))
    if spread < 3:
        raise Wrong(
            f"Les poids renvoyés sont peu dispersés (écart-type {fr(spread)}).",
            "Multipliez les poids aléatoires par 10.",
        )
