"""Exercices du notebook 11 (sécurité).

Les comparaisons d'attaques sont longues : on vérifie la conclusion (un
nombre justifié par la théorie, ou un QCM) plutôt que les courbes.
"""

from __future__ import annotations

from fltutor.verifier._core import Wrong, exercise, fr, integer, multiple_choice, real


@exercise("11-1", "jusqu'où tient la médiane ?", level=1, minutes=15, long_run=6)
def median_breaks(reponse):
    """Le nombre d'attaquants (sur 10) à partir duquel la médiane cède."""
    count = integer(reponse, "Le nombre d'attaquants")
    if count == 5:
        return "à 5 sur 10, il n'y a plus de majorité honnête."
    if count < 5:
        raise Wrong(
            f"À {count} sur 10, les honnêtes sont encore majoritaires.",
            "La médiane reste encadrée par des valeurs honnêtes tant qu'ils sont "
            "plus de la moitié.",
        )
    raise Wrong(
        f"Elle a déjà cédé avant {count}.",
        "Regardez à partir de quand les honnêtes ne sont plus majoritaires.",
    )


OPTIONS_11_2 = (
    "Aucune des deux ne réagit, même à γ = 10.",
    "La mise à zéro réagit dès γ = 2, l'écrêtage jamais.",
    "L'écrêtage touche la mise à jour gonflée quel que soit γ ; la mise à "
    "zéro la laisse passer, car elle ne vise que des valeurs aberrantes, des "
    "milliers de fois trop grandes.",
    "Les deux réagissent seulement à γ = 10.",
)


@exercise(
    "11-2",
    "un attaquant plus discret",
    level=2,
    minutes=20,
    long_run=5,
    options=OPTIONS_11_2,
)
def stealthy(reponse):
    """QCM : ce que voient la mise à zéro et l'écrêtage adaptatifs selon γ."""
    multiple_choice(
        reponse,
        OPTIONS_11_2,
        "c",
        {
            "b": "Le seuil de mise à zéro est le double du quantile 0,98 des normes, plus 1.",
            "a": "Regardez clipped_count dans hist.rounds[-1]['aggregator'].",
            "d": "L'écrêtage ramène au quantile 0,8 toutes les normes au-dessus.",
        },
    )


@exercise("11-3", "régler la moyenne tronquée", level=3, minutes=20, long_run=6)
def trimmed_beta(reponse):
    """Le β à choisir contre 3 attaquants sur 10 : `⌊10 β⌋ ≥ 3` et β < 0,5."""
    beta = real(reponse, "β")
    if not 0 < beta < 0.5:
        raise Wrong(
            f"β = {fr(beta)} : il faut 0 < β < 0,5 (β retire une part de chaque côté)."
        )
    removed = int(10 * beta + 1e-9)
    if removed < 3:
        raise Wrong(
            f"β = {fr(beta)} ne retire que {removed} valeur(s) de chaque côté, "
            "contre 3 attaquants.",
            "Il faut β × n au moins égal au nombre d'attaquants à tolérer.",
        )
    return "au-delà, on jette de l'information honnête (coûteux en non-IID)."
