"""Tests de fltutor.widgets (sans navigateur ni noyau : on lit l'état des widgets)."""

from __future__ import annotations

import base64
import math

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from fltutor import widgets  # noqa: E402


@pytest.fixture(autouse=True)
def no_leaked_figures():
    plt.close("all")
    yield
    leaked = plt.get_fignums()
    plt.close("all")
    assert leaked == []


@pytest.fixture(scope="module")
def labels():
    return np.random.default_rng(0).permutation(np.repeat(np.arange(10), 200))


def png_outputs(output):
    return [o for o in output.outputs if "image/png" in o.get("data", {})]


def text_of(output):
    return "".join(o.get("text", "") for o in output.outputs)


def count_changes(output):
    changes = []
    output.observe(lambda change: changes.append(change), names="outputs")
    return changes


# ----------------------------------------------------------- explorateur


def test_explorer_draws_immediately(labels):
    ex = widgets.partition_explorer(labels, num_clients=20)
    pngs = png_outputs(ex.output)
    assert len(pngs) == 1
    assert base64.b64decode(pngs[0]["data"]["image/png"]).startswith(b"\x89PNG")
    assert "Répartition sur 20 clients" in text_of(ex.output)
    assert len(ex.parts) == 20
    assert ex.figure.axes[0].get_title() == "IID : étiquettes par client"
    assert ex.figure.axes[0].get_xlabel() == "Chiffre (classe)"
    assert ex.error is None
    # les contrôles sont dans le conteneur, avec des libellés français
    assert ex.split in ex.children and ex.output in ex.children
    assert [label for label, _ in ex.split.options] == [
        "IID",
        "Tessons (McMahan)",
        "Dirichlet",
        "Déséquilibre de taille",
    ]
    assert ex.split.description == "Répartition :"
    assert ex.num_clients.description == "Nombre de clients :"
    assert "α" in ex.alpha.description


def test_explorer_updates_on_split_change(labels):
    ex = widgets.partition_explorer(labels, num_clients=20)
    changes = count_changes(ex.output)
    before = png_outputs(ex.output)[0]["data"]["image/png"]
    iid_emd = ex.stats.mean_emd
    ex.split.value = "shards"
    assert len(changes) == 1
    after = png_outputs(ex.output)[0]["data"]["image/png"]
    assert after != before
    assert ex.stats.mean_classes_per_client <= 2.5
    assert ex.stats.mean_emd > iid_emd + 0.5
    assert "Tessons (McMahan)" in ex.figure.axes[0].get_title()


def test_explorer_alpha_controls_skew(labels):
    ex = widgets.partition_explorer(labels, num_clients=10)
    assert ex.alpha.layout.display == "none"  # caché hors Dirichlet
    ex.split.value = "dirichlet"
    assert ex.alpha.layout.display is None
    changes = count_changes(ex.output)
    ex.alpha.value = 100.0
    emd_large = ex.stats.mean_emd
    ex.alpha.value = 0.1
    emd_small = ex.stats.mean_emd
    assert len(changes) == 2
    assert emd_small > emd_large
    assert "α = 0,1" in ex.figure.axes[0].get_title()


def test_explorer_num_clients_and_sigma(labels):
    ex = widgets.partition_explorer(labels, num_clients=20)
    ex.num_clients.value = 7
    assert len(ex.parts) == 7
    ex.split.value = "quantity_skew"
    assert ex.sigma.layout.display is None
    ex.sigma.value = 0.0
    sizes = [len(p) for p in ex.parts]
    assert max(sizes) - min(sizes) <= 1
    ex.sigma.value = 2.5
    sizes = [len(p) for p in ex.parts]
    assert max(sizes) > 2 * min(sizes)


def test_explorer_shards_drop_remainder_note(labels):
    ex = widgets.partition_explorer(labels, num_clients=7)
    ex.split.value = "shards"
    assert "laissé(s) de côté" in text_of(ex.output)
    assert sum(len(p) for p in ex.parts) == 2000 - 2000 % 14


