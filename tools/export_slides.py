"""Exporte chaque notebook du cours en diaporama HTML (reveal.js).

Lancé par `make slides` : `python tools/export_slides.py build/slides`.
Chaque `notebooks/NN_nom.ipynb` (pas les solutions) devient
`build/slides/NN_nom.slides.html`, plus une page `index.html` qui les liste ;
avec `--pdf` (ce que fait `make slides`), aussi `build/slides/NN_nom.pdf`,
imprimé par reveal.js (`?print-pdf`) dans Chromium sans interface : une page
par diapositive, fragments visibles, sans les notes de l'orateur.
Les invites « In [n]: » ne sont pas affichées : le code a toute la largeur.
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
import time

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
REVEAL_INIT = "Reveal.initialize({"
PRINT_OPTIONS = "pdfSeparateFragments: false, showNotes: false, "


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
    """Nombre de diapositives d'un export HTML : les `<section>` qui ne
    contiennent pas d'autre `<section>` (une `slide` regroupe ses `subslide`).

    >>> count_slides("<section><section>a</section><section>b</section></section>")
    2
    """
    return len(re.findall(r"<section\b[^>]*>(?!\s*<section\b)", body))


def count_pdf_pages(data: bytes) -> int:
    """Nombre de pages d'un PDF (objets `/Type /Page`, hors arbre `/Pages`).

    >>> count_pdf_pages(b"<< /Type /Pages /Count 2 >> << /Type /Page >> <</Type/Page>>")
    2
    """
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", data))


def write_pdfs(exported: list[pathlib.Path]) -> list[tuple[pathlib.Path, int, int]]:
    """Imprime chaque diaporama en PDF (mise en page d'impression de reveal.js,
    `?print-pdf`, dans Chromium sans interface) à côté de son HTML.

    Une page par diapositive, fragments visibles, sans les notes de l'orateur ;
    une diapositive plus haute que la page en prend plusieurs (rien n'est
    coupé). Renvoie `(pdf, pages, diapositives)` pour chaque notebook.
    """
    import reveal_browser

    written = []
    with reveal_browser.launch() as browser:
        for html_path in exported:
            page = reveal_browser.open_deck(browser, html_path, query="print-pdf")
            try:
                page.wait_for_selector(".pdf-page", state="attached", timeout=60_000)
                # reveal.js 4.0 saute une page après chaque diapositive, même la
                # dernière : sans ce réglage, le PDF finirait par une page blanche.
                page.evaluate(
                    "() => { const all = document.querySelectorAll('.pdf-page');"
                    " all[all.length - 1].style.breakAfter = 'auto'; }"
                )
                slides = page.evaluate("() => Reveal.getTotalSlides()")
                target = html_path.with_name(html_path.name.split(".")[0] + ".pdf")
                data = page.pdf(prefer_css_page_size=True, print_background=True)
            finally:
                page.close()
            target.write_bytes(data)
            pages = count_pdf_pages(data)
            written.append((target, pages, slides))
            note = (
                ""
                if pages == slides
                else " : des diapositives débordent, voir tools/check_slides.py"
            )
            print(
                f"  {target.name} ({pages} pages pour {slides} diapositives{note})",
                flush=True,
            )
    return written


def print_options(body: str) -> str:
    """Règle l'impression reveal.js (`?print-pdf`) : fragments sur la page de
    leur diapositive, sans notes de l'orateur.

    >>> print_options("Reveal.initialize({controls: true});")
    'Reveal.initialize({pdfSeparateFragments: false, showNotes: false, controls: true});'
    """
    if REVEAL_INIT not in body:
        raise ValueError(
            f"« {REVEAL_INIT} » absent de l'export (modèle nbconvert changé ?)"
        )
    return body.replace(REVEAL_INIT, REVEAL_INIT + PRINT_OPTIONS, 1)


def export_notebook(path: pathlib.Path, outdir: pathlib.Path, exporter) -> pathlib.Path:
    """Exporte un notebook ; renvoie le chemin du fichier HTML écrit."""
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent), "name": path.stem}}
    body, _ = exporter.from_notebook_node(notebook, resources=resources)
    body = print_options(body)
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
    parser.add_argument(
        "--pdf",
        action="store_true",
        help="imprime aussi chaque diaporama en PDF (OUTDIR/NN_nom.pdf, une page "
        "par diapositive, sans les notes ; Chromium sans interface)",
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
    if args.pdf and exported:
        if assets is None:
            print(
                "PDF impossibles : il faut les bibliothèques locales de reveal.js "
                f"({ASSETS} ou --assets).",
                file=sys.stderr,
            )
            return 2
        import reveal_browser

        print(
            "Impression des PDF (reveal.js ?print-pdf, Chromium sans interface)",
            flush=True,
        )
        started = time.monotonic()
        try:
            written = write_pdfs(exported)
        except reveal_browser.BrowserError as error:
            print(f"PDF non produits : {error}", file=sys.stderr)
            return 0 if "absent" in str(error) else 1
        print(f"{len(written)} PDF écrit(s) en {time.monotonic() - started:.0f} s.")
    if failures:
        print(f"Échec pour : {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
