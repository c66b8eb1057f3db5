"""Vérifier un historique d'entraînement (`federated.History`) sans refaire l'entraînement."""

from __future__ import annotations

import math

from fltutor.verifier._core import Wrong


def history(reponse, name="L'historique") -> list[dict]:
    """Les tours d'un `History` : numérotés 1, 2, 3… avec des exactitudes dans [0, 1]."""
    rounds = getattr(reponse, "rounds", None)
    if not isinstance(rounds, list):
        raise Wrong(
            f"{name} doit être le résultat de federated.train "
            f"(reçu : {type(reponse).__name__}).",
            "Passez l'objet renvoyé par federated.train (hist), pas un nombre.",
        )
    if not rounds:
        raise Wrong(f"{name} est vide : aucun tour n'a été fait.")
    numbers = [r.get("round") for r in rounds]
    if numbers != list(range(1, len(rounds) + 1)):
        raise Wrong(f"{name} a des tours mal numérotés ({numbers}).")
    accuracies = [r.get("test_accuracy", math.nan) for r in rounds]
    if not any(a == a for a in accuracies):
        raise Wrong(
            f"{name} n'a aucun tour évalué.",
            "Donnez test_data=... à federated.train.",
        )
    if any(a == a and not 0 <= a <= 1 for a in accuracies):
        raise Wrong(f"{name} contient des exactitudes hors de [0, 1].")
    return rounds


def upload_per_client(rounds) -> float:
    """Octets montés par client au premier tour."""
    first = rounds[0]
    clients = len(first.get("clients", [])) or 1
    return first.get("bytes_up", 0) / clients
