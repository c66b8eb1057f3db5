"""Les explorateurs interactifs du cours (ipywidgets).

- `partition_explorer(labels)` : choisir une répartition (IID, tessons,
  Dirichlet, déséquilibre de taille), régler `alpha` et le nombre de clients,
  et voir aussitôt la carte de chaleur des étiquettes et les mesures
  d'hétérogénéité ;
- `training_launcher(x_train, y_train, x_test, y_test)` : régler un
  entraînement fédéré (algorithme, tours, clients par tour, E, B, taux
  d'apprentissage, répartition) et le lancer d'un clic ; la courbe
  d'exactitude se dessine tour après tour, et les essais successifs restent
  sur la même figure pour les comparer.

Les images sont calculées côté Python et placées dans un widget `Output` :
elles s'affichent dès la création du widget, même dans un notebook exécuté
sans navigateur.

Exemple
-------
>>> from fltutor import widgets
>>> explorateur = widgets.partition_explorer(y_train)      # doctest: +SKIP
>>> explorateur                                            # doctest: +SKIP
>>> lanceur = widgets.training_launcher(x_train, y_train, x_test, y_test)  # doctest: +SKIP
>>> lanceur                                                # doctest: +SKIP
>>> historique = lanceur.run()   # comme un clic sur « Lancer l'entraînement »  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import io
import math
import time
import traceback
from typing import Callable

import ipywidgets as W
import numpy as np

from fltutor import formatting, plots, quick_mode
from fltutor import partition as P
from fltutor.formatting import percent

__all__ = [
    "ALGORITHM_OPTIONS",
    "SPLIT_OPTIONS",
    "PartitionExplorer",
    "TrainingLauncher",
    "default_train",
    "make_partition",
    "partition_explorer",
    "training_launcher",
]

#: Les répartitions proposées : libellé affiché → nom dans `fltutor.partition`.
SPLIT_OPTIONS = [
    ("IID", "iid"),
    ("Tessons (McMahan)", "shards"),
    ("Dirichlet", "dirichlet"),
    ("Déséquilibre de taille", "quantity_skew"),
]
_SPLIT_LABELS = {value: label for label, value in SPLIT_OPTIONS}

#: Les algorithmes proposés : libellé affiché → nom pour `federated.build_process`.
ALGORITHM_OPTIONS = [
    ("FedAvg", "fedavg"),
    ("FedSGD", "fedsgd"),
    ("FedProx", "fedprox"),
    ("FedAdam", "fedadam"),
]
_ALGORITHM_LABELS = {value: label for label, value in ALGORITHM_OPTIONS}

_STYLE = {"description_width": "initial"}


def _wide() -> W.Layout:
    """Une mise en page propre à chaque curseur (une Layout partagée serait cachée partout)."""
    return W.Layout(width="420px")


def _show(control: W.Widget, visible: bool) -> None:
    control.layout.display = None if visible else "none"


def _png_output(fig, dpi: int = 80) -> dict:
    """Une sortie « display_data » (PNG) pour un widget Output, sans noyau IPython."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    width, height = fig.get_size_inches()
    return {
        "output_type": "display_data",
        "data": {
            "image/png": base64.b64encode(buf.getvalue()).decode("ascii"),
            "text/plain": f"<Figure de {width * dpi:.0f}×{height * dpi:.0f} pixels>",
        },
        "metadata": {},
    }


def _text_output(text: str) -> dict:
    return {"output_type": "stream", "name": "stdout", "text": text.rstrip("\n") + "\n"}


