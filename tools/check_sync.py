"""Synchroniser les notebooks du cours avec leurs sources jupytext.

La source de vérité de chaque notebook est un fichier `notebooks/**/NN_nom.py`
au format jupytext « py:percent ». Le `.ipynb` du même nom en est tiré, puis
exécuté en mode rapide ; on le commite avec ses sorties (nbval les compare).

Utilisation
-----------
    python tools/check_sync.py                  # vérifier (make lint)
    python tools/check_sync.py --write          # tout regénérer et exécuter (make sync)
    python tools/check_sync.py --write 01 04    # seulement les notebooks 01_* et 04_*
    python tools/check_sync.py --write 05 --no-execute   # conversion seule

Vérification : pour chaque source `.py`, le `.ipynb` doit exister, avoir les
mêmes cellules (type, texte, métadonnées `slideshow` et `tags`) et avoir été
exécuté jusqu'au bout. Sinon, le script liste les notebooks à regénérer et
sort avec le code 1.

Regénération : conversion jupytext, puis exécution avec nbclient dans le
noyau `python3` de l'environnement courant, dans le dossier du notebook, avec
`FLTUTOR_QUICK=1`, `TF_CPP_MIN_LOG_LEVEL=2` et le moteur matplotlib « inline »
(aucune fenêtre, mais les figures sont gardées dans le .ipynb). Le temps
d'exécution et la mémoire maximale du noyau sont affichés pour chaque notebook.
Exception : un notebook dont le `.ipynb` a des sorties du mode complet
(`make outputs`) est seulement converti ; ses sorties ne sont jamais remplacées
par celles du mode rapide (voir `_convert_keeping_outputs`).

Exercices et solutions : une seule source. Chaque
`notebooks/solutions/NN_nom_solutions.py` donne deux notebooks :
`solutions/NN_nom_solutions.ipynb` (sans les cellules marquées `exercice`,
exécuté comme les autres) et `exercices/NN_nom_exercices.ipynb` (sans les
cellules marquées `solution`, commité sans sorties : c'est le cahier que
l'étudiant remplit). Comme le générateur d'exercices de scikit-learn-mooc,
mais avec deux étiquettes : la cellule `exercice` est le squelette à
compléter (des `...`), la cellule `solution` qui la suit est la réponse.
"""

from __future__ import annotations

import argparse
import copy
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS_DIR = ROOT / "notebooks"

#: Un notebook du cours : deux chiffres, un tiret bas, un nom.
NOTEBOOK_NAME = re.compile(r"^\d\d_[A-Za-z0-9_]+$")

#: Variables d'environnement imposées à l'exécution (mode rapide, sans écran).
#: Le moteur matplotlib « inline » n'ouvre aucune fenêtre (comme « agg ») mais,
#: lui, enregistre les figures dans le .ipynb (images PNG) : avec « agg », les
#: notebooks commités (et les diaporamas exportés) n'auraient aucune figure.
EXECUTION_ENV = {
    "FLTUTOR_QUICK": "1",
    "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "PYTHONHASHSEED": "0",
}

#: Étiquettes des cellules propres à l'un des deux notebooks tirés d'une source
#: de solutions : `solution` (absente du cahier d'exercices), `exercice`
#: (absente des solutions).
SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercice"
SOLUTIONS_DIR = NOTEBOOKS_DIR / "solutions"
EXERCISES_DIR = NOTEBOOKS_DIR / "exercices"

#: Métadonnées de cellule comparées entre le `.py` et le `.ipynb`.
COMPARED_METADATA = ("slideshow", "tags")


def _is_ignored(path: pathlib.Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(ROOT).parts)


def sources(root: pathlib.Path = NOTEBOOKS_DIR) -> list[pathlib.Path]:
    """Les sources jupytext `NN_nom.py` sous `root` (sous-dossiers compris), triées.

    >>> [p.name for p in sources()][:1]              # doctest: +SKIP
    ['00_sommaire.py']
    """
    found = [
        p
        for p in root.rglob("*.py")
        if NOTEBOOK_NAME.match(p.stem) and not _is_ignored(p)
    ]
    return sorted(found)


def notebooks(root: pathlib.Path = NOTEBOOKS_DIR) -> list[pathlib.Path]:
    """Les notebooks `NN_nom.ipynb` sous `root` (sous-dossiers compris), triés.

    >>> [p.name for p in notebooks()][:1]            # doctest: +SKIP
    ['00_sommaire.ipynb']
    """
    found = [
        p
        for p in root.rglob("*.ipynb")
        if NOTEBOOK_NAME.match(p.stem) and not _is_ignored(p)
    ]
    return sorted(found)


