"""Exercices du notebook 05 (bibliothèques : TFF à la main)."""

from __future__ import annotations

import numpy as np

from fltutor.verifier._core import (
    Wrong,
    call,
    exercise,
    fr,
    real,
    sequence,
    short_answer,
)


@exercise("05-1", "la maison la plus chaude", level=1, minutes=5)
def federated_max(reponse):
    """Un calcul fédéré : appelé sur des températures fixes, il doit rendre leur maximum."""
    signature = str(getattr(reponse, "type_signature", ""))
    if "@SERVER" not in signature or "@CLIENTS" not in signature:
        raise Wrong(
            "La réponse doit être un calcul fédéré des clients vers le serveur "
            f"(signature reçue : {signature or 'aucune'}).",
            "Décorez-le par @tff.federated_computation(tff.FederatedType(np.float32, "
            "tff.CLIENTS)).",
        )
    for values in ([18.0, 21.0, 24.5], [-3.0, -1.0, -2.0]):
        got = real(call(reponse, values, what="Votre calcul"), "Le résultat")
        if abs(got - max(values)) > 1e-5:
            hint = (
                "C'est la moyenne : utilisez tff.federated_max."
                if abs(got - np.mean(values)) < 1e-4
                else "Le serveur doit recevoir la plus grande valeur des clients."
            )
            raise Wrong(f"Sur {values}, votre calcul renvoie {fr(got)}.", hint)
    return "le maximum révèle la valeur exacte d'un client, la moyenne non."


@exercise("05-2", "pondérer ou pas ?", level=2, minutes=15)
def weighted_or_not(reponse):
    """Réponse courte : la moyenne (« pondérée » ou « simple ») la plus proche de l'optimum."""
    short_answer(
        reponse,
        ["pondere"],
        {
            "simple": (
                "La moyenne simple donne au petit client (y = 5x) autant de poids "
                "qu'aux deux autres.",
                "Comparez les deux w à l'optimum centralisé affiché.",
            )
        },
    )


@exercise("05-3", "une droite complète", level=3, minutes=25)
def line_fit(reponse):
    """`(w, b)` après l'entraînement fédéré sur des points autour de y = 3x + 1 (à 0,3 près)."""
    w, b = (real(v, "w et b") for v in sequence(reponse, 2, "La réponse (w, b)"))
    if abs(b) < 1e-6 and abs(w - 3) > 0.05:
        raise Wrong(
            f"b vaut 0 et w = {fr(w, 3)} : b n'a pas été appris.",
            "Mettez à jour b à chaque pas : b ← b − η·2·erreur.",
        )
    if abs(w - 3) > 0.3 or abs(b - 1) > 0.3:
        raise Wrong(
            f"(w, b) = ({fr(w, 3)}, {fr(b, 3)}) est encore loin de (3, 1).",
            "Plus de tours, ou un pas η plus petit si les valeurs explosent.",
        )