def make_partition(
    labels,
    split: str,
    num_clients: int,
    alpha: float = 0.5,
    sigma: float = 1.0,
    seed: int = 0,
) -> tuple[list[np.ndarray], str]:
    """Répartit `labels` selon `split` et renvoie `(partition, remarque)`.

    Pour les tessons, si le nombre d'exemples n'est pas un multiple de
    `2 × num_clients`, les derniers exemples sont laissés de côté (la
    remarque le dit) plutôt que de provoquer une erreur.

    >>> import numpy as np
    >>> parts, note = make_partition(np.arange(1001) % 10, "shards", 10)
    >>> sum(len(p) for p in parts)
    1000
    >>> print(note)
    1 exemple(s) laissé(s) de côté pour couper 20 tessons égaux.
    """
    labels = np.asarray(labels)
    note = ""
    options = {
        "shards": {"shards_per_client": 2},
        "dirichlet": {"alpha": alpha},
        "quantity_skew": {"sigma": sigma},
    }.get(split, {})
    if split == "shards":
        num_shards = 2 * num_clients
        usable = len(labels) - len(labels) % num_shards
        if 0 < usable < len(labels):
            note = (
                f"{len(labels) - usable} exemple(s) laissé(s) de côté pour couper "
                f"{num_shards} tessons égaux."
            )
            labels = labels[:usable]
    parts = P.by_name(split, labels, num_clients, seed=seed, **options)
    return parts, note


# ---------------------------------------------------------------------------
# Explorateur de répartitions
# ---------------------------------------------------------------------------


class PartitionExplorer(W.VBox):
    """Explorateur de répartitions (créé par `partition_explorer`).

    Attributs utiles : `split`, `alpha`, `sigma`, `num_clients` (les
    réglages), `output` (la figure et le résumé), `parts`, `stats`
    (`Heterogeneity`), `figure` (la dernière figure) et `error` (le dernier
    message d'erreur, ou None).
    """

    def __init__(self, labels, num_clients: int = 20, seed: int = 0):
        self.labels = P.check_labels(labels)
        self.seed = seed
        n = len(self.labels)
        max_clients = int(min(100, n))
        if not 1 <= num_clients <= max_clients:
            raise ValueError(
                f"num_clients doit être entre 1 et {max_clients} (reçu {num_clients})."
            )
        self.split = W.Dropdown(
            options=SPLIT_OPTIONS,
            value="iid",
            description="Répartition :",
            style=_STYLE,
        )
        self.alpha = W.FloatLogSlider(
            value=0.5,
            base=10,
            min=-2,
            max=3,
            step=0.1,
            description="α de Dirichlet (petit = non-IID) :",
            readout_format=".3g",
            continuous_update=False,
            style=_STYLE,
            layout=_wide(),
        )
        self.sigma = W.FloatSlider(
            value=1.0,
            min=0.0,
            max=3.0,
            step=0.1,
            description="σ (inégalité des tailles) :",
            continuous_update=False,
            style=_STYLE,
            layout=_wide(),
        )
        self.num_clients = W.IntSlider(
            value=num_clients,
            min=1,
            max=max_clients,
            description="Nombre de clients :",
            continuous_update=False,
            style=_STYLE,
            layout=_wide(),
        )
        self.output = W.Output()
        self.parts: list[np.ndarray] = []
        self.stats: P.Heterogeneity | None = None
        self.figure = None
        self.error: str | None = None
        self.updates = 0
        for control in (self.split, self.alpha, self.sigma, self.num_clients):
            control.observe(self._on_change, names="value")
        super().__init__(
            children=[
                self.split,
                self.alpha,
                self.sigma,
                self.num_clients,
                self.output,
            ]
        )
        self.update()  # la figure est dessinée tout de suite

    def _on_change(self, _change) -> None:
        self.update()

    def update(self) -> None:
        """Recalcule la répartition et redessine la figure et le résumé."""
        split = self.split.value
        _show(self.alpha, split == "dirichlet")
        _show(self.sigma, split == "quantity_skew")
        self.updates += 1
        try:
            parts, note = make_partition(
                self.labels,
                split,
                self.num_clients.value,
                alpha=self.alpha.value,
                sigma=self.sigma.value,
                seed=self.seed,
            )
        except ValueError as err:
            self.error = str(err)
            self.output.outputs = (_text_output(f"Impossible : {err}"),)
            return
        self.error = None
        self.parts = parts
        self.stats = P.heterogeneity(self.labels, parts)
        counts = P.label_counts(
            self.labels, parts, num_classes=int(self.labels.max()) + 1
        )
        name = _SPLIT_LABELS[split]
        if split == "dirichlet":
            name += f" (α = {formatting.short(self.alpha.value)})"
        elif split == "quantity_skew":
            name += f" (σ = {formatting.number(self.sigma.value, 1)})"
        # Assez basse pour tenir sur une diapositive projetée (1280×720) avec
        # les réglages et le résumé : 3,5 pouces pour 20 clients.
        fig = plots.new_figure(figsize=(10, max(3.0, min(7.0, 0.1 * len(parts) + 1.5))))
        ax_heat, ax_sizes = fig.subplots(1, 2, width_ratios=[2.2, 1])
        plots.label_heatmap(counts, title=f"{name} : étiquettes par client", ax=ax_heat)
        plots.client_sizes(parts, title="Taille des clients", ax=ax_sizes)
        self.figure = fig
        text = str(self.stats) + (f"\nRemarque : {note}" if note else "")
        self.output.outputs = (_png_output(fig), _text_output(text))


