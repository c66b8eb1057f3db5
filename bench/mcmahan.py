"""Expérience « mcmahan » : tours pour atteindre l'objectif, comme le tableau 2.

Chaque ligne (FedSGD, FedAvg ou FedAdam avec E époques et des lots de B
exemples, IID ou non-IID) s'entraîne par `fltutor.federated.run_rounds`, la
boucle des étudiants, jusqu'à l'objectif (99 % CNN, 97 % 2NN) ou
`max_rounds`. Après chaque tour, un point de reprise (`bench.checkpoint`) est
écrit dans `<out>/mcmahan/checkpoints/<ligne>/` : relancer la même commande
reprend au dernier tour terminé, avec le même résultat qu'une exécution d'une
traite (état complet du serveur, tirage des clients fixé par la graine et le
numéro du tour).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import pathlib
import time
from collections.abc import Callable, Sequence

import numpy as np

from bench import DEFAULT_OUT, checkpoint, say
from bench.paper import (
    DEFAULT_LR,
    DEFAULT_ROWS,
    INTERMEDIATE,
    TARGETS,
    RowSpec,
    paper_value,
    row_from_name,
)
from fltutor.formatting import number

__all__ = ["Row", "collect_results", "run_mcmahan", "run_row", "write_report"]

# Nom de la répartition de `fltutor.partition` pour chaque colonne du tableau.
PARTITIONS = {
    "iid": ("iid", {}),
    "noniid": ("shards", {"shards_per_client": 2}),
}


@dataclasses.dataclass
class Row:
    """Le résultat d'une ligne : réglages et historique (`fltutor.federated.History`)."""

    spec: RowSpec
    config: dict
    history: object
    max_rounds: int
    wall_seconds: float
    ran_rounds: int = 0  # tours calculés pendant cet appel (0 : rien à refaire)

    @property
    def rounds_done(self) -> int:
        return self.history.rounds[-1]["round"] if self.history.rounds else 0

    @property
    def reached(self) -> bool:
        return self.history.rounds_to_target is not None


def _history(meta: dict | None):
    from fltutor.federated import History

    if meta is None:
        return History()
    return History(meta["history"], rounds_to_target=meta.get("rounds_to_target"))


def _check_config(directory: pathlib.Path, saved: dict, config: dict) -> None:
    diffs = [
        f"{k} : {saved.get(k)!r} enregistré, {config.get(k)!r} demandé"
        for k in sorted(set(saved) | set(config))
        if saved.get(k) != config.get(k)
    ]
    if diffs:
        raise ValueError(
            f"Le point de reprise {directory} a été produit avec d'autres réglages ("
            + "; ".join(diffs)
            + "). Pour repartir de zéro, supprimez ce dossier ; pour garder les deux, "
            "choisissez un autre dossier avec --out."
        )


