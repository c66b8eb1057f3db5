"""Exercices du notebook 04 (applications : les hôpitaux)."""

from __future__ import annotations

from fltutor.verifier._core import (
    Wrong,
    call,
    exercise,
    multiple_choice,
    short_answer,
)


@exercise("04-1", "une voix par hôpital", level=1, minutes=10)
def uniform_weighting(reponse):
    """Réponse courte : l'établissement qui gagne le plus de poids avec UNIFORM."""
    short_answer(
        reponse,
        ["clinique"],
        {
            "chu": (
                "Le CHU, le plus grand (150 patientes), perd au contraire du poids.",
                "Comparez 1/4 à la part de chaque hôpital dans les 315 patientes.",
            ),
        },
    )
    return "25 patientes sur 315 (8 %) pèsent désormais 25 %."


@exercise("04-2", "combien de tours ?", level=2, minutes=10)
def first_round(reponse):
    """`premier_tour(exactitudes, seuil)` : le premier tour (compté à partir de 1) > seuil, sinon None."""
    cases = [
        ([0.5, 0.7, 0.9, 0.95], 0.8, 3),
        ([0.9, 0.9, 0.92], 0.9, 3),
        ([0.95, 0.5], 0.9, 1),
    ]
    for history, threshold, expected in cases:
        got = call(reponse, list(history), threshold)
        if got != expected:
            if got == expected - 1:
                hint = "Les tours se comptent à partir de 1 (le premier est le tour 1)."
            elif threshold in history[: expected - 1]:
                hint = "« Dépasse » : l'exactitude doit être strictement supérieure."
            else:
                hint = "Parcourez les exactitudes dans l'ordre des tours."
            raise Wrong(
                f"Sur {history} avec le seuil {threshold}, vous trouvez {got!r}.", hint
            )
    try:
        never = reponse([0.5, 0.6], 0.9)
    except Exception as error:  # noqa: BLE001
        raise Wrong(
            f"Quand le seuil n'est jamais dépassé, votre fonction lève "
            f"{type(error).__name__} : {error}",
            "Renvoyez None dans ce cas.",
        ) from None
    if never is not None:
        raise Wrong(
            f"Quand le seuil n'est jamais dépassé, vous renvoyez {never!r}.",
            "Renvoyez None dans ce cas.",
        )


OPTIONS_04_3 = (
    "L'hôpital a quand même vu quelques cancers dans ses données.",
    "C'est le hasard de l'initialisation du modèle.",
    "Le modèle prédit « maligne » pour toutes les tumeurs.",
    "La moyenne commune a été calculée avec les patientes de tous les "
    "hôpitaux, cancers compris : l'information des autres est passée par "
    "cette statistique fédérée.",
)


@exercise("04-3", "un hôpital sans cancers", level=3, minutes=15, options=OPTIONS_04_3)
def no_cancer(reponse):
    """QCM : pourquoi l'hôpital seul détecte encore des cancers avec la standardisation commune."""
    multiple_choice(
        reponse,
        OPTIONS_04_3,
        "d",
        {
            "a": "Affichez y_train[labo_sans.parts[k]].sum() : combien de malignes ?",
            "b": "Changez la graine : la sensibilité reste élevée.",
            "c": "Regardez l'exactitude : elle serait alors très basse.",
        },
    )