def partition_explorer(
    labels, num_clients: int = 20, seed: int = 0
) -> PartitionExplorer:
    """Crée l'explorateur de répartitions pour les étiquettes `labels`.

    Une liste déroulante choisit la répartition (« IID », « Tessons
    (McMahan) », « Dirichlet », « Déséquilibre de taille »), des curseurs
    règlent α, σ et le nombre de clients ; la carte de chaleur des
    étiquettes, l'histogramme des tailles et le résumé d'hétérogénéité se
    mettent à jour à chaque changement.

    >>> explorateur = partition_explorer(y_train, num_clients=20)   # doctest: +SKIP
    >>> explorateur.split.value = "dirichlet"                      # doctest: +SKIP
    >>> explorateur.alpha.value = 0.1                              # doctest: +SKIP
    >>> print(explorateur.stats)                                   # doctest: +SKIP
    """
    return PartitionExplorer(labels, num_clients=num_clients, seed=seed)


# ---------------------------------------------------------------------------
# Lanceur d'entraînements fédérés
# ---------------------------------------------------------------------------


def _subset(x, y, size, rng):
    if size is None or size >= len(y):
        return x, y
    idx = np.sort(rng.choice(len(y), size=int(size), replace=False))
    return x[idx], y[idx]


def default_train(x_train, y_train, x_test, y_test, settings: dict, callback):
    """Entraînement fédéré réel avec `fltutor.federated` (utilisé par le lanceur).

    `settings` contient les réglages du lanceur (voir `TrainingLauncher.settings`).
    On tire au hasard `train_size` exemples d'entraînement et `test_size`
    exemples de test (pour aller vite), on les répartit entre `num_clients`
    clients, puis on appelle `federated.build_process` et `federated.train`
    (`callback` est appelé avec l'historique après chaque tour).
    Pour FedSGD, E = 1 et B = ∞ (un gradient sur tout le jeu local).
    """
    from fltutor import federated  # import tardif : TFF est lourd à charger

    s = dict(settings)
    rng = np.random.default_rng(s["seed"])
    x, y = _subset(np.asarray(x_train), np.asarray(y_train), s.get("train_size"), rng)
    xt, yt = _subset(np.asarray(x_test), np.asarray(y_test), s.get("test_size"), rng)
    parts, _ = make_partition(
        y,
        s["split"],
        s["num_clients"],
        alpha=s["alpha"],
        sigma=s.get("sigma", 1.0),
        seed=s["seed"],
    )
    epochs, batch_size = s["epochs"], s["batch_size"]
    if s["algorithm"] == "fedsgd":
        epochs, batch_size = 1, None
    client_data = federated.client_datasets(
        x, y, parts, epochs=epochs, batch_size=batch_size, seed=s["seed"]
    )
    kwargs = {}
    if s["algorithm"] == "fedprox":
        kwargs["mu"] = s["mu"]
    process = federated.build_process(
        s["algorithm"], model=s["model"], client_lr=s["learning_rate"], **kwargs
    )
    return federated.train(
        process,
        client_data,
        rounds=s["rounds"],
        clients_per_round=s["clients_per_round"],
        test_data=(xt, yt),
        seed=s["seed"],
        progress=False,
        callback=callback,
        model=s["model"],
    )


