"""Exercices du notebook 08 (confidentialité)."""

from __future__ import annotations

import numpy as np

from fltutor.verifier._core import Wrong, call, exercise, fr, mapping, real, sequence

N, T, TARGET = 1_000, 100, 2.0


@exercise("08-1", "régler le bruit", level=1, minutes=10)
def noise_for_epsilon(reponse):
    """`{10: z, 50: z, 100: z}` : un z qui donne ε ≤ 2, sans en mettre trop (z − 0,2 ne suffirait plus)."""
    from fltutor import privacy

    given = mapping(reponse, [10, 50, 100])
    for m, z in given.items():
        z = real(z, f"z pour m = {m}")
        if z <= 0:
            raise Wrong(f"z doit être positif (m = {m} : {fr(z)}).")
        eps = privacy.epsilon(z, m, N, T)
        if eps > TARGET:
            raise Wrong(
                f"Pour m = {m}, z = {fr(z)} donne ε = {fr(eps, 2)} > 2.",
                "Augmentez z : plus de bruit, plus petit ε.",
            )
        if z > 0.2 and privacy.epsilon(z - 0.2, m, N, T) <= TARGET:
            raise Wrong(
                f"Pour m = {m}, z = {fr(z)} suffit, mais un bruit plus faible suffirait aussi.",
                "Cherchez le plus petit z : trop de bruit coûte de l'exactitude.",
            )
    return "plus de clients par tour → plus de bruit pour le même ε."


@exercise("08-2", "la taille du lot", level=2, minutes=10)
def batch_size(reponse):
    """Les 5 meilleures similarités (lots de 1, 2, 4, 8, 32) : entre −1 et 1, nette baisse de 1 à 32."""
    values = [real(v, "Chaque similarité") for v in sequence(reponse, 5)]
    if any(not -1 <= v <= 1 for v in values):
        raise Wrong(
            "Une similarité cosinus est entre −1 et 1.",
            "Utilisez privacy.cosine_similarity(fuite.reconstruction, image).",
        )
    if values[0] < 0.9:
        raise Wrong(
            f"Avec une seule image, la similarité devrait être presque parfaite "
            f"(vous avez {fr(values[0], 2)}).",
            "Prenez le maximum sur les images du lot, pour chaque taille.",
        )
    if values[-1] >= values[0] - 0.05:
        raise Wrong(
            "La similarité ne baisse pas entre le lot de 1 et celui de 32.",
            "Pour chaque taille b, passez x_train[:b] et y_train[:b].",
        )


@exercise("08-3", "un client décroche", level=3, minutes=15)
def dropout(reponse):
    """`somme_presents(res, presents)` : la somme décodée des clients présents.

    Vérifiée avec `privacy.secure_sum_masks` sur des valeurs fixes, le
    client 2 (ou le client 0) absent.
    """
    from fltutor import privacy

    values = np.array([[0.5, -1.25, 2.0], [1.5, 0.25, -0.5], [-0.75, 1.0, 0.125]])
    res = privacy.secure_sum_masks(values, seed=0)
    for present in ([0, 1], [1, 2]):
        got = np.asarray(call(reponse, res, list(present)), dtype=np.float64)
        expected = values[present].sum(axis=0)
        if got.shape != expected.shape:
            raise Wrong(
                f"Le résultat doit avoir {expected.size} coordonnées (reçu : forme {got.shape})."
            )
        if not np.allclose(got, expected, atol=1e-3):
            raise Wrong(
                f"Avec les clients {present} présents, la somme décodée est fausse.",
                "Les masques partagés avec le client absent ne se compensent plus : "
                "retirez-les (modulo 2³²) avant de décoder.",
            )
    return "le serveur a dû connaître les masques de l'absent (partage de secret)."