def _cell_signature(cell) -> tuple:
    metadata = cell.get("metadata", {})
    compared = tuple(
        (key, repr(metadata.get(key))) for key in COMPARED_METADATA if key in metadata
    )
    return (cell["cell_type"], cell["source"].rstrip("\n"), compared)


def exercise_notebook(py_path: pathlib.Path) -> pathlib.Path | None:
    """Le cahier d'exercices tiré d'une source de solutions (None pour les autres).

    >>> exercise_notebook(SOLUTIONS_DIR / "06_exemple_mnist_solutions.py").name
    '06_exemple_mnist_exercices.ipynb'
    >>> exercise_notebook(NOTEBOOKS_DIR / "06_exemple_mnist.py") is None
    True
    """
    if py_path.parent.name != SOLUTIONS_DIR.name or not py_path.stem.endswith(
        "_solutions"
    ):
        return None
    stem = py_path.stem.removesuffix("_solutions")
    return py_path.parent.parent / EXERCISES_DIR.name / f"{stem}_exercices.ipynb"


def targets(py_path: pathlib.Path) -> list[pathlib.Path]:
    """Les `.ipynb` tirés d'une source : le sien, plus le cahier d'exercices éventuel."""
    found = [py_path.with_suffix(".ipynb")]
    exercises = exercise_notebook(py_path)
    if exercises is not None:
        found.append(exercises)
    return found


def is_exercise_notebook(ipynb_path: pathlib.Path) -> bool:
    """Vrai pour un cahier d'exercices (`exercices/NN_nom_exercices.ipynb`)."""
    return ipynb_path.parent.name == EXERCISES_DIR.name


def read_source(py_path: pathlib.Path, target: pathlib.Path | None = None):
    """Lit une source jupytext et renvoie le notebook `target` (sans sorties).

    Par défaut, le notebook du même nom. Les cellules marquées `exercice`
    n'entrent que dans le cahier d'exercices, celles marquées `solution`
    n'y entrent jamais.

    >>> nb = read_source(NOTEBOOKS_DIR / "00_sommaire.py")   # doctest: +SKIP
    >>> nb.cells[0].cell_type                               # doctest: +SKIP
    'markdown'
    """
    import jupytext

    nb = jupytext.read(py_path, fmt="py:percent")
    # La représentation texte n'a pas de sens dans le .ipynb (pas d'appariement).
    nb.metadata.get("jupytext", {}).pop("text_representation", None)
    if "jupytext" in nb.metadata and not nb.metadata["jupytext"]:
        del nb.metadata["jupytext"]
    target = target if target is not None else py_path.with_suffix(".ipynb")
    dropped = SOLUTION_TAG if is_exercise_notebook(target) else EXERCISE_TAG
    nb.cells = [c for c in nb.cells if dropped not in c.metadata.get("tags", [])]
    return nb


def differences(py_path: pathlib.Path) -> list[str]:
    """Les écarts entre une source `.py` et ses `.ipynb` (liste vide : synchronisés).

    >>> differences(NOTEBOOKS_DIR / "00_sommaire.py")        # doctest: +SKIP
    []
    """
    problems = []
    for ipynb_path in targets(py_path):
        found = _differences(py_path, ipynb_path)
        if len(targets(py_path)) > 1:
            prefix = f"{ipynb_path.name} : "
            found = [p if p.startswith(ipynb_path.name) else prefix + p for p in found]
        problems.extend(found)
    return problems


def _differences(py_path: pathlib.Path, ipynb_path: pathlib.Path) -> list[str]:
    import nbformat

    if not ipynb_path.exists():
        return [f"{ipynb_path.name} n'existe pas"]
    expected = read_source(py_path, ipynb_path)
    try:
        actual = nbformat.read(ipynb_path, as_version=4)
    except Exception as error:  # JSON abîmé, conflit de fusion...
        return [f"{ipynb_path.name} illisible ({error})"]

    problems = []
    exp_cells = [_cell_signature(c) for c in expected.cells]
    act_cells = [_cell_signature(c) for c in actual.cells]
    if len(exp_cells) != len(act_cells):
        problems.append(
            f"{len(act_cells)} cellules dans le .ipynb, {len(exp_cells)} dans le .py"
        )
    for index, (exp, act) in enumerate(zip(exp_cells, act_cells), start=1):
        if exp[0] != act[0]:
            problems.append(f"cellule {index} : type {act[0]} au lieu de {exp[0]}")
        elif exp[1] != act[1]:
            first_line = exp[1].splitlines()[0] if exp[1] else ""
            problems.append(f"cellule {index} : texte différent ({first_line[:50]!r})")
        elif exp[2] != act[2]:
            problems.append(f"cellule {index} : métadonnées slideshow/tags différentes")
        if len(problems) >= 3:
            break
    if not problems and is_exercise_notebook(ipynb_path):
        filled = [
            i
            for i, c in enumerate(actual.cells, start=1)
            if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count"))
        ]
        if filled:
            problems.append(
                "cahier d'exercices commité avec des sorties (cellules "
                f"{', '.join(map(str, filled[:5]))}) : il doit être vierge"
            )
    elif not problems:
        not_run = [
            i
            for i, c in enumerate(actual.cells, start=1)
            if c.cell_type == "code" and c.get("execution_count") is None
        ]
        if not_run:
            problems.append(
                f"cellule(s) de code non exécutée(s) : {', '.join(map(str, not_run[:5]))}"
            )
    return problems