def test_explorer_shows_french_error(labels):
    ex = widgets.partition_explorer(labels[:600], num_clients=30)
    ex.split.value = "dirichlet"
    ex.alpha.value = 0.01  # 30 clients de ≥ 10 exemples sur 600 : hors d'atteinte
    assert ex.error is not None and "Augmentez alpha" in ex.error
    assert png_outputs(ex.output) == []
    assert text_of(ex.output).startswith("Impossible")
    ex.alpha.value = 1000.0  # on revient à une situation possible
    assert ex.error is None and len(png_outputs(ex.output)) == 1


def test_explorer_bad_arguments(labels):
    with pytest.raises(ValueError, match="num_clients doit être entre"):
        widgets.partition_explorer(labels, num_clients=0)
    with pytest.raises(ValueError, match="une dimension"):
        widgets.partition_explorer(np.zeros((3, 28, 28), dtype=np.uint8))


def test_make_partition_unknown():
    with pytest.raises(ValueError, match="Répartition inconnue"):
        widgets.make_partition(np.arange(10) % 2, "aleatoire", 2)


# ------------------------------------------------------------------ lanceur


class FakeHistory:
    def __init__(self):
        self.rounds = []

    def column(self, name):
        return [r[name] for r in self.rounds]


class FakeTrainer:
    """Entraînement factice : l'exactitude monte de 10 points par tour."""

    def __init__(self, fail=False):
        self.calls = []
        self.fail = fail

    def __call__(self, x_train, y_train, x_test, y_test, settings, callback):
        self.calls.append(settings)
        if self.fail:
            raise ValueError("clients_per_round dépasse le nombre de clients")
        hist = FakeHistory()
        for t in range(1, settings["rounds"] + 1):
            acc = float("nan") if t == 1 else 0.5 + 0.1 * t
            hist.rounds.append({"round": t, "test_accuracy": acc})
            callback(hist)
        return hist


@pytest.fixture(scope="module")
def mnist_like():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(400, 28, 28), dtype=np.uint8)
    y = np.repeat(np.arange(10), 40)
    return x, y, x[:100], y[:100]


def test_launcher_runs_with_fake_trainer(mnist_like):
    trainer = FakeTrainer()
    launcher = widgets.training_launcher(*mnist_like, train_fn=trainer)
    assert launcher.button.description == "Lancer l'entraînement"
    assert [label for label, _ in launcher.algorithm.options] == [
        "FedAvg",
        "FedSGD",
        "FedProx",
        "FedAdam",
    ]
    launcher.rounds.value = 4
    draws = []
    original_draw = launcher._draw
    launcher._draw = lambda runs, **kw: (
        draws.append(dict(runs)),
        original_draw(runs, **kw),
    )
    hist = launcher.run()
    assert len(trainer.calls) == 1
    assert hist is launcher.last_history
    assert list(launcher.histories) == ["FedAvg, IID, E=1, B=10"]
    # un dessin avant le 1er tour, un par tour, un final
    assert len(draws) == 1 + 4 + 1
    assert [len(d) for d in draws] == [0, 1, 1, 1, 1, 1]
    assert len(png_outputs(launcher.output)) == 1
    ax = launcher.figure.axes[0]
    assert ax.get_xlabel() == "Tour de communication"
    assert ax.get_ylabel() == "Exactitude sur le jeu de test"
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [2, 3, 4])
    assert "terminé" in launcher.status.value
    assert "90,0 %" in launcher.status.value
    assert launcher.button.disabled is False


def test_launcher_button_click_and_comparison(mnist_like):
    trainer = FakeTrainer()
    launcher = widgets.training_launcher(*mnist_like, train_fn=trainer)
    launcher.rounds.value = 2
    launcher.button.click()
    launcher.split.value = "shards"
    launcher.button.click()
    launcher.button.click()  # même réglage : nom numéroté
    assert list(launcher.histories) == [
        "FedAvg, IID, E=1, B=10",
        "FedAvg, Tessons (McMahan), E=1, B=10",
        "FedAvg, Tessons (McMahan), E=1, B=10 (2)",
    ]
    legend = [t.get_text() for t in launcher.figure.axes[0].get_legend().get_texts()]
    assert legend == list(launcher.histories)
    launcher.clear()
    assert launcher.histories == {} and launcher.output.outputs == ()


