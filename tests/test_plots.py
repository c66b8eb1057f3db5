"""Tests de fltutor.plots (sans écran : MPLBACKEND=agg)."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from fltutor import partition as P  # noqa: E402
from fltutor import plots  # noqa: E402


@pytest.fixture(autouse=True)
def no_leaked_figures():
    plt.close("all")
    yield
    leaked = plt.get_fignums()
    plt.close("all")
    assert leaked == [], "une fonction a laissé des figures ouvertes dans pyplot"


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(10), 60)
    images = rng.integers(0, 256, size=(len(labels), 28, 28), dtype=np.uint8)
    parts = P.shards(labels, 20, seed=0)
    return images, labels, parts


def render(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue().startswith(b"\x89PNG")
    return buf.getvalue()


def all_text(fig: Figure) -> str:
    pieces = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return "\n".join(pieces)


def test_label_heatmap(data):
    _, labels, parts = data
    counts = P.label_counts(labels, parts)
    fig = plots.label_heatmap(counts)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_title() == "Répartition des étiquettes entre les clients"
    assert ax.get_xlabel() == "Chiffre (classe)"
    assert ax.get_ylabel() == "Client"
    assert "Nombre d'exemples" in all_text(fig)  # barre de couleur
    np.testing.assert_array_equal(ax.images[0].get_array(), counts)
    # 20 clients : les nombres sont écrits dans les cases
    assert len(ax.texts) == counts.size
    assert str(counts[0].max()) in [t.get_text() for t in ax.texts]
    render(fig)


def test_label_heatmap_custom_title_and_ax():
    fig0, ax = plt.subplots()
    fig = plots.label_heatmap(np.ones((50, 10), dtype=int), title="Mon titre", ax=ax)
    assert fig is fig0
    assert ax.get_title() == "Mon titre"
    assert len(ax.texts) == 0  # 50 clients : pas d'annotation par défaut
    plt.close(fig0)


@pytest.mark.parametrize("bad", [np.zeros(5), np.zeros((0, 10)), [[1, -1]], "abc"])
def test_label_heatmap_bad_counts(bad):
    with pytest.raises(ValueError, match="clients × classes|positifs"):
        plots.label_heatmap(bad)


def test_label_bars(data):
    _, labels, parts = data
    counts = P.label_counts(labels, parts)
    fig = plots.label_bars(counts)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Client"
    assert ax.get_ylabel() == "Nombre d'exemples"
    assert ax.get_title() == "Composition de chaque client"
    assert ax.get_legend().get_title().get_text() == "Chiffre"
    # la hauteur totale d'une barre = taille du client
    heights = np.zeros(len(parts))
    for bar_container in ax.containers:
        heights += [rect.get_height() for rect in bar_container]
    np.testing.assert_allclose(heights, [len(p) for p in parts])
    fig = plots.label_bars(counts, normalize=True)
    assert fig.axes[0].get_ylabel() == "Proportion des exemples du client"
    render(fig)


def test_client_sizes(data):
    _, labels, _ = data
    parts = P.quantity_skew(labels, 12, sigma=1.0, seed=0)
    fig = plots.client_sizes(parts)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Nombre d'exemples par client"
    assert ax.get_ylabel() == "Nombre de clients"
    assert ax.get_title() == "Taille des jeux de données des clients"
    assert sum(p.get_height() for p in ax.patches) == 12
    assert "moyenne" in ax.get_legend().get_texts()[0].get_text()
    render(fig)
    # des tailles toutes égales, ou une liste de tailles, fonctionnent aussi
    render(plots.client_sizes(P.iid(labels, 10)))
    render(plots.client_sizes([100, 200, 300]))
    with pytest.raises(ValueError, match="partition"):
        plots.client_sizes([])


def test_digits_grid(data):
    images, labels, parts = data
    fig = plots.digits_grid(images, labels, parts, clients=(0, 3), per_client=5)
    assert len(fig.axes) == 10
    assert fig.get_suptitle() == "Quelques images de chaque client"
    text = all_text(fig)
    assert "Client 0" in text and "Client 3" in text
    shown = [ax.get_title() for ax in fig.axes[:5]]
    assert shown == [str(labels[i]) for i in parts[0][:5]]
    render(fig)


def test_digits_grid_without_partition_and_channel_dim(data):
    images, labels, _ = data
    x = images[..., None].astype(np.float32) / 255.0
    fig = plots.digits_grid(x, labels, per_client=4)
    assert fig.get_suptitle() == "Quelques images de MNIST"
    assert len(fig.axes) == 12
    render(fig)


def test_digits_grid_errors(data):
    images, labels, parts = data
    with pytest.raises(ValueError, match="Client 99 inexistant"):
        plots.digits_grid(images, labels, parts, clients=(99,))
    with pytest.raises(ValueError, match="étiquettes"):
        plots.digits_grid(images, labels[:3])
    with pytest.raises(ValueError, match="per_client"):
        plots.digits_grid(images, labels, per_client=0)


class FakeHistory:
    """Comme fltutor.federated.History : une méthode column(name)."""

    def __init__(self, acc):
        self.rows = [{"round": i + 1, "test_accuracy": a} for i, a in enumerate(acc)]

    def column(self, name):
        if name not in self.rows[0]:
            raise ValueError(f"Colonne inconnue : {name!r}")
        return [r[name] for r in self.rows]


def test_training_curves_histories_and_dicts():
    runs = {
        "IID": FakeHistory([0.8, float("nan"), 0.95]),
        "non-IID": {"round": [1, 2, 3], "test_accuracy": [0.5, 0.6, 0.7]},
    }
    fig = plots.training_curves(runs, target=0.97)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Tour de communication"
    assert ax.get_ylabel() == "Exactitude sur le jeu de test"
    assert ax.get_title() == "Exactitude sur le jeu de test au fil des tours"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["IID", "non-IID", "objectif : 97 %"]
    iid_line, non_iid_line = ax.lines[0], ax.lines[1]
    np.testing.assert_array_equal(iid_line.get_xdata(), [1, 3])  # NaN sauté
    np.testing.assert_allclose(non_iid_line.get_ydata(), [0.5, 0.6, 0.7])
    render(fig)


def test_training_curves_single_history_and_other_metric():
    fig = plots.training_curves(
        {"round": [1, 2], "train_loss": [2.3, 1.1]}, metric="train_loss"
    )
    ax = fig.axes[0]
    assert ax.get_ylabel() == "Perte sur les données des clients"
    assert ax.get_legend() is None
    fig = plots.training_curves(FakeHistory([0.1, 0.2]))
    assert len(fig.axes[0].lines) == 1


def test_training_curves_errors():
    with pytest.raises(ValueError, match="dictionnaire nom → historique"):
        plots.training_curves({})
    with pytest.raises(ValueError, match="pas de colonne 'test_loss'"):
        plots.training_curves(
            {"a": {"round": [1], "test_accuracy": [0.5]}}, metric="test_loss"
        )
    with pytest.raises(ValueError, match="pas de colonne"):
        plots.training_curves({"a": FakeHistory([0.5])}, metric="train_loss")
    with pytest.raises(ValueError, match="autant de tours"):
        plots.training_curves({"a": {"round": [1, 2], "test_accuracy": [0.5]}})


def test_training_curves_with_real_history_class():
    federated = pytest.importorskip("fltutor.federated")
    hist = federated.History(
        [
            {"round": 1, "test_accuracy": float("nan")},
            {"round": 2, "test_accuracy": 0.9},
        ]
    )
    fig = plots.training_curves({"FedAvg": hist})
    np.testing.assert_array_equal(fig.axes[0].lines[0].get_xdata(), [2])


@pytest.mark.parametrize("step", [None, 1, 2, 3, 4, 5])
def test_workflow_diagram(step):
    fig = plots.workflow_diagram(step=step)
    ax = fig.axes[0]
    title = ax.get_title()
    assert title.startswith("Un tour d'apprentissage fédéré")
    text = all_text(fig)
    for name in [
        "Serveur",
        "Sélection",
        "Diffusion du modèle global",
        "Entraînement local",
        "Envoi des mises à jour",
        "Agrégation",
        "Client 1",
        "(non tiré)",
    ]:
        assert name in text
    if step is not None:
        assert title.endswith(f"étape {step} : {plots.WORKFLOW_STEPS[step]}")
        bold = [t.get_text() for t in ax.texts if t.get_fontweight() == "bold"]
        assert plots.WORKFLOW_STEPS[step].capitalize() in bold
        faded = [
            t.get_text()
            for t in ax.texts
            if t.get_text() in {s.capitalize() for s in plots.WORKFLOW_STEPS.values()}
            and (t.get_alpha() or 1) < 1
        ]
        assert len(faded) == 4
    render(fig)


def test_workflow_diagram_num_clients():
    for n in (3, 5):
        fig = plots.workflow_diagram(num_clients=n)
        assert f"Client {n}\n(non tiré)" in all_text(fig)


@pytest.mark.parametrize("step", [0, 6, "2", 2.0, True])
def test_workflow_diagram_bad_step(step):
    with pytest.raises(ValueError, match="numéro d'étape de 1 à 5"):
        plots.workflow_diagram(step=step)


def test_bad_ax():
    with pytest.raises(ValueError, match="axe matplotlib"):
        plots.client_sizes([1, 2], ax="non")


def test_raw_vs_update_bytes():
    fig = plots.raw_vs_update_bytes(785, {"mlp": 796_840, "cnn": 6_653_480}, 600)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == [
        "envoyer les données brutes (une fois)",
        "une mise à jour « mlp »",
        "une mise à jour « cnn »",
        "un client MNIST (600 images)",
    ]
    assert ax.get_xscale() == ax.get_yscale() == "log"
    raw = ax.get_lines()[0]
    np.testing.assert_allclose(raw.get_ydata(), raw.get_xdata() * 785)
    assert ax.get_lines()[1].get_ydata()[0] == 796_840
    assert plt.get_fignums() == []  # figure détachée de pyplot
    with pytest.raises(ValueError, match="dictionnaire"):
        plots.raw_vs_update_bytes(785, {})
    with pytest.raises(ValueError, match="bytes_per_image"):
        plots.raw_vs_update_bytes(0, {"mlp": 1})


def test_class_accuracy_bars():
    fig = plots.class_accuracy_bars(
        {"seul": np.linspace(0, 1, 10), "fédéré": np.full(10, 0.9)}
    )
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert len(heights) == 20
    np.testing.assert_allclose(heights[:10], np.linspace(0, 1, 10))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["seul", "fédéré"]
    assert ax.get_title() == "Ce que chaque modèle sait reconnaître"
    with pytest.raises(ValueError, match="même"):
        plots.class_accuracy_bars({"a": [0.1, 0.2], "b": [0.3]})
    with pytest.raises(ValueError, match="dictionnaire"):
        plots.class_accuracy_bars([])


def test_label_heatmaps_one_panel_per_split(data):
    _, labels, parts = data
    counts = {
        "IID": P.label_counts(labels, P.iid(labels, 20, seed=0), num_classes=10),
        "Tessons": P.label_counts(labels, parts, num_classes=10),
    }
    fig = plots.label_heatmaps(counts, annotate=False)
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles == ["IID", "Tessons"]
    assert render(fig)[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="dictionnaire"):
        plots.label_heatmaps({})


def test_score_bars_heights_labels_and_separator():
    scores = {
        "A seul": {"exactitude": 0.9, "sensibilité": 0.8},
        "Fédéré": {"exactitude": 0.95, "sensibilité": 0.85},
    }
    fig = plots.score_bars(scores, title="Bilan", separator_after=1)
    ax = fig.axes[0]
    heights = sorted(round(p.get_height(), 6) for p in ax.patches)
    assert heights == [80.0, 85.0, 90.0, 95.0]
    assert ax.get_title() == "Bilan"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A\nseul", "Fédéré"]
    assert any(line.get_xdata()[0] == 0.5 for line in ax.lines)
    with pytest.raises(ValueError, match="mêmes mesures"):
        plots.score_bars({"A": {"exactitude": 0.9}, "B": {"sensibilité": 0.9}})


def test_drift_bars_one_bar_per_client_and_series():
    fig = plots.drift_bars({"IID": [0.9, 0.8, 0.7], "non-IID": [0.2, 0.4, 0.6]})
    ax = fig.axes[0]
    assert len(ax.patches) == 6
    assert sorted(round(p.get_height(), 6) for p in ax.patches)[0] == 0.2
    assert ax.get_ylim() == (0.0, 1.0)
    with pytest.raises(ValueError, match="même nombre"):
        plots.drift_bars({"IID": [0.9], "non-IID": [0.2, 0.4]})


def test_slide_axes_gives_a_small_figure_to_plot_functions():
    ax = plots.slide_axes(height=3.0)
    fig = plots.training_curves(
        {"IID": {"round": [1, 2], "test_accuracy": [0.8, 0.9]}}, ax=ax
    )
    assert fig is ax.figure
    assert fig.get_size_inches().tolist() == [8.0, 3.0]
    assert len(ax.lines) == 1


# --- Figures des notebooks 08 et 09 ---------------------------------------------


def test_image_row():
    images = {"Vraie": np.zeros((28, 28)), "Retrouvée": np.ones(784)}
    fig = plots.image_row(images, title="Fuite")
    assert [ax.get_title() for ax in fig.axes] == ["Vraie", "Retrouvée"]
    assert fig._suptitle.get_text() == "Fuite"
    render(fig)
    with pytest.raises(ValueError, match="au moins une image"):
        plots.image_row({})


def test_privacy_tradeoff():
    eps = {"sans bruit": float("inf"), "z = 1": 1.4, "z = 2": 0.3, "adaptatif": 1.4}
    acc = {"sans bruit": 0.9, "z = 1": 0.8, "z = 2": 0.6, "adaptatif": 0.7}
    fig = plots.privacy_tradeoff(
        eps, acc, groups={"S fixe": ["z = 1", "z = 2"]}, reference="sans bruit"
    )
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["S fixe", "adaptatif", "sans bruit"]
    assert ax.get_xscale() == "log"
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [1.4, 0.3] and list(line.get_ydata()) == [0.8, 0.6]
    render(fig)
    with pytest.raises(ValueError, match="sans ε ou sans exactitude"):
        plots.privacy_tradeoff({"a": 1.0}, {"b": 0.5})
    with pytest.raises(ValueError, match="Essais inconnus"):
        plots.privacy_tradeoff({"a": 1.0}, {"a": 0.5}, reference="b")


def test_cumulative_bytes():
    fig = plots.cumulative_bytes({"MLP": 2e6, "CNN": 8e6}, once=5e5, rounds=10)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 3  # données brutes + deux modèles
    assert lines[0].get_ydata()[0] == pytest.approx(0.5)
    assert lines[2].get_ydata()[-1] == pytest.approx(80.0)  # 10 tours × 8 Mo
    assert ax.get_yscale() == "symlog"
    render(fig)
    with pytest.raises(ValueError, match="au moins une série"):
        plots.cumulative_bytes({})


def test_accuracy_and_bytes():
    from fltutor.federated import History

    h = History(
        [
            {"round": 1, "test_accuracy": 0.5, "bytes_up": 2e6},
            {"round": 2, "test_accuracy": 0.7, "bytes_up": 2e6},
        ]
    )
    d = {"round": [1, 2], "test_accuracy": [0.6, 0.8], "bytes_up": [1e6, 1e6]}
    fig = plots.accuracy_and_bytes({"32 bits": h, "8 bits": d})
    left, right = fig.axes
    assert left.get_title() == "Exactitude au fil des tours"
    assert list(right.get_lines()[0].get_xdata()) == [2.0, 4.0]
    assert list(right.get_lines()[1].get_xdata()) == [1.0, 2.0]
    render(fig)
    with pytest.raises(ValueError, match="au moins un historique"):
        plots.accuracy_and_bytes({})


def test_client_accuracies_un_histogramme_et_un_trait_par_modele():
    from fltutor.federated import ClientEvaluation

    evs = {
        "IID": ClientEvaluation(0.95, np.array([0.9, 1.0, 0.95]), np.ones(3)),
        "Non-IID": ClientEvaluation(0.8, np.array([0.2, 1.0, 0.9]), np.ones(3)),
    }
    fig = plots.client_accuracies(evs)
    ax = fig.axes[0]
    assert [line.get_xdata()[0] for line in ax.lines] == [0.95, 0.8]
    counts = [p.get_height() for p in ax.patches]
    assert sum(counts) == 6  # chaque client compté une fois, par modèle
    with pytest.raises(ValueError, match="dictionnaire nom → évaluation"):
        plots.client_accuracies([])
