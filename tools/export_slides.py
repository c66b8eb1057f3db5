"""Exporte chaque notebook du cours en diaporama HTML (reveal.js).

Lancé par `make slides` : `python tools/export_slides.py build/slides`.
Chaque `notebooks/NN_nom.ipynb` (pas les solutions) devient
`build/slides/NN_nom.slides.html`, plus une page `index.html` qui les liste.
Les cellules marquées `slide_type: skip` (réglages) n'apparaissent pas ;
les cellules `notes` deviennent des notes de l'orateur (touche « s »).

Hors ligne : les images sont intégrées au HTML. Les bibliothèques JavaScript
du diaporama (reveal.js 4, require.js, jQuery) viennent :

- d'une copie locale si le dossier `tools/slides_assets/` (ou `--assets DIR`)
  les contient : elles sont copiées dans `OUTDIR/lib/` et le diaporama
  fonctionne sans Internet (seules les formules MathJax et les polices du
  thème restent chargées en ligne ; hors ligne, les formules s'affichent en
  LaTeX brut) ;
- sinon du CDN, comme `jupyter nbconvert --to slides` par défaut. Hors ligne,
  la page s'affiche alors d'un bloc, sans navigation entre diapositives :
  présentez plutôt depuis JupyterLab (`make lab`, RISE : Alt+R), dont
  l'extension embarque reveal.js.

Contenu attendu du dossier de bibliothèques (`ASSET_FILES`) :
`reveal.js/dist/reveal.js`, `reveal.js/dist/reveal.css`,
`reveal.js/dist/theme/simple.css`, `reveal.js/plugin/notes/notes.js`
(paquet npm reveal.js 4.0.2), `require.js` (requirejs 2.3.6),
`jquery.min.js` (jquery 3.5.1).

Exemple :

    $ python tools/export_slides.py build/slides
    Export des diaporamas vers build/slides
      01_introduction.ipynb -> 01_introduction.slides.html (12 diapositives)
    ...
"""

from __future__ import annotations

import argparse
import html
import pathlib
import re
import shutil
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
ASSETS = ROOT / "tools" / "slides_assets"
ASSET_FILES = [
    "reveal.js/dist/reveal.js",
    "reveal.js/dist/reveal.css",
    "reveal.js/dist/theme/simple.css",
    "reveal.js/plugin/notes/notes.js",
    "require.js",
    "jquery.min.js",
]


def course_notebooks(folder: pathlib.Path = NOTEBOOKS) -> list[pathlib.Path]:
    """Notebooks du cours à exporter (sans les solutions), dans l'ordre.

    >>> all(p.suffix == ".ipynb" for p in course_notebooks())
    True
    """
    return sorted(
        p for p in pathlib.Path(folder).glob("*.ipynb") if not p.name.startswith(".")
    )


def local_assets(folder: pathlib.Path | None = None) -> pathlib.Path | None:
    """Le dossier des bibliothèques du diaporama s'il est complet, sinon None.

    >>> local_assets(pathlib.Path("/nulle/part")) is None
    True
    """
    folder = pathlib.Path(folder) if folder is not None else ASSETS
    if all((folder / name).is_file() for name in ASSET_FILES):
        return folder
    return None


def install_assets(folder: pathlib.Path, outdir: pathlib.Path) -> dict:
    """Copie les bibliothèques dans `OUTDIR/lib/` ; renvoie les adresses relatives."""
    for name in ASSET_FILES:
        target = outdir / "lib" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / name, target)
    return {
        "reveal_url_prefix": "lib/reveal.js",
        "require_js_url": "lib/require.js",
        "jquery_url": "lib/jquery.min.js",
    }


def make_exporter(urls: dict | None = None):
    """Exportateur nbconvert configuré pour le cours (français, images intégrées).

    `urls` : adresses des bibliothèques (`reveal_url_prefix`, `require_js_url`,
    `jquery_url`) ; par défaut celles du CDN de nbconvert.
    """
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    for name, value in (urls or {}).items():
        config.SlidesExporter[name] = value
    config.SlidesExporter.reveal_theme = "simple"
    config.SlidesExporter.reveal_scroll = True  # cellules de code longues
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.embed_images = True  # images Markdown dans le HTML
    config.SlidesExporter.language_code = "fr"
    # Sans les invites « In [n]: » / « Out[n]: » : le code a toute la largeur.
    config.SlidesExporter.exclude_input_prompt = True
    config.SlidesExporter.exclude_output_prompt = True
    return SlidesExporter(config=config)