def _last_value(history, name: str):
    try:
        values = list(history.column(name))
    except (AttributeError, KeyError, ValueError):
        return None
    for v in reversed(values):
        if v is not None and not (isinstance(v, float) and math.isnan(v)):
            return v
    return None


class TrainingLauncher(W.VBox):
    """Lanceur d'entraînements fédérés (créé par `training_launcher`).

    Réglages : `algorithm`, `model`, `split`, `alpha`, `mu`, `num_clients`,
    `rounds`, `clients_per_round`, `epochs` (E), `batch_size` (B, 0 = ∞),
    `learning_rate` ; boutons `button` (« Lancer l'entraînement ») et
    `clear_button`. Résultats : `output` (la courbe), `status`,
    `histories` (nom de l'essai → historique), `last_history`, `figure`.
    """

    def __init__(
        self,
        x_train,
        y_train,
        x_test,
        y_test,
        train_fn: Callable | None = None,
        train_size: int | None = None,
        test_size: int | None = None,
        seed: int = 0,
    ):
        quick = quick_mode()
        self.data = (x_train, y_train, x_test, y_test)
        if len(y_train) != len(x_train) or len(y_test) != len(x_test):
            raise ValueError(
                "Donnez autant d'images que d'étiquettes : "
                "training_launcher(x_train, y_train, x_test, y_test)."
            )
        self.train_fn = train_fn if train_fn is not None else default_train
        self.train_size = (
            train_size if train_size is not None else (2000 if quick else 6000)
        )
        self.test_size = (
            test_size if test_size is not None else (1000 if quick else 2000)
        )
        self.seed = seed
        self.histories: dict = {}
        self.last_history = None
        self.figure = None
        self.error: str | None = None
        self.running = False

        def slider(cls, description, **kw):
            return cls(description=description, style=_STYLE, layout=_wide(), **kw)

        self.algorithm = W.Dropdown(
            options=ALGORITHM_OPTIONS,
            value="fedavg",
            description="Algorithme :",
            style=_STYLE,
        )
        self.model = W.Dropdown(
            options=[("« 2NN » (rapide)", "mlp"), ("CNN (plus lent)", "cnn")],
            value="mlp",
            description="Modèle :",
            style=_STYLE,
        )
        self.split = W.Dropdown(
            options=SPLIT_OPTIONS,
            value="iid",
            description="Répartition :",
            style=_STYLE,
        )
        self.alpha = slider(
            W.FloatLogSlider,
            "α de Dirichlet :",
            value=0.1,
            base=10,
            min=-2,
            max=3,
            step=0.1,
            readout_format=".3g",
        )
        self.mu = slider(
            W.FloatLogSlider,
            "μ (terme proximal) :",
            value=0.01,
            base=10,
            min=-3,
            max=0,
            step=0.5,
            readout_format=".3g",
        )
        self.num_clients = slider(
            W.IntSlider, "Nombre de clients K :", value=20, min=2, max=100
        )
        self.rounds = slider(
            W.IntSlider,
            "Tours de communication :",
            value=3 if quick else 10,
            min=1,
            max=100,
        )
        self.clients_per_round = slider(
            W.IntSlider, "Clients par tour m :", value=5, min=1, max=20
        )
        self.epochs = slider(
            W.IntSlider, "E (époques locales) :", value=1, min=1, max=10
        )
        self.batch_size = W.Dropdown(
            options=[("10", 10), ("20", 20), ("50", 50), ("∞ (tout le jeu local)", 0)],
            value=10,
            description="B (taille des lots) :",
            style=_STYLE,
        )
        self.learning_rate = slider(
            W.FloatLogSlider,
            "η (taux d'apprentissage) :",
            value=0.1,
            base=10,
            min=-3,
            max=0,
            step=0.1,
            readout_format=".3g",
        )
        self.button = W.Button(
            description="Lancer l'entraînement", button_style="primary", icon="play"
        )
        self.clear_button = W.Button(description="Effacer les courbes", icon="trash")
        self.status = W.HTML(
            value="Réglez les paramètres puis cliquez sur « Lancer l'entraînement »."
        )
        self.output = W.Output()

        self.button.on_click(self._on_click)
        self.clear_button.on_click(lambda _b: self.clear())
        self.algorithm.observe(self._sync_controls, names="value")
        self.split.observe(self._sync_controls, names="value")
        self.num_clients.observe(self._sync_controls, names="value")
        self._sync_controls()

        super().__init__(
            children=[
                W.HTML("<b>Lancer un entraînement fédéré</b>"),
                W.HBox(
                    [
                        W.VBox(
                            [
                                self.algorithm,
                                self.model,
                                self.split,
                                self.alpha,
                                self.mu,
                            ]
                        ),
                        W.VBox(
                            [
                                self.num_clients,
                                self.clients_per_round,
                                self.rounds,
                                self.epochs,
                                self.batch_size,
                                self.learning_rate,
                            ]
                        ),
                    ]
                ),
                W.HBox([self.button, self.clear_button]),
                self.status,
                self.output,
            ]
        )

    # -- réglages -----------------------------------------------------------

    def _sync_controls(self, _change=None) -> None:
        _show(self.alpha, self.split.value == "dirichlet")
        _show(self.mu, self.algorithm.value == "fedprox")
        fedsgd = self.algorithm.value == "fedsgd"
        self.epochs.disabled = fedsgd
        self.batch_size.disabled = fedsgd
        self.clients_per_round.max = self.num_clients.value

    @property
    def settings(self) -> dict:
        """Les réglages actuels, tels que transmis à `train_fn`."""
        return {
            "algorithm": self.algorithm.value,
            "model": self.model.value,
            "split": self.split.value,
            "alpha": float(self.alpha.value),
            "mu": float(self.mu.value),
            "num_clients": int(self.num_clients.value),
            "rounds": int(self.rounds.value),
            "clients_per_round": int(self.clients_per_round.value),
            "epochs": int(self.epochs.value),
            "batch_size": None
            if self.batch_size.value == 0
            else int(self.batch_size.value),
            "learning_rate": float(self.learning_rate.value),
            "seed": self.seed,
            "train_size": self.train_size,
            "test_size": self.test_size,
        }

    def run_name(self, settings: dict | None = None) -> str:
        """Le nom d'un essai dans la légende, par exemple « FedAvg, IID, E=1, B=10 »."""
        s = self.settings if settings is None else settings
        split = _SPLIT_LABELS[s["split"]]
        if s["split"] == "dirichlet":
            split += f" α={formatting.short(s['alpha'], 2)}"
        if s["algorithm"] == "fedsgd":
            name = f"FedSGD, {split}"
        else:
            b = "∞" if s["batch_size"] is None else s["batch_size"]
            name = (
                f"{_ALGORITHM_LABELS[s['algorithm']]}, {split}, E={s['epochs']}, B={b}"
            )
        base, k = name, 2
        while name in self.histories:
            name, k = f"{base} ({k})", k + 1
        return name

    # -- dessin ---------------------------------------------------------------

    def _draw(self, runs: dict, extra_text: str = "") -> None:
        fig = plots.new_figure(figsize=(8, 4))
        ax = fig.add_subplot()
        plotted = {k: v for k, v in runs.items() if _has_points(v)}
        if plotted:
            plots.training_curves(plotted, ax=ax)
        else:
            ax.set_title("Exactitude sur le jeu de test au fil des tours")
            ax.set_xlabel("Tour de communication")
            ax.set_ylabel("Exactitude sur le jeu de test")
            ax.text(
                0.5,
                0.5,
                "en attente du premier tour…",
                ha="center",
                va="center",
                transform=ax.transAxes,
                color="gray",
            )
        self.figure = fig
        outputs = [_png_output(fig)]
        if extra_text:
            outputs.append(_text_output(extra_text))
        self.output.outputs = tuple(outputs)

    def clear(self) -> None:
        """Efface les essais précédents et la figure."""
        self.histories.clear()
        self.last_history = None
        self.figure = None
        self.output.outputs = ()
        self.status.value = "Courbes effacées."

    # -- entraînement ---------------------------------------------------------

    def _on_click(self, _button) -> None:
        try:
            self.run()
        except Exception:  # noqa: BLE001 - déjà affiché dans le widget
            pass

    def run(self):
        """Lance un entraînement avec les réglages actuels (comme le bouton).

        La courbe se redessine après chaque tour. Renvoie l'historique ;
        en cas d'erreur, le message s'affiche dans le widget puis l'erreur
        est relancée.
        """
        if self.running:
            self.status.value = "Un entraînement est déjà en cours : patientez."
            return None
        settings = self.settings
        name = self.run_name(settings)
        rounds = settings["rounds"]
        self.running = True
        self.error = None
        self.button.disabled = True
        self.status.value = (
            f"<b>{name}</b> : préparation (construction du calcul fédéré)…"
        )
        self._draw(dict(self.histories))
        start = time.perf_counter()

        def callback(history):
            done = len(history.column("round")) if hasattr(history, "column") else 0
            acc = _last_value(history, "test_accuracy")
            text = f"<b>{name}</b> : tour {done}/{rounds}"
            if acc is not None:
                text += f" — exactitude test {percent(acc)}"
            text += f" ({formatting.number(time.perf_counter() - start, 0)} s)"
            self.status.value = text
            self._draw({**self.histories, name: history})
            return None

        try:
            x_train, y_train, x_test, y_test = self.data
            history = self.train_fn(
                x_train, y_train, x_test, y_test, settings, callback
            )
        except Exception as err:
            self.error = f"{type(err).__name__} : {err}"
            self.status.value = (
                f"<span style='color:#b00020'><b>Erreur</b> ({name}) : {err}</span>"
            )
            self._draw(dict(self.histories), extra_text=traceback.format_exc(limit=3))
            raise
        finally:
            self.running = False
            self.button.disabled = False
        self.histories[name] = history
        self.last_history = history
        acc = _last_value(history, "test_accuracy")
        summary = f"<b>{name}</b> : terminé en {formatting.number(time.perf_counter() - start, 0)} s"
        if acc is not None:
            summary += f", exactitude test finale {percent(acc)}"
        self.status.value = summary + "."
        self._draw(dict(self.histories))
        return history