def run_row(
    spec: RowSpec,
    setup: Callable[[], tuple],
    checkpoint_dir: pathlib.Path,
    config: dict,
    max_rounds: int,
    target: float,
    eval_every: int = 1,
    log: Callable[[str], None] | None = print,
) -> Row:
    """Entraîne une ligne jusqu'à l'objectif ou `max_rounds`, en reprenant si possible.

    `setup()` renvoie `(process, client_data, test_data)` ; il n'est appelé
    que s'il reste des tours à faire (construire le process TFF coûte
    plusieurs secondes). Un point de reprise est écrit après chaque tour.
    """
    from fltutor import federated

    checkpoint_dir = pathlib.Path(checkpoint_dir)
    meta, leaves = checkpoint.load(checkpoint_dir)
    if meta is not None:
        _check_config(checkpoint_dir, meta["config"], config)
    history = _history(meta)
    wall = float(meta.get("wall_seconds", 0.0)) if meta else 0.0
    row = Row(spec, config, history, max_rounds, wall)
    if history.rounds_to_target is not None:
        say(
            log,
            f"[{spec.name}] objectif déjà atteint au tour "
            f"{history.rounds_to_target} : rien à refaire.",
        )
        return row
    if row.rounds_done >= max_rounds:
        say(
            log,
            f"[{spec.name}] déjà {row.rounds_done} tours faits "
            f"(maximum {max_rounds}) : rien à refaire.",
        )
        return row

    process, client_data, test_data = setup()
    if leaves is not None:
        state = checkpoint.restore_state(process, leaves)
        say(log, f"[{spec.name}] reprise après le tour {row.rounds_done}.")
    else:
        state = _initial_state(process, config["model"], config["seed"])
    loop = federated.run_rounds(
        process,
        client_data,
        max_rounds,
        clients_per_round=config["clients_per_round"],
        test_data=test_data,
        eval_every=eval_every,
        seed=config["seed"],
        model=config["model"],
        state=state,
        first_round=row.rounds_done + 1,
    )
    tick = time.perf_counter()
    for record, state in loop:
        row.wall_seconds += time.perf_counter() - tick  # tour + évaluation
        history.rounds.append(record)
        row.ran_rounds += 1
        t, acc = record["round"], record["test_accuracy"]
        if acc >= target:  # NaN (tour non évalué) : faux
            history.rounds_to_target = t
        checkpoint.save(
            checkpoint_dir,
            {
                "config": config,
                "round": t,
                "history": history.rounds,
                "rounds_to_target": history.rounds_to_target,
                "wall_seconds": row.wall_seconds,
                "updated": datetime.datetime.now().isoformat(timespec="seconds"),
            },
            state,
        )
        say(
            log,
            f"[{spec.name}] tour {t}/{max_rounds} : exactitude test "
            f"{number(acc, 4)}, {number(record['seconds'], 1)} s",
        )
        if history.rounds_to_target is not None:
            say(
                log,
                f"[{spec.name}] objectif {number(target * 100, 0)} % "
                f"atteint au tour {t}.",
            )
            break
        tick = time.perf_counter()
    loop.close()
    return row


def _initial_state(process, model: str, seed: int):
    """L'état initial du serveur, avec les poids du modèle Keras de graine `seed`.

    (`process.initialize()` tire de nouveaux poids à chaque appel : on les
    remplace par des poids reproductibles, les mêmes pour toutes les lignes.)
    """
    import tensorflow_federated as tff

    from fltutor import models

    keras_model = models.get(model)(seed=seed)
    weights = tff.learning.models.ModelWeights(
        trainable=[v.numpy() for v in keras_model.trainable_weights],
        non_trainable=[v.numpy() for v in keras_model.non_trainable_weights],
    )
    return process.set_model_weights(process.initialize(), weights)


def _experiment_name(model: str) -> str:
    return "mcmahan" if model == "cnn" else f"mcmahan-{model}"


def _load_data(subset: int | None, test_subset: int | None, seed: int):
    from fltutor import data

    (x, y), (x_test, y_test) = data.load_mnist()
    if subset is not None:
        keep = np.sort(np.random.default_rng(seed).permutation(len(y))[:subset])
        x, y = x[keep], y[keep]
    if test_subset is not None:
        x_test, y_test = x_test[:test_subset], y_test[:test_subset]
    return x, y, x_test, y_test


_PROCESS_CACHE: dict[tuple, object] = {}


def _process(algorithm: str, model: str, lr: float, seed: int):
    """Le process TFF d'une ligne, construit une fois par (algorithme, modèle, η)."""
    import tensorflow as tf

    from fltutor import federated

    key = (algorithm, model, float(lr), seed)
    if key not in _PROCESS_CACHE:
        tf.keras.utils.set_random_seed(seed)
        _PROCESS_CACHE[key] = federated.build_process(
            algorithm, model=model, client_lr=lr
        )
    return _PROCESS_CACHE[key]


def _check_options(model, max_rounds, eval_every, num_clients, clients_per_round):
    from fltutor import checks

    if model not in TARGETS:
        raise ValueError(f"Modèle inconnu : {model!r}. Choisissez « cnn » ou « mlp ».")
    checks.integer(max_rounds, "--max-rounds", 1)
    checks.integer(eval_every, "--eval-every", 1)
    checks.integer(num_clients, "--clients", 1)
    checks.integer(
        clients_per_round,
        "--clients-per-round",
        1,
        num_clients,
        hint="(au plus --clients).",
    )


