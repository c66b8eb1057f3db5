"""Structure des notebooks du cours (conventions de docs/architecture.md).

Chaque notebook `notebooks/**/NN_nom.ipynb` est vérifié automatiquement :
un nouveau notebook est pris en compte sans toucher à ce fichier.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"
SOLUTIONS_DIR = NOTEBOOKS_DIR / "solutions"
EXERCISES_DIR = NOTEBOOKS_DIR / "exercices"

#: Les notebooks prévus du cours (le sommaire doit tous les annoncer).
PLANNED = (
    "00_sommaire",
    "01_definition",
    "02_etapes",
    "03_avantages_defis",
    "04_applications",
    "05_bibliotheques",
    "06_exemple_mnist",
    "07_non_iid_algorithmes",
    "08_confidentialite",
    "09_communication",
    "10_passage_a_l_echelle",
    "11_securite",
)

#: Sections obligatoires (hors solutions), cherchées dans le texte des cellules markdown.
REQUIRED_SECTIONS = ("Objectifs", "Durée", "Prérequis", "À retenir", "À vous de jouer")

SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}

# Traces d'erreur Python (en anglais) qui ne doivent jamais apparaître dans les sorties.
TRACEBACK_MARKERS = (
    "Traceback (most recent call last)",
    "Error Traceback",
    "During handling of the above exception",
)


def _load_check_sync():
    spec = importlib.util.spec_from_file_location(
        "check_sync", ROOT / "tools" / "check_sync.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_sync = _load_check_sync()

ALL_NOTEBOOKS = check_sync.notebooks()
ALL_SOURCES = check_sync.sources()
LESSONS = [p for p in ALL_NOTEBOOKS if p.parent == NOTEBOOKS_DIR]


def _id(path: pathlib.Path) -> str:
    return str(path.relative_to(NOTEBOOKS_DIR))


def _read(path: pathlib.Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _source(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _markdown(nb) -> str:
    return "\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def _is_solution(path: pathlib.Path) -> bool:
    """Solutions et cahiers d'exercices : pas de sections de cours obligatoires."""
    return path.parent in (SOLUTIONS_DIR, EXERCISES_DIR)


def test_il_y_a_des_notebooks():
    assert ALL_SOURCES, "aucune source notebooks/NN_nom.py trouvée"


@pytest.mark.parametrize("py_path", ALL_SOURCES, ids=_id)
def test_ipynb_synchronise_avec_sa_source(py_path):
    problems = check_sync.differences(py_path)
    assert not problems, (
        f"{_id(py_path.with_suffix('.ipynb'))} désynchronisé : {'; '.join(problems)}."
        " Lancez « make sync »."
    )


GENERATED = {target for py in ALL_SOURCES for target in check_sync.targets(py)}


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_id)
def test_ipynb_a_une_source(path):
    assert path in GENERATED, (
        f"{_id(path)} n'est tiré d'aucune source jupytext (ni "
        f"{path.with_suffix('.py').name}, ni solutions/NN_nom_solutions.py)"
    )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_id)
def test_titre_et_sections_obligatoires(path):
    nb = _read(path)
    first = nb["cells"][0]
    assert first["cell_type"] == "markdown" and _source(first).startswith("# "), (
        "la première cellule doit être le titre H1 (« # ... »)"
    )
    if _is_solution(path):
        return
    text = _markdown(nb)
    missing = [s for s in REQUIRED_SECTIONS if s not in text]
    assert not missing, f"sections manquantes : {', '.join(missing)}"


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_id)
def test_metadonnees_rise(path):
    nb = _read(path)
    for index, cell in enumerate(nb["cells"], start=1):
        slide_type = cell.get("metadata", {}).get("slideshow", {}).get("slide_type")
        assert slide_type in SLIDE_TYPES, (
            f"cellule {index} : slideshow.slide_type absent ou invalide ({slide_type!r})"
        )
        if cell["cell_type"] != "markdown":
            continue
        text = _source(cell).lstrip()
        if text.startswith(("# ", "## ")):
            assert slide_type == "slide", (
                f"cellule {index} (titre H1/H2) : slide_type « slide » attendu,"
                f" pas {slide_type!r}"
            )
        elif text.startswith("### "):
            assert slide_type == "subslide", (
                f"cellule {index} (titre H3) : slide_type « subslide » attendu,"
                f" pas {slide_type!r}"
            )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_id)
