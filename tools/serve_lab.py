"""Ouvre le cours dans JupyterLab, en français (commande de `make lab`).

Lancé par `make lab` avec le Python de l'environnement virtuel. Par défaut :
dossier `notebooks/`, notebook `00_sommaire.ipynb` ouvert, navigateur lancé.
Les tests de bout en bout (`tests/test_e2e_lab.py`) passent par cette même
commande, avec un port libre, un jeton et sans navigateur.

Exemples :

    $ python tools/serve_lab.py                      # comme `make lab`
    $ python tools/serve_lab.py --port 8890 --token secret --no-browser
    $ make lab LAB_ARGS="--port 8890 --no-browser"

Les options inconnues sont transmises telles quelles à `jupyter lab`.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
DEFAULT_NOTEBOOK = "00_sommaire.ipynb"
LOCALE_PLUGIN = "@jupyterlab/translation-extension:plugin"


def jupyter_lab_command() -> list[str]:
    """Commande qui lance JupyterLab avec le Python courant.

    >>> jupyter_lab_command()[-1]
    'lab'
    """
    script = pathlib.Path(sys.executable).with_name("jupyter-lab")
    if script.exists():
        return [str(script)]
    found = shutil.which("jupyter")
    if found is None:
        raise SystemExit(
            "JupyterLab est introuvable : lancez `make install` (ou utilisez le "
            "Python de l'environnement .venv)."
        )
    return [found, "lab"]


def french_locale_configured(prefix: str | os.PathLike = sys.prefix) -> bool:
    """Vrai si `overrides.json` (écrit par tools/post_install.py) met l'interface en français.

    >>> isinstance(french_locale_configured(), bool)
    True
    """
    path = (
        pathlib.Path(prefix)
        / "share"
        / "jupyter"
        / "lab"
        / "settings"
        / "overrides.json"
    )
    try:
        overrides = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return overrides.get(LOCALE_PLUGIN, {}).get("locale") == "fr_FR"


def build_command(args: argparse.Namespace, extra: list[str]) -> list[str]:
    """Assemble la ligne de commande `jupyter lab` à partir des options."""
    root = pathlib.Path(args.root).resolve()
    if not root.is_dir():
        raise SystemExit(f"Dossier introuvable : {root} (option --root).")
    command = jupyter_lab_command()
    command.append(f"--ServerApp.root_dir={root}")
    if args.port is not None:
        if not 0 < args.port < 65536:
            raise SystemExit(
                f"Port invalide : {args.port} (choisissez entre 1 et 65535)."
            )
        # Port imposé : échouer plutôt que d'en prendre un autre en silence.
        command += [f"--ServerApp.port={args.port}", "--ServerApp.port_retries=0"]
    if args.ip:
        command.append(f"--ServerApp.ip={args.ip}")
    if args.token is not None:
        command.append(f"--IdentityProvider.token={args.token}")
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in extra:
        # Conteneurs, Binder local, intégration continue : on tourne souvent en root.
        print("Note : lancé en root, JupyterLab démarre avec --allow-root.", flush=True)
        command.append("--allow-root")
    command += extra
    if args.notebook:
        if not (root / args.notebook).exists():
            print(f"Attention : {args.notebook} est absent de {root}.", flush=True)
        else:
            command.append(args.notebook)
    return command


def parse_args(argv: list[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(
        description="Ouvre le cours d'apprentissage fédéré dans JupyterLab (en français)."
    )
    parser.add_argument(
        "notebook",
        nargs="?",
        default=DEFAULT_NOTEBOOK,
        help=f"notebook à ouvrir, relatif à --root (défaut : {DEFAULT_NOTEBOOK})",
    )
    parser.add_argument(
        "--root", default=str(NOTEBOOKS), help="dossier du cours (défaut : notebooks/)"
    )
    parser.add_argument(
        "--port", type=int, default=None, help="port HTTP (défaut : 8888 ou suivant)"
    )
    parser.add_argument(
        "--ip", default=None, help="adresse d'écoute (défaut : localhost)"
    )
    parser.add_argument(
        "--token", default=None, help="jeton d'accès (défaut : jeton aléatoire)"
    )
    parser.add_argument(
        "--no-browser", action="store_true", help="ne pas ouvrir de navigateur"
    )
    return parser.parse_known_args(argv)


def main(argv: list[str] | None = None) -> None:
    args, extra = parse_args(argv)
    command = build_command(args, extra)
    if not french_locale_configured():
        print(
            "Attention : l'interface française n'est pas configurée "
            "(overrides.json) ; lancez `make install` pour la régler.",
            flush=True,
        )
    print(
        "Ouverture du cours dans JupyterLab… (Ctrl-C deux fois pour arrêter)",
        flush=True,
    )
    os.chdir(args.root)
    # exec : le processus reste le serveur Jupyter lui-même (signaux, arrêt propre).
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
