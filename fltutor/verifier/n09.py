"""Exercices du notebook 09 (communication)."""

from __future__ import annotations

import math

from fltutor import formatting
from fltutor.verifier._core import (
    Wrong,
    call,
    exercise,
    fr,
    integer,
    mapping,
    real,
    sequence,
)


def reference_cost(rounds, clients, epochs, batch, examples, update_bytes):
    """(octets descente + montée, pas de SGD de tous les clients) ; `batch=None` : B = ∞."""
    steps = rounds * clients * epochs * math.ceil(examples / (batch or examples))
    return rounds * clients * 2 * update_bytes, steps


@exercise("09-2", "le coût de l'objectif", level=2, minutes=15, long_run=3)
def cost_to_target(reponse):
    """`cout(tours, clients, epoques, lot, exemples, octets_maj)` → `(octets, pas)`.

    Appelée sur des réglages fixes (dont B = ∞, `lot=None`) et comparée au
    calcul de référence.
    """
    cases = [
        (12, 10, 1, None, 600, 1000),
        (5, 10, 1, 10, 600, 1000),
        (3, 5, 5, 10, 55, 400),
    ]
    for args in cases:
        got = sequence(call(reponse, *args), 2, "Le résultat (octets, pas)")
        octets, steps = (integer(v, "Octets et pas") for v in got)
        expected_bytes, expected_steps = reference_cost(*args)
        label = f"tours={args[0]}, clients={args[1]}, E={args[2]}, B={args[3]}"
        if octets != expected_bytes:
            hint = (
                "Comptez aussi la descente : le serveur envoie le modèle à chaque client."
                if octets * 2 == expected_bytes
                else "Octets = tours × clients par tour × (descente + montée)."
            )
            raise Wrong(f"Octets faux pour {label} : {octets}.", hint)
        if steps != expected_steps:
            hint = (
                "B = ∞ (lot=None) : un seul pas par époque, sur tout le jeu du client."
                if args[3] is None
                else "Un client fait E × ⌈n / B⌉ pas par tour (le dernier lot peut "
                "être incomplet : arrondissez au-dessus)."
            )
            raise Wrong(f"Nombre de pas faux pour {label} : {steps}.", hint)


@exercise("09-1", "moins de bits", level=1, minutes=10, long_run=2)
def fewer_bits(reponse):
    """`{2: octets, 4: ..., 8: ..., 12: ...}` : la montée du CNN compressé, comparée à `upload_bytes`."""
    from fltutor import communication

    given = mapping(reponse, [2, 4, 8, 12])
    raw = communication.upload_bytes("cnn")
    for bits, value in given.items():
        value = real(value, f"Les octets pour {bits} bits")
        expected = communication.upload_bytes("cnn", compressed=True, bits=bits)
        if math.isclose(value, raw):
            raise Wrong(
                f"Pour {bits} bits, c'est la taille sans compression.",
                "Passez compressed=True et bits=... à communication.upload_bytes.",
            )
        if not math.isclose(value, expected, rel_tol=1e-6):
            hint = (
                "Le calcul « paramètres × bits / 8 » oublie ce que TFF ne compresse "
                "pas (les petits tenseurs) : utilisez communication.upload_bytes."
                if math.isclose(value, raw / 4 * bits / 8, rel_tol=0.01)
                else "communication.upload_bytes('cnn', compressed=True, bits=...)."
            )
            raise Wrong(
                f"Pour {bits} bits, {formatting.integer(value)} octets n'est pas juste.",
                hint,
            )


@exercise("09-3", "sur un vrai réseau", level=3, minutes=15)
def real_network(reponse):
    """`{"sans": s, "avec": s}` : secondes de réseau par tour pour le CNN en 4G.

    Descente du modèle à 50 Mbit/s, montée de la mise à jour à 10 Mbit/s
    (compressée ou non) ; tolérance de 1 %.
    """
    from fltutor import communication

    given = mapping(reponse, ["sans", "avec"])
    raw = communication.upload_bytes("cnn")
    down = raw * 8 / 50e6
    for key, compressed in (("sans", False), ("avec", True)):
        seconds = real(given[key], f"La durée « {key} » compression")
        up_bytes = communication.upload_bytes("cnn", compressed=compressed)
        expected = down + up_bytes * 8 / 10e6
        if math.isclose(seconds, expected, rel_tol=0.01):
            continue
        if math.isclose(seconds * 8, expected, rel_tol=0.01):
            raise Wrong(
                f"« {key} » : vos secondes sont 8 fois trop petites.",
                "Les débits sont en bits par seconde : un octet fait 8 bits.",
            )
        if math.isclose(seconds, raw * 8 / 10e6 + up_bytes * 8 / 50e6, rel_tol=0.01):
            raise Wrong(
                f"« {key} » : vous avez inversé montée et descente.",
                "Le téléphone **envoie** sa mise à jour à 10 Mbit/s et **reçoit** "
                "le modèle à 50 Mbit/s.",
            )
        raise Wrong(
            f"« {key} » : {fr(seconds)} s par tour n'est pas juste.",
            "Secondes = octets × 8 / débit, pour la descente et pour la montée.",
        )