def test_premiere_cellule_de_code_en_skip(path):
    nb = _read(path)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "aucune cellule de code"
    metadata = code[0].get("metadata", {})
    assert metadata.get("slideshow", {}).get("slide_type") == "skip", (
        "la première cellule de code (réglages) doit être en slide_type « skip »"
    )
    assert "nbval-ignore-output" in metadata.get("tags", []), (
        "la première cellule de code (réglages) doit avoir le tag nbval-ignore-output"
    )


#: Consignes de nbval écrites en commentaire (« # NBVAL_CHECK_OUTPUT »...).
NBVAL_COMMENT = re.compile(
    r"^\s*#\s*(NBVAL_[A-Z_]+|PYTEST_VALIDATE_IGNORE_OUTPUT)\b", re.M
)


@pytest.mark.parametrize("py_path", ALL_SOURCES, ids=_id)
def test_consignes_nbval_en_tags(py_path):
    """nbval se règle par les tags de cellule, pas par un commentaire visible."""
    import jupytext

    nb = jupytext.read(py_path, fmt="py:percent")
    found = [
        f"cellule {index} ({match.group(1)})"
        for index, cell in enumerate(nb.cells, start=1)
        if cell.cell_type == "code"
        for match in [NBVAL_COMMENT.search(cell.source)]
        if match
    ]
    assert not found, (
        f"{_id(py_path)} : commentaire nbval visible dans {', '.join(found)}. "
        'Mettez-le en tag dans l\'en-tête de la cellule : # %% tags=["nbval-check-output"]'
        " (ou nbval-ignore-output, nbval-skip)."
    )


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_id)
def test_aucune_trace_d_erreur_dans_les_sorties(path):
    nb = _read(path)
    for index, cell in enumerate(nb["cells"], start=1):
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", (
                f"cellule {index} : sortie d'erreur {output.get('ename')}"
                f" ({output.get('evalue')})"
            )
            texts = [output.get("text", "")]
            texts += list(output.get("data", {}).values())
            for text in texts:
                text = "".join(text) if isinstance(text, list) else str(text)
                for marker in TRACEBACK_MARKERS:
                    assert marker not in text, (
                        f"cellule {index} : trace d'erreur en anglais dans la sortie"
                    )


@pytest.mark.parametrize("path", LESSONS, ids=_id)
def test_exercices_lies_a_leur_solution(path):
    nb = _read(path)
    solution = SOLUTIONS_DIR / f"{path.stem}_solutions.ipynb"
    assert solution.exists(), f"solution attendue : {_id(solution)}"
    assert f"solutions/{solution.name}" in _markdown(nb), (
        f"« À vous de jouer » doit renvoyer vers solutions/{solution.name}"
    )


LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=_id)
def test_liens_locaux_valides(path):
    """Les liens relatifs pointent vers des fichiers existants (notebooks prévus exceptés)."""
    planned_files = {f"{name}.ipynb" for name in PLANNED}
    broken = []
    for target in LINK.findall(_markdown(_read(path))):
        if re.match(r"^[a-z]+:", target) or target.startswith("#"):
            continue
        file_part = target.split("#", 1)[0]
        if not file_part:
            continue
        if (path.parent / file_part).exists():
            continue
        if pathlib.Path(file_part).name in planned_files:
            continue  # notebook prévu, pas encore écrit
        broken.append(target)
    assert not broken, f"liens cassés : {', '.join(broken)}"


def test_sommaire_liste_tous_les_notebooks():
    sommaire = NOTEBOOKS_DIR / "00_sommaire.ipynb"
    assert sommaire.exists(), "notebooks/00_sommaire.ipynb manquant"
    targets = set(LINK.findall(_markdown(_read(sommaire))))
    expected = {f"{name}.ipynb" for name in PLANNED}
    expected |= {p.name for p in LESSONS}
    missing = sorted(name for name in expected if name not in targets)
    assert not missing, f"le sommaire ne renvoie pas vers : {', '.join(missing)}"
