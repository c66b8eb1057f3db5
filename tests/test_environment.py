"""L'environnement installé par requirements.lock est cohérent.

Le verrou est installé avec --no-deps : pip ne vérifie donc pas les
compatibilités entre paquets. Ces tests importent réellement chaque brique du
cours (un import cassé, comme IPython avec un typing_extensions trop ancien,
casserait tous les notebooks) et comparent les versions installées au verrou.
"""

import importlib
import importlib.metadata
import pathlib
import re
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
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        assert match, f"ligne non épinglée dans requirements.lock : {line!r}"
        pins[match.group(1)] = match.group(2)
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


def _load_check_python():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "check_python", ROOT / "tools" / "check_python.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("version", [(3, 8, 18), (3, 12, 1), (3, 13, 0)])
def test_setup_refuses_unsupported_python_in_french(monkeypatch, capsys, version):
    check_python = _load_check_python()
    monkeypatch.setattr(sys, "version_info", version)
    assert check_python.main() == 1
    message = capsys.readouterr().err
    assert f"Python {version[0]}.{version[1]} n'est pas pris en charge" in message
    assert "3.9, 3.10 ou 3.11" in message


def test_setup_accepts_this_python():
    assert _load_check_python().main() == 0