def _has_points(run) -> bool:
    return _last_value(run, "test_accuracy") is not None


def training_launcher(
    x_train,
    y_train,
    x_test,
    y_test,
    train_fn: Callable | None = None,
    train_size: int | None = None,
    test_size: int | None = None,
    seed: int = 0,
) -> TrainingLauncher:
    """Crée le lanceur d'entraînements fédérés.

    Réglages : algorithme (FedAvg, FedSGD, FedProx, FedAdam), modèle,
    répartition, nombre de clients, tours, clients par tour, E, B, taux
    d'apprentissage ; bouton « Lancer l'entraînement ». Pour aller vite, on
    n'utilise que `train_size` exemples d'entraînement (6 000 ; 2 000 en
    mode rapide) et `test_size` exemples de test (2 000 ; 1 000).

    `train_fn(x_train, y_train, x_test, y_test, settings, callback)` remplace
    l'entraînement réel (`default_train`) : utile pour les tests. Elle doit
    appeler `callback(historique)` après chaque tour et renvoyer
    l'historique (un objet avec une méthode `column(nom)`).

    >>> lanceur = training_launcher(x_train, y_train, x_test, y_test)  # doctest: +SKIP
    >>> lanceur.split.value = "shards"                                 # doctest: +SKIP
    >>> historique = lanceur.run()                                     # doctest: +SKIP
    """
    return TrainingLauncher(
        x_train,
        y_train,
        x_test,
        y_test,
        train_fn=train_fn,
        train_size=train_size,
        test_size=test_size,
        seed=seed,
    )
