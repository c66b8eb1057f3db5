"""Fin d'installation : rend `fltutor` importable et met JupyterLab en français.

Lancé par `make install` avec le Python de l'environnement virtuel.
- écrit un fichier `fltutor.pth` dans site-packages (équivalent d'une
  installation « éditable », sans dépendre de la version de setuptools) ;
- écrit `share/jupyter/lab/settings/overrides.json` pour que l'interface de
  JupyterLab s'ouvre en français (paquet de langue jupyterlab-language-pack-fr-FR).
"""

import json
import pathlib
import site
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> None:
    site_packages = pathlib.Path(site.getsitepackages()[0])
    (site_packages / "fltutor.pth").write_text(str(ROOT) + "\n", encoding="utf-8")

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


if __name__ == "__main__":
    main()
