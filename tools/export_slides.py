"""Exporte chaque notebook du cours en diaporama HTML (reveal.js).

Lancé par `make slides` : `python tools/export_slides.py build/slides`.
Chaque `notebooks/NN_nom.ipynb` (pas les solutions) devient
`build/slides/NN_nom.slides.html`, plus une page `index.html` qui les liste.
Les cellules marquées `slide_type: skip` (réglages) n'apparaissent pas ;
les cellules `notes` deviennent des notes de l'orateur (touche « s »).

Hors ligne : les images sont intégrées au HTML, mais la bibliothèque reveal.js
(et require.js, jQuery, MathJax) est chargée depuis un CDN, comme le fait
`jupyter nbconvert --to slides` par défaut. Pour présenter sans Internet,
deux possibilités :

- présenter depuis JupyterLab (`make lab`, bouton RISE « Render as
  slideshow ») : l'extension jupyterlab-rise embarque reveal.js ;
- copier une distribution de reveal.js 4 dans `OUTDIR/reveal.js/` : elle est
  alors utilisée automatiquement (ou passer `--reveal-prefix CHEMIN`).

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
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
CDN_REVEAL = "https://unpkg.com/reveal.js@4.0.2"
LOCAL_REVEAL = "reveal.js"


def course_notebooks(folder: pathlib.Path = NOTEBOOKS) -> list[pathlib.Path]:
    """Notebooks du cours à exporter (sans les solutions), dans l'ordre.

    >>> all(p.suffix == ".ipynb" for p in course_notebooks())
    True
    """
    return sorted(
        p for p in pathlib.Path(folder).glob("*.ipynb") if not p.name.startswith(".")
    )


def choose_reveal_prefix(outdir: pathlib.Path, prefix: str | None = None) -> str:
    """Adresse de reveal.js : celle demandée, sinon une copie locale, sinon le CDN.

    >>> choose_reveal_prefix(pathlib.Path("/nulle/part"))
    'https://unpkg.com/reveal.js@4.0.2'
    """
    if prefix:
        return prefix
    if (pathlib.Path(outdir) / LOCAL_REVEAL / "dist" / "reveal.js").is_file():
        return LOCAL_REVEAL
    return CDN_REVEAL


def make_exporter(reveal_prefix: str):
    """Exportateur nbconvert configuré pour le cours (français, images intégrées)."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    config = Config()
    config.SlidesExporter.reveal_url_prefix = reveal_prefix
    config.SlidesExporter.reveal_scroll = True  # cellules de code longues
    config.SlidesExporter.reveal_number = "c/t"
    config.SlidesExporter.embed_images = True  # images Markdown dans le HTML
    config.SlidesExporter.language_code = "fr"
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
        "--reveal-prefix",
        default=None,
        help="adresse ou chemin relatif de reveal.js 4 (défaut : OUTDIR/reveal.js s'il existe, sinon le CDN)",
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
    prefix = choose_reveal_prefix(outdir, args.reveal_prefix)
    exporter = make_exporter(prefix)
    print(f"Export des diaporamas vers {outdir}")
    if prefix == CDN_REVEAL:
        print(
            "  (reveal.js est chargé depuis Internet ; hors ligne, présentez depuis "
            "JupyterLab avec RISE ou copiez reveal.js dans "
            f"{outdir / LOCAL_REVEAL})"
        )
    else:
        print(f"  (reveal.js : {prefix})")

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