def run_mcmahan(
    rows: Sequence[RowSpec],
    model: str = "cnn",
    max_rounds: int = 300,
    eval_every: int = 1,
    out: pathlib.Path = DEFAULT_OUT,
    seed: int = 0,
    lr: float | None = None,
    num_clients: int = 100,
    clients_per_round: int = 10,
    subset: int | None = None,
    test_subset: int | None = None,
    target: float | None = None,
    log: Callable[[str], None] | None = print,
) -> list[Row]:
    """Lance (ou reprend) les lignes demandées, puis réécrit tableaux et courbes.

    Renvoie les résultats de toutes les lignes présentes sur disque.
    """
    from fltutor import checks

    _check_options(model, max_rounds, eval_every, num_clients, clients_per_round)
    target = TARGETS[model] if target is None else target
    target = checks.real(target, "--target", minimum=0, strict=True, maximum=1)
    exp_dir = pathlib.Path(out) / _experiment_name(model)
    cache: dict = {}
    ran: dict[str, Row] = {}
    for spec in rows:
        row_lr = DEFAULT_LR if lr is None else float(lr)
        config = {
            "model": model,
            "algorithm": spec.algorithm,
            "epochs": spec.epochs,
            "batch_size": spec.batch_size,
            "partition": spec.partition,
            "client_lr": row_lr,
            "seed": seed,
            "num_clients": num_clients,
            "clients_per_round": clients_per_round,
            "subset": subset,
            "test_subset": test_subset,
            "target": target,
        }

        def setup(spec=spec, row_lr=row_lr):
            import tensorflow as tf

            from fltutor import federated, partition

            # Le mélange des jeux (tf.data) dépend aussi de la graine globale de
            # TensorFlow : on la fixe avant de les fabriquer.
            tf.keras.utils.set_random_seed(seed)
            if "arrays" not in cache:
                cache["arrays"] = _load_data(subset, test_subset, seed)
            x, y, x_test, y_test = cache["arrays"]
            name, options = PARTITIONS[spec.partition]
            parts = partition.by_name(name, y, num_clients, seed=seed, **options)
            client_data = federated.client_datasets(
                x, y, parts, epochs=spec.epochs, batch_size=spec.batch_size, seed=seed
            )
            process = _process(spec.algorithm, model, row_lr, seed)
            return process, client_data, (x_test, y_test)

        ran[spec.name] = run_row(
            spec,
            setup,
            exp_dir / "checkpoints" / spec.name,
            config,
            max_rounds,
            target,
            eval_every,
            log,
        )
    all_results = collect_results(exp_dir)
    for r in all_results:
        r.ran_rounds = ran[r.spec.name].ran_rounds if r.spec.name in ran else 0
    write_report(exp_dir, all_results, model)
    say(log, f"Résultats écrits dans {exp_dir}.")
    return all_results


def collect_results(exp_dir: pathlib.Path) -> list[Row]:
    """Relit toutes les lignes qui ont un point de reprise dans `exp_dir`."""
    results = []
    ckpt_root = pathlib.Path(exp_dir) / "checkpoints"
    if not ckpt_root.is_dir():
        return results
    for directory in sorted(ckpt_root.iterdir()):
        try:
            spec = row_from_name(directory.name)
        except ValueError:
            continue
        meta = checkpoint.read_meta(directory)
        if meta is None:
            continue
        results.append(
            Row(
                spec,
                meta["config"],
                _history(meta),
                meta["round"],
                float(meta.get("wall_seconds", 0.0)),
            )
        )
    order = {name: i for i, name in enumerate(DEFAULT_ROWS)}
    results.sort(
        key=lambda r: (r.spec.partition, order.get(r.spec.name, 99), r.spec.name)
    )
    return results


