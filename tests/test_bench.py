"""Tests du banc d'essai (paquet `bench`), sur de toutes petites configurations.

On ne teste pas des durées : seulement la lecture des lignes, les valeurs de
l'article, l'écriture des tableaux et la reprise après interruption (avec le
vrai TFF, par la boucle des étudiants `federated.run_rounds`).
"""

from __future__ import annotations

import csv
import math
import pathlib
import subprocess
import sys

import numpy as np
import pytest

from bench import checkpoint, cli, mcmahan, memory, paper

ROOT = pathlib.Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------
# Lignes et valeurs de l'article
# ---------------------------------------------------------------------------


def test_parse_rows_names_and_fields():
    rows = paper.parse_rows("fedsgd-iid, FedAvg-E5-B10-noniid,fedavg-e20-binf-iid")
    assert [r.name for r in rows] == [
        "fedsgd-iid",
        "fedavg-e5-b10-noniid",
        "fedavg-e20-binf-iid",
    ]
    sgd, avg, inf = rows
    assert (sgd.algorithm, sgd.epochs, sgd.batch_size, sgd.partition) == (
        "fedsgd",
        1,
        None,
        "iid",
    )
    assert (avg.algorithm, avg.epochs, avg.batch_size, avg.partition) == (
        "fedavg",
        5,
        10,
        "noniid",
    )
    assert inf.batch_size is None and inf.batch_label == "∞"
    adam = paper.parse_rows("fedadam-e5-b10-noniid")[0]
    assert (adam.algorithm, adam.epochs, adam.batch_size) == ("fedadam", 5, 10)
    assert paper.paper_value("cnn", "fedadam", 5, 10, "iid") is None
    # u = E·n/B (n = 600), u = E pour B = ∞
    assert avg.updates_per_round() == 300
    assert sgd.updates_per_round() == 1
    assert inf.updates_per_round() == 20


def test_parse_rows_all_and_duplicates():
    everything = paper.parse_rows("all")
    assert [r.name for r in everything] == paper.DEFAULT_ROWS
    assert len(everything) == 12
    assert paper.parse_rows(None) == everything
    assert [r.name for r in paper.parse_rows("fedsgd-iid,fedsgd-iid")] == ["fedsgd-iid"]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("fedavg-e5-iid", "Ligne inconnue"),
        ("fedsgd-mixte", "Ligne inconnue"),
        ("fedavg-e0-b10-iid", "entiers ≥ 1"),
        ("fedsgd-iid,,fedavg-e1-b10-iid", "virgules"),
        ("fedadam-iid", "Ligne inconnue"),
    ],
)
def test_parse_rows_errors_are_french(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        paper.parse_rows(text)


def test_paper_table_cnn_values():
    # McMahan et al. (2017), tableau 2 (CNN, 99 %) : (IID, non-IID)
    expected = {
        ("fedsgd", 1, None): (626, 483),
        ("fedavg", 5, None): (179, 1000),
        ("fedavg", 1, 50): (65, 600),
        ("fedavg", 20, None): (234, 672),
        ("fedavg", 1, 10): (34, 350),
        ("fedavg", 5, 50): (29, 334),
        ("fedavg", 20, 50): (32, 426),
        ("fedavg", 5, 10): (20, 229),
        ("fedavg", 20, 10): (18, 173),
    }
    for (algo, e, b), (iid, noniid) in expected.items():
        assert paper.paper_value("cnn", algo, e, b, "iid").rounds == iid
        assert paper.paper_value("cnn", algo, e, b, "noniid").rounds == noniid
    # Chaque ligne par défaut a sa valeur dans l'article.
    for row in paper.parse_rows("all"):
        value = paper.paper_value(
            "cnn", row.algorithm, row.epochs, row.batch_size, row.partition
        )
        assert value is not None and value.verified and value.rounds > 0


def test_paper_table_lookup_missing_and_unverified():
    assert paper.paper_value("cnn", "fedavg", 3, 7, "iid") is None
    unverified = paper.paper_value("mlp", "fedavg", 5, 10, "iid")
    assert unverified.rounds is None and not unverified.verified
    assert unverified.label() == "non vérifié"
    assert paper.paper_value("mlp", "fedsgd", 1, None, "noniid").rounds == 1796
    with pytest.raises(ValueError, match="Partition inconnue"):
        paper.paper_value("cnn", "fedsgd", 1, None, "melange")
    with pytest.raises(ValueError, match="Modèle inconnu"):
        paper.paper_value("resnet", "fedsgd", 1, None, "iid")


# ---------------------------------------------------------------------------
# Lignes reprenables, avec le vrai TFF (2NN, 4 clients, données factices)
# ---------------------------------------------------------------------------


@pytest.fixture
def fake_data(monkeypatch):
    """80 images aléatoires (10 par classe) à la place de MNIST : aucun fichier lu."""
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10), 8)
    x = rng.integers(0, 256, size=(80, 28, 28), dtype=np.uint8)
    monkeypatch.setattr(
        mcmahan, "_load_data", lambda s, t, seed: (x, labels, x[:40], labels[:40])
    )


