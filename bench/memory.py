"""Expérience « memory » : la mémoire maximale de chaque notebook.

Chaque notebook est exécuté (mode complet par défaut) par l'exécuteur
partagé avec `tools/check_sync.py` (`tools/notebook_runner.py`), qui
échantillonne la mémoire résidente du noyau Jupyter et de ses descendants
(dont le `worker_binary` de TFF). Budget : 2 Gio par notebook.
"""

from __future__ import annotations

import csv
import datetime
import pathlib
import sys
from collections.abc import Callable

from bench import DEFAULT_OUT, ROOT, machine, say
from fltutor.formatting import number

__all__ = ["MEMORY_BUDGET", "find_notebooks", "run_memory"]

MEMORY_BUDGET = 2 * 2**30


def _runner():
    sys.path.insert(0, str(ROOT / "tools"))
    import notebook_runner

    return notebook_runner


def find_notebooks(nb_dir: pathlib.Path, selection: str | None) -> list[pathlib.Path]:
    """Les notebooks choisis (noms séparés par des virgules ; tous par défaut).

    La source `.py` (jupytext) l'emporte sur le `.ipynb` du même nom.
    """
    candidates: dict[str, pathlib.Path] = {}
    for path in sorted(nb_dir.glob("*.ipynb")) + sorted(nb_dir.glob("*.py")):
        candidates[path.stem] = path
    if not selection:
        return [candidates[stem] for stem in sorted(candidates)]
    chosen = []
    for wanted in (s.strip() for s in selection.split(",")):
        stem = pathlib.Path(wanted).stem
        if wanted and stem not in candidates:
            raise ValueError(
                f"Notebook introuvable : « {wanted} » dans {nb_dir}. Disponibles : "
                + (", ".join(candidates) or "aucun")
                + "."
            )
        if wanted:
            chosen.append(candidates[stem])
    return chosen


def _read(path: pathlib.Path):
    if path.suffix == ".py":
        import jupytext

        return jupytext.read(path)
    import nbformat

    return nbformat.read(path, as_version=4)


def run_memory(
    out: pathlib.Path = DEFAULT_OUT,
    notebooks: str | None = None,
    nb_dir: pathlib.Path = ROOT / "notebooks",
    timeout: int = 3600,
    quick: bool = False,
    log: Callable[[str], None] | None = print,
) -> list[dict]:
    """Exécute chaque notebook et mesure sa mémoire maximale ; écrit le tableau."""
    nb_dir = pathlib.Path(nb_dir)
    paths = find_notebooks(nb_dir, notebooks)
    if not paths:
        raise ValueError(
            f"Aucun notebook dans {nb_dir} : écrivez-en un (NN_nom.py ou .ipynb) ou "
            "passez --nb-dir."
        )
    env = {
        "FLTUTOR_QUICK": "1" if quick else "0",
        "MPLBACKEND": "agg",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }
    directory = pathlib.Path(out) / "memory"
    directory.mkdir(parents=True, exist_ok=True)
    previous = {}
    if (directory / "results.csv").is_file():
        with open(directory / "results.csv", encoding="utf-8") as f:
            previous = {pathlib.Path(r["notebook"]).stem: r for r in csv.DictReader(f)}
    mode = "rapide" if quick else "complet"
    for path in paths:
        say(log, f"Notebook {path.name} ({mode})…")
        run = _runner().execute(_read(path), nb_dir, timeout, env)
        status = "ok" if run.error is None else f"erreur : {run.error[:120]}"
        row = {
            "notebook": path.name,
            "mode": mode,
            "status": status,
            "seconds": f"{run.seconds:.1f}",
            "peak_kernel_tree_mib": f"{run.peak_tree / 2**20:.0f}",
            "peak_worker_mib": f"{run.peak_worker / 2**20:.0f}",
            "budget_mib": f"{MEMORY_BUDGET / 2**20:.0f}",
            "within_budget": int(run.peak_tree <= MEMORY_BUDGET),
            "date": datetime.date.today().isoformat(),
        }
        previous[path.stem] = row
        say(
            log,
            f"  {status}, {number(run.seconds, 0)} s, pic noyau + worker "
            f"{row['peak_kernel_tree_mib']} Mio (budget {row['budget_mib']} Mio).",
        )
        _write_report(directory, list(previous.values()))
    return list(previous.values())


_COLUMNS = [
    "notebook", "mode", "status", "seconds", "peak_kernel_tree_mib",
    "peak_worker_mib", "budget_mib", "within_budget", "date",
]  # fmt: skip


def _write_report(directory: pathlib.Path, rows: list[dict]) -> None:
    rows = sorted(rows, key=lambda r: r["notebook"])
    with open(directory / "results.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    lines = [
        "# Mémoire maximale de chaque notebook",
        "",
        f"Machine : {machine()}. RSS échantillonnée toutes les 0,2 s (psutil) ; "
        "« noyau + worker » = le noyau Jupyter et tous ses descendants (dont le "
        "`worker_binary` de TFF). Budget : 2 Gio pour le noyau et ses descendants.",
        "",
        "| Notebook | Mode | État | Durée (s) | Pic noyau + worker (Mio) "
        "| dont worker (Mio) | Dans le budget | Date |",
        "|---|---|---|--:|--:|--:|---|---|",
    ]
    for r in rows:
        ok = "oui" if str(r["within_budget"]) == "1" else "**non**"
        lines.append(
            f"| `{r['notebook']}` | {r['mode']} | {r['status']} | {r['seconds']} "
            f"| {r['peak_kernel_tree_mib']} | {r['peak_worker_mib']} | {ok} "
            f"| {r['date']} |"
        )
    (directory / "table.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
