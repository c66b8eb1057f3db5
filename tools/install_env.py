"""Crée l'environnement du cours dans `.venv` (lancé par `make install`).

Usage : `python3.11 tools/install_env.py` (le Python choisi par
`tools/check_python.py`). Étapes, chacune expliquée en français :

1. prérequis vérifiés avant tout téléchargement : module `venv` avec
   `ensurepip`, compilateur C (pour confiner le worker TFF), espace disque,
   mémoire ;
2. un `.venv` à moitié fait (installation interrompue, autre Python) est
   supprimé puis reconstruit, jamais réutilisé ;
3. `python -m venv .venv`, puis le verrou installé sans résolution
   (`--no-deps`, versions exactes : voir requirements.in) par uv, venu de
   PyPI par pip, qui suit la configuration pip de la machine (miroir,
   certificats) ; si uv échoue, pip prend le relais ;
4. `python tools/post_install.py` (fltutor importable, JupyterLab en français) ;
5. le fichier témoin `.venv/.fltutor-installed` (version de Python) marque
   l'installation comme complète.

`FLTUTOR_INSTALLER=pip` fait tout avec pip (dix fois plus lent : mesures
dans le README).
"""

from __future__ import annotations

import os
import pathlib
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".fltutor-installed"
LOCK = ROOT / "requirements.lock"

# Mesuré : .venv pèse 2,3 Gio, plus 1,1 Gio de cache de téléchargement.
DISK_NEEDED_GIB = 4.0
# Un notebook culmine à 1,8 Gio (bench/README.md) ; JupyterLab et le worker en plus.
MEMORY_MIN_GIB = 2.0
MEMORY_ADVISED_GIB = 4.0


class InstallError(Exception):
    """Erreur d'installation, avec un message français qui dit quoi faire."""


def _say(message: str) -> None:
    print(message, flush=True)


def _venv_package(version: tuple[int, int]) -> str:
    return f"python{version[0]}.{version[1]}-venv"