def speedup(
    baseline: Row | None, row: Row, accuracy: float | None = None
) -> tuple[float | None, str]:
    """Accélération par rapport à FedSGD : (valeur, texte). Borne si non atteint.

    `accuracy` : le seuil (par défaut l'objectif de la ligne).
    """
    if baseline is None:
        return None, "—"
    if accuracy is None:
        mine = row.history.rounds_to_target
        theirs = baseline.history.rounds_to_target
    else:
        mine = row.history.rounds_to(accuracy)
        theirs = baseline.history.rounds_to(accuracy)
    if mine is not None and theirs is not None:
        value = theirs / mine
        return value, f"{number(value, 1)}×"
    if mine is not None:
        return None, f"> {number(baseline.rounds_done / mine, 1)}×"
    return None, "—"


def _rounds_text(row: Row, accuracy: float | None = None) -> str:
    h = row.history
    rounds = h.rounds_to_target if accuracy is None else h.rounds_to(accuracy)
    if rounds is not None:
        return str(rounds)
    return f"non atteint en {row.rounds_done} tours"


def _blank(value, fmt: str = "{}") -> str:
    return "" if value is None else fmt.format(value)


_ALGORITHM_LABELS = {"fedsgd": "FedSGD", "fedavg": "FedAvg", "fedadam": "FedAdam"}

_CSV_COLUMNS = [
    "row", "model", "algorithm", "partition", "epochs", "batch_size", "u",
    "client_lr", "target", "rounds_done", "reached", "rounds_to_target",
    "best_accuracy", "final_accuracy", "speedup_vs_fedsgd", "intermediate_target",
    "rounds_to_intermediate", "speedup_vs_fedsgd_intermediate", "paper_rounds",
    "paper_speedup", "paper_source", "wall_seconds", "seconds_per_round",
]  # fmt: skip


