"""L'installation du cours sur les machines des étudiants (issue 12).

- le verrou s'installe sur chaque Python pris en charge, à tout niveau de
  correctif (3.9.2 de Debian 11, 3.11.2 de Debian 12…) et il est à jour ;
- avec un Python non pris en charge (3.12), `make install` en trouve un autre
  ou explique en français quoi installer, sans trace Python ;
- les prérequis (venv, compilateur, disque, mémoire) sont vérifiés avant tout
  téléchargement, et un `.venv` inachevé est reconstruit.

L'installation complète sur des Debian neuves est vérifiée par
`make test-fresh` (tools/test_fresh.sh).
"""

from __future__ import annotations

import doctest
import glob
import importlib.util
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
from packaging.requirements import Requirement

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
UV = pathlib.Path(sys.executable).with_name("uv")


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_python = _load("check_python")
install_env = _load("install_env")


def _requirements():
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "--")):
            yield Requirement(line)


@pytest.mark.parametrize(
    "module", [check_python, install_env], ids=lambda m: m.__name__
)
def test_tools_examples(module):
    """Les exemples des docstrings de tools/check_python.py et install_env.py."""
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


# --- le verrou ------------------------------------------------------------------


def test_lock_pins_every_package_exactly():
    for requirement in _requirements():
        (spec,) = requirement.specifier
        assert spec.operator == "==", str(requirement)


def test_lock_depends_on_minor_python_version_only():
    """Aucun marqueur ne distingue 3.11.2 de 3.11.7 : même environnement partout."""
    for requirement in _requirements():
        for version in re.findall(
            r"python_full_version\s*\S+\s*'([^']+)'", str(requirement.marker or "")
        ):
            assert re.fullmatch(r"3\.\d+(\.\*)?", version), (
                f"{requirement} dépend du niveau de correctif de Python"
            )


@pytest.mark.parametrize("python", ["3.9.2", "3.10.0", "3.11.2", "3.11.7"])
def test_lock_installs_on_every_supported_python(python, tmp_path):
    """Chaque épinglage existe en roue pour ce Python (uv, sans rien installer)."""
    result = subprocess.run(
        [
            str(UV),
            "pip",
            "install",
            "--dry-run",
            "--no-deps",
            "--python-version",
            python,
            "--python-platform",
            "x86_64-manylinux_2_31",
            "--target",
            str(tmp_path / "cible"),
            "-r",
            str(LOCK),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, UV_PYTHON_DOWNLOADS="never"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    installed = set(re.findall(r"^ \+ ([^=]+)==", result.stderr, re.MULTILINE))
    for name in (
        "tensorflow-cpu",
        "tensorflow-federated",
        "jax",
        "jaxlib",
        "jupyterlab",
        "ipykernel",
    ):
        assert name in installed, f"{name} manque pour Python {python}"


def test_lock_is_up_to_date_with_requirements_in(tmp_path):
    """`make lock` redonne le même verrou (requirements.in n'a pas changé seul)."""
    out = tmp_path / "requirements.lock"
    subprocess.run(
        ["make", "-s", "lock", f"LOCK_OUT={out}"], cwd=ROOT, check=True, timeout=600
    )
    fresh = out.read_text(encoding="utf-8").splitlines()
    current = LOCK.read_text(encoding="utf-8").splitlines()
    assert fresh == current, (
        "verrou périmé : lancez « make lock » "
        f"({sorted(set(fresh) ^ set(current))[:6]})"
    )


# --- trouver un Python pris en charge ------------------------------------------------


def _python_312():
    for name in ("python3.12", "python3.13"):
        if shutil.which(name) and (check_python.version_of(name) or (0,)) >= (3, 12):
            return os.path.realpath(shutil.which(name))
    found = sorted(
        glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3"))
    )
    return found[-1] if found else None


PYTHON_312 = _python_312()


@pytest.mark.skipif(PYTHON_312 is None, reason="aucun Python ≥ 3.12 sur cette machine")
def test_make_install_with_only_python_312_explains_in_french(tmp_path):
    """Seul Python 3.12 sur le PATH : message français, code non nul, pas de trace."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(PYTHON_312)
    for tool in ("make", "sh", "cat", "grep", "sed", "uname"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    project = tmp_path / "projet"
    project.mkdir()
    shutil.copy(ROOT / "Makefile", project)
    shutil.copy(LOCK, project)
    shutil.copytree(ROOT / "tools", project / "tools")
    result = subprocess.run(
        ["make", "install"],
        cwd=project,
        capture_output=True,
        text=True,
        env={"PATH": str(bin_dir), "HOME": str(tmp_path)},
        timeout=120,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "n'est pas pris en charge" in result.stderr
    assert "Que faire" in result.stderr and "python3.11" in result.stderr
    assert not (project / ".venv").exists()


def test_check_python_prefers_a_supported_python_on_the_path(monkeypatch, capsys):
    """Lancé par un Python non pris en charge, il donne le chemin d'un 3.9–3.11."""
    monkeypatch.setattr(sys, "executable", PYTHON_312 or "/nulle/part/python3.12")
    assert check_python.main([]) == 0
    found = capsys.readouterr().out.strip()
    assert check_python.version_of(found) in check_python.SUPPORTED


@pytest.mark.parametrize(
    ("system", "command"),
    [
        ("debian", "sudo apt install -y python3.11 python3.11-venv gcc make"),
        ("fedora", "sudo dnf install -y python3.11 gcc make"),
        ("autre", check_python.UV_COMMAND),
    ],
)
def test_no_python_message_gives_the_command_for_the_system(system, command):
    message = check_python.no_python_message("3.12", system)
    assert "Python 3.12 n'est pas pris en charge" in message
    assert "    " + command + "\n" in message
    assert "Binder" in message


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("darwin", "docker run"),
        ("win32", "wsl --install"),
        ("freebsd13", "Linux x86_64"),
    ],
)
def test_platforms_without_tff_get_another_way_in(monkeypatch, platform, expected):
    monkeypatch.setattr(sys, "platform", platform)
    message = check_python.platform_problem()
    assert "TensorFlow Federated" in message and expected in message


