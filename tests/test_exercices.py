"""Les exercices « À vous de jouer » : cahier vierge, vérifications, solutions justes, quiz.

Une source par notebook, `notebooks/solutions/NN_nom_solutions.py`, donne le
cahier d'exercices (`notebooks/exercices/`, cellules `solution` retirées) et
les solutions (cellules `exercice` retirées) : voir `tools/check_sync.py`.
Ces tests vérifient, pour chaque exercice enregistré dans `fltutor.verifier` :
un titre avec son niveau et sa durée, un squelette à compléter, une solution,
une cellule de vérification commune ; que les solutions commitées passent leur
vérification ; que le cours renvoie au cahier ; qu'un quiz clôt chaque notebook.
"""

from __future__ import annotations

import json
import pathlib
import re
import sys

import pytest

from fltutor import quiz, verifier

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"


sys.path.insert(0, str(ROOT / "tools"))

import check_sync  # noqa: E402  (dossier tools/ ajouté ci-dessus)

SOLUTION_SOURCES = [
    p for p in check_sync.sources() if check_sync.exercise_notebook(p) is not None
]
LESSONS = [p for p in check_sync.notebooks() if p.parent == NOTEBOOKS_DIR]

CHECK_CALL = re.compile(r"verifier\.exercice\(\s*[\"'](\d\d-\d+)[\"']")


def _id(path: pathlib.Path) -> str:
    return str(path.relative_to(NOTEBOOKS_DIR))


def _number(path: pathlib.Path) -> str:
    return path.name[:2]


def _exercise_ids(number: str) -> list[str]:
    return sorted(
        (i for i in verifier.REGISTRY if i.startswith(f"{number}-")),
        key=lambda i: int(i.split("-")[1]),
    )


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _text(cell) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _sections(cells) -> dict[str, list]:
    """Les cellules de chaque exercice : de son titre « ## Exercice k » au suivant."""
    sections, current = {}, None
    for cell in cells:
        text = _text(cell).lstrip()
        match = re.match(r"##\s+Exercice\s+(\d+)\b", text)
        if cell["cell_type"] == "markdown" and match:
            current = match.group(1)
            sections[current] = []
        if current is not None:
            sections[current].append(cell)
    return sections


@pytest.mark.parametrize("py_path", SOLUTION_SOURCES, ids=_id)
def test_chaque_exercice_a_consigne_squelette_solution_et_verification(py_path):
    import jupytext

    number = _number(py_path)
    ids = _exercise_ids(number)
    assert ids, f"aucun exercice {number}-k dans fltutor.verifier"
    sections = _sections(jupytext.read(py_path, fmt="py:percent").cells)
    problems = []
    for exercise_id in ids:
        k = exercise_id.split("-")[1]
        cells = sections.get(k)
        if cells is None:
            problems.append(f"{exercise_id} : pas de titre « ## Exercice {k} — … »")
            continue
        line = f"**{verifier.consigne(exercise_id)}**"
        if line not in _text(cells[0]).splitlines():
            problems.append(
                f"{exercise_id} : le titre doit être suivi de la ligne {line} "
                "(verifier.consigne)"
            )
        code = [c for c in cells if c["cell_type"] == "code"]
        stubs = [c for c in code if "exercice" in _tags(c)]
        if not stubs or not any("..." in _text(c) for c in stubs):
            problems.append(
                f"{exercise_id} : pas de squelette (cellule « exercice » avec des ...)"
            )
        if not any("solution" in _tags(c) for c in code):
            problems.append(f"{exercise_id} : pas de cellule « solution »")
        checks = [
            c
            for c in code
            if exercise_id in CHECK_CALL.findall(_text(c))
            and not {"exercice", "solution"} & set(_tags(c))
        ]
        if len(checks) != 1:
            problems.append(
                f"{exercise_id} : {len(checks)} cellule(s) communes appelant "
                f'verifier.exercice("{exercise_id}", …) (une attendue)'
            )
    unknown = sorted(set(sections) - {i.split("-")[1] for i in ids})
    if unknown:
        problems.append(f"exercices sans vérification enregistrée : {unknown}")
    assert not problems, f"{_id(py_path)} :\n" + "\n".join(problems)


