"""Produire les sorties commitées des notebooks : une exécution en mode complet.

Les `.ipynb` du dépôt sont ce que lit un étudiant (sur la page du dépôt, dans
les diaporamas) : leurs sorties doivent être celles du **vrai** cours, en
mode complet (le mode par défaut, sans `FLTUTOR_QUICK`), jamais des sorties
de test ni des sorties retouchées à la main. Ce script est la seule façon
de les produire.

Utilisation
-----------
    python tools/make_outputs.py                 # tous les notebooks (make outputs)
    python tools/make_outputs.py 06              # 06_* et solutions/06_* (make outputs NB=06)
    python tools/make_outputs.py notebooks/06_exemple_mnist.py   # un seul
    python tools/make_outputs.py 00 --output-dir /tmp/sorties    # essai, hors du dépôt

Sans nom en argument, la variable d'environnement NB (`make outputs NB=06`)
choisit les notebooks.

Pour chaque source jupytext `notebooks/**/NN_nom.py` choisie : conversion,
exécution de haut en bas dans un noyau neuf (nbclient, via
`tools/check_sync.py`), puis écriture du `.ipynb` avec ses sorties. Ses
métadonnées `metadata.fltutor.outputs` disent comment les sorties ont été
faites : mode, date, durée, mémoire maximale (noyau et ses descendants,
relevée avec psutil), version de fltutor et empreinte SHA-256 du `.py`.
`tests/test_outputs.py` s'en sert pour refuser un `.ipynb` produit en mode
rapide ou dont la source a changé depuis.

Un notebook en échec n'écrase pas le `.ipynb` du dépôt : l'exécution ratée
est enregistrée dans `build/echecs/` pour qu'on y lise l'erreur.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import hashlib
import json
import os
import pathlib
import sys

TOOLS_DIR = pathlib.Path(__file__).resolve().parent
ROOT = TOOLS_DIR.parent
sys.path[:0] = [str(TOOLS_DIR), str(ROOT)]

import check_sync  # noqa: E402  (dossier tools/ ajouté ci-dessus)

#: Clés de `nb.metadata` où l'on range la provenance des sorties.
METADATA_KEY = ("fltutor", "outputs")

#: Ce que `metadata.fltutor.outputs` doit contenir.
RECORD_KEYS = (
    "mode",
    "date",
    "duration_seconds",
    "peak_memory_bytes",
    "fltutor_version",
    "source_sha256",
)

#: Les deux modes d'exécution, et la valeur de FLTUTOR_QUICK de chacun.
MODES = {"complet": "0", "rapide": "1"}

#: Mémoire qu'un notebook ne doit pas dépasser (Binder : 2 Gio).
MEMORY_BUDGET = 2 * 2**30

FAILURES_DIR = ROOT / "build" / "echecs"


def source_hash(py_path: pathlib.Path) -> str:
    """Empreinte SHA-256 (hexadécimale) du fichier source `.py`.

    >>> len(source_hash(ROOT / "notebooks" / "00_sommaire.py"))
    64
    """
    return hashlib.sha256(pathlib.Path(py_path).read_bytes()).hexdigest()


def provenance(nb) -> dict:
    """Les métadonnées de provenance d'un notebook (`{}` s'il n'en a pas).

    >>> provenance({"metadata": {"fltutor": {"outputs": {"mode": "complet"}}}})
    {'mode': 'complet'}
    >>> provenance({"metadata": {}})
    {}
    """
    value = nb.get("metadata", {})
    for key in METADATA_KEY:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    return value if isinstance(value, dict) else {}


def command_for(py_path: pathlib.Path) -> str:
    """La commande qui régénère les sorties de ce seul notebook.

    >>> command_for(ROOT / "notebooks" / "06_exemple_mnist.py")
    'make outputs NB=notebooks/06_exemple_mnist.py'
    """
    py_path = pathlib.Path(py_path)
    if py_path.is_absolute() and py_path.is_relative_to(ROOT):
        py_path = py_path.relative_to(ROOT)
    return f"make outputs NB={py_path.as_posix()}"


def stale_reason(py_path: pathlib.Path) -> str | None:
    """Pourquoi le `.ipynb` de cette source n'est pas à jour (None s'il l'est).

    À jour : produit par `make outputs` en mode complet, à partir de la
    source `.py` telle qu'elle est maintenant (même empreinte SHA-256).
    """
    py_path = pathlib.Path(py_path)
    ipynb_path = py_path.with_suffix(".ipynb")
    command = command_for(py_path)
    if not ipynb_path.exists():
        return f"{ipynb_path.name} n'existe pas : lancez « {command} »."
    try:
        nb = json.loads(ipynb_path.read_text(encoding="utf-8"))
    except ValueError as error:
        return f"{ipynb_path.name} illisible ({error}) : lancez « {command} »."
    record = provenance(nb)
    if not record:
        return (
            f"{ipynb_path.name} n'a pas été produit par make outputs (pas de"
            f" métadonnées fltutor.outputs) : lancez « {command} »."
        )
    if record.get("mode") != "complet":
        return (
            f"{ipynb_path.name} a des sorties du mode {record.get('mode')!r}, pas du"
            f" mode complet : lancez « {command} »."
        )
    if record.get("source_sha256") != source_hash(py_path):
        return (
            f"{py_path.name} a changé depuis que les sorties de {ipynb_path.name}"
            f" ont été produites : lancez « {command} »."
        )
    missing = [k for k in RECORD_KEYS if k not in record]
    if missing:
        return (
            f"{ipynb_path.name} : provenance incomplète ({', '.join(missing)}) :"
            f" lancez « {command} »."
        )
    return None


def _fltutor_version() -> str:
    import fltutor

    return fltutor.__version__


def _format_bytes(count: int) -> str:
    return (
        f"{count / 2**20:,.0f} Mio".replace(",", "\u202f") if count else "non mesurée"
    )


def make_one(
    py_path: pathlib.Path,
    mode: str = "complet",
    output_dir: pathlib.Path | None = None,
    timeout: int = 3600,
) -> dict:
    """Exécute un notebook et écrit son `.ipynb` ; renvoie le bilan (dict).

    Le bilan contient les métadonnées de provenance, plus `path` (le `.ipynb`
    écrit) et `error` (None si tout s'est bien passé).
    """
    import nbformat

    py_path = pathlib.Path(py_path).resolve()
    rel = py_path.relative_to(ROOT)
    digest = source_hash(py_path)  # avant l'exécution : la source peut changer
    nb = check_sync.read_source(py_path)
    executed = copy.deepcopy(nb)
    started = datetime.datetime.now(datetime.timezone.utc)
    print(f"{rel} : exécution en mode {mode}...", flush=True)
    env = {**check_sync.EXECUTION_ENV, "FLTUTOR_QUICK": MODES[mode]}
    seconds, peak, error = check_sync.execute(executed, py_path.parent, timeout, env)
    record = {
        "mode": mode,
        "date": started.isoformat(timespec="seconds"),
        "duration_seconds": round(seconds, 1),
        "peak_memory_bytes": int(peak),
        "fltutor_version": _fltutor_version(),
        "source_sha256": digest,
    }
    if error:
        target = FAILURES_DIR / f"{py_path.stem}.ipynb"
    else:
        executed.metadata.setdefault(METADATA_KEY[0], {})[METADATA_KEY[1]] = record
        folder = output_dir if output_dir is not None else py_path.parent
        target = pathlib.Path(folder) / f"{py_path.stem}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(executed, target)
    return {**record, "path": target, "error": error}


def _print_summary(results: list[tuple[pathlib.Path, dict]]) -> None:
    print("\nBilan (mode, durée, mémoire maximale du noyau et de ses descendants) :")
    width = max(len(str(p.relative_to(ROOT))) for p, _ in results)
    for py_path, res in results:
        status = f"ÉCHEC : {res['error']}" if res["error"] else "ok"
        warning = ""
        if res["peak_memory_bytes"] > MEMORY_BUDGET:
            warning = f" — dépasse {_format_bytes(MEMORY_BUDGET)}"
        print(
            f"  {str(py_path.relative_to(ROOT)):<{width}}  {res['mode']:<8}"
            f"{res['duration_seconds']:>8.1f} s  "
            f"{_format_bytes(res['peak_memory_bytes']):>10}{warning}  {status}"
        )
    total = sum(res["duration_seconds"] for _, res in results)
    print(f"  Total : {total:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=(
            "Exécute les notebooks (mode complet par défaut) et écrit les .ipynb"
            " avec leurs sorties et leur provenance."
        )
    )
    parser.add_argument(
        "names",
        nargs="*",
        help="notebooks à traiter (préfixe comme « 06 », nom ou chemin) ; tous par défaut",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="mode rapide (FLTUTOR_QUICK=1), pour essayer l'outil : "
        "tests/test_outputs.py refuse ces sorties",
    )
    parser.add_argument(
        "--output-dir",
        type=pathlib.Path,
        help="écrire les .ipynb dans ce dossier plutôt qu'à côté de leur source",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=3600,
        help="délai maximal par cellule, en secondes (3600 par défaut)",
    )
    args = parser.parse_args(argv)
    names = args.names or os.environ.get("NB", "").split()
    paths = check_sync.select(names)
    if not paths:
        print("Aucune source notebooks/**/NN_nom.py trouvée : rien à faire.")
        return 0
    mode = "rapide" if args.quick else "complet"
    results = []
    for py_path in paths:
        res = make_one(py_path, mode, args.output_dir, args.timeout)
        if res["error"]:
            print(
                f"  ÉCHEC : {res['error']}\n  Le .ipynb du dépôt n'est pas modifié ;"
                f" l'exécution ratée est dans {res['path']}.",
                flush=True,
            )
        else:
            print(
                f"  {res['duration_seconds']:.1f} s, mémoire max "
                f"{_format_bytes(res['peak_memory_bytes'])} → {res['path']}",
                flush=True,
            )
        results.append((py_path, res))
    _print_summary(results)
    return 1 if any(res["error"] for _, res in results) else 0


if __name__ == "__main__":
    sys.exit(main())
