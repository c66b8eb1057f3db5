"""Exercices du notebook 03 (avantages et défis)."""

from __future__ import annotations

import math

import numpy as np

from fltutor.verifier._core import (
    Wrong,
    call,
    exercise,
    integer,
    multiple_choice,
    sequence,
)

PHOTO = 3_000_000


@exercise("03-1", "le seuil de rentabilité", level=1, minutes=10)
def break_even(reponse):
    """`(photos pour une mise à jour, photos pour 100 tours tiré un tour sur dix)`."""
    from fltutor import communication

    one, training = (
        integer(v, "Chaque nombre de photos") for v in sequence(reponse, 2)
    )
    update = communication.upload_bytes("cnn")
    if one != math.ceil(update / PHOTO):
        hint = (
            "Arrondissez au-dessus : il faut un nombre entier de photos."
            if one == update // PHOTO
            else "Une mise à jour du CNN : communication.upload_bytes('cnn') octets."
        )
        raise Wrong(f"Pour une mise à jour, {one} photos n'est pas le seuil.", hint)
    expected = math.ceil(10 * 2 * update / PHOTO)
    if training == math.ceil(10 * update / PHOTO):
        raise Wrong(
            "Pour l'entraînement, vous n'avez compté que les envois du téléphone.",
            "À chaque participation, le téléphone reçoit aussi le modèle (diffusion).",
        )
    if training != expected:
        raise Wrong(
            f"Pour l'entraînement, {training} photos n'est pas le seuil.",
            "100 tours, tiré un tour sur dix : 10 participations, chacune avec une "
            "diffusion et un envoi.",
        )


OPTIONS_03_2 = (
    "Avec α = 0,1 : le client 0 ne voit presque que quelques chiffres, la "
    "fédération lui apporte les autres.",
    "Avec α = 10 : ses données sont déjà variées, il a tout à gagner.",
    "Jamais : un client seul fait toujours aussi bien.",
    "Autant dans les deux cas : α ne change que la taille des clients.",
)


@exercise(
    "03-2",
    "diversité et Dirichlet",
    level=2,
    minutes=20,
    long_run=4,
    options=OPTIONS_03_2,
)
def dirichlet_gain(reponse):
    """QCM (l'entraînement est long) : quand la fédération apporte-t-elle le plus au client 0 ?"""
    multiple_choice(
        reponse,
        OPTIONS_03_2,
        "a",
        {
            "b": "Avec α = 10, le client 0 est presque IID : seul, il s'en sort déjà bien.",
            "c": "Comparez « client 0 seul » et « modèle fédéré » pour α = 0,1.",
            "d": "Affichez les chiffres présents chez le client 0 pour chaque α.",
        },
    )


@exercise("03-3", "le serveur curieux, plus tard", level=3, minutes=15, long_run=2)
def curious_server(reponse):
    """`devine(w_depart, w_k)` → les deux chiffres du client, lus dans les biais de sortie.

    Vérifié sur des poids fabriqués : des biais de départ inégaux (pour
    piéger qui oublie de soustraire `w_depart`) et une mise à jour qui
    pousse deux chiffres connus.
    """
    rng = np.random.default_rng(3)
    for digits in ([2, 7], [0, 9], [4, 5]):
        start = [rng.normal(size=(5, 10)), np.linspace(3.0, -3.0, 10)]
        delta = np.full(10, -0.05)
        delta[digits] = 0.4
        local = [start[0] + rng.normal(scale=0.01, size=(5, 10)), start[1] + delta]
        got = call(reponse, [w.copy() for w in start], [w.copy() for w in local])
        try:
            guess = sorted(int(d) for d in np.ravel(got))
        except (TypeError, ValueError):
            raise Wrong(
                f"Votre fonction doit renvoyer deux chiffres (reçu : {got!r})."
            ) from None
        if len(guess) != 2:
            raise Wrong(f"Votre fonction doit renvoyer deux chiffres (reçu : {got!r}).")
        if guess != digits:
            biggest = sorted(np.argsort(local[1])[-2:].tolist())
            hint = (
                "Vous lisez les biais du modèle local : regardez ce qui a **changé** "
                "(w_k[-1] − w_depart[-1])."
                if guess == biggest
                else "Les chiffres du client sont ceux dont le biais de sortie a le "
                "plus augmenté."
            )
            raise Wrong(f"Votre fonction devine {guess} au lieu de {digits}.", hint)
