"""Vérifier que l'environnement du cours est prêt (notebook 00).

`check()` liste ce que le cours attend (versions de Python, TensorFlow,
TFF…, données MNIST) et ce qui est installé ; `report()` l'affiche avec ✔ ou
✘ et dit quoi faire s'il manque quelque chose. Les versions sont lues dans
les métadonnées des paquets : rien n'est importé, la vérification est rapide.

Exemple
-------
>>> from fltutor import environment
>>> lignes = environment.check(mnist=False)
>>> [ligne.name for ligne in lignes][:3]
['Python', 'TensorFlow', 'TensorFlow Federated']
"""

from __future__ import annotations

import importlib.metadata
import os
import platform
import sys
from typing import NamedTuple

from fltutor import quick_mode

__all__ = ["PACKAGES", "Check", "check", "package_version", "report"]


class Check(NamedTuple):
    """Une ligne de la vérification : nom, trouvé, attendu, vrai si tout va bien.

    `detail` : l'explication affichée sous la ligne quand quelque chose manque.
    """

    name: str
    found: str
    expected: str
    ok: bool
    detail: str = ""


#: Paquets vérifiés : nom affiché, noms possibles du paquet, préfixe de version
#: attendu (None : il suffit qu'il soit installé).
PACKAGES = (
    ("TensorFlow", ("tensorflow-cpu", "tensorflow"), "2.14."),
    ("TensorFlow Federated", ("tensorflow-federated",), "0.87."),
    ("NumPy", ("numpy",), "1.25."),
    ("scikit-learn", ("scikit-learn",), "1.5."),
    ("RISE (diaporama)", ("jupyterlab-rise",), None),
)


def package_version(*names: str) -> str:
    """Version installée du premier paquet trouvé parmi `names`, sinon « absent ».

    >>> package_version("paquet-qui-n-existe-pas")
    'absent'
    """
    for name in names:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "absent"


def _package(label: str, names: tuple, prefix: str | None) -> Check:
    found = package_version(*names)
    if prefix is None:
        return Check(label, found, "installé", found != "absent")
    return Check(label, found, f"{prefix}x", found.startswith(prefix))


def _mnist(data_dir) -> Check:
    from fltutor.data import MnistNotFoundError, load_mnist

    try:
        (x_train, _), (x_test, _) = load_mnist(data_dir)
    except MnistNotFoundError as error:
        return Check("MNIST", "introuvable", "4 fichiers IDX", False, str(error))
    from fltutor.formatting import integer

    found = f"{integer(len(x_train))} + {integer(len(x_test))}"
    return Check("MNIST", found, "60 000 + 10 000", True)


def check(mnist: bool = True, data_dir=None) -> list[Check]:
    """Ce que le cours attend et ce qui est installé, une `Check` par élément.

    `mnist=True` charge aussi MNIST (`data.load_mnist(data_dir)`) : images
    d'entraînement + images de test.

    >>> python = check(mnist=False)[0]
    >>> python.name, python.ok
    ('Python', True)
    """
    version = sys.version_info[:2]
    rows = [
        Check(
            "Python",
            platform.python_version(),
            "3.9 à 3.11",
            (3, 9) <= version <= (3, 11),
        )
    ]
    rows += [_package(*package) for package in PACKAGES]
    if mnist:
        rows.append(_mnist(data_dir))
    return rows


def report(rows: list[Check] | None = None) -> bool:
    """Affiche la vérification (✔ / ✘) ; renvoie vrai si tout est prêt.

    >>> report([Check("Python", "3.11.7", "3.9 à 3.11", True)])  # doctest: +ELLIPSIS
    Vérification de l'environnement
      ✔ Python                 3.11.7          (attendu : 3.9 à 3.11)
    <BLANKLINE>
    Tout est prêt : bon cours !
    Machine : ... cœur(s) ; mode rapide ...
    True
    """
    rows = check() if rows is None else rows
    print("Vérification de l'environnement")
    for row in rows:
        mark = "✔" if row.ok else "✘"
        print(f"  {mark} {row.name:<22} {row.found:<15} (attendu : {row.expected})")
        if row.detail:
            print("    " + row.detail.replace("\n", "\n    "))
    ready = all(row.ok for row in rows)
    print()
    print(
        "Tout est prêt : bon cours !"
        if ready
        else "Certains éléments manquent (✘) : relancez « make install » ou voyez le README."
    )
    quick = "activé" if quick_mode() else "désactivé"
    print(f"Machine : {os.cpu_count()} cœur(s) ; mode rapide {quick}.")
    return ready