def write_report(exp_dir: pathlib.Path, results: Sequence[Row], model: str) -> None:
    """Écrit `results.csv`, `history.csv`, `table.md` et `curves.png` dans `exp_dir`."""
    exp_dir = pathlib.Path(exp_dir)
    exp_dir.mkdir(parents=True, exist_ok=True)
    baselines = {r.spec.partition: r for r in results if r.spec.algorithm == "fedsgd"}
    middle = INTERMEDIATE[model]
    lines_csv, lines_md = [], []
    for r in results:
        s, h = r.spec, r.history
        paper = paper_value(model, s.algorithm, s.epochs, s.batch_size, s.partition)
        paper_base = paper_value(model, "fedsgd", 1, None, s.partition)
        paper_speed = None
        if paper and paper.rounds and paper_base and paper_base.rounds:
            paper_speed = paper_base.rounds / paper.rounds
        speed, speed_text = speedup(baselines.get(s.partition), r)
        mid, mid_text = speedup(baselines.get(s.partition), r, middle)
        per_round = r.wall_seconds / max(r.rounds_done, 1)
        lines_csv.append([
            s.name, model, s.algorithm, s.partition, s.epochs,
            "inf" if s.batch_size is None else s.batch_size,
            f"{s.updates_per_round():g}", r.config.get("client_lr"),
            r.config.get("target"), r.rounds_done, int(r.reached),
            _blank(h.rounds_to_target), _blank(h.best_accuracy, "{:.4f}"),
            _blank(h.final_accuracy, "{:.4f}"), _blank(speed, "{:.2f}"), middle,
            _blank(h.rounds_to(middle)), _blank(mid, "{:.2f}"),
            "" if paper is None or paper.rounds is None else paper.rounds,
            _blank(paper_speed, "{:.2f}"),
            "" if paper is None
            else paper.source + ("" if paper.verified else " (non vérifié)"),
            f"{r.wall_seconds:.1f}", f"{per_round:.2f}",
        ])  # fmt: skip
        best = None if h.best_accuracy is None else h.best_accuracy * 100
        lines_md.append(
            f"| `{s.name}` | {_ALGORITHM_LABELS[s.algorithm]} "
            f"| {s.epochs} | {s.batch_label} | {number(s.updates_per_round(), 0)} "
            f"| {'IID' if s.partition == 'iid' else 'non-IID'} "
            f"| {number(r.config.get('client_lr'), 3).rstrip('0').rstrip(',')} "
            f"| {_rounds_text(r)} | {'—' if paper is None else paper.label()} "
            f"| {speed_text} | {'—' if paper_speed is None else number(paper_speed, 1) + '×'} "
            f"| {_rounds_text(r, middle)} | {mid_text} "
            f"| {number(best, 2)} % | {number(per_round, 1)} |"
        )

    with open(exp_dir / "results.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(_CSV_COLUMNS)
        writer.writerows(lines_csv)
    _write_history_csv(exp_dir / "history.csv", results)

    target = results[0].config.get("target") if results else TARGETS[model]
    k = results[0].config.get("num_clients", 100) if results else 100
    cpr = results[0].config.get("clients_per_round", 10) if results else 10
    title = "CNN" if model == "cnn" else "2NN (perceptron à 2 couches cachées)"
    mid = number(middle * 100, 0)
    lines = [
        f"# McMahan et al. (2017), MNIST {title} : tours pour atteindre "
        f"{number(target * 100, 0)} %",
        "",
        f"Mis à jour le {datetime.date.today().isoformat()}. {cpr} clients tirés parmi "
        f"{k} à chaque tour (C = {number(cpr / k, 2)}) ; IID = `partition.iid`, "
        "non-IID = `partition.shards` (2 tessons de 300 exemples par client). "
        "u = E·n/B (n = 600). « Article » : valeur de McMahan et al. (2017), η "
        "optimisé sur une grille ; « nous » : un seul η (colonne η), une seule graine.",
        "",
        "| Ligne | Algorithme | E | B | u | Partition | η client | Tours (nous) "
        "| Tours (article) | Accélération / FedSGD (nous) | Accélération (article) "
        f"| Tours pour {mid} % (nous) | Accélération à {mid} % (nous) "
        "| Meilleure exactitude | Durée d'un tour (s) |",
        "|---|---|--:|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        *lines_md,
        "",
        "Accélération « > x× » : FedSGD n'a pas atteint l'objectif, x est une borne "
        "inférieure (tours faits par FedSGD / tours de la ligne). « non vérifié » : "
        "valeur de l'article que nous n'avons pas pu relire (voir `bench/README.md`). "
        f"Seuil intermédiaire {mid} % : atteint bien avant l'objectif, il "
        "donne une accélération mesurée même quand une ligne s'arrête avant (l'article "
        "ne publie pas de valeur pour ce seuil).",
        "",
    ]
    (exp_dir / "table.md").write_text("\n".join(lines), encoding="utf-8")
    _plot_curves(exp_dir / "curves.png", results, model, target)


def _write_history_csv(path: pathlib.Path, results: Sequence[Row]) -> None:
    """Les tours de toutes les lignes, avec les colonnes de `History.to_csv`."""
    from fltutor.federated import History

    columns = list(History.COLUMNS)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["row", *columns])
        for r in results:
            for rec in r.history.rounds:
                writer.writerow([r.spec.name] + [_blank(rec.get(c)) for c in columns])


def _plot_curves(
    path: pathlib.Path, results: Sequence[Row], model: str, target: float
) -> None:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    for ax, partition, label in zip(
        axes, ("iid", "noniid"), ("IID", "non-IID (tessons)")
    ):
        for r in results:
            if r.spec.partition != partition:
                continue
            evaluated = [
                (h["round"], h["test_accuracy"])
                for h in r.history.rounds
                if h.get("test_accuracy") is not None
                and h["test_accuracy"] == h["test_accuracy"]  # pas NaN
            ]
            if evaluated:
                xs, ys = zip(*evaluated)
                ax.plot(xs, ys, label=r.spec.name.rsplit("-", 1)[0], linewidth=1.3)
        ax.axhline(target, color="gray", linestyle="--", linewidth=1,
                   label=f"objectif {number(target * 100, 0)} %")  # fmt: skip
        ax.set_title(f"MNIST {'CNN' if model == 'cnn' else '2NN'} — {label}")
        ax.set_xlabel("Tour de communication")
        ax.grid(alpha=0.3)
        ax.set_ylim(max(0.0, target - 0.19), 1.0)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8, loc="lower right")
    axes[0].set_ylabel("Exactitude sur le jeu de test")
    fig.suptitle("Exactitude test selon le tour (C = 0,1)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