def check_venv_module(python: str = sys.executable) -> None:
    """`python -m venv` doit marcher, pip compris (paquet pythonX.Y-venv sur Debian).

    Essai réel dans un dossier temporaire : sur Debian, le module `ensurepip`
    s'importe même quand ses roues manquent, seul l'essai le révèle.
    """
    with tempfile.TemporaryDirectory(prefix="fltutor-venv-") as tmp:
        result = subprocess.run(
            [python, "-m", "venv", os.path.join(tmp, "essai")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    if result.returncode != 0:
        version = sys.version_info[:2]
        raise InstallError(
            f"Python {version[0]}.{version[1]} ne sait pas créer d'environnement "
            "virtuel avec pip (module « venv » ou « ensurepip » incomplet).\n"
            f"Que faire (Debian, Ubuntu, WSL) :\n    sudo apt install "
            f"{_venv_package(version)}\npuis relancez la même commande make."
        )


def check_compiler() -> bool:
    """Vrai si un compilateur C existe ; sinon avertit de ce qui est perdu."""
    if shutil.which("cc") or shutil.which("gcc"):
        return True
    _say(
        "Attention : aucun compilateur C (cc ou gcc). Le cours fonctionnera, "
        "mais le worker de TensorFlow Federated ne pourra pas être confiné à "
        "la boucle locale : il écoutera sur toutes les interfaces réseau, "
        "visible des autres machines de la salle (README, section Sécurité).\n"
        "Pour l'éviter : sudo apt install gcc  (Fedora : sudo dnf install gcc)"
    )
    return False


def free_disk_gib(path: pathlib.Path) -> float:
    """Espace libre (Gio) sur le disque qui contient `path`.

    >>> free_disk_gib(ROOT) > 0
    True
    """
    return shutil.disk_usage(path).free / 2**30


def check_disk(path: pathlib.Path = ROOT, needed: float = DISK_NEEDED_GIB) -> None:
    free = free_disk_gib(path)
    if free < needed:
        raise InstallError(
            f"Espace disque insuffisant : {free:.1f} Gio libres dans {path}, il en faut "
            f"environ {needed:.0f} (environnement + téléchargements).\n"
            "Que faire : libérez de la place (ex. : pip cache purge), ou "
            "utilisez Binder (README)."
        )


def total_memory_gib() -> float | None:
    """Mémoire vive totale (Gio), ou None si le système ne la donne pas."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return None


def check_memory(total: float | None = None) -> None:
    total = total_memory_gib() if total is None else total
    if total is None:
        return
    if total < MEMORY_MIN_GIB:
        raise InstallError(
            f"Mémoire insuffisante : {total:.1f} Gio ; TensorFlow et un notebook du cours "
            f"demandent au moins {MEMORY_MIN_GIB:.0f} Gio.\n"
            "Que faire : utilisez Binder ou GitHub Codespaces (README)."
        )
    if total < MEMORY_ADVISED_GIB:
        _say(
            f"Attention : {total:.1f} Gio de mémoire. Le cours tourne, mais ouvrez un "
            "seul notebook à la fois (arrêtez le noyau du précédent)."
        )


def venv_state(venv: pathlib.Path = VENV) -> str:
    """« absent », « complet » ou la raison pour laquelle il faut le refaire."""
    if not venv.exists():
        return "absent"
    python = venv / "bin" / "python"
    stamp = venv / STAMP.name
    if not stamp.exists():
        return "installation précédente inachevée"
    wanted = _minor()
    try:
        recorded = stamp.read_text(encoding="utf-8").split()[0]
    except (OSError, IndexError):
        recorded = ""
    if recorded != wanted:
        return f"créé avec Python {recorded or '?'}, il faut Python {wanted}"
    try:
        subprocess.run(
            [str(python), "-c", "import pip"], check=True, capture_output=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "son Python ne fonctionne plus"
    return "complet"


def lock_pin(name: str, lock: pathlib.Path = LOCK) -> str:
    """Version épinglée d'un paquet dans le verrou (sans marqueur).

    >>> lock_pin("pip")
    '24.3.1'
    """
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(re.escape(name) + r"==([^\s;]+)", line.strip())
        if match:
            return match.group(1)
    raise InstallError(f"{name} n'est pas épinglé dans {lock.name}")


def _run(cmd: list[str], what: str, env: dict[str, str] | None = None) -> None:
    _say("  $ " + " ".join(cmd))
    try:
        subprocess.run(cmd, check=True, env=env)
    except (OSError, subprocess.CalledProcessError):
        raise InstallError(
            f"Échec : {what} (voir les messages ci-dessus).\n"
            "Que faire : vérifiez la connexion à PyPI, puis relancez la même "
            "commande make ; l'environnement inachevé sera reconstruit."
        ) from None


def installer() -> str:
    """« uv » (par défaut, 10 fois plus rapide) ou « pip » (FLTUTOR_INSTALLER=pip).

    >>> installer() in ("uv", "pip")
    True
    """
    wanted = os.environ.get("FLTUTOR_INSTALLER", "uv")
    if wanted not in ("pip", "uv"):
        raise InstallError("FLTUTOR_INSTALLER doit valoir « uv » ou « pip ».")
    return wanted


# Réglages pip qu'uv doit suivre aussi (miroir, index supplémentaires, certificats).
PIP_TO_UV = {
    "index-url": "UV_INDEX_URL",
    "extra-index-url": "UV_EXTRA_INDEX_URL",
    "find-links": "UV_FIND_LINKS",
    "cert": "SSL_CERT_FILE",
}


def uv_environment(pip_config: str) -> dict[str, str]:
    """Variables d'environnement qui donnent à uv la configuration de pip.

    `pip_config` est la sortie de `pip config list` (fichiers et variables
    PIP_*, ces dernières prioritaires). uv considère alors, comme pip, tous
    les index à la fois, et les certificats du système.

    >>> env = uv_environment("global.index-url='https://miroir/simple'")
    >>> env["UV_INDEX_URL"], env["UV_INDEX_STRATEGY"]
    ('https://miroir/simple', 'unsafe-best-match')
    """
    env = dict(
        os.environ,
        UV_INDEX_STRATEGY="unsafe-best-match",
        UV_SYSTEM_CERTS="1",
        UV_PYTHON_DOWNLOADS="never",
    )
    lines = pip_config.splitlines()
    # Les variables PIP_* (« :env: ») passent après les fichiers : elles gagnent.
    for line in sorted(lines, key=lambda line: line.startswith(":env:")):
        key, _, value = line.partition("=")
        variable = PIP_TO_UV.get(key.rsplit(".", 1)[-1])
        sources = _reachable(value.strip().strip("'\"").split())
        if variable and sources:
            env[variable] = " ".join(sources)
    return env


def _reachable(sources: list[str]) -> list[str]:
    """Les sources de paquets à garder : pip ignore (avec un avertissement) un
    dossier local absent, uv s'arrête ; on l'écarte donc comme pip.

    >>> _reachable(["https://miroir/simple", "file:///nulle/part", "/nulle/part"])
    ['https://miroir/simple']
    """
    kept = []
    for source in sources:
        path = source[len("file://") :] if source.startswith("file://") else source
        if "://" in path or os.path.exists(path):
            kept.append(source)
    return kept


def install_lock(python: str) -> None:
    """Installe le verrou dans le venv de `python`, avec uv ou pip, sans résolution."""
    pip = [python, "-m", "pip", "install", "--quiet"]
    _say("Téléchargement et installation d'environ 1 Go de paquets…")
    if installer() == "uv":
        # uv vient de PyPI, installé par pip (qui suit la configuration locale).
        _run(pip + ["uv==" + lock_pin("uv")], "l'installation d'uv")
        config = subprocess.run(
            [python, "-m", "pip", "config", "list"], capture_output=True, text=True
        ).stdout
        uv = str(pathlib.Path(python).with_name("uv"))
        # --compile-bytecode : les .pyc tout de suite, comme pip ; sinon chaque
        # import de TensorFlow recompile (3 fois plus lent avec
        # PYTHONDONTWRITEBYTECODE, mesuré : 86 s contre 25 s).
        cmd = [uv, "pip", "install", "--quiet", "--compile-bytecode"]
        cmd += ["--python", python, "--no-deps"]
        try:
            _run(
                cmd + ["-r", str(LOCK)],
                "l'installation des paquets avec uv",
                env=uv_environment(config),
            )
            return
        except InstallError:
            _say("uv a échoué : nouvel essai avec pip (plus lent).")
    _run(pip + ["--no-deps", "-r", str(LOCK)], "l'installation des paquets")


def create_and_install(venv: pathlib.Path = VENV) -> None:
    """Crée le venv et y installe le verrou, puis la fin d'installation."""
    python = str(venv / "bin" / "python")
    _say(f"Création de l'environnement {venv.name} (Python {_version()})…")
    _run([sys.executable, "-m", "venv", str(venv)], "la création du venv")
    _run(
        [python, "-m", "pip", "install", "--quiet", "pip==" + lock_pin("pip")],
        "la mise à jour de pip",
    )
    install_lock(python)
    _run([python, str(ROOT / "tools" / "post_install.py")], "la fin d'installation")


def _version() -> str:
    return platform.python_version()


def _minor() -> str:
    return ".".join(platform.python_version_tuple()[:2])


def main() -> int:
    start = time.monotonic()
    try:
        check_venv_module()
        check_disk()
        check_memory()
        check_compiler()
        state = venv_state(VENV)
        if state not in ("absent", "complet"):
            _say(
                f"L'environnement {VENV.name} est à refaire ({state}) : reconstruction."
            )
            shutil.rmtree(VENV)
        elif state == "complet":
            # Verrou modifié : on repart de zéro pour ne garder aucun paquet
            # de l'ancien verrou (le cache rend cela rapide).
            _say(f"requirements.lock a changé : reconstruction de {VENV.name}.")
            shutil.rmtree(VENV)
        create_and_install(VENV)
        STAMP.write_text(f"{_minor()} {sys.executable}\n", encoding="utf-8")
    except InstallError as error:
        print(f"\nErreur : {error}\n", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(
            "\nInstallation interrompue ; relancez la même commande make.",
            file=sys.stderr,
        )
        return 130
    minutes, seconds = divmod(int(time.monotonic() - start), 60)
    _say(
        f"Environnement prêt dans {VENV.name} "
        f"(installé en {minutes} min {seconds:02d} s)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
