"""Vérifier les exercices « À vous de jouer », en français.

>>> from fltutor import verifier
>>> r = verifier.exercice("11-1", 5)
✅ Correct ! Exercice 11-1 (jusqu'où tient la médiane ?) — à 5 sur 10, il n'y a plus de majorité honnête.
>>> r = verifier.exercice("11-1", ...)
✏️ Exercice 11-1 (jusqu'où tient la médiane ?) : pas encore de réponse — il reste des `...` à remplacer.
💡 Indice : Complétez la cellule au-dessus, exécutez-la, puis relancez la vérification.
>>> verifier.consigne("06-2")
'★★ application · 10 min · calcul long (≈ 3 min)'

Chaque exercice a un identifiant `NN-k` (notebook NN, exercice k), une
vérification qui teste le **comportement** de la réponse (une valeur à une
tolérance près, une propriété d'une répartition, une fonction appelée sur de
petites entrées fixes et comparée à un calcul de référence), un niveau, une
durée et, pour les entraînements longs, la durée du calcul. Les exercices de
réflexion sont des QCM (`choix`) ou des réponses courtes.

Un module par notebook (`n00` … `n11`) ; le cœur (registre, messages) est
dans `_core`.
"""

from __future__ import annotations

from fltutor.verifier import (  # noqa: F401 — chaque import enregistre ses exercices
    n00,
    n01,
    n02,
    n03,
    n04,
    n05,
    n06,
    n07,
    n08,
    n09,
    n10,
    n11,
)
from fltutor.verifier._core import LETTERS, LEVELS, REGISTRY, Result, run

__all__ = ["REGISTRY", "Result", "choix", "consigne", "exercice", "tableau"]


def exercice(id: str, reponse) -> Result:
    """Vérifie la réponse à l'exercice `id` (« 06-2 »), affiche le verdict et le renvoie.

    Jamais la solution, jamais de trace d'erreur : si la réponse est fausse,
    le message dit ce qui ne va pas et donne un indice.
    """
    result = run(id, reponse)
    print(result)
    return result


def _entry(id):
    if id not in REGISTRY:
        known = ", ".join(sorted(REGISTRY))
        raise ValueError(f"Exercice inconnu : {id!r}. Exercices : {known}.")
    return REGISTRY[id]


def consigne(id: str) -> str:
    """La ligne d'en-tête d'un exercice : niveau, durée, calcul long éventuel.

    >>> consigne("00-1")
    '★ découverte · 5 min'
    """
    entry = _entry(id)
    parts = [LEVELS[entry.level], f"{entry.minutes} min"]
    if entry.long_run:
        parts.append(f"calcul long (≈ {entry.long_run} min)")
    return " · ".join(parts)


def choix(id: str) -> None:
    """Affiche les choix d'un exercice en QCM (répondez par la lettre).

    >>> choix("11-2")  # doctest: +ELLIPSIS
    a) Aucune des deux ne réagit, même à γ = 10.
    b) ...
    d) Les deux réagissent seulement à γ = 10.
    """
    entry = _entry(id)
    if not entry.options:
        print(f"L'exercice {id} n'est pas un QCM.")
        return
    for letter, option in zip(LETTERS, entry.options):
        print(f"{letter}) {option}")


def tableau() -> list[dict]:
    """Tous les exercices : identifiant, titre, niveau, minutes, calcul long (minutes ou None)."""
    return [
        {
            "id": e.id,
            "titre": e.title,
            "niveau": LEVELS[e.level],
            "minutes": e.minutes,
            "calcul_long": e.long_run,
            "qcm": bool(e.options),
        }
        for e in sorted(REGISTRY.values(), key=lambda e: e.id)
    ]
