"""Expérience « overhead » : le coût d'un tour TFF comparé à Keras ``fit``.

Trois façons de faire le même travail (E = 1 époque, lots de B exemples, sur
`num_clients × examples_per_client` exemples) : un tour FedAvg TFF, un
`model.fit` Keras centralisé, et un tour du FedAvg écrit à la main
(`fltutor.scratch.fedavg_round`). Après un échauffement de chacun, les
mesures sont **entrelacées** (TFF, fit, à la main, TFF, fit…) pour que la
charge de la machine pèse autant sur chacun ; on garde la médiane.
"""

from __future__ import annotations

import csv
import datetime
import os
import pathlib
import statistics
import time
from collections.abc import Callable

import numpy as np

from bench import DEFAULT_OUT, machine, say
from fltutor.formatting import number

__all__ = ["run_overhead", "write_report"]


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _methods(model, lr, seed, examples_per_client, num_clients, batch_size):
    """Les trois méthodes chronométrées, et le nombre d'exemples vus par chacune."""
    from fltutor import data, federated, models, partition, scratch

    (x, y), _ = data.load_mnist()
    parts = partition.iid(y, len(y) // examples_per_client, seed=seed)[:num_clients]
    idx = np.concatenate(parts)
    client_data = federated.client_datasets(
        x, y, parts, epochs=1, batch_size=batch_size, seed=seed
    )

    # 1) Un tour TFF (FedAvg pondéré, les clients en parallèle dans le worker).
    import tensorflow as tf

    tf.keras.utils.set_random_seed(seed)
    process = federated.build_process("fedavg", model=model, client_lr=lr)
    box = {"state": process.initialize()}

    def tff_round():
        box["state"] = process.next(box["state"], client_data).state

    # 2) Le même travail, centralisé : Keras fit, une époque sur les mêmes exemples.
    keras_model = models.compiled(model, lr=lr, seed=seed)
    central = federated.to_dataset(
        x[idx], y[idx], batch_size=batch_size, shuffle_seed=seed
    )

    def keras_fit():
        keras_model.fit(central, epochs=1, verbose=0)

    # 3) FedAvg écrit à la main (fltutor.scratch), sans TFF.
    hand_model = models.get(model)(seed=seed)
    box["weights"] = hand_model.get_weights()

    def by_hand():
        box["weights"] = scratch.fedavg_round(
            hand_model, box["weights"], client_data, lr
        )

    methods = [
        ("tff", "Tour FedAvg TFF", tff_round),
        ("keras_fit", "Keras fit centralisé", keras_fit),
        ("scratch", "Tour FedAvg à la main (fltutor.scratch)", by_hand),
    ]
    return methods, len(idx)


def run_overhead(
    out: pathlib.Path = DEFAULT_OUT,
    runs: int = 5,
    num_clients: int = 10,
    examples_per_client: int = 600,
    batch_size: int = 10,
    model: str = "cnn",
    lr: float = 0.1,
    seed: int = 0,
    log: Callable[[str], None] | None = print,
) -> dict:
    """Mesure un tour FedAvg TFF, le même travail en Keras `fit`, et FedAvg à la main.

    On garde la médiane de `runs` mesures, et la médiane des rapports TFF /
    fit mesurés côte à côte.
    """
    from fltutor import checks

    runs = checks.integer(runs, "--runs", 1)
    methods, n = _methods(model, lr, seed, examples_per_client, num_clients, batch_size)
    load_before = os.getloadavg()[0]
    warmup = {}
    for key, label, fn in methods:
        say(log, f"Échauffement : {label}…")
        warmup[key] = _seconds(fn)
    times: dict[str, list[float]] = {key: [] for key, _, _ in methods}
    for i in range(runs):
        for key, _, fn in methods:
            times[key].append(_seconds(fn))
        say(
            log,
            f"Mesure {i + 1}/{runs} : "
            + ", ".join(f"{k} {number(v[-1], 2)} s" for k, v in times.items()),
        )
    fit_median = statistics.median(times["keras_fit"])
    rows = []
    for key, label, _ in methods:
        median = statistics.median(times[key])
        rows.append({
            "method": key,
            "label": label,
            "median_seconds": median,
            "min_seconds": min(times[key]),
            "max_seconds": max(times[key]),
            "warmup_seconds": warmup[key],
            "runs": runs,
            "examples": n,
            "examples_per_second": n / median,
            "ratio_vs_fit": median / fit_median,
            "paired_ratio": statistics.median(
                a / b for a, b in zip(times[key], times["keras_fit"])
            ),
        })  # fmt: skip
    result = {
        "rows": rows,
        "ratio": rows[0]["ratio_vs_fit"],
        "paired_ratio": rows[0]["paired_ratio"],
        "load": (load_before, os.getloadavg()[0]),
        "config": {
            "model": model,
            "clients": num_clients,
            "examples_per_client": examples_per_client,
            "batch_size": batch_size,
            "epochs": 1,
            "lr": lr,
            "runs": runs,
            "seed": seed,
        },
    }
    write_report(pathlib.Path(out) / "overhead", result)
    say(
        log,
        f"Tour TFF / Keras fit : {number(result['ratio'], 2)}× (médianes), "
        f"{number(result['paired_ratio'], 2)}× (médiane des rapports) ; objectif ≤ 1,3×.",
    )
    return result


_COLUMNS = [
    "method", "label", "median_seconds", "min_seconds", "max_seconds",
    "warmup_seconds", "runs", "examples", "examples_per_second", "ratio_vs_fit",
    "paired_ratio", "date",
]  # fmt: skip


def write_report(directory: pathlib.Path, result: dict) -> None:
    """Écrit `results.csv` et `table.md` de l'expérience « overhead »."""
    directory.mkdir(parents=True, exist_ok=True)
    today = datetime.date.today().isoformat()
    with open(directory / "results.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(_COLUMNS)
        for r in result["rows"]:
            r = dict(r, date=today)
            writer.writerow(
                [f"{r[c]:.4f}" if isinstance(r[c], float) else r[c] for c in _COLUMNS]
            )
    c = result["config"]
    lines = [
        "# Coût d'un tour fédéré : TFF, Keras fit, FedAvg à la main",
        "",
        f"Mesuré le {today} sur {machine()}. Même travail pour tous : modèle "
        f"{c['model'].upper()}, {c['clients']} clients × {c['examples_per_client']} "
        f"exemples, E = {c['epochs']}, B = {c['batch_size']}, η = {number(c['lr'], 2)}. "
        f"Médiane de {c['runs']} mesures entrelacées, après un échauffement de chacun.",
        "",
        "Charge moyenne de la machine (load average sur 1 min, partagée avec "
        f"d'autres travaux) : {number(result['load'][0], 1)} au début, "
        f"{number(result['load'][1], 1)} à la fin, pour {os.cpu_count()} cœurs. Sous "
        "forte charge, les durées absolues gonflent ; les mesures entrelacées "
        "gardent le rapport comparable.",
        "",
        "| Méthode | Médiane (s) | Min (s) | Max (s) | Échauffement (s) | Exemples/s "
        "| Rapport des médianes / fit | Médiane des rapports / fit |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for r in result["rows"]:
        lines.append(
            f"| {r['label']} | {number(r['median_seconds'], 2)} "
            f"| {number(r['min_seconds'], 2)} | {number(r['max_seconds'], 2)} "
            f"| {number(r['warmup_seconds'], 1)} | {r['examples_per_second']:.0f} "
            f"| {number(r['ratio_vs_fit'], 2)}× | {number(r['paired_ratio'], 2)}× |"
        )
    verdict = "atteint" if result["ratio"] <= 1.3 else "manqué"
    lines += [
        "",
        f"Tour TFF / Keras fit : **{number(result['ratio'], 2)}×** (objectif ≤ 1,3× : "
        f"{verdict}).",
        "",
    ]
    (directory / "table.md").write_text("\n".join(lines), encoding="utf-8")
