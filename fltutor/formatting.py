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
from collections.abc import Mapping

from babel import numbers as _babel

__all__ = ["integer", "number", "percent", "percent_table", "scientific", "short"]

_LOCALE = "fr_FR"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _spaces(text: str) -> str:
    """Babel sépare les milliers par une espace insécable fine : une espace ordinaire."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def number(value, digits: int = 2) -> str:
    """Un nombre avec `digits` chiffres après la virgule (`0,25`, `1 234,5`).

    >>> number(3.14159, 3), number(12345.678, 1)
    ('3,142', '12 345,7')
    """
    if _missing(value):
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return _spaces(_babel.format_decimal(value, format=pattern, locale=_LOCALE))


def short(value, digits: int = 3) -> str:
    """Un nombre avec au plus `digits` décimales, sans zéros inutiles (`0,05`, `1`).

    >>> short(0.05), short(1.0), short(0.12345)
    ('0,05', '1', '0,123')
    """
    if _missing(value):
        return "—"
    pattern = "#,##0" + ("." + "#" * digits if digits > 0 else "")
    return _spaces(_babel.format_decimal(value, format=pattern, locale=_LOCALE))


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value, digits: int = 1) -> str:
    """Un très petit (ou très grand) nombre en notation scientifique (`1,2 × 10⁻⁷`).

    >>> scientific(1.234e-7), scientific(0.0), scientific(-5e3, 0)
    ('1,2 × 10⁻⁷', '0', '-5 × 10³')
    """
    if _missing(value):
        return "—"
    value = float(value)
    if value == 0:
        return "0"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = round(value / 10**exponent, digits)
    if abs(mantissa) >= 10:  # 9,96 arrondi à 10,0
        mantissa, exponent = mantissa / 10, exponent + 1
    power = str(exponent).translate(_SUPERSCRIPTS)
    return f"{number(mantissa, digits)} × 10{power}"


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
    return number(int(value), 0)


def percent_table(rows, first: str = "", digits: int = 1) -> str:
    """Un tableau en texte aligné de fractions écrites en pourcentages.

    `rows` : dictionnaire nom de ligne → dictionnaire nom de colonne →
    fraction ; toutes les lignes ont les mêmes colonnes. `first` : l'en-tête
    de la colonne des noms.

    >>> print(percent_table({"Fédéré": {"test": 0.9, "tél. 1": 0.855},
    ...                      "Seul": {"test": 0.4, "tél. 1": 1.0}}, first="Modèle"))
    Modèle   test  tél. 1
    Fédéré 90,0 %  85,5 %
    Seul   40,0 % 100,0 %
    """
    if not isinstance(rows, Mapping) or not rows:
        raise ValueError(
            "Donnez un dictionnaire non vide : nom de ligne → {colonne: fraction}."
        )
    first_row = next(iter(rows.values()))
    columns = list(first_row) if isinstance(first_row, Mapping) else []
    for name, row in rows.items():
        if not isinstance(row, Mapping) or list(row) != columns:
            raise ValueError(
                f"La ligne « {name} » doit avoir les colonnes {columns} "
                "(les mêmes, dans le même ordre, pour toutes les lignes)."
            )
    cells = [
        [str(name)] + [percent(v, digits) for v in row.values()]
        for name, row in rows.items()
    ]
    header = [first] + [str(c) for c in columns]
    widths = [max(len(r[j]) for r in [header, *cells]) for j in range(len(header))]

    def line(values):
        text = [values[0].ljust(widths[0])]
        text += [v.rjust(w) for v, w in zip(values[1:], widths[1:])]
        return " ".join(text).rstrip()

    return "\n".join(line(r) for r in [header, *cells])
