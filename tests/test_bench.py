"""Tests de la mécanique du banc d'essai (fltutor.bench), sur de toutes petites configurations.

On ne teste pas des durées : seulement la lecture des lignes, les valeurs de
l'article, l'écriture des tableaux et la reprise après interruption.
"""

from __future__ import annotations

import csv
import json
import os
import pathlib

import numpy as np
import pytest

from fltutor import bench

SHARED_MNIST = pathlib.Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"


# ---------------------------------------------------------------------------
# Lignes et valeurs de l'article
# ---------------------------------------------------------------------------


def test_parse_rows_names_and_fields():
    rows = bench.parse_rows("fedsgd-iid, FedAvg-E5-B10-noniid,fedavg-e20-binf-iid")
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
    # u = E·n/B (n = 600), u = E pour B = ∞
    assert avg.updates_per_round() == 300
    assert sgd.updates_per_round() == 1
    assert inf.updates_per_round() == 20


def test_parse_rows_all_and_duplicates():
    everything = bench.parse_rows("all")
    assert [r.name for r in everything] == bench.DEFAULT_ROWS
    assert len(everything) == 12
    assert bench.parse_rows(None) == everything
    assert [r.name for r in bench.parse_rows("fedsgd-iid,fedsgd-iid")] == ["fedsgd-iid"]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("fedavg-e5-iid", "Ligne inconnue"),
        ("fedsgd-mixte", "Ligne inconnue"),
        ("fedavg-e0-b10-iid", "entiers ≥ 1"),
        ("fedsgd-iid,,fedavg-e1-b10-iid", "virgules"),
    ],
)
def test_parse_rows_errors_are_french(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        bench.parse_rows(text)


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
        assert bench.paper_value("cnn", algo, e, b, "iid").rounds == iid
        assert bench.paper_value("cnn", algo, e, b, "noniid").rounds == noniid
    # Chaque ligne par défaut a sa valeur dans l'article.
    for row in bench.parse_rows("all"):
        value = bench.paper_value(
            "cnn", row.algorithm, row.epochs, row.batch_size, row.partition
        )
        assert value is not None and value.verified and value.rounds > 0


def test_paper_table_lookup_missing_and_unverified():
    assert bench.paper_value("cnn", "fedavg", 3, 7, "iid") is None
    unverified = bench.paper_value("mlp", "fedavg", 5, 10, "iid")
    assert unverified.rounds is None and not unverified.verified
    assert unverified.label() == "non vérifié"
    assert bench.paper_value("mlp", "fedsgd", 1, None, "noniid").rounds == 1796
    with pytest.raises(ValueError, match="Partition inconnue"):
        bench.paper_value("cnn", "fedsgd", 1, None, "melange")
    with pytest.raises(ValueError, match="Modèle inconnu"):
        bench.paper_value("resnet", "fedsgd", 1, None, "iid")


# ---------------------------------------------------------------------------
# Boucle reprenable, avec un faux entraîneur (instantané)
# ---------------------------------------------------------------------------


def _fake_factory(calls):
    def factory(spec, lr, partition, arrays):
        calls.append(spec.name)
        return bench.FakeTrainer(num_clients=len(partition))

    return factory


@pytest.fixture
def fake_data(monkeypatch):
    """Remplace MNIST par 200 exemples factices (aucune lecture de fichier)."""
    labels = np.repeat(np.arange(10), 20)
    x = np.zeros((200, 28, 28), np.uint8)
    monkeypatch.setattr(bench, "_load_data", lambda s, t, seed: (x, labels, x, labels))


def _strip(history):
    return [{k: v for k, v in r.items() if "seconds" not in k} for r in history]


def _run_fake(out, rows, max_rounds, calls, **kwargs):
    options = dict(num_clients=10, clients_per_round=3, target=0.6, log=None)
    options.update(kwargs)
    return bench.run_mcmahan(
        bench.parse_rows(rows),
        max_rounds=max_rounds,
        out=out,
        trainer_factory=_fake_factory(calls),
        **options,
    )


def test_resume_gives_same_history_as_straight_run(tmp_path, fake_data):
    calls = []
    straight = _run_fake(tmp_path / "a", "fedsgd-iid", 5, calls, target=0.99)
    _run_fake(tmp_path / "b", "fedsgd-iid", 2, calls, target=0.99)
    resumed = _run_fake(tmp_path / "b", "fedsgd-iid", 5, calls, target=0.99)
    assert _strip(straight[0].history) == _strip(resumed[0].history)
    assert [r["round"] for r in resumed[0].history] == [1, 2, 3, 4, 5]
    ckpt_a = tmp_path / "a" / "mcmahan" / "checkpoints" / "fedsgd-iid"
    ckpt_b = tmp_path / "b" / "mcmahan" / "checkpoints" / "fedsgd-iid"
    wa = bench.load_checkpoint(ckpt_a)[1]
    wb = bench.load_checkpoint(ckpt_b)[1]
    assert all(np.array_equal(a, b) for a, b in zip(wa, wb))
    # Un seul fichier de poids est gardé : celui du dernier tour.
    assert [p.name for p in ckpt_b.glob("weights-*.npz")] == ["weights-000005.npz"]


def test_finished_row_is_not_rerun(tmp_path, fake_data):
    calls = []
    first = _run_fake(tmp_path, "fedsgd-iid", 30, calls)
    assert first[0].reached and calls == ["fedsgd-iid"]
    reached_at = first[0].rounds_to_target
    again = _run_fake(tmp_path, "fedsgd-iid", 60, calls)
    assert calls == ["fedsgd-iid"]  # objectif atteint : pas de nouvel entraîneur
    assert again[0].rounds_to_target == reached_at
    # Maximum déjà atteint (sans l'objectif) : rien non plus.
    _run_fake(tmp_path, "fedavg-e1-b10-iid", 2, calls, target=0.99)
    _run_fake(tmp_path, "fedavg-e1-b10-iid", 2, calls, target=0.99)
    assert calls == ["fedsgd-iid", "fedavg-e1-b10-iid"]


def test_changed_settings_are_refused(tmp_path, fake_data):
    _run_fake(tmp_path, "fedsgd-iid", 2, [], target=0.99)
    with pytest.raises(ValueError, match="autres réglages.*client_lr"):
        _run_fake(tmp_path, "fedsgd-iid", 3, [], target=0.99, lr=0.3)


def test_bad_options_are_refused(tmp_path, fake_data):
    with pytest.raises(ValueError, match="--max-rounds"):
        _run_fake(tmp_path, "fedsgd-iid", 0, [])
    with pytest.raises(ValueError, match="--clients-per-round"):
        _run_fake(tmp_path, "fedsgd-iid", 2, [], clients_per_round=11)
    with pytest.raises(ValueError, match="--target"):
        _run_fake(tmp_path, "fedsgd-iid", 2, [], target=1.5)


def test_reports_are_written(tmp_path, fake_data):
    rows = "fedsgd-iid,fedavg-e5-b10-iid,fedsgd-noniid,fedavg-e1-b10-noniid"
    _run_fake(tmp_path, rows, 3, [])  # aucun n'atteint l'objectif en 3 tours
    _run_fake(tmp_path, "fedavg-e5-b10-iid", 40, [], target=0.6)  # celui-ci oui
    exp = tmp_path / "mcmahan"
    for name in ("results.csv", "history.csv", "table.md", "curves.png"):
        assert (exp / name).is_file(), name
    with open(exp / "results.csv", encoding="utf-8") as f:
        rows_csv = {r["row"]: r for r in csv.DictReader(f)}
    assert set(rows_csv) == set(rows.split(","))
    assert rows_csv["fedavg-e5-b10-iid"]["paper_rounds"] == "20"
    assert rows_csv["fedsgd-noniid"]["paper_rounds"] == "483"
    assert rows_csv["fedsgd-iid"]["reached"] == "0"
    assert rows_csv["fedavg-e5-b10-iid"]["reached"] == "1"
    table = (exp / "table.md").read_text(encoding="utf-8")
    assert "| Ligne | Algorithme |" in table
    assert "non atteint en 3 tours" in table
    assert "31,3×" in table  # accélération de l'article pour E=5, B=10, IID
    assert "> " in table  # FedSGD non atteint : l'accélération est une borne
    with open(exp / "history.csv", encoding="utf-8") as f:
        assert sum(1 for _ in csv.DictReader(f)) > 3 * 4


def test_cli_help_is_french(capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "afficher cette aide" in text and "mcmahan" in text
    with pytest.raises(SystemExit):
        bench.main(["mcmahan", "--help"])
    assert "lignes à lancer" in capsys.readouterr().out


def test_cli_errors_are_french(capsys, tmp_path):
    with pytest.raises(SystemExit) as exc:
        bench.main(["mcmahan", "--rows", "fedavg-iid", "--out", str(tmp_path)])
    assert exc.value.code == 2
    assert "Ligne inconnue" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        bench.main(["inconnue"])
    assert "choix invalide" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        bench.main(["mcmahan", "--max-rounds", "beaucoup"])
    err = capsys.readouterr().err
    assert "utilisation :" in err and "valeur entière invalide" in err


def test_memory_notebook_selection(tmp_path):
    (tmp_path / "01_intro.py").write_text("# %%\n", encoding="utf-8")
    (tmp_path / "02_suite.ipynb").write_text("{}", encoding="utf-8")
    found = bench._find_notebooks(tmp_path, None)
    assert [p.name for p in found] == ["01_intro.py", "02_suite.ipynb"]
    assert [p.name for p in bench._find_notebooks(tmp_path, "02_suite")] == [
        "02_suite.ipynb"
    ]
    with pytest.raises(ValueError, match="Notebook introuvable"):
        bench._find_notebooks(tmp_path, "03_absent")


def test_memory_measures_a_tiny_notebook(tmp_path):
    nb_dir = tmp_path / "nb"
    nb_dir.mkdir()
    (nb_dir / "01_petit.py").write_text(
        "# %%\nimport numpy as np\nx = np.ones(10_000_000)\nprint(x.sum())\n",
        encoding="utf-8",
    )
    rows = bench.run_memory(out=tmp_path, nb_dir=nb_dir, timeout=120, log=None)
    assert rows[0]["status"] == "ok"
    # Le noyau a alloué 80 Mo : le pic doit les voir.
    assert int(rows[0]["peak_kernel_tree_mib"]) >= 80
    table = (tmp_path / "memory" / "table.md").read_text(encoding="utf-8")
    assert "`01_petit.py`" in table


# ---------------------------------------------------------------------------
# Reprise avec le vrai TFF, sur une configuration minuscule (2NN, 4 clients)
# ---------------------------------------------------------------------------


@pytest.mark.skipif(
    not (SHARED_MNIST.is_dir() or os.environ.get("FLTUTOR_DATA_DIR")),
    reason="MNIST local introuvable",
)
def test_tff_resume_matches_straight_run(tmp_path, monkeypatch):
    if not os.environ.get("FLTUTOR_DATA_DIR"):
        monkeypatch.setenv("FLTUTOR_DATA_DIR", str(SHARED_MNIST))
    common = [
        "mcmahan",
        "--model",
        "mlp",
        "--rows",
        "fedavg-e2-b10-noniid",
        "--clients",
        "4",
        "--clients-per-round",
        "2",
        "--subset",
        "80",
        "--test-subset",
        "200",
        "--quiet",
    ]
    assert bench.main([*common, "--out", str(tmp_path / "a"), "--max-rounds", "3"]) == 0
    assert bench.main([*common, "--out", str(tmp_path / "b"), "--max-rounds", "2"]) == 0
    assert bench.main([*common, "--out", str(tmp_path / "b"), "--max-rounds", "3"]) == 0
    states = []
    for name in ("a", "b"):
        ckpt = tmp_path / name / "mcmahan-mlp" / "checkpoints" / "fedavg-e2-b10-noniid"
        state = json.loads((ckpt / "state.json").read_text(encoding="utf-8"))
        states.append((state, bench.load_checkpoint(ckpt)[1]))
    (a, wa), (b, wb) = states
    assert len(a["history"]) == 3
    assert _strip(a["history"]) == _strip(b["history"])
    assert all(np.array_equal(x, y) for x, y in zip(wa, wb))


def _row(name, accuracies):
    spec = bench.parse_rows(name)[0]
    history = [
        {"round": t, "test_accuracy": a, "seconds": 1.0, "eval_seconds": 0.0}
        for t, a in enumerate(accuracies, start=1)
    ]
    config = {"target": 0.99, "client_lr": 0.1, "num_clients": 100}
    return bench.RowResult(spec, config, history, None, len(history), 1.0)


def test_intermediate_threshold_gives_a_measured_speedup(tmp_path):
    # FedSGD atteint 95 % au tour 6 ; FedAvg au tour 2 : 3× plus vite à 95 %,
    # même si aucun des deux n'atteint 99 %.
    fedsgd = _row("fedsgd-noniid", [0.5, 0.7, 0.8, 0.9, 0.94, 0.951, 0.96])
    fedavg = _row("fedavg-e5-b10-noniid", [0.9, 0.955, 0.97])
    assert fedsgd.rounds_to(0.95) == 6 and fedavg.rounds_to(0.95) == 2
    assert fedavg.rounds_to(0.99) is None
    assert bench._speedup(fedsgd, fedavg, 0.95) == (3.0, "3,0×")
    assert bench._speedup(fedsgd, fedavg) == (None, "—")
    slow = _row("fedavg-e1-b50-noniid", [0.5, 0.6])
    assert bench._speedup(fedsgd, slow, 0.95) == (None, "—")
    lagging = _row("fedsgd-iid", [0.5, 0.6, 0.7, 0.8])  # FedSGD pas encore à 95 %
    early = _row("fedavg-e1-b10-iid", [0.96])
    assert bench._speedup(lagging, early, 0.95) == (None, "> 4,0×")

    bench.write_mcmahan_report(tmp_path, [fedsgd, fedavg], "cnn")
    table = (tmp_path / "table.md").read_text(encoding="utf-8")
    assert "Tours pour 95 % (nous)" in table
    line = next(x for x in table.splitlines() if "`fedavg-e5-b10-noniid`" in x)
    assert "| 2 | 3,0× |" in line
    with open(tmp_path / "results.csv", encoding="utf-8") as f:
        rows = {r["row"]: r for r in csv.DictReader(f)}
    assert rows["fedavg-e5-b10-noniid"]["rounds_to_intermediate"] == "2"
    assert rows["fedavg-e5-b10-noniid"]["speedup_vs_fedsgd_intermediate"] == "3.00"
    assert rows["fedsgd-noniid"]["rounds_to_intermediate"] == "6"