@pytest.mark.parametrize("py_path", SOLUTION_SOURCES, ids=_id)
def test_niveaux_du_plus_simple_au_plus_difficile(py_path):
    ids = _exercise_ids(_number(py_path))
    levels = [verifier.REGISTRY[i].level for i in ids]
    assert levels == sorted(levels) and levels[0] == 1 and levels[-1] == 3, (
        f"niveaux {levels} pour {ids} : de ★ découverte à ★★★ approfondissement, "
        "dans l'ordre des exercices"
    )


@pytest.mark.parametrize("py_path", SOLUTION_SOURCES, ids=_id)
def test_les_solutions_commitees_passent_leur_verification(py_path):
    nb = json.loads(py_path.with_suffix(".ipynb").read_text(encoding="utf-8"))
    seen, failing = set(), []
    for cell in nb["cells"]:
        for exercise_id in CHECK_CALL.findall(_text(cell)):
            seen.add(exercise_id)
            shown = "".join(
                _text({"source": o.get("text", "")}) for o in cell.get("outputs", [])
            )
            if "✅ Correct" not in shown:
                failing.append(
                    f"{exercise_id} : {shown.strip()[:120] or 'pas de sortie'}"
                )
    assert seen == set(_exercise_ids(_number(py_path))), (
        f"vérifications présentes : {sorted(seen)}"
    )
    assert not failing, "solutions refusées par leur vérification :\n" + "\n".join(
        failing
    )


@pytest.mark.parametrize("path", LESSONS, ids=_id)
def test_a_vous_de_jouer_renvoie_au_cahier_avec_niveaux(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    text = "\n".join(_text(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    workbook = f"exercices/{path.stem}_exercices.ipynb"
    assert workbook in text, f"« À vous de jouer » doit renvoyer vers {workbook}"
    flat = " ".join(text.split())  # le Markdown rend un retour à la ligne en espace
    missing = [
        i for i in _exercise_ids(_number(path)) if verifier.consigne(i) not in flat
    ]
    assert not missing, f"niveau et durée absents du cours pour : {missing}"


@pytest.mark.parametrize("path", LESSONS, ids=_id)
def test_un_quiz_clot_le_notebook(path):
    number = _number(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    calls = [
        i
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code" and f'quiz.afficher("{number}")' in _text(c)
    ]
    assert len(calls) == 1, f'une cellule quiz.afficher("{number}") attendue'
    before = [c for c in nb["cells"][: calls[0]] if c["cell_type"] == "markdown"]
    title = _text(before[-1]).lstrip() if before else ""
    assert title.startswith("## Quiz"), "le quiz a sa diapositive « ## Quiz »"
    assert 3 <= len(quiz.charger(number)) <= 6, "3 à 6 questions par quiz"


def test_le_generateur_separe_exercices_et_solutions(tmp_path):
    """Contrôle du générateur, sur une fausse source : chaque notebook a ses cellules."""
    solutions = tmp_path / "notebooks" / "solutions"
    solutions.mkdir(parents=True)
    source = solutions / "99_essai_solutions.py"
    source.write_text(
        "# %% [markdown]\n# # Titre\n\n"
        '# %% tags=["exercice"]\nx = ...\n\n'
        '# %% tags=["solution"]\nx = 6 * 7\n\n'
        '# %%\nprint("vérification", x)\n',
        encoding="utf-8",
    )
    workbook = check_sync.exercise_notebook(source)
    assert workbook == tmp_path / "notebooks" / "exercices" / "99_essai_exercices.ipynb"
    assert check_sync.targets(source) == [source.with_suffix(".ipynb"), workbook]
    as_exercise = [c.source for c in check_sync.read_source(source, workbook).cells]
    as_solution = [c.source for c in check_sync.read_source(source).cells]
    assert as_exercise == ["# Titre", "x = ...", 'print("vérification", x)']
    assert as_solution == ["# Titre", "x = 6 * 7", 'print("vérification", x)']
    assert check_sync.exercise_notebook(tmp_path / "99_essai.py") is None
