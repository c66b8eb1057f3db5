"""Trouve un Python pris en charge par le cours (3.9, 3.10 ou 3.11).

Lancé par `make install` avec n'importe quel Python 3 (celui du système, même
3.12 ou 3.13), avant toute installation. Ce script ne dépend de rien.

Il essaie, dans l'ordre : l'interpréteur demandé (`make PYTHON=... lab`),
celui qui le lance, puis `python3.11`, `python3.10`, `python3.9` sur le PATH,
puis un Python 3.11 fourni par `uv` (déjà installé, sinon `uv python install
3.11`). Il affiche le chemin trouvé sur la sortie standard et sort avec le
code 0 ; sinon il explique en français, pour le système détecté (Debian,
Ubuntu, WSL, Fedora, macOS, Windows), la commande à lancer, et sort avec le
code 1.

Exemple :

    $ python3.12 tools/check_python.py
    /usr/bin/python3.11
"""

import os
import platform
import shutil
import subprocess
import sys

SUPPORTED = ((3, 9), (3, 10), (3, 11))
CANDIDATES = ("python3.11", "python3.10", "python3.9")

# Ce qu'un étudiant lance pour obtenir Python 3.11, selon son système.
UV_COMMAND = "curl -LsSf https://astral.sh/uv/install.sh | sh"
ALTERNATIVES = (
    "Autres solutions, sans rien installer sur la machine : Binder, GitHub "
    "Codespaces ou Docker (voir le README, section « Installation »)."
)


def version_of(python):
    """Version (majeur, mineur) d'un interpréteur, ou None s'il ne répond pas.

    >>> version_of(sys.executable) == tuple(sys.version_info[:2])
    True
    >>> version_of("/chemin/inexistant") is None
    True
    """
    try:
        out = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            universal_newlines=True,
            timeout=30,
        ).stdout
        major, minor = out.strip().split(".")
        return int(major), int(minor)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def detect_system():
    """Système de la machine : debian, ubuntu, wsl, fedora, macos, windows ou autre.

    >>> detect_system() in ("debian", "ubuntu", "wsl", "fedora", "macos",
    ...                     "windows", "autre")
    True
    """
    if sys.platform == "darwin":
        return "macos"
    if sys.platform.startswith(("win", "cygwin", "msys")):
        return "windows"
    try:
        with open("/proc/version") as handle:
            if "microsoft" in handle.read().lower():
                return "wsl"
    except OSError:
        pass
    ids = ""
    try:
        with open("/etc/os-release") as handle:
            for line in handle:
                if line.startswith(("ID=", "ID_LIKE=")):
                    ids += " " + line.split("=", 1)[1].strip().strip('"').lower()
    except OSError:
        pass
    for name in ("ubuntu", "debian", "fedora"):
        if name in ids.split():
            return name
    if "rhel" in ids.split():
        return "fedora"
    return "autre"


def install_command(system):
    """La commande qui installe Python 3.11 sur ce système (une ligne).

    >>> install_command("fedora")
    'sudo dnf install -y python3.11 gcc make'
    """
    if system in ("debian", "ubuntu", "wsl"):
        # Debian 12 a python3.11 ; Ubuntu 24.04 (et WSL) n'a que 3.12 : le
        # dépôt « deadsnakes » fournit 3.11 pour Ubuntu.
        if system != "debian" and not _apt_knows("python3.11"):
            return (
                "sudo add-apt-repository -y ppa:deadsnakes/ppa && sudo apt install -y "
                "python3.11 python3.11-venv gcc make"
            )
        return "sudo apt install -y python3.11 python3.11-venv gcc make"
    if system == "fedora":
        return "sudo dnf install -y python3.11 gcc make"
    return UV_COMMAND


