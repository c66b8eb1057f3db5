"""Écrire les nombres à la française : `97,8 %`, `0,25`, `1 663 370`.

Un seul endroit pour le faire, avec la bibliothèque Babel (règles de la
langue française : virgule décimale, espace entre les milliers ; une espace
ordinaire, pour que les tableaux en texte restent alignés).
`None` et NaN s'écrivent « — » (pas de valeur).

>>> number(0.25)
'0,25'
>>> percent(0.978)
'97,8 %'
>>> integer(1663370)
'1 663 370'
>>> number(float("nan"))
'—'
"""

from __future__ import annotations

import math

from babel import numbers as _babel

__all__ = ["integer", "number", "percent"]

_LOCALE = "fr_FR"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value, digits: int = 2) -> str:
    """Un nombre avec `digits` chiffres après la virgule (`0,25`, `1,0`).

    >>> number(3.14159, 3)
    '3,142'
    """
    if _missing(value):
        return "—"
    pattern = "0" + ("." + "0" * digits if digits > 0 else "")
    return _babel.format_decimal(value, format=pattern, locale=_LOCALE)


def percent(fraction, digits: int = 1) -> str:
    """Une fraction (0,978) en pourcentage (`97,8 %`), avec `digits` décimales.

    >>> percent(0.5, 0)
    '50 %'
    """
    if _missing(fraction):
        return "—"
    return number(100 * float(fraction), digits) + " %"


def integer(value) -> str:
    """Un entier avec ses milliers séparés par des espaces (`1 663 370`).

    >>> integer(42)
    '42'
    """
    if _missing(value):
        return "—"
    text = _babel.format_decimal(int(value), format="#,##0", locale=_LOCALE)
    return text.replace("\u202f", " ").replace("\u00a0", " ")
