"""Exercices du notebook 10 (passage à l'échelle)."""

from __future__ import annotations

import math

from fltutor.verifier._core import Wrong, call, exercise, integer, mapping, sequence


def reference_slices(num_clients, num_slices):
    """Les tranches de TFF : `ceil(reste / tranches restantes)`, tranches vides omises."""
    sizes, left = [], num_clients
    for remaining in range(num_slices, 0, -1):
        size = math.ceil(left / remaining)
        if size:
            sizes.append(size)
        left -= size
    return sizes


def _sizes(value, what):
    return sorted(
        (integer(v, f"Chaque taille de {what}") for v in sequence(value)), reverse=True
    )


@exercise("10-1", "trois workers", level=1, minutes=10)
def three_workers(reponse):
    """`prediction(num_clients, num_workers)` → clients par worker (une liste).

    Comparée, pour plusieurs réglages, au découpage de TFF : des tranches
    contiguës de `ceil(reste / workers restants)` clients.
    """
    for n, k in ((6, 3), (10, 3), (7, 2), (5, 4)):
        got = [s for s in _sizes(call(reponse, n, k), "tranche") if s]
        expected = reference_slices(n, k)
        if got != expected:
            hint = (
                "Chaque client compte : la somme des tranches doit faire n."
                if sum(got) != n
                else "TFF remplit d'abord les premières tranches : ceil(n / k), puis "
                "il recommence avec ce qui reste."
            )
            raise Wrong(f"Pour {n} clients et {k} workers, vous prédisez {got}.", hint)


@exercise("10-2", "plus de tranches que de workers", level=2, minutes=15)
def more_slices(reponse):
    """`{"tranches": [...], "avant fusion": ..., "fusions": ...}` pour 2 workers et 4 tranches."""
    given = mapping(reponse, ["tranches", "avant fusion", "fusions"])
    sizes = _sizes(given["tranches"], "tranche")
    n = sum(sizes)
    expected = sorted(reference_slices(n, 4), reverse=True)
    if sizes != expected:
        raise Wrong(
            f"Les tranches de {n} clients en 4 ne sont pas {sizes}.",
            "Relisez cluster.dispatches (d.clients des étapes « avant fusion »).",
        )
    before = integer(given["avant fusion"], "« avant fusion »")
    merges = integer(given["fusions"], "« fusions »")
    if before != len(expected):
        raise Wrong(
            f"{before} étapes « avant fusion » pour {len(expected)} tranches ?",
            "Chaque tranche est entraînée une fois, par le premier worker libre.",
        )
    if merges != before - 1:
        hint = (
            "On ne fusionne que des résultats déjà là : deux à deux, au fil de l'eau."
            if merges != before
            else "Combien de fusions faut-il pour réunir k résultats deux à deux ?"
        )
        raise Wrong(f"{merges} fusions pour {before} tranches ?", hint)


@exercise("10-3", "un worker « distant »", level=3, minutes=10)
def remote_worker(reponse):
    """`{"tourne apres le bloc": ..., "worker": worker}` : il tournait après le bloc, puis arrêté."""
    given = mapping(reponse, ["tourne apres le bloc", "worker"])
    after = given["tourne apres le bloc"]
    if not isinstance(after, bool):
        raise Wrong("« tourne apres le bloc » doit valoir True ou False.")
    if not after:
        raise Wrong(
            "Avec addresses=..., workers_context ne lance ni n'arrête rien.",
            "Affichez worker.is_running() juste après le bloc `with`.",
        )
    worker = given["worker"]
    if not callable(getattr(worker, "is_running", None)):
        raise Wrong(
            f"« worker » doit être le worker lancé (reçu : {type(worker).__name__}).",
            "worker = runtime.start_worker()",
        )
    if worker.is_running():
        raise Wrong(
            "Votre worker tourne encore.",
            "C'est à vous de l'arrêter : worker.stop().",
        )
