"""L'environnement installé par requirements.lock est cohérent.

Le verrou est installé avec --no-deps : pip ne vérifie donc pas les
compatibilités entre paquets. Les tests de l'installation elle-même (verrou
valable pour chaque Python, recherche d'un Python, prérequis) sont dans
tests/test_install.py. Ces tests importent réellement chaque brique du
cours (un import cassé, comme IPython avec un typing_extensions trop ancien,
casserait tous les notebooks) et comparent les versions installées au verrou.
"""

import importlib
import importlib.metadata
import importlib.util
import os
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent

MODULES = [
    "IPython",
    "ipykernel",
    "ipywidgets",
    "jupyterlab",
    "jupyter_server",
    "jupytext",
    "matplotlib.pyplot",
    "nbclient",
    "nbconvert",
    "nbval",
    "numpy",
    "sklearn.datasets",
    "tqdm.auto",
    "dp_accounting",
    "tensorflow",
    "tensorflow_privacy",
    "tensorflow_federated",
    "fltutor.federated",
]


@pytest.mark.parametrize("name", MODULES)
def test_module_imports(name):
    importlib.import_module(name)


def _lock_pins():
    """Les épinglages du verrou qui valent pour ce Python (marqueurs évalués)."""
    from packaging.requirements import Requirement

    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "--")):
            continue
        requirement = Requirement(line)
        (spec,) = requirement.specifier
        assert spec.operator == "==", f"ligne non épinglée : {line!r}"
        if requirement.marker is None or requirement.marker.evaluate():
            assert requirement.name not in pins, f"{requirement.name} épinglé deux fois"
            pins[requirement.name] = spec.version
    return pins


def test_every_locked_package_is_installed_at_its_pinned_version():
    wrong = []
    for name, version in _lock_pins().items():
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            wrong.append(f"{name} absent (attendu {version})")
            continue
        if installed != version:
            wrong.append(f"{name} {installed} (attendu {version})")
    assert not wrong, "Environnement différent du verrou : " + ", ".join(wrong)


def test_python_version_is_supported():
    assert (3, 9) <= sys.version_info[:2] <= (3, 11)


def test_setup_accepts_this_python(capsys):
    """Le Python des tests est accepté par l'outil d'installation."""
    spec = importlib.util.spec_from_file_location(
        "check_python", ROOT / "tools" / "check_python.py"
    )
    check_python = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check_python)
    assert check_python.main([sys.executable]) == 0
    assert capsys.readouterr().out.strip() == os.path.realpath(sys.executable)


# --- fltutor.environment : la vérification affichée par le notebook 00 -------


def test_verification_de_l_environnement_du_cours_reussie(mnist_dir, capsys):
    from fltutor import environment

    rows = environment.check(data_dir=mnist_dir)
    names = [row.name for row in rows]
    assert names[:3] == ["Python", "TensorFlow", "TensorFlow Federated"]
    assert names[-1] == "MNIST"
    assert all(row.ok for row in rows), [row for row in rows if not row.ok]
    assert environment.report(rows) is True
    out = capsys.readouterr().out
    assert "✘" not in out and "Tout est prêt" in out


def test_verification_signale_ce_qui_manque(tmp_path, monkeypatch, capsys):
    from fltutor import environment

    monkeypatch.setattr(
        environment,
        "PACKAGES",
        (("Paquet fantôme", ("paquet-qui-n-existe-pas",), "1."),),
    )
    rows = environment.check(data_dir=tmp_path)  # dossier vide : pas de MNIST
    ghost, mnist = rows[1], rows[2]
    assert (ghost.found, ghost.ok) == ("absent", False)
    assert (mnist.found, mnist.ok) == ("introuvable", False)
    assert str(tmp_path) in mnist.detail
    assert environment.report(rows) is False
    out = capsys.readouterr().out
    assert "✘ Paquet fantôme" in out and "make install" in out
