"""Réglages et fixtures communs aux tests de fltutor.

- variables d'environnement par défaut (mode rapide, pas d'affichage, TF discret),
  posées avant tout import de TensorFlow ;
- `mnist_dir` : le dossier local des fichiers MNIST ;
- `mnist` : MNIST chargé une seule fois pour toute la session de tests.

Les tests qui ont besoin de MNIST sont ignorés (avec la raison) seulement si
aucune copie locale n'existe : ni `FLTUTOR_DATA_DIR`, ni `data/mnist/`.
"""

from __future__ import annotations

import os
import pathlib

import pytest

for _name, _value in {
    "FLTUTOR_QUICK": "1",
    "MPLBACKEND": "agg",
    "TF_CPP_MIN_LOG_LEVEL": "2",
}.items():
    os.environ.setdefault(_name, _value)

ROOT = pathlib.Path(__file__).resolve().parent.parent

_NO_DATA_REASON = (
    "MNIST absent : ni FLTUTOR_DATA_DIR, ni data/mnist/ (voir data/README.md "
    "pour y déposer les quatre fichiers IDX)"
)


def local_mnist_dir() -> pathlib.Path | None:
    """Le dossier MNIST local à utiliser, ou `None` s'il n'y en a pas.

    `FLTUTOR_DATA_DIR`, s'il est défini, est renvoyé même s'il est vide ou
    faux : le test échouera alors (au lieu d'être ignoré en silence).
    """
    env = os.environ.get("FLTUTOR_DATA_DIR", "").strip()
    if env:
        return pathlib.Path(env).expanduser().resolve()
    default = ROOT / "data" / "mnist"
    if default.is_dir() and any(default.glob("*-ubyte*")):
        return default
    return None


@pytest.fixture(scope="session")
def mnist_dir() -> pathlib.Path:
    """Dossier contenant les quatre fichiers IDX de MNIST (sinon : test ignoré)."""
    folder = local_mnist_dir()
    if folder is None:
        pytest.skip(_NO_DATA_REASON)
    return folder


@pytest.fixture(scope="session")
def mnist(mnist_dir):
    """`((x_train, y_train), (x_test, y_test))` en uint8, lus une fois par session."""
    from fltutor.data import load_mnist

    return load_mnist(mnist_dir)
