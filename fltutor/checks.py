"""Vérifier les arguments des fonctions du cours, avec des erreurs en français.

Chaque fonction renvoie la valeur vérifiée (convertie en `int` ou `float`)
ou lève une `ValueError` qui dit quoi faire. `hint` ajoute un conseil.

>>> integer(3, "rounds", minimum=1)
3
>>> integer(0, "rounds", minimum=1)
Traceback (most recent call last):
...
ValueError: rounds doit être un nombre entier ≥ 1 (reçu : 0).
>>> real(0.5, "lr", minimum=0, strict=True)
0.5
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

from fltutor.formatting import short

__all__ = ["choice", "images", "integer", "mapping", "real", "positive"]


def mapping(value, message: str):
    """Un dictionnaire non vide ; sinon `ValueError(message)`, qui dit quoi donner.

    >>> mapping([], "Donnez un dictionnaire nom → valeurs.")
    Traceback (most recent call last):
    ...
    ValueError: Donnez un dictionnaire nom → valeurs.
    """
    if not isinstance(value, Mapping) or not value:
        raise ValueError(message)
    return value


def _with_hint(text: str, hint: str) -> str:
    return f"{text} {hint}" if hint else text


def integer(
    value, name: str, minimum: int | None = None, maximum: int | None = None, hint=""
) -> int:
    """Un entier (pas un booléen) dans `[minimum, maximum]`.

    >>> integer(5, "k", 1, 4)
    Traceback (most recent call last):
    ...
    ValueError: k doit être un nombre entier de 1 à 4 (reçu : 5).
    """
    if minimum is not None and maximum is not None:
        expected = f"un nombre entier de {minimum} à {maximum}"
    elif minimum is not None:
        expected = f"un nombre entier ≥ {minimum}"
    elif maximum is not None:
        expected = f"un nombre entier ≤ {maximum}"
    else:
        expected = "un nombre entier"
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or (minimum is not None and value < minimum)
        or (maximum is not None and value > maximum)
    ):
        raise ValueError(
            _with_hint(f"{name} doit être {expected} (reçu : {value!r}).", hint)
        )
    return int(value)


def real(
    value,
    name: str,
    minimum: float | None = None,
    strict: bool = False,
    maximum: float | None = None,
    hint: str = "",
) -> float:
    """Un nombre réel fini, au-dessus de `minimum` (strictement si `strict`).

    >>> real(0, "mu", minimum=0)
    0.0
    >>> real(0, "sigma", minimum=0, strict=True)
    Traceback (most recent call last):
    ...
    ValueError: sigma doit être un nombre strictement positif (> 0) (reçu : 0).
    """
    bounds = []
    if minimum == 0:
        bounds.append("strictement positif (> 0)" if strict else "positif ou nul (≥ 0)")
    elif minimum is not None:
        bounds.append(f"{'>' if strict else '≥'} {short(minimum)}")
    expected = "un nombre" + (" " + " et ".join(bounds) if bounds else "")
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Real)
        or not math.isfinite(value)
        or (minimum is not None and (value <= minimum if strict else value < minimum))
        or (maximum is not None and value > maximum)
    ):
        raise ValueError(
            _with_hint(f"{name} doit être {expected} (reçu : {value!r}).", hint)
        )
    return float(value)


def positive(value, name: str, hint: str = "") -> float:
    """Un nombre réel strictement positif et fini (taux d'apprentissage…).

    >>> positive(-1, "lr", hint="Essayez 0.1.")
    Traceback (most recent call last):
    ...
    ValueError: lr doit être un nombre strictement positif (> 0) (reçu : -1). Essayez 0.1.
    """
    return real(value, name, minimum=0, strict=True, hint=hint)


def choice(value, options, unknown: str):
    """Une valeur parmi `options` ; sinon l'erreur commence par `unknown`.

    >>> choice("iid", ("iid", "tessons"), "Répartition inconnue")
    'iid'
    >>> choice("lot", ("iid", "tessons"), "Répartition inconnue")
    Traceback (most recent call last):
    ...
    ValueError: Répartition inconnue : 'lot'. Choisissez parmi « iid », « tessons ».
    """
    if value not in options:
        listed = ", ".join(f"« {option} »" for option in options)
        raise ValueError(f"{unknown} : {value!r}. Choisissez parmi {listed}.")
    return value


def images(value, name: str = "images"):
    """Des images MNIST 28 × 28 : un tableau (N, 28, 28) ; une image seule (28, 28) devient (1, 28, 28).

    Renvoie une copie (les images de l'appelant ne changent jamais).

    >>> images([[0] * 28] * 28).shape
    (1, 28, 28)
    >>> images([[0] * 5] * 5)
    Traceback (most recent call last):
    ...
    ValueError: images doit contenir des images 28 × 28 : forme (N, 28, 28) ou (28, 28) (reçu : (5, 5)).
    """
    import numpy as np

    x = np.array(value, copy=True)
    shape = x.shape
    if x.ndim == 2:
        x = x[None]
    if x.ndim != 3 or x.shape[1:] != (28, 28):
        raise ValueError(
            f"{name} doit contenir des images 28 × 28 : forme (N, 28, 28) ou (28, 28) "
            f"(reçu : {shape})."
        )
    return x