def check(paths: list[pathlib.Path]) -> int:
    """Vérifie la synchronisation ; affiche les écarts ; renvoie le code de sortie."""
    out_of_sync = {}
    for py_path in paths:
        problems = differences(py_path)
        if problems:
            out_of_sync[py_path] = problems
    made = {t for p in sources() for t in targets(p)}
    orphans = [p for p in notebooks() if p not in made]
    if not out_of_sync and not orphans:
        print(f"{len(paths)} notebook(s) synchronisé(s) avec leur source .py.")
        return 0
    if out_of_sync:
        print("Notebooks désynchronisés de leur source .py :", file=sys.stderr)
        for py_path, problems in out_of_sync.items():
            rel = py_path.with_suffix(".ipynb").relative_to(ROOT)
            print(f"  - {rel} : {'; '.join(problems)}", file=sys.stderr)
    if orphans:
        print("Notebooks sans source .py (à créer ou à supprimer) :", file=sys.stderr)
        for path in orphans:
            print(f"  - {path.relative_to(ROOT)}", file=sys.stderr)
    print(
        "Pour corriger : modifiez le .py (source de vérité) puis lancez « make sync »"
        " (ou : python tools/check_sync.py --write NOM).",
        file=sys.stderr,
    )
    return 1


def _cell_durations(nb) -> list[tuple[float, int]]:
    """(secondes, numéro) de chaque cellule exécutée ; retire les horodatages."""
    from datetime import datetime

    durations = []
    for index, cell in enumerate(nb.cells, start=1):
        timing = cell.get("metadata", {}).pop("execution", None)
        if not timing:
            continue
        try:
            start = datetime.fromisoformat(timing["iopub.execute_input"].rstrip("Z"))
            end = datetime.fromisoformat(timing["shell.execute_reply"].rstrip("Z"))
        except (KeyError, ValueError):
            continue
        durations.append(((end - start).total_seconds(), index))
    return durations


def execute(
    nb, folder: pathlib.Path, timeout: int, env: dict[str, str] | None = None
) -> tuple[float, int, str | None]:
    """Exécute `nb` en place ; renvoie (secondes, mémoire max en octets, erreur).

    L'exécution elle-même est celle de `tools/notebook_runner.py` (partagée
    avec le banc d'essai), avec `env` (par défaut `EXECUTION_ENV`, le mode
    rapide). Les horodatages des
    cellules sont retirés du notebook (diffs stables) ; les cellules les plus
    lentes sont affichées.
    """
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    import notebook_runner

    run = notebook_runner.execute(nb, folder, timeout, env or EXECUTION_ENV)
    slowest = sorted(_cell_durations(nb), reverse=True)[:3]
    if slowest:
        print(
            "  cellules les plus lentes : "
            + ", ".join(f"n° {i} ({s:.1f} s)" for s, i in slowest),
            flush=True,
        )
    return run.seconds, run.peak_tree, run.error


def _has_full_outputs(ipynb_path: pathlib.Path) -> bool:
    """Vrai si le `.ipynb` commité a des sorties du mode complet (`make outputs`)."""
    import nbformat

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
    import make_outputs

    if not ipynb_path.exists():
        return False
    old = nbformat.read(ipynb_path, as_version=4)
    return make_outputs.provenance(old).get("mode") == "complet"


