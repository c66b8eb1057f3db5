"""Exercices du notebook 00 (sommaire)."""

from __future__ import annotations

import numpy as np

from fltutor.verifier._core import Wrong, call, exercise, fr, mapping, real, sequence
from fltutor.verifier._data import train_labels


@exercise("00-1", "le mode rapide", level=1, minutes=5)
def quick_mode(reponse):
    """`{"1": ..., "0": ...}` : ce que renvoie `quick_mode()` après chaque réglage."""
    seen = mapping(reponse, ["1", "0"])
    for key, value in seen.items():
        if not isinstance(value, (bool, np.bool_)):
            raise Wrong(
                f"La valeur pour {key!r} doit être True ou False (reçu : {value!r}).",
                "Mettez-y le résultat de fltutor.quick_mode().",
            )
    if not seen["1"] or seen["0"]:
        raise Wrong(
            "Ces valeurs ne sont pas celles que renvoie quick_mode().",
            "Réglez os.environ['FLTUTOR_QUICK'] juste avant chaque appel : "
            "la fonction relit la variable à chaque fois.",
        )
    return "quick_mode() suit la variable ; QUICK, lui, est lu une fois au début."


@exercise("00-2", "les classes de MNIST", level=2, minutes=5)
def class_counts(reponse):
    """Le nombre d'images de chaque chiffre (0 à 9) du jeu d'entraînement."""
    if isinstance(reponse, dict):
        reponse = [reponse.get(d, reponse.get(str(d), 0)) for d in range(10)]
    counts = sequence(reponse, 10, "Le décompte")
    counts = [real(c, "Chaque décompte") for c in counts]
    expected = np.bincount(train_labels(), minlength=10)
    if sum(counts) == 10_000:
        raise Wrong(
            "Vous avez compté les 10 000 images de test.",
            "Comptez les étiquettes d'entraînement (y_train).",
        )
    if sum(counts) != expected.sum():
        raise Wrong(
            f"Le total fait {fr(sum(counts))} images, pas {expected.sum()}.",
            "Utilisez np.bincount(y_train, minlength=10).",
        )
    if not np.array_equal(np.asarray(counts), expected):
        raise Wrong(
            "Le total est juste mais pas le nombre de chaque chiffre.",
            "L'élément i doit compter les images du chiffre i.",
        )
    return "les classes sont à peu près équilibrées (à ±10 % près)."


@exercise("00-3", "une moyenne fédérée", level=3, minutes=10)
def federated_mean(reponse):
    """Un calcul fédéré : appelé sur des valeurs fixes, il doit rendre leur moyenne."""
    signature = str(getattr(reponse, "type_signature", ""))
    if not signature:
        raise Wrong(
            "La réponse doit être un calcul fédéré (décoré par "
            "@tff.federated_computation).",
            "Passez le calcul lui-même, sans l'appeler.",
        )
    if "@SERVER" not in signature or "@CLIENTS" not in signature:
        raise Wrong(
            f"Signature inattendue : {signature}.",
            "Les valeurs partent des clients (tff.CLIENTS) et le résultat arrive "
            "au serveur.",
        )
    for values in ([1.0, 2.0, 3.0, 6.0], [-2.0, 4.0]):
        got = real(call(reponse, values, what="Votre calcul"), "Le résultat")
        if abs(got - np.mean(values)) > 1e-5:
            hint = (
                "C'est la somme : utilisez tff.federated_mean."
                if abs(got - sum(values)) < 1e-5
                else "Le serveur doit recevoir la moyenne des valeurs des clients."
            )
            raise Wrong(f"Sur {values}, votre calcul renvoie {fr(got)}.", hint)