def _run(out, rows, max_rounds, **kwargs):
    options = dict(
        model="mlp", num_clients=4, clients_per_round=2, target=0.99, log=None
    )
    options.update(kwargs)
    return mcmahan.run_mcmahan(
        paper.parse_rows(rows), max_rounds=max_rounds, out=out, **options
    )


def _strip(rounds):
    """Les tours sans les durées (qui varient d'une exécution à l'autre)."""
    return [
        {k: v for k, v in r.items() if k != "seconds" and v == v}  # NaN ≠ NaN
        for r in rounds
    ]


def _state(out, row):
    directory = out / "mcmahan-mlp" / "checkpoints" / row
    return checkpoint.load(directory)


@pytest.mark.slow
@pytest.mark.parametrize("row", ["fedavg-e2-b10-noniid", "fedadam-e1-b10-iid"])
def test_resumed_row_equals_straight_row(tmp_path, fake_data, row):
    straight = _run(tmp_path / "a", row, 4)[0]
    first = _run(tmp_path / "b", row, 2)[0]
    assert first.ran_rounds == 2
    resumed = _run(tmp_path / "b", row, 4)[0]
    history_a = straight.history.rounds
    history_b = resumed.history.rounds
    assert [r["round"] for r in history_b] == [1, 2, 3, 4]
    assert _strip(history_a) == _strip(history_b)
    # L'état complet du serveur (modèle + optimiseur : moments d'Adam) est le même.
    (_, leaves_a), (meta_b, leaves_b) = (
        _state(tmp_path / "a", row),
        _state(tmp_path / "b", row),
    )
    assert meta_b["round"] == 4 and len(leaves_a) == len(leaves_b)
    assert all(np.array_equal(a, b) for a, b in zip(leaves_a, leaves_b))
    # Un seul fichier d'état est gardé : celui du dernier tour.
    directory = tmp_path / "b" / "mcmahan-mlp" / "checkpoints" / row
    assert [p.name for p in directory.glob("state-*.npz")] == ["state-000004.npz"]


@pytest.mark.slow
def test_fedadam_resume_needs_the_optimizer_state(tmp_path, fake_data):
    """Témoin : reprendre FedAdam avec le modèle seul (moments d'Adam remis à
    zéro) donne un autre tour : c'est pourquoi l'état entier est enregistré."""
    import tensorflow as tf

    from fltutor import federated

    row = "fedadam-e1-b10-iid"
    _run(tmp_path, row, 2)
    meta, leaves = _state(tmp_path, row)
    process = mcmahan._process("fedadam", "mlp", 0.1, 0)
    full = checkpoint.restore_state(process, leaves)
    weights_only = process.set_model_weights(
        process.initialize(), process.get_model_weights(full)
    )
    data = federated.client_datasets(
        np.random.default_rng(1).integers(0, 256, (80, 28, 28), dtype=np.uint8),
        np.repeat(np.arange(10), 8),
        [np.arange(i, 80, 4) for i in range(4)],
    )
    a = [next(federated.run_rounds(process, data, 3, 2, model="mlp", state=s,
                                   first_round=3)).state for s in (full, weights_only)]  # fmt: skip
    wa = tf.nest.flatten(process.get_model_weights(a[0]))
    wb = tf.nest.flatten(process.get_model_weights(a[1]))
    assert not all(np.array_equal(u, v) for u, v in zip(wa, wb))