def test_launcher_settings_passed_to_trainer(mnist_like):
    trainer = FakeTrainer()
    launcher = widgets.training_launcher(*mnist_like, train_fn=trainer, train_size=300)
    launcher.algorithm.value = "fedprox"
    launcher.model.value = "cnn"
    launcher.split.value = "dirichlet"
    launcher.alpha.value = 1.0
    launcher.num_clients.value = 10
    launcher.clients_per_round.value = 3
    launcher.rounds.value = 1
    launcher.epochs.value = 5
    launcher.batch_size.value = 0
    launcher.learning_rate.value = 0.01
    launcher.run()
    s = trainer.calls[-1]
    assert s["algorithm"] == "fedprox" and s["model"] == "cnn"
    assert s["split"] == "dirichlet" and math.isclose(s["alpha"], 1.0)
    assert (s["num_clients"], s["clients_per_round"], s["rounds"]) == (10, 3, 1)
    assert (s["epochs"], s["batch_size"]) == (5, None)
    assert math.isclose(s["learning_rate"], 0.01, rel_tol=1e-6)
    assert s["train_size"] == 300
    assert "FedProx, Dirichlet α=1, E=5, B=∞" in launcher.histories


def test_launcher_controls_follow_choices(mnist_like):
    launcher = widgets.training_launcher(*mnist_like, train_fn=FakeTrainer())
    assert launcher.mu.layout.display == "none"
    launcher.algorithm.value = "fedprox"
    assert launcher.mu.layout.display is None
    launcher.algorithm.value = "fedsgd"
    assert launcher.epochs.disabled and launcher.batch_size.disabled
    assert launcher.run_name().startswith("FedSGD")
    launcher.num_clients.value = 4
    assert launcher.clients_per_round.max == 4
    assert launcher.clients_per_round.value <= 4


def test_launcher_error_is_shown_and_raised(mnist_like):
    launcher = widgets.training_launcher(*mnist_like, train_fn=FakeTrainer(fail=True))
    with pytest.raises(ValueError, match="dépasse"):
        launcher.run()
    assert "Erreur" in launcher.status.value
    assert "dépasse" in launcher.error
    assert launcher.button.disabled is False and launcher.running is False
    launcher.button.click()  # le clic n'interrompt pas le noyau
    assert launcher.histories == {}


def test_launcher_default_trainer_and_bad_data(mnist_like):
    launcher = widgets.training_launcher(*mnist_like)
    assert launcher.train_fn is widgets.default_train
    x, y, xt, yt = mnist_like
    with pytest.raises(ValueError, match="autant d'images que d'étiquettes"):
        widgets.training_launcher(x, y[:10], xt, yt)


@pytest.mark.slow
def test_default_train_with_real_federated(mnist_like):
    """Vrai entraînement TFF minuscule (2NN, 1 tour) : vérifie le contrat avec federated."""
    pytest.importorskip("tensorflow_federated")
    launcher = widgets.training_launcher(*mnist_like, train_size=200, test_size=100)
    launcher.num_clients.value = 4
    launcher.clients_per_round.value = 2
    launcher.rounds.value = 1
    hist = launcher.run()
    acc = hist.column("test_accuracy")
    assert len(acc) == 1 and 0.0 <= acc[0] <= 1.0
    assert len(png_outputs(launcher.output)) == 1


def test_les_widgets_n_utilisent_que_l_api_publique():
    """widgets s'appuie sur les fonctions publiques de plots et partition (pas sur `_…`)."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(widgets))
    private = sorted(
        f"{node.value.id}.{node.attr} (ligne {node.lineno})"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in {"plots", "P", "partition", "formatting", "federated"}
        and node.attr.startswith("_")
    )
    assert not private, "widgets utilise des fonctions privées : " + ", ".join(private)
