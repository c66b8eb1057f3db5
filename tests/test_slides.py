"""Les diaporamas du cours : export reveal.js (`make slides`) et RISE dans JupyterLab.

- `tools/export_slides.py` (la commande de `make slides`) exporte chaque
  notebook du cours ; chaque export a plusieurs diapositives `<section>` et
  aucune cellule `slide_type: skip` (la cellule de réglages) n'y apparaît,
  alors que les autres cellules de code y sont ;
- `make slides` imprime aussi chaque diaporama en PDF : une page par
  diapositive (fragments sur la page de leur diapositive, notes non imprimées) ;
- chaque notebook du cours respecte les règles des diapositives
  (`tools/check_slides.py`, mesurées dans Chromium à 1280×720), et le
  vérificateur lui-même échoue et réussit quand il le doit, sur de petits
  notebooks fabriqués ici (diapositive trop longue, trop de code, code en
  tête, marqueur NBVAL_ visible, sortie stderr, notes manquantes, exception
  `slide-long`) ;
- l'extension RISE (jupyterlab-rise) est installée et activée ;
- le paquet de langue français est installé, et l'interface est réglée en
  français par défaut (`overrides.json`, écrit par tools/post_install.py).
"""

from __future__ import annotations

import html
import json
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TOOLS = ROOT / "tools"
EXPORT = TOOLS / "export_slides.py"
CHECK = TOOLS / "check_slides.py"
COURSE = sorted(NOTEBOOKS.glob("*.ipynb"))
CHROMIUM = pathlib.Path("/usr/bin/chromium")

