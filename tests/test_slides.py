"""Les diaporamas du cours : export reveal.js (`make slides`) et RISE dans JupyterLab.

- `tools/export_slides.py` (la commande de `make slides`) exporte chaque
  notebook du cours ; chaque export a plusieurs diapositives `<section>` et
  aucune cellule `slide_type: skip` (la cellule de réglages) n'y apparaît,
  alors que les autres cellules de code y sont ;
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
EXPORT = ROOT / "tools" / "export_slides.py"
COURSE = sorted(NOTEBOOKS.glob("*.ipynb"))
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
        [sys.executable, str(EXPORT), str(outdir)],
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
