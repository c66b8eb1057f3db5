"""Réglages et fixtures communs aux tests de fltutor.

- variables d'environnement par défaut (mode rapide, TF discret),
  posées avant tout import de TensorFlow ;
- `mnist_dir` : le dossier local des fichiers MNIST ;
- `mnist` : MNIST chargé une seule fois pour toute la session de tests.

Les tests qui ont besoin de MNIST sont ignorés (avec la raison) seulement si
aucune copie locale n'existe : ni `FLTUTOR_DATA_DIR`, ni `data/mnist/`.
"""

from __future__ import annotations

import os
import pathlib
import sys

import pytest

for _name, _value in {
    "FLTUTOR_QUICK": "1",
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


# --- Aucun worker TFF orphelin ------------------------------------------------
# Un `worker_binary` dont le parent est mort (rattaché au PID 1) est une fuite :
# c'est ce que fait le lanceur d'origine de TFF, et ce que fltutor.runtime
# empêche. Chaque notebook exécuté par nbval et chaque test passent par ici :
# la session échoue si l'un d'eux a laissé un worker orphelin.


def _orphan_workers() -> dict[int, str]:
    import psutil

    prefix = os.path.realpath(sys.prefix)
    found = {}
    for proc in psutil.process_iter(["pid", "ppid", "name", "exe", "cmdline"]):
        try:
            cmdline = proc.info["cmdline"] or []
            if not cmdline or not cmdline[0].endswith("worker_binary"):
                continue
            if proc.info["ppid"] != 1:
                continue
            if not os.path.realpath(cmdline[0]).startswith(prefix):
                continue  # un worker d'un autre environnement
            found[proc.info["pid"]] = " ".join(cmdline)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return found


def pytest_sessionstart(session):
    session.config._fltutor_orphans_before = set(_orphan_workers())


def pytest_sessionfinish(session, exitstatus):
    import time

    before = getattr(session.config, "_fltutor_orphans_before", set())
    deadline = time.monotonic() + 10
    leaked = {}
    while time.monotonic() < deadline:
        leaked = {p: c for p, c in _orphan_workers().items() if p not in before}
        if not leaked:
            return
        time.sleep(0.5)
    import psutil

    for pid in leaked:
        try:
            psutil.Process(pid).kill()
        except psutil.NoSuchProcess:
            pass
    lines = "\n".join(f"  pid {pid} : {cmd}" for pid, cmd in leaked.items())
    print(
        "\nErreur : des processus worker_binary de TFF ont survécu à leur noyau "
        f"Python (ils viennent d'être arrêtés) :\n{lines}\n"
        "Un notebook ou un test a lancé TFF sans passer par fltutor.runtime.",
        file=sys.stderr,
    )
    session.exitstatus = 1