def count_slides(body: str) -> int:
    """Nombre de diapositives (balises `<section`) d'un export HTML.

    >>> count_slides("<section><section>a</section></section><section>b</section>")
    3
    """
    return len(re.findall(r"<section\b", body))


def export_notebook(path: pathlib.Path, outdir: pathlib.Path, exporter) -> pathlib.Path:
    """Exporte un notebook ; renvoie le chemin du fichier HTML écrit."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent), "name": path.stem}}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    target = outdir / f"{path.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


def write_index(outdir: pathlib.Path, exported: list[pathlib.Path]) -> pathlib.Path:
    """Écrit `index.html`, la liste des diaporamas."""
    items = "\n".join(
        f'    <li><a href="{html.escape(p.name)}">{html.escape(p.name.split(".")[0])}</a></li>'
        for p in exported
    )
    page = (
        '<!DOCTYPE html>\n<html lang="fr">\n<head><meta charset="utf-8">\n'
        "<title>Apprentissage fédéré — diaporamas</title></head>\n<body>\n"
        "  <h1>Apprentissage fédéré — diaporamas</h1>\n"
        "  <p>Flèches du clavier pour avancer, « s » pour les notes de l'orateur.</p>\n"
        f"  <ul>\n{items}\n  </ul>\n</body>\n</html>\n"
    )
    index = outdir / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Exporte les notebooks du cours en diaporamas reveal.js."
    )
    parser.add_argument("outdir", help="dossier de sortie (ex. build/slides)")
    parser.add_argument(
        "notebooks",
        nargs="*",
        help="notebooks à exporter (défaut : tous ceux de notebooks/, sans les solutions)",
    )
    parser.add_argument(
        "--assets",
        default=None,
        help="dossier des bibliothèques JavaScript pour un diaporama hors ligne "
        "(défaut : tools/slides_assets/ s'il existe, sinon le CDN)",
    )
    args = parser.parse_args(argv)

    paths = [pathlib.Path(p) for p in args.notebooks] or course_notebooks()
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        print("Notebook introuvable : " + ", ".join(missing), file=sys.stderr)
        return 2
    if not paths:
        print(f"Aucun notebook à exporter dans {NOTEBOOKS}.", file=sys.stderr)
        return 2

    outdir = pathlib.Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if args.assets is not None and local_assets(pathlib.Path(args.assets)) is None:
        print(
            f"Dossier de bibliothèques incomplet : {args.assets} (il faut "
            + ", ".join(ASSET_FILES)
            + ").",
            file=sys.stderr,
        )
        return 2
    assets = local_assets(pathlib.Path(args.assets) if args.assets else None)
    print(f"Export des diaporamas vers {outdir}")
    if assets is None:
        urls = {}
        print(
            "  (reveal.js est chargé depuis Internet ; hors ligne, présentez "
            "depuis JupyterLab avec RISE : Alt+R)"
        )
    else:
        urls = install_assets(assets, outdir)
        print(f"  (bibliothèques locales copiées dans {outdir / 'lib'} : hors ligne)")
    exporter = make_exporter(urls)

    exported, failures = [], []
    for path in paths:
        try:
            target = export_notebook(path, outdir, exporter)
        except Exception as error:  # un notebook cassé ne bloque pas les autres
            failures.append(path.name)
            print(f"  {path.name} : échec de l'export ({error})", file=sys.stderr)
            continue
        exported.append(target)
        slides = count_slides(target.read_text(encoding="utf-8"))
        print(f"  {path.name} -> {target.name} ({slides} diapositives)", flush=True)

    index = write_index(outdir, exported)
    print(f"{len(exported)} diaporama(s) écrit(s) ; sommaire : {index}")
    if failures:
        print(f"Échec pour : {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