sys.path.insert(0, str(TOOLS))
import check_slides  # noqa: E402
import export_slides  # noqa: E402

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def visible_text(body: str) -> str:
    """Texte d'une page HTML sans balises (le code coloré est découpé en <span>)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", body, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def signature_lines(source: str, count: int = 3) -> list[str]:
    """Les lignes les plus longues (donc distinctives) d'une cellule de code."""
    lines = [line.strip() for line in source.splitlines()]
    lines = [line for line in lines if len(line) >= 15]
    return sorted(lines, key=len, reverse=True)[:count]


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> pathlib.Path:
    """Lance la commande de `make slides` dans un dossier temporaire."""
    if not COURSE:
        pytest.skip("aucun notebook dans notebooks/ : rien à exporter")
    outdir = tmp_path_factory.mktemp("slides")
    result = subprocess.run(
        [sys.executable, str(EXPORT), str(outdir), "--pdf"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Export des diaporamas" in result.stdout
    return outdir


def test_sommaire_des_diaporamas(exported):
    index = (exported / "index.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in index
    for path in COURSE:
        assert f'href="{path.stem}.slides.html"' in index, path.name


@pytest.mark.parametrize("notebook", COURSE, ids=[p.stem for p in COURSE])
def test_diaporama_du_notebook(exported, notebook):
    page = exported / f"{notebook.stem}.slides.html"
    assert page.is_file(), f"{page.name} n'a pas été écrit"
    body = page.read_text(encoding="utf-8")
    sections = len(re.findall(r"<section\b", body))
    assert sections >= 3, f"{page.name} : seulement {sections} <section>"
    assert 'lang="fr"' in body

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [c for c in cells if c["cell_type"] == "code"]
    first_code = code[0] if code else None
    assert first_code is not None and slide_type(first_code) == "skip", (
        "la première cellule de code (réglages) doit être `slide_type: skip`"
    )

    text = visible_text(body)
    # Lignes présentes aussi dans une cellule visible : elles ne prouvent rien.
    elsewhere = {
        line.strip()
        for cell in cells
        if slide_type(cell) != "skip"
        for line in "".join(cell["source"]).splitlines()
    }
    for cell in code:
        if slide_type(cell) != "skip":
            continue
        for line in signature_lines("".join(cell["source"])):
            if line not in elsewhere:
                assert line not in text, (
                    f"cellule « skip » visible dans le diaporama : {line!r}"
                )
    # Contrôle : le texte du code des cellules visibles, lui, est bien trouvé
    # (sinon le test ci-dessus ne prouverait rien).
    shown = [
        line
        for cell in code
        if slide_type(cell) not in {"skip", "notes"}
        for line in signature_lines("".join(cell["source"]), count=1)
    ]
    assert shown, "aucune cellule de code visible dans ce notebook"
    missing = [line for line in shown if line not in text]
    assert not missing, f"code visible absent du diaporama : {missing[:3]}"


def needs_chromium() -> None:
    """Ignore le test si Chromium manque (comme les tests de bout en bout)."""
    if not CHROMIUM.is_file():
        pytest.skip("Chromium absent : `python tools/install_chromium.py` en root")


@pytest.mark.parametrize("notebook", COURSE, ids=[p.stem for p in COURSE])
def test_pdf_du_notebook(exported, notebook):
    """`make slides` écrit NN_nom.pdf : une page par diapositive."""
    needs_chromium()
    html_page = exported / f"{notebook.stem}.slides.html"
    pdf = exported / f"{notebook.stem}.pdf"
    assert pdf.is_file(), f"{pdf.name} n'a pas été écrit"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    slides = export_slides.count_slides(html_page.read_text(encoding="utf-8"))
    pages = export_slides.count_pdf_pages(data)
    assert pages == slides, (
        f"{pdf.name} : {pages} pages pour {slides} diapositives (une diapositive "
        "plus haute que l'écran prend plusieurs pages : tools/check_slides.py)"
    )


def test_bibliotheques_locales_pour_le_hors_ligne(tmp_path):
    """Avec un dossier de bibliothèques complet, le HTML n'utilise plus le CDN."""
    if not COURSE:
        pytest.skip("aucun notebook dans notebooks/ : rien à exporter")
    sys.path.insert(0, str(EXPORT.parent))
    try:
        from export_slides import ASSET_FILES
    finally:
        sys.path.remove(str(EXPORT.parent))
    assets = tmp_path / "assets"
    for name in ASSET_FILES:
        (assets / name).parent.mkdir(parents=True, exist_ok=True)
        (assets / name).write_text(f"/* {name} */", encoding="utf-8")
    outdir = tmp_path / "out"
    command = [sys.executable, str(EXPORT), str(outdir), str(COURSE[0])]

    incomplete = tmp_path / "incomplet"
    incomplete.mkdir()
    result = subprocess.run(
        command + ["--assets", str(incomplete)], capture_output=True, text=True
    )
    assert result.returncode == 2 and "incomplet" in result.stderr, result.stderr

    result = subprocess.run(
        command + ["--assets", str(assets)], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hors ligne" in result.stdout
    for name in ASSET_FILES:
        assert (outdir / "lib" / name).is_file(), name
    body = (outdir / f"{COURSE[0].stem}.slides.html").read_text(encoding="utf-8")
    assert '"lib/reveal.js/dist/reveal.js"' in body
    assert 'src="lib/require.js"' in body
    assert "unpkg.com/reveal.js" not in body


def test_extension_rise_activee():
    result = subprocess.run(
        [sys.executable, "-m", "jupyter", "labextension", "list"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    listing = ANSI.sub("", result.stdout + result.stderr)
    lines = [line for line in listing.splitlines() if "jupyterlab-rise" in line]
    assert lines, "extension jupyterlab-rise absente :\n" + listing
    assert "enabled" in lines[0] and "OK" in lines[0], lines[0]


def test_paquet_de_langue_francais():
    from jupyterlab_server.translation_utils import get_language_packs

    packs, message = get_language_packs("fr_FR")
    assert "fr_FR" in packs, f"paquet de langue fr_FR absent ({message})"
    assert packs["fr_FR"]["displayName"], packs["fr_FR"]


def test_interface_en_francais_par_defaut():
    overrides = pathlib.Path(sys.prefix, "share", "jupyter", "lab", "settings")
    path = overrides / "overrides.json"
    assert path.is_file(), f"{path} absent : lancez `make install`"
    settings = json.loads(path.read_text(encoding="utf-8"))
    plugin = settings.get("@jupyterlab/translation-extension:plugin", {})
    assert plugin.get("locale") == "fr_FR", settings


# --- Les règles des diapositives (tools/check_slides.py) -------------------


@pytest.fixture(scope="module")
def course_reports(exported) -> dict:
    """Le vérificateur sur tous les notebooks du cours (un seul navigateur),
    sur les diaporamas déjà exportés par la commande de `make slides`."""
    needs_chromium()
    paths = check_slides.select_notebooks(NOTEBOOKS, [])
    reports = check_slides.check_notebooks(paths, exported=exported)
    return {report.name: report for report in reports}


COURSE_SLIDES = check_slides.select_notebooks(NOTEBOOKS, [])


@pytest.mark.parametrize("notebook", COURSE_SLIDES, ids=[p.stem for p in COURSE_SLIDES])
def test_regles_des_diapositives(course_reports, notebook):
    report = course_reports[notebook.stem]
    assert report.slides, f"{notebook.name} : aucune diapositive mesurée"
    assert not report.violations, "\n".join([report.summary(), *report.violations])


NOTES = (
    "**Notes pour l'enseignant** (≈ 2 min)\n\n"
    "- À dire : la moyenne des poids remplace l'envoi des données.\n"
    "- Question à la salle : « Que voit le serveur ? »\n"
    "- Réponse attendue : des poids, jamais les images."
)
SHORT_CODE = "\n".join(f"valeur_{i} = {i} * 2" for i in range(12))  # 12 lignes : permis
LONG_CODE = "\n".join(f"valeur_{i} = {i} * 2" for i in range(13))  # 13 lignes : trop
LONG_TEXT = "## Une liste interminable\n\n" + "\n".join(
    f"- point numéro {i}" for i in range(40)
)


def md(text: str, kind: str = "-", tags=()):
    from nbformat.v4 import new_markdown_cell

    return new_markdown_cell(
        text, metadata={"slideshow": {"slide_type": kind}, "tags": list(tags)}
    )


def code(text: str, kind: str = "-", outputs=(), tags=()):
    from nbformat.v4 import new_code_cell

    return new_code_cell(
        text,
        metadata={"slideshow": {"slide_type": kind}, "tags": list(tags)},
        outputs=list(outputs),
        execution_count=1,
    )


def notes(text: str = NOTES):
    return md(text, "notes")


def stream(name: str, text: str) -> dict:
    from nbformat.v4 import new_output

    return new_output("stream", name=name, text=text)


def good_cells() -> list:
    """Un petit diaporama conforme : 2 sections, 3 diapositives, un fragment."""
    return [
        code("import math", "skip"),
        md("# Un petit cours\n\nUne phrase d'introduction.", "slide"),
        md("Une précision qui arrive ensuite.", "fragment"),
        notes(),
        md("## Le code\n\nDouze lignes, c'est permis.", "subslide"),
        code(SHORT_CODE, outputs=[stream("stdout", "Résultat : 24\n")]),
        md("## Deuxième section\n\nTrois lignes de texte.", "slide"),
        notes(),
    ]


SYNTHETIC = {
    # nom : (cellules, fragments de violations attendus ; vide = conforme)
    "01_bon": (good_cells(), []),
    "02_trop_long": (
        [md("# Titre", "slide"), notes(), md(LONG_TEXT, "subslide")],
        [
            "diapositive 2/2 « Une liste interminable » : ",
            "lignes rendues",
            "(règle 1)",
        ],
    ),
    "03_trop_de_code": (
        [md("# Titre", "slide"), code(LONG_CODE), notes()],
        ["diapositive 1/1 « Titre » : 13 lignes de code visibles > 12 (règle 2)"],
    ),
    "04_code_en_tete": (
        [md("# Titre", "slide"), notes(), code("x = 1", "subslide"), md("## Après")],
        [
            "diapositive 2/2 « code : x = 1 » : une cellule de code ouvre la diapositive (règle 3)"
        ],
    ),
    "05_sans_titre": (
        [md("Du texte sans titre.", "slide"), notes()],
        ["pas de titre", "(règle 3)"],
    ),
    "06_nbval_visible": (
        [md("# Titre", "slide"), code("# NBVAL_IGNORE_OUTPUT\nx = 1"), notes()],
        ["marqueur NBVAL_ visible (règle 4)"],
    ),
    "07_stderr": (
        [
            md("# Titre", "slide"),
            code("x = 1", outputs=[stream("stderr", "ennui\n")]),
            notes(),
        ],
        ["sortie d'erreur (stderr) affichée (règle 4)"],
    ),
    "08_sans_notes": (
        [
            md("# Titre", "slide"),
            notes(),
            md("## Suite", "subslide"),
            md("# Autre", "slide"),
        ],
        ["diapositive 3/3 « Autre » : section aucune cellule de notes", "(règle 5)"],
    ),
    "09_notes_incompletes": (
        [
            md("# Titre", "slide"),
            notes("**Notes pour l'enseignant** (≈ 1 min)\n- À dire : x"),
        ],
        ["notes sans « Question à la salle », « Réponse attendue » (règle 5)"],
    ),
    "10_exception_longue": (
        [
            md("# Titre", "slide"),
            notes(
                NOTES + "\n\nDiapositive longue : la liste complète sert de référence."
            ),
            md(LONG_TEXT, "subslide", tags=["slide-long"]),
            code(LONG_CODE),
        ],
        [],
    ),
    "11_deux_exceptions": (
        [
            md("# Titre", "slide", tags=["slide-long"]),
            notes(),
            md("## Suite", "subslide", tags=["slide-long"]),
        ],
        ["2 cellules étiquetées « slide-long » : une au plus (règle 6)"],
    ),
    "12_ligne_trop_large": (
        [md("# Titre", "slide"), code("x = " + " + ".join(["1"] * 60)), notes()],
        ["contenu coupé en largeur", "(règle 1)"],
    ),
}


def write_synthetic(folder: pathlib.Path) -> pathlib.Path:
    import nbformat
    from nbformat.v4 import new_notebook

    folder.mkdir(parents=True, exist_ok=True)
    for name, (cells, _) in SYNTHETIC.items():
        notebook = new_notebook(
            cells=cells,
            metadata={
                "language_info": {"name": "python"},
                "kernelspec": {
                    "name": "python3",
                    "display_name": "Python 3",
                    "language": "python",
                },
            },
        )
        nbformat.write(notebook, folder / f"{name}.ipynb")
    return folder


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> tuple[pathlib.Path, dict]:
    needs_chromium()
    folder = write_synthetic(tmp_path_factory.mktemp("synthetiques") / "notebooks")
    reports = check_slides.check_notebooks(check_slides.select_notebooks(folder, []))
    return folder, {report.name: report for report in reports}


@pytest.mark.parametrize("name", list(SYNTHETIC))
def test_verificateur_sur_notebooks_fabriques(synthetic, name):
    _, reports = synthetic
    report = reports[name]
    expected = SYNTHETIC[name][1]
    text = "\n".join(report.violations)
    if not expected:
        assert not report.violations, text
        assert report.summary().endswith("conforme"), report.summary()
        return
    assert len(report.violations) == 1, f"une seule violation attendue :\n{text}"
    for fragment in expected:
        assert fragment in report.violations[0], f"{fragment!r} absent de :\n{text}"
    assert report.violations[0].startswith(f"{name}, ")


def test_mesures_du_bon_notebook(synthetic):
    """Le résumé donne les vraies mesures : diapositives, code, notes."""
    _, reports = synthetic
    report = reports["01_bon"]
    assert len(report.slides) == 3
    assert report.notes_cells == 2
    assert max(slide["codeLines"] for slide in report.slides) == 12
    lines = [slide["lines"] for slide in report.slides]
    assert all(2 <= value <= 20 for value in lines), lines
    assert reports["02_trop_long"].slides[1]["lines"] > 40
    assert report.summary().startswith("01_bon : 3 diapositives ; la plus longue : "), (
        report.summary()
    )
    assert "12 lignes de code (n° 2) ; 2 cellule(s) de notes" in report.summary()


def test_pdf_une_page_par_diapositive(synthetic, tmp_path):
    """Fragments sur la page de leur diapositive, notes non imprimées."""
    folder, reports = synthetic
    assets = export_slides.local_assets()
    assert assets is not None, "tools/slides_assets/ incomplet"
    exporter = export_slides.make_exporter(
        export_slides.install_assets(assets, tmp_path)
    )
    html_page = export_slides.export_notebook(
        folder / "01_bon.ipynb", tmp_path, exporter
    )
    [(pdf, pages, slides)] = export_slides.write_pdfs([html_page])
    assert slides == len(reports["01_bon"].slides) == 3
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert export_slides.count_pdf_pages(pdf.read_bytes()) == pages == 3


def test_ligne_de_commande(synthetic):
    """La commande : exit 0 et « conforme » ; exit 2 pour un numéro inconnu."""
    folder, _ = synthetic
    ok = subprocess.run(
        [sys.executable, str(CHECK), "--dir", str(folder), "01"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.startswith("01_bon : 3 diapositives ; "), ok.stdout
    assert "Toutes les diapositives sont conformes" in ok.stdout
    bad = subprocess.run(
        [sys.executable, str(CHECK), "--dir", str(folder), "99"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and "aucun notebook « 99_*.ipynb »" in bad.stderr, (
        bad.stderr
    )