def _convert_keeping_outputs(nb, ipynb_path: pathlib.Path) -> None:
    """Convertit sans exécuter, en gardant les sorties du mode complet.

    Les sorties de `make outputs` ne sont jamais remplacées par celles du mode
    rapide : les cellules inchangées gardent les leurs (jupytext), les autres
    n'en ont plus, et la provenance reste celle de la dernière exécution
    complète — `tests/test_outputs.py` signale alors la source modifiée et la
    commande qui refait les sorties.
    """
    import make_outputs
    import nbformat
    from jupytext.combine import combine_inputs_with_outputs

    old = nbformat.read(ipynb_path, as_version=4)
    record = make_outputs.provenance(old)
    combined = combine_inputs_with_outputs(nb, old)
    combined.metadata.setdefault("fltutor", {})["outputs"] = record
    nbformat.write(combined, ipynb_path)
    py_path = ipynb_path.with_suffix(".py")
    if record.get("source_sha256") == make_outputs.source_hash(py_path):
        state = "sorties du mode complet à jour, conservées"
    else:
        state = (
            "sorties du mode complet conservées pour les cellules inchangées ; "
            f"source modifiée : lancez « {make_outputs.command_for(py_path)} »"
        )
    print(f"{ipynb_path.relative_to(ROOT)} : converti, non exécuté ({state})")


def write(paths: list[pathlib.Path], run: bool = True, timeout: int = 900) -> int:
    """Regénère (et exécute) le `.ipynb` de chaque source ; renvoie le code de sortie."""
    import nbformat

    failures = []
    for py_path in paths:
        rel = py_path.relative_to(ROOT)
        exercises = exercise_notebook(py_path)
        if (
            exercises is not None
        ):  # le cahier de l'étudiant : vierge, jamais exécuté ici
            exercises.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(read_source(py_path, exercises), exercises)
            print(f"{rel} → {exercises.relative_to(ROOT)} (cahier d'exercices, vierge)")
        nb = read_source(py_path)
        ipynb_path = py_path.with_suffix(".ipynb")
        if _has_full_outputs(ipynb_path):  # avec ou sans --no-execute
            _convert_keeping_outputs(nb, ipynb_path)
            continue
        if not run:
            nbformat.write(nb, ipynb_path)
            print(f"{rel} → {ipynb_path.name} (converti, non exécuté)")
            continue
        print(f"{rel} : exécution en mode rapide...", flush=True)
        executed = copy.deepcopy(nb)
        seconds, peak, error = execute(executed, py_path.parent, timeout)
        nbformat.write(executed, ipynb_path)
        memory = f", mémoire max {peak / 2**20:.0f} Mio" if peak else ""
        if error:
            failures.append(rel)
            print(
                f"  ÉCHEC après {seconds:.1f} s{memory} : {error}\n"
                f"  (le notebook est enregistré avec l'erreur pour que vous la voyiez)",
                flush=True,
            )
        else:
            print(f"  exécuté en {seconds:.1f} s{memory}", flush=True)
    if failures:
        print(
            "Notebooks en échec : " + ", ".join(str(p) for p in failures),
            file=sys.stderr,
        )
        return 1
    return 0


def select(names: list[str]) -> list[pathlib.Path]:
    """Choisit les sources d'après des noms (`01`, `01_definition`, chemin...)."""
    all_sources = sources()
    if not names:
        return all_sources
    chosen = []
    for name in names:
        candidate = pathlib.Path(name)
        if candidate.suffix in {".py", ".ipynb"} and candidate.exists():
            matches = [candidate.resolve().with_suffix(".py")]
            matches = [m for m in matches if m.exists()]
        else:
            stem = candidate.name.removesuffix(".py").removesuffix(".ipynb")
            matches = [p for p in all_sources if p.stem.startswith(stem)]
        if not matches:
            known = ", ".join(p.stem for p in all_sources) or "aucun"
            raise SystemExit(
                f"Aucun notebook ne correspond à « {name} ». Notebooks connus : {known}."
            )
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Vérifie ou regénère les notebooks .ipynb à partir de leurs sources .py."
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="regénérer les .ipynb (jupytext) et les exécuter en mode rapide",
    )
    parser.add_argument(
        "--no-execute",
        action="store_true",
        help="avec --write : convertir seulement, sans exécuter",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=900,
        help="délai maximal par cellule, en secondes (900 par défaut)",
    )
    parser.add_argument(
        "names",
        nargs="*",
        help="notebooks à traiter (préfixe comme « 01 », nom ou chemin) ; tous par défaut",
    )
    args = parser.parse_args(argv)
    if args.no_execute and not args.write:
        parser.error("--no-execute ne s'utilise qu'avec --write.")
    paths = select(args.names)
    if not paths:
        print("Aucune source notebooks/**/NN_nom.py trouvée : rien à faire.")
        return 0
    if args.write:
        return write(paths, run=not args.no_execute, timeout=args.timeout)
    return check(paths)


if __name__ == "__main__":
    sys.exit(main())
