"""Installe le navigateur Chromium de Debian pour les tests de bout en bout.

Lancé par `make test` avant pytest. Les tests « comme un étudiant »
(`tests/test_e2e_lab.py`) pilotent un vrai JupyterLab dans Chromium sans
interface graphique (Playwright, `/usr/bin/chromium`).

- Chromium déjà là : ne fait rien (rapide, idempotent).
- Sinon, en root avec apt-get : l'annonce, puis `apt-get update` et
  `apt-get install chromium` (`FLTUTOR_NO_APT=1` : ne rien installer).
- Sinon : affiche comment l'installer ; les tests navigateur seront ignorés.

Le script se termine toujours avec le code 0 : un navigateur absent ne doit
pas faire échouer l'installation, seulement faire ignorer (skip) les tests e2e.

Exemple :

    $ python tools/install_chromium.py
    Chromium est présent (/usr/bin/chromium) : tests navigateur activés.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"
PACKAGE = "chromium"


def chromium_path() -> str | None:
    """Chemin de l'exécutable Chromium s'il est installé, sinon None.

    >>> chromium_path() in (None, "/usr/bin/chromium")
    True
    """
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return None


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _apt(*args: str) -> bool:
    """Lance apt-get sans question ; renvoie True si la commande a réussi."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "-q", "-y", *args]
    print("  $ " + " ".join(cmd), flush=True)
    result = subprocess.run(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    if result.returncode != 0:
        lines = result.stderr.strip().splitlines()[-5:]
        print("  échec d'apt-get :\n    " + "\n    ".join(lines), flush=True)
        return False
    return True


def _skip_message(reason: str) -> None:
    print(
        f"Chromium est absent ({reason}) : les tests dans le navigateur "
        "(tests/test_e2e_lab.py) seront ignorés.\n"
        "Pour les activer, installez-le puis relancez `make test` :\n"
        f"    sudo apt-get install {PACKAGE}",
        flush=True,
    )


def main() -> int:
    """Vérifie ou installe Chromium ; renvoie toujours 0."""
    path = chromium_path()
    if path:
        print(f"Chromium est présent ({path}) : tests navigateur activés.")
        return 0
    if sys.platform != "linux" or shutil.which("apt-get") is None:
        _skip_message("pas d'apt-get sur ce système")
        return 0
    if not _is_root():
        _skip_message("installation automatique réservée à root")
        return 0
    if os.environ.get("FLTUTOR_NO_APT"):
        _skip_message("FLTUTOR_NO_APT est défini : rien n'est installé")
        return 0
    print(
        "Chromium est absent : installation du paquet Debian « chromium » sur ce "
        "système (apt-get, en root) pour les tests dans le navigateur.\n"
        "Pour ne rien installer : FLTUTOR_NO_APT=1 make test"
    )
    if _apt("update") and _apt("install", "--no-install-recommends", PACKAGE):
        if chromium_path():
            print(f"Chromium installé ({CHROMIUM}) : tests navigateur activés.")
            return 0
    _skip_message("l'installation a échoué")
    return 0


if __name__ == "__main__":
    sys.exit(main())
