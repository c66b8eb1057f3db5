"""Fin d'installation : installe `fltutor`, confine TFF, met JupyterLab en français.

Lancé par `make install` avec le Python de l'environnement (après le fichier
de verrouillage) ; sert aussi pour Binder et conda.

- installe le paquet `fltutor` en mode « éditable » (`pip install -e .
  --no-deps` : le code du dépôt est importé tel quel, les dépendances
  viennent de requirements.lock) ;
- pose `fltutor-confine-tff.pth` dans site-packages : à chaque démarrage de
  Python, une ligne `import fltutor._tff_hook` (léger : n'importe ni
  TensorFlow ni TFF) fait que tout processus qui importe
  `tensorflow_federated` reçoit le runtime confiné de `fltutor.runtime`,
  qu'il ait importé `fltutor` ou non ;
- écrit `share/jupyter/lab/settings/overrides.json` pour que l'interface de
  JupyterLab s'ouvre en français (paquet de langue jupyterlab-language-pack-fr-FR) ;
- complète `etc/jupyter/jupyter_server_config.json` pour que le
  navigateur de fichiers de JupyterLab ne liste pas les sources jupytext
  (`06_exemple_mnist.py` à côté de `06_exemple_mnist.ipynb`) : l'étudiant ne
  voit qu'un fichier par notebook. Les sources restent dans le dépôt.
"""

import json
import pathlib
import shutil
import subprocess
import sys
import sysconfig

ROOT = pathlib.Path(__file__).resolve().parent.parent
HOOK_PTH = "fltutor-confine-tff.pth"


def install_package() -> None:
    """`pip install -e . --no-deps`, puis range ce que setuptools laisse dans le dépôt."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "-e",
            str(ROOT),
        ],
        check=True,
    )
    shutil.rmtree(ROOT / "fltutor.egg-info", ignore_errors=True)


def install_confinement(site_packages: pathlib.Path) -> pathlib.Path:
    """Pose le fichier `.pth` qui confine TFF dans tout Python de l'environnement."""
    (site_packages / "fltutor.pth").unlink(missing_ok=True)  # ancienne installation
    path = site_packages / HOOK_PTH
    path.write_text("import fltutor._tff_hook\n", encoding="utf-8")
    return path


def french_jupyterlab() -> None:
    settings_dir = pathlib.Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    settings_dir.mkdir(parents=True, exist_ok=True)
    overrides_path = settings_dir / "overrides.json"
    overrides = {}
    if overrides_path.exists():
        overrides = json.loads(overrides_path.read_text(encoding="utf-8"))
    overrides["@jupyterlab/translation-extension:plugin"] = {"locale": "fr_FR"}
    # Pas de question « Souhaitez-vous être informé des nouvelles… » en classe.
    overrides["@jupyterlab/apputils-extension:notification"] = {
        "fetchNews": "false",
        "checkForUpdates": False,
    }
    overrides_path.write_text(json.dumps(overrides, indent=2), encoding="utf-8")


#: Ce que JupyterLab ne liste pas : ses valeurs par défaut, plus les sources
#: jupytext des notebooks (`NN_nom.py`).
HIDDEN = ["__pycache__", "*.pyc", "*.pyo", ".DS_Store", "*~", "[0-9][0-9]_*.py"]


def hide_notebook_sources() -> pathlib.Path:
    """Cache les sources `NN_nom.py` dans le navigateur de fichiers de JupyterLab.

    Réglage de l'environnement (`sys.prefix`), lu par `make lab`, Binder et
    l'image Docker ; les autres réglages du fichier sont gardés.
    """
    path = pathlib.Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    config = {}
    if path.exists():
        config = json.loads(path.read_text(encoding="utf-8"))
    config.setdefault("ContentsManager", {})["hide_globs"] = HIDDEN
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return path


def main() -> None:
    install_package()
    install_confinement(pathlib.Path(sysconfig.get_paths()["purelib"]))
    french_jupyterlab()
    hide_notebook_sources()


if __name__ == "__main__":
    main()