@pytest.mark.slow
def test_finished_row_is_not_rerun_and_settings_are_checked(
    tmp_path, fake_data, monkeypatch
):
    calls = []
    real_process = mcmahan._process

    def counting(*args):
        calls.append(args[0])
        return real_process(*args)

    monkeypatch.setattr(mcmahan, "_process", counting)
    reached = _run(tmp_path, "fedavg-e1-b10-iid", 10, target=0.01)[0]
    assert reached.reached and reached.history.rounds_to_target == 1
    assert calls == ["fedavg"]
    again = _run(tmp_path, "fedavg-e1-b10-iid", 20, target=0.01)[0]
    assert calls == ["fedavg"] and again.ran_rounds == 0  # rien à refaire
    # Maximum déjà atteint (sans l'objectif) : rien non plus.
    _run(tmp_path, "fedsgd-iid", 1)
    _run(tmp_path, "fedsgd-iid", 1)
    assert calls == ["fedavg", "fedsgd"]
    with pytest.raises(ValueError, match="autres réglages.*client_lr"):
        _run(tmp_path, "fedsgd-iid", 3, lr=0.3)


def test_old_checkpoints_are_refused(tmp_path):
    directory = tmp_path / "fedsgd-iid"
    directory.mkdir()
    (directory / "state.json").write_text('{"version": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match="ancienne version"):
        checkpoint.load(directory)


def test_bad_options_are_refused(tmp_path):
    with pytest.raises(ValueError, match="--max-rounds"):
        _run(tmp_path, "fedsgd-iid", 0)
    with pytest.raises(ValueError, match="--clients-per-round"):
        _run(tmp_path, "fedsgd-iid", 2, clients_per_round=11)
    with pytest.raises(ValueError, match="--target"):
        _run(tmp_path, "fedsgd-iid", 2, target=1.5)


# ---------------------------------------------------------------------------
# Tableaux et accélérations, sur des historiques écrits à la main
# ---------------------------------------------------------------------------


def _row(name, accuracies, target=0.99):
    from fltutor.federated import History

    spec = paper.parse_rows(name)[0]
    history = History(
        [
            {"round": t, "test_accuracy": a, "seconds": 1.0}
            for t, a in enumerate(accuracies, start=1)
        ]
    )
    history.rounds_to_target = history.rounds_to(target)
    config = {"target": target, "client_lr": 0.1, "num_clients": 100}
    return mcmahan.Row(spec, config, history, len(accuracies), float(len(accuracies)))


def test_intermediate_threshold_gives_a_measured_speedup(tmp_path):
    # FedSGD atteint 95 % au tour 6 ; FedAvg au tour 2 : 3× plus vite à 95 %,
    # même si aucun des deux n'atteint 99 %.
    fedsgd = _row("fedsgd-noniid", [0.5, 0.7, 0.8, 0.9, 0.94, 0.951, 0.96])
    fedavg = _row("fedavg-e5-b10-noniid", [0.9, 0.955, 0.97])
    assert fedsgd.history.rounds_to(0.95) == 6 and fedavg.history.rounds_to(0.95) == 2
    assert fedavg.history.rounds_to(0.99) is None
    assert mcmahan.speedup(fedsgd, fedavg, 0.95) == (3.0, "3,0×")
    assert mcmahan.speedup(fedsgd, fedavg) == (None, "—")
    slow = _row("fedavg-e1-b50-noniid", [0.5, 0.6])
    assert mcmahan.speedup(fedsgd, slow, 0.95) == (None, "—")
    lagging = _row("fedsgd-iid", [0.5, 0.6, 0.7, 0.8])  # FedSGD pas encore à 95 %
    early = _row("fedavg-e1-b10-iid", [0.96])
    assert mcmahan.speedup(lagging, early, 0.95) == (None, "> 4,0×")

    mcmahan.write_report(tmp_path, [fedsgd, fedavg], "cnn")
    table = (tmp_path / "table.md").read_text(encoding="utf-8")
    assert "Tours pour 95 % (nous)" in table
    line = next(x for x in table.splitlines() if "`fedavg-e5-b10-noniid`" in x)
    assert "| 2 | 3,0× |" in line
    with open(tmp_path / "results.csv", encoding="utf-8") as f:
        rows = {r["row"]: r for r in csv.DictReader(f)}
    assert rows["fedavg-e5-b10-noniid"]["rounds_to_intermediate"] == "2"
    assert rows["fedavg-e5-b10-noniid"]["speedup_vs_fedsgd_intermediate"] == "3.00"
    assert rows["fedsgd-noniid"]["rounds_to_intermediate"] == "6"


def test_reports_are_written(tmp_path):
    rows = [
        _row("fedsgd-iid", [0.5, 0.6, 0.7]),
        _row("fedavg-e5-b10-iid", [0.9, 0.991]),
        _row("fedsgd-noniid", [0.4, 0.5, 0.6]),
        _row("fedadam-e1-b10-noniid", [0.8, 0.85, 0.9]),
    ]
    mcmahan.write_report(tmp_path, rows, "cnn")
    for name in ("results.csv", "history.csv", "table.md", "curves.png"):
        assert (tmp_path / name).is_file(), name
    with open(tmp_path / "results.csv", encoding="utf-8") as f:
        rows_csv = {r["row"]: r for r in csv.DictReader(f)}
    assert rows_csv["fedavg-e5-b10-iid"]["paper_rounds"] == "20"
    assert rows_csv["fedsgd-noniid"]["paper_rounds"] == "483"
    assert rows_csv["fedsgd-iid"]["reached"] == "0"
    assert rows_csv["fedavg-e5-b10-iid"]["reached"] == "1"
    assert rows_csv["fedadam-e1-b10-noniid"]["paper_rounds"] == ""
    table = (tmp_path / "table.md").read_text(encoding="utf-8")
    assert "| Ligne | Algorithme |" in table
    assert "non atteint en 3 tours" in table
    assert "31,3×" in table  # accélération de l'article pour E=5, B=10, IID
    assert "> 1,5×" in table  # FedSGD non atteint : l'accélération est une borne
    assert "| FedAdam |" in table
    with open(tmp_path / "history.csv", encoding="utf-8") as f:
        history = list(csv.DictReader(f))
    assert len(history) == 11 and "train_accuracy" in history[0]
    assert math.isclose(float(history[4]["test_accuracy"]), 0.991)


# ---------------------------------------------------------------------------
# Ligne de commande
# ---------------------------------------------------------------------------


def test_python_m_bench_help_works():
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "utilisation : python -m bench" in done.stdout
    for experiment in ("mcmahan", "overhead", "memory"):
        assert experiment in done.stdout


def test_cli_help_is_french(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "afficher cette aide" in text and "mcmahan" in text
    with pytest.raises(SystemExit):
        cli.main(["mcmahan", "--help"])
    assert "lignes à lancer" in capsys.readouterr().out


def test_cli_errors_are_french(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        cli.main(["mcmahan", "--rows", "fedavg-iid", "--out", str(tmp_path)])
    assert exc.value.code == 2
    assert "Ligne inconnue" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["inconnue"])
    assert "choix invalide" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main(["mcmahan", "--max-rounds", "beaucoup"])
    err = capsys.readouterr().err
    assert "utilisation :" in err and "valeur entière invalide" in err


# ---------------------------------------------------------------------------
# Mémoire des notebooks (exécuteur partagé avec tools/check_sync.py)
# ---------------------------------------------------------------------------


def test_memory_notebook_selection(tmp_path):
    (tmp_path / "01_intro.py").write_text("# %%\n", encoding="utf-8")
    (tmp_path / "02_suite.ipynb").write_text("{}", encoding="utf-8")
    found = memory.find_notebooks(tmp_path, None)
    assert [p.name for p in found] == ["01_intro.py", "02_suite.ipynb"]
    assert [p.name for p in memory.find_notebooks(tmp_path, "02_suite")] == [
        "02_suite.ipynb"
    ]
    with pytest.raises(ValueError, match="Notebook introuvable"):
        memory.find_notebooks(tmp_path, "03_absent")


def test_memory_measures_a_tiny_notebook(tmp_path):
    nb_dir = tmp_path / "nb"
    nb_dir.mkdir()
    (nb_dir / "01_petit.py").write_text(
        "# %%\nimport numpy as np\nx = np.ones(10_000_000)\nprint(x.sum())\n",
        encoding="utf-8",
    )
    rows = memory.run_memory(out=tmp_path, nb_dir=nb_dir, timeout=120, log=None)
    assert rows[0]["status"] == "ok"
    # Le noyau a alloué 80 Mo : le pic doit les voir.
    assert int(rows[0]["peak_kernel_tree_mib"]) >= 80
    table = (tmp_path / "memory" / "table.md").read_text(encoding="utf-8")
    assert "`01_petit.py`" in table


def test_check_sync_uses_the_same_runner():
    source = (ROOT / "tools" / "check_sync.py").read_text(encoding="utf-8")
    assert "notebook_runner.execute" in source
    assert "psutil" not in source  # un seul échantillonneur : notebook_runner