def _apt_knows(package):
    if shutil.which("apt-cache") is None:
        return False
    result = subprocess.run(
        ["apt-cache", "show", package],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return result.returncode == 0


def platform_problem():
    """Message français si TFF ne tourne pas sur cette machine, sinon None."""
    system = detect_system()
    machine = platform.machine().lower()
    if system == "macos":
        return (
            "TensorFlow Federated 0.87 n'est pas publié pour macOS.\n"
            "Que faire : lancez le cours dans Docker (Docker Desktop) :\n"
            "    docker build -t fltutor . && docker run --rm -p 8888:8888 fltutor\n"
            "puis ouvrez http://localhost:8888 ; ou utilisez Binder ou GitHub "
            "Codespaces (README)."
        )
    if system == "windows":
        return (
            "TensorFlow Federated 0.87 n'est pas publié pour Windows.\n"
            "Que faire : installez WSL (Linux dans Windows), dans PowerShell :\n"
            "    wsl --install -d Debian\n"
            "puis relancez « make lab » dans le terminal Debian ; ou utilisez "
            "Docker, Binder ou GitHub Codespaces (README)."
        )
    if not sys.platform.startswith("linux") or machine not in ("x86_64", "amd64"):
        return (
            "TensorFlow Federated 0.87 n'est publié que pour Linux x86_64 "
            "(machine détectée : %s %s).\n"
            "Que faire : utilisez Binder ou GitHub Codespaces (README), ou une "
            "machine Linux x86_64." % (sys.platform, machine)
        )
    return None


def _uv_python():
    """Un Python 3.11 fourni par uv (installé au besoin), ou None."""
    uv = shutil.which("uv") or _existing(os.path.expanduser("~/.local/bin/uv"))
    if uv is None:
        return None
    for action in ("find", "install", "find"):
        if action == "install":
            print("Installation de Python 3.11 avec uv…", file=sys.stderr)
        result = subprocess.run(
            [uv, "python", action, "3.11"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            universal_newlines=True,
        )
        found = result.stdout.strip().splitlines()[-1:] if action == "find" else []
        if result.returncode == 0 and found and version_of(found[0]) == (3, 11):
            return found[0]
        if action == "install" and result.returncode != 0:
            print(
                "uv n'a pas pu télécharger Python 3.11 (connexion à GitHub ?).",
                file=sys.stderr,
            )
    return None


def _existing(path):
    return path if os.path.isfile(path) and os.access(path, os.X_OK) else None


def find_python(preferred=None):
    """Chemin d'un Python 3.9, 3.10 ou 3.11, ou None s'il n'y en a aucun.

    >>> find_python(sys.executable) == os.path.realpath(sys.executable)
    True
    """
    candidates = [preferred] if preferred else []
    candidates += [sys.executable] + [shutil.which(name) for name in CANDIDATES]
    for candidate in candidates:
        if candidate and version_of(candidate) in SUPPORTED:
            # Le vrai interpréteur, pas le lien d'un venv (celui de .venv
            # pourrait être reconstruit).
            return os.path.realpath(candidate)
    return _uv_python()


def no_python_message(found, system):
    """Explication française quand aucun Python pris en charge n'est trouvé."""
    return (
        "Erreur : Python %s n'est pas pris en charge par ce cours, et aucun "
        "Python 3.9, 3.10 ou 3.11 n'a été trouvé (python3.11, python3.10, "
        "python3.9, uv).\n"
        "TensorFlow Federated 0.87 (la dernière version) ne fonctionne qu'avec "
        "Python 3.9, 3.10 ou 3.11.\n"
        "Que faire (%s) : installez Python 3.11 avec\n"
        "    %s\n"
        "puis relancez « make lab » : il le trouvera tout seul.\n"
        "Sans droits administrateur, uv installe Python 3.11 dans votre "
        "dossier personnel :\n"
        "    %s\n"
        "%s"
        % (
            found,
            _system_name(system),
            install_command(system),
            UV_COMMAND,
            ALTERNATIVES,
        )
    )


def _system_name(system):
    return {
        "debian": "Debian",
        "ubuntu": "Ubuntu",
        "wsl": "WSL",
        "fedora": "Fedora",
        "macos": "macOS",
        "windows": "Windows",
    }.get(system, "Linux")


def main(argv=None):
    """Affiche le Python trouvé (code 0) ou explique quoi installer (code 1)."""
    argv = sys.argv[1:] if argv is None else argv
    preferred = argv[0] if argv else None
    if preferred and shutil.which(preferred) is None and not _existing(preferred):
        print(
            "\nErreur : l'interpréteur demandé (PYTHON=%s) est introuvable.\n"
            "Que faire : relancez sans PYTHON=..., ou indiquez un chemin valide.\n"
            % preferred,
            file=sys.stderr,
        )
        return 1
    problem = platform_problem()
    if problem:
        print("\nErreur : " + problem + "\n", file=sys.stderr)
        return 1
    python = find_python(shutil.which(preferred) if preferred else None)
    if python is None:
        found = "%d.%d" % sys.version_info[:2]
        print("\n" + no_python_message(found, detect_system()), file=sys.stderr)
        return 1
    print(python)
    return 0


if __name__ == "__main__":
    sys.exit(main())