# --- prérequis, vérifiés avant tout téléchargement ------------------------------------


def test_missing_ensurepip_names_the_debian_package(tmp_path):
    """Comme Debian sans pythonX.Y-venv : « python -m venv » échoue."""
    fake = tmp_path / "python-sans-venv"
    fake.write_text("#!/bin/sh\necho 'ensurepip is not available' >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(install_env.InstallError) as error:
        install_env.check_venv_module(str(fake))
    version = "{}.{}".format(*sys.version_info[:2])
    assert f"sudo apt install python{version}-venv" in str(error.value)


def test_venv_module_works_here():
    install_env.check_venv_module()


def test_missing_compiler_warns_what_is_lost(monkeypatch, capsys):
    monkeypatch.setenv("PATH", "")
    assert install_env.check_compiler() is False
    out = capsys.readouterr().out
    assert "toutes les interfaces" in out and "sudo apt install gcc" in out


def test_compiler_present_here():
    assert install_env.check_compiler() is True


def test_disk_space_checked_in_french():
    with pytest.raises(install_env.InstallError, match="Espace disque insuffisant"):
        install_env.check_disk(ROOT, needed=10**9)
    install_env.check_disk(ROOT, needed=0.001)


def test_memory_checked_in_french(capsys):
    with pytest.raises(install_env.InstallError, match="Mémoire insuffisante"):
        install_env.check_memory(total=1.0)
    install_env.check_memory(total=3.0)
    assert "un seul notebook à la fois" in capsys.readouterr().out
    install_env.check_memory(total=16.0)
    assert capsys.readouterr().out == ""


# --- un .venv inachevé est reconstruit, jamais réutilisé ------------------------------


def _fake_venv(path: pathlib.Path, stamp: str | None) -> None:
    (path / "bin").mkdir(parents=True)
    # Un script qui lance le Python de l'environnement de test (qui a pip), pas un
    # lien symbolique : lancé par un lien hors d'un venv, le Python de Debian se
    # résout en /usr/bin/python3, qui n'a pas pip (Debian 12 neuve).
    python = path / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    if stamp is not None:
        (path / ".fltutor-installed").write_text(stamp, encoding="utf-8")


def test_venv_state(tmp_path):
    this = "{}.{}".format(*sys.version_info[:2])
    assert install_env.venv_state(tmp_path / "absent") == "absent"
    _fake_venv(tmp_path / "sans-temoin", None)
    assert "inachevée" in install_env.venv_state(tmp_path / "sans-temoin")
    _fake_venv(tmp_path / "autre-python", "3.8 /usr/bin/python3.8\n")
    assert "Python 3.8" in install_env.venv_state(tmp_path / "autre-python")
    _fake_venv(tmp_path / "complet", f"{this} {sys.executable}\n")
    assert install_env.venv_state(tmp_path / "complet") == "complet"
    (tmp_path / "casse" / "bin").mkdir(parents=True)
    (tmp_path / "casse" / ".fltutor-installed").write_text(f"{this} x\n")
    assert "ne fonctionne plus" in install_env.venv_state(tmp_path / "casse")


def test_half_made_venv_is_rebuilt(tmp_path, monkeypatch, capsys):
    """Un .venv sans témoin (installation interrompue) est supprimé puis refait."""
    venv = tmp_path / ".venv"
    _fake_venv(venv, None)
    (venv / "reste-de-la-premiere-fois").write_text("")
    monkeypatch.setattr(install_env, "VENV", venv)
    monkeypatch.setattr(install_env, "STAMP", venv / ".fltutor-installed")
    monkeypatch.setattr(install_env, "check_disk", lambda: None)
    monkeypatch.setattr(install_env, "check_venv_module", lambda: None)
    created = []

    def create(venv):
        assert not venv.exists(), "l'ancien .venv aurait dû être supprimé"
        venv.mkdir()
        created.append(venv)

    monkeypatch.setattr(install_env, "create_and_install", create)
    assert install_env.main() == 0
    assert created and not (venv / "reste-de-la-premiere-fois").exists()
    assert (
        (venv / ".fltutor-installed")
        .read_text()
        .startswith("{}.{} ".format(*sys.version_info[:2]))
    )
    assert "à refaire (installation précédente inachevée)" in capsys.readouterr().out


def test_failed_install_leaves_no_stamp_and_no_traceback(tmp_path, monkeypatch, capsys):
    venv = tmp_path / ".venv"
    monkeypatch.setattr(install_env, "VENV", venv)
    monkeypatch.setattr(install_env, "STAMP", venv / ".fltutor-installed")
    monkeypatch.setattr(install_env, "check_venv_module", lambda: None)

    def fail(venv):
        venv.mkdir()
        install_env._run([sys.executable, "-c", "raise SystemExit(3)"], "l'essai")

    monkeypatch.setattr(install_env, "create_and_install", fail)
    assert install_env.main() == 1
    err = capsys.readouterr().err
    assert "Échec : l'essai" in err and "Traceback" not in err
    assert not (venv / ".fltutor-installed").exists()
    assert "inachevée" in install_env.venv_state(venv)
