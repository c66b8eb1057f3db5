"""Les graphiques du cours (matplotlib, en français).

Chaque fonction renvoie la figure matplotlib (`Figure`). Elle s'affiche sous
la cellule si l'appel est la **dernière ligne** de la cellule, ou avec
`display(fig)` ; on peut aussi l'enregistrer avec `fig.savefig("nom.png")`.
Les figures ne sont pas gardées par `pyplot` : pas de double affichage, pas
d'accumulation de figures ouvertes. Les fonctions qui tracent un seul
graphique acceptent `ax=` pour dessiner dans un axe existant.

- `label_heatmap` / `label_bars` : quelles étiquettes a chaque client ;
- `client_sizes` : combien d'exemples a chaque client ;
- `digits_grid` : quelques images de chaque client ;
- `training_curves` : exactitude (ou perte) au fil des tours, plusieurs essais ;
- `workflow_diagram` : le schéma d'un tour d'apprentissage fédéré ;
- `raw_vs_update_bytes` : octets des données brutes ou d'une mise à jour ;
- `class_accuracy_bars` : l'exactitude de plusieurs modèles, chiffre par chiffre.

Exemple
-------
>>> import numpy as np
>>> from fltutor import partition, plots
>>> labels = np.repeat(np.arange(10), 100)
>>> parts = partition.shards(labels, num_clients=10)
>>> fig = plots.label_heatmap(partition.label_counts(labels, parts))
>>> fig.axes[0].get_xlabel()
'Chiffre (classe)'
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

import matplotlib

# Le backend n'est pas choisi ici : pyplot prend celui du notebook (inline).
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patches
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from fltutor import checks
from fltutor.formatting import number, percent, short

__all__ = [
    "METRIC_LABELS",
    "WORKFLOW_STEPS",
    "class_accuracy_bars",
    "accuracy_and_bytes",
    "client_sizes",
    "cumulative_bytes",
    "digits_grid",
    "image_row",
    "label_bars",
    "label_heatmap",
    "new_figure",
    "raw_vs_update_bytes",
    "privacy_tradeoff",
    "training_curves",
    "workflow_diagram",
]

#: Noms français des colonnes de `History`.
METRIC_LABELS = {
    "test_accuracy": "Exactitude sur le jeu de test",
    "train_accuracy": "Exactitude sur les données des clients",
    "test_loss": "Perte sur le jeu de test",
    "train_loss": "Perte sur les données des clients",
    "seconds": "Durée du tour (s)",
    "bytes_down": "Octets envoyés aux clients",
    "bytes_up": "Octets reçus des clients",
}

#: Les cinq étapes d'un tour (numéro → nom), comme dans le cours.
WORKFLOW_STEPS = {
    1: "sélection",
    2: "diffusion du modèle global",
    3: "entraînement local",
    4: "envoi des mises à jour",
    5: "agrégation",
}

_STEP_COLORS = {
    1: "#7b3294",
    2: "#1f77b4",
    3: "#2ca02c",
    4: "#ff7f0e",
    5: "#d62728",
}


def new_figure(**kwargs) -> Figure:
    """Une figure détachée de pyplot (affichée une seule fois, jamais en double).

    Mêmes arguments que `plt.figure` (mise en page « constrained » par défaut).

    >>> new_figure(figsize=(4, 3)).get_size_inches().tolist()
    [4.0, 3.0]
    """
    kwargs.setdefault("layout", "constrained")
    fig = plt.figure(**kwargs)
    plt.close(fig)  # pyplot l'oublie ; la figure reste utilisable et affichable
    return fig


def _figure_and_axes(ax, figsize):
    if ax is None:
        fig = new_figure(figsize=figsize)
        return fig, fig.add_subplot()
    if not isinstance(ax, matplotlib.axes.Axes):
        raise ValueError(
            f"`ax` doit être un axe matplotlib (reçu {type(ax).__name__}) : "
            "par exemple `fig, ax = plt.subplots()`, ou laissez ax=None."
        )
    return ax.figure, ax


def _check_counts(counts) -> np.ndarray:
    arr = np.asarray(counts)
    if arr.ndim != 2 or arr.size == 0:
        raise ValueError(
            "`counts` doit être un tableau (clients × classes), par exemple "
            f"`partition.label_counts(labels, parts)` ; reçu la forme {arr.shape}."
        )
    if arr.dtype.kind not in "iuf" or np.any(arr < 0):
        raise ValueError(
            "`counts` doit contenir des nombres d'exemples (positifs ou nuls)."
        )
    return arr


# ---------------------------------------------------------------------------
# Répartition des données
# ---------------------------------------------------------------------------


def label_heatmap(
    counts,
    title: str = "Répartition des étiquettes entre les clients",
    ax=None,
    annotate: bool | None = None,
) -> Figure:
    """Carte de chaleur clients × classes : combien d'exemples de chaque chiffre.

    `counts` vient de `partition.label_counts`. Une ligne par client, une
    colonne par chiffre ; plus la case est foncée, plus il y a d'exemples.
    `annotate` écrit les nombres dans les cases (par défaut : si ≤ 20 clients).

    >>> import numpy as np
    >>> fig = label_heatmap(np.array([[5, 0], [1, 4]]))
    >>> fig.axes[0].get_ylabel()
    'Client'
    """
    counts = _check_counts(counts)
    num_clients, num_classes = counts.shape
    fig, ax = _figure_and_axes(ax, (7, max(3.0, min(9.0, 0.25 * num_clients + 2))))
    # L'échelle commence à 0 : une répartition IID paraît uniforme, comme elle l'est.
    image = ax.imshow(
        counts, aspect="auto", cmap="Blues", interpolation="nearest", vmin=0
    )
    cbar = fig.colorbar(image, ax=ax)
    cbar.set_label("Nombre d'exemples")
    ax.set_xlabel("Chiffre (classe)")
    ax.set_ylabel("Client")
    ax.set_title(title)
    ax.set_xticks(range(num_classes))
    if num_clients <= 30:
        ax.set_yticks(range(num_clients))
    else:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if annotate is None:
        annotate = num_clients <= 20 and num_classes <= 12
    if annotate:
        vmax = counts.max() if counts.max() > 0 else 1
        for i in range(num_clients):
            for j in range(num_classes):
                value = counts[i, j]
                ax.text(
                    j,
                    i,
                    f"{value:g}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if value > 0.6 * vmax else "black",
                )
    return fig


def label_bars(
    counts,
    title: str = "Composition de chaque client",
    ax=None,
    normalize: bool = False,
) -> Figure:
    """Barres empilées : pour chaque client, combien d'exemples de chaque chiffre.

    Avec `normalize=True`, chaque barre montre des proportions (hauteur 1).

    >>> import numpy as np
    >>> fig = label_bars(np.array([[5, 0], [1, 4]]), normalize=True)
    >>> fig.axes[0].get_ylabel()
    'Proportion des exemples du client'
    """
    counts = _check_counts(counts).astype(float)
    num_clients, num_classes = counts.shape
    if normalize:
        totals = counts.sum(axis=1, keepdims=True)
        counts = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    fig, ax = _figure_and_axes(ax, (max(6.0, min(14.0, 0.3 * num_clients + 3)), 4))
    cmap = matplotlib.colormaps["tab10" if num_classes <= 10 else "tab20"]
    bottom = np.zeros(num_clients)
    positions = np.arange(num_clients)
    for k in range(num_classes):
        ax.bar(
            positions,
            counts[:, k],
            bottom=bottom,
            color=cmap(k % cmap.N),
            label=str(k),
            width=0.85,
        )
        bottom += counts[:, k]
    ax.set_xlabel("Client")
    ax.set_ylabel(
        "Proportion des exemples du client" if normalize else "Nombre d'exemples"
    )
    ax.set_title(title)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(-0.6, num_clients - 0.4)
    ax.legend(
        title="Chiffre",
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
        fontsize=8,
        title_fontsize=9,
    )
    return fig


def _sizes(partition) -> np.ndarray:
    if (
        isinstance(partition, np.ndarray)
        and partition.ndim == 1
        and partition.dtype.kind in "iu"
    ):
        return partition.astype(np.int64)  # déjà des tailles
    if (
        isinstance(partition, (str, bytes))
        or not isinstance(partition, Sequence)
        or not partition
    ):
        raise ValueError(
            "Donnez une partition (liste de tableaux d'indices, un par client) "
            "ou la liste des tailles des clients."
        )
    return np.array(
        [int(p) if np.ndim(p) == 0 else len(p) for p in partition], dtype=np.int64
    )


def client_sizes(
    partition,
    title: str = "Taille des jeux de données des clients",
    ax=None,
    bins="auto",
) -> Figure:
    """Histogramme du nombre d'exemples par client.

    `partition` : une partition (liste de tableaux d'indices) ou directement
    la liste des tailles. Un trait vertical marque la taille moyenne.

    >>> fig = client_sizes([[0, 1, 2], [3], [4, 5]])
    >>> fig.axes[0].get_xlabel()
    "Nombre d'exemples par client"
    """
    sizes = _sizes(partition)
    fig, ax = _figure_and_axes(ax, (6, 3.5))
    equal = sizes.min() == sizes.max()
    if equal:
        width = max(1.0, 0.1 * sizes.max())
        bins = [sizes.min() - width / 2, sizes.max() + width / 2]
    ax.hist(sizes, bins=bins, color="#4c72b0", edgecolor="white")
    if equal:
        ax.set_xlim(0, 2 * sizes.max() + 1)
    ax.ticklabel_format(axis="x", useOffset=False, style="plain")
    mean = float(sizes.mean())
    ax.axvline(
        mean, color="#d62728", linestyle="--", label=f"moyenne : {number(mean, 0)}"
    )
    ax.set_xlabel("Nombre d'exemples par client")
    ax.set_ylabel("Nombre de clients")
    ax.set_title(title)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend()
    return fig


def digits_grid(
    x,
    y,
    partition=None,
    clients=(0, 1, 2),
    per_client=8,
    title: str | None = None,
) -> Figure:
    """Grille d'images : une ligne par client, `per_client` chiffres par ligne.

    Sans `partition`, montre simplement les premières images du jeu
    (`len(clients)` lignes). Le chiffre attendu est écrit au-dessus de chaque image.

    >>> import numpy as np
    >>> x = np.zeros((20, 28, 28), np.uint8); y = np.arange(20) % 10
    >>> fig = digits_grid(x, y, [np.arange(10), np.arange(10, 20)], clients=(0, 1), per_client=4)
    >>> len(fig.axes)
    8
    """
    images = np.asarray(x)
    labels = np.asarray(y)
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.ndim != 3 or len(images) != len(labels):
        raise ValueError(
            "Donnez les images (N, 28, 28) et leurs N étiquettes, par exemple "
            f"`x_train, y_train` ; reçu {images.shape} et {labels.shape}."
        )
    per_client = checks.integer(per_client, "per_client", 1)
    if isinstance(clients, numbers.Integral):
        clients = [clients]
    clients = list(clients)
    if not clients:
        raise ValueError("`clients` est vide : donnez au moins un numéro de client.")

    rows: list[tuple[str, np.ndarray]] = []
    if partition is None:
        for r in range(len(clients)):
            start = r * per_client
            rows.append(("", np.arange(start, min(start + per_client, len(labels)))))
        default_title = "Quelques images de MNIST"
    else:
        for c in clients:
            checks.integer(
                c,
                f"Client {c!r} inexistant : le numéro de client",
                0,
                len(partition) - 1,
                hint=f"La partition a {len(partition)} clients.",
            )
            idx = np.asarray(partition[c], dtype=np.int64)
            rows.append((f"Client {c}\n({len(idx)} ex.)", idx[:per_client]))
        default_title = "Quelques images de chaque client"

    fig = new_figure(figsize=(1.1 * per_client + 1.2, 1.3 * len(rows) + 0.6))
    axes = fig.subplots(len(rows), per_client, squeeze=False)
    for r, (row_label, idx) in enumerate(rows):
        for j in range(per_client):
            ax = axes[r, j]
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            if j < len(idx):
                ax.imshow(images[idx[j]], cmap="gray_r", interpolation="nearest")
                ax.set_title(str(labels[idx[j]]), fontsize=9)
        if row_label:
            axes[r, 0].set_ylabel(
                row_label, rotation=0, ha="right", va="center", fontsize=9
            )
    fig.suptitle(title if title is not None else default_title)
    return fig


# ---------------------------------------------------------------------------
# Courbes d'entraînement
# ---------------------------------------------------------------------------


def _series(run, metric: str, name: str) -> tuple[list, list]:
    if hasattr(run, "column"):
        try:
            values = list(run.column(metric))
            rounds = list(run.column("round"))
        except (KeyError, ValueError) as err:
            raise ValueError(
                f"Essai « {name} » : pas de colonne {metric!r} ({err})."
            ) from None
    elif isinstance(run, Mapping):
        if metric not in run:
            raise ValueError(
                f"Essai « {name} » : pas de colonne {metric!r}. "
                f"Colonnes disponibles : {', '.join(map(str, run))}."
            )
        values = list(run[metric])
        rounds = (
            list(run["round"]) if "round" in run else list(range(1, len(values) + 1))
        )
    else:
        raise ValueError(
            f"Essai « {name} » : donnez un historique (`History`) ou un dictionnaire "
            "{'round': [...], 'test_accuracy': [...]}."
        )
    if len(rounds) != len(values):
        raise ValueError(
            f"Essai « {name} » : autant de tours que de valeurs, s'il vous plaît."
        )
    pairs = [
        (r, float(v))
        for r, v in zip(rounds, values)
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    ]
    return [p[0] for p in pairs], [p[1] for p in pairs]


def training_curves(
    histories,
    metric: str = "test_accuracy",
    ax=None,
    title: str | None = None,
    target: float | None = None,
    ylabel: str | None = None,
) -> Figure:
    """Courbes d'un ou plusieurs entraînements, tour par tour, sur une même figure.

    `histories` : un dictionnaire nom → historique (`federated.History`, ou
    dictionnaire `{"round": [...], "test_accuracy": [...]}`), ou un seul
    historique. Les tours non évalués (NaN) sont sautés. `target` trace
    l'objectif d'exactitude (par exemple 0.97).

    >>> fig = training_curves({"IID": {"round": [1, 2], "test_accuracy": [0.8, 0.9]},
    ...                        "non-IID": {"round": [1, 2], "test_accuracy": [0.5, 0.7]}},
    ...                       target=0.85)
    >>> fig.axes[0].get_xlabel()
    'Tour de communication'
    """
    if hasattr(histories, "column") or (
        isinstance(histories, Mapping) and metric in histories
    ):
        histories = {"": histories}
    checks.mapping(
        histories,
        "Donnez un dictionnaire nom → historique, par exemple "
        "{'IID': hist_iid, 'non-IID': hist_non_iid}.",
    )
    fig, ax = _figure_and_axes(ax, (7, 4))
    is_accuracy = metric.endswith("accuracy")
    for name, run in histories.items():
        rounds, values = _series(run, metric, str(name))
        ax.plot(
            rounds,
            values,
            marker="o" if len(values) <= 30 else None,
            markersize=4,
            label=str(name) if name != "" else None,
        )
    if target is not None:
        ax.axhline(
            target,
            color="gray",
            linestyle="--",
            linewidth=1,
            label=f"objectif : {percent(target, 1 if target * 100 % 1 else 0)}",
        )
    label = METRIC_LABELS.get(metric, metric)
    ax.set_xlabel("Tour de communication")
    ax.set_ylabel(ylabel if ylabel is not None else label)
    ax.set_title(title if title is not None else f"{label} au fil des tours")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if is_accuracy:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.grid(alpha=0.3)
    if ax.get_legend_handles_labels()[1]:
        ax.legend()
    return fig


# ---------------------------------------------------------------------------
# Schéma d'un tour d'apprentissage fédéré
# ---------------------------------------------------------------------------


def _badge(ax, x, y, number, color, alpha=1.0, radius=0.2):
    ax.add_patch(patches.Circle((x, y), radius, color=color, alpha=alpha, zorder=5))
    ax.text(
        x,
        y,
        str(number),
        color="white",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        zorder=6,
        alpha=alpha,
    )


def _phone(ax, x, y, label, active=True, alpha=1.0):
    """Un téléphone (client) centré en (x, y)."""
    w, h = 0.9, 1.5
    body_color = "#333333" if active else "#bbbbbb"
    ax.add_patch(
        patches.FancyBboxPatch(
            (x - w / 2, y - h / 2),
            w,
            h,
            boxstyle="round,pad=0.02,rounding_size=0.15",
            facecolor=body_color,
            edgecolor="black",
            linewidth=1,
            alpha=alpha,
            zorder=2,
        )
    )
    ax.add_patch(
        patches.Rectangle(
            (x - w / 2 + 0.08, y - h / 2 + 0.25),
            w - 0.16,
            h - 0.45,
            facecolor="#e8f1fb" if active else "#eeeeee",
            alpha=alpha,
            zorder=3,
        )
    )
    ax.add_patch(
        patches.Circle(
            (x, y - h / 2 + 0.12), 0.06, color="white", alpha=alpha, zorder=3
        )
    )
    ax.text(
        x,
        y + 0.15,
        "données\nlocales",
        ha="center",
        va="center",
        fontsize=7,
        color="#333333",
        alpha=alpha,
        zorder=4,
    )
    ax.text(x, y - h / 2 - 0.25, label, ha="center", va="top", fontsize=9, alpha=alpha)


def _arrow(ax, start, end, color, alpha, rad=0.0, style="-|>", lw=2.0, linestyle="-"):
    ax.add_patch(
        patches.FancyArrowPatch(
            start,
            end,
            arrowstyle=style,
            mutation_scale=14,
            color=color,
            linewidth=lw,
            alpha=alpha,
            linestyle=linestyle,
            connectionstyle=f"arc3,rad={rad}",
            zorder=1,
        )
    )


def workflow_diagram(step: int | None = None, num_clients: int = 4) -> Figure:
    """Le schéma d'un tour d'apprentissage fédéré, en cinq étapes numérotées.

    Le serveur (en haut) tire au sort des clients (1), leur envoie le modèle
    global (2) ; chaque téléphone s'entraîne sur ses données, qui ne quittent
    jamais l'appareil (3), puis renvoie sa mise à jour (4) ; le serveur fait
    la moyenne pondérée des mises à jour (5). Le dernier client n'est pas
    tiré au sort ce tour-ci. `step` (1 à 5) met une étape en évidence.

    >>> fig = workflow_diagram(step=2)
    >>> fig.axes[0].get_title()
    "Un tour d'apprentissage fédéré — étape 2 : diffusion du modèle global"
    """
    if step is not None:
        checks.integer(
            step, "step (numéro d'étape de 1 à 5, ou None)", 1, len(WORKFLOW_STEPS)
        )
    checks.integer(num_clients, "num_clients", 2, 6)

    def alpha_of(s: int) -> float:
        return 1.0 if step is None or step == s else 0.18

    fig = new_figure(figsize=(8.5, 4.8))  # tient sur une diapositive
    ax = fig.add_subplot()
    ax.set_xlim(0, 11)
    ax.set_ylim(0, 7)
    ax.set_aspect("equal")
    ax.axis("off")

    # Serveur et modèle global.
    server_x, server_y = 3.75, 6.0
    ax.add_patch(
        patches.FancyBboxPatch(
            (server_x - 1.4, server_y - 0.5),
            2.8,
            1.0,
            boxstyle="round,pad=0.05,rounding_size=0.2",
            facecolor="#fdf2d0",
            edgecolor="#8a6d1d",
            linewidth=1.5,
            zorder=2,
        )
    )
    ax.text(
        server_x,
        server_y + 0.12,
        "Serveur",
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        zorder=3,
    )
    ax.text(
        server_x,
        server_y - 0.25,
        "modèle global  $w$",
        ha="center",
        va="center",
        fontsize=9,
        zorder=3,
    )

    # Clients : le dernier n'est pas tiré au sort.
    xs = np.linspace(0.9, 6.6, num_clients)
    phone_y = 1.9
    selected = list(range(num_clients - 1))
    for k, x in enumerate(xs):
        active = k in selected
        label = f"Client {k + 1}" if active else f"Client {k + 1}\n(non tiré)"
        _phone(ax, x, phone_y, label, active=active, alpha=1.0 if active else 0.8)

    # 1. Sélection : cadre pointillé autour des clients tirés au sort.
    c1, a1 = _STEP_COLORS[1], alpha_of(1)
    left, right = xs[selected[0]] - 0.65, xs[selected[-1]] + 0.65
    ax.add_patch(
        patches.FancyBboxPatch(
            (left, phone_y - 1.25),
            right - left,
            2.35,
            boxstyle="round,pad=0.02,rounding_size=0.2",
            fill=False,
            edgecolor=c1,
            linestyle="--",
            linewidth=1.8,
            alpha=a1,
            zorder=1,
        )
    )
    _badge(ax, left + 0.05, phone_y + 1.1, 1, c1, alpha=a1)

    # 2. Diffusion (vers le bas) et 4. envoi des mises à jour (vers le haut).
    c2, a2 = _STEP_COLORS[2], alpha_of(2)
    c4, a4 = _STEP_COLORS[4], alpha_of(4)
    top = phone_y + 0.8
    for k in selected:
        x = xs[k]
        start_x = server_x + (x - server_x) * 0.25
        _arrow(ax, (start_x - 0.15, server_y - 0.55), (x - 0.18, top), c2, a2)
        _arrow(
            ax,
            (x + 0.18, top),
            (start_x + 0.15, server_y - 0.55),
            c4,
            a4,
            linestyle="--",
        )
    mid = selected[len(selected) // 2]
    mx = (server_x + xs[mid]) / 2
    _badge(ax, mx - 0.55, (server_y + top) / 2, 2, c2, alpha=a2)
    _badge(ax, mx + 0.55, (server_y + top) / 2, 4, c4, alpha=a4)

    # 3. Entraînement local : une boucle à droite de chaque téléphone tiré.
    c3, a3 = _STEP_COLORS[3], alpha_of(3)
    for k in selected:
        x = xs[k]
        _arrow(
            ax,
            (x + 0.5, phone_y + 0.35),
            (x + 0.5, phone_y - 0.35),
            c3,
            a3,
            rad=-1.6,
            lw=1.6,
        )
    _badge(ax, xs[selected[0]] + 0.95, phone_y - 0.75, 3, c3, alpha=a3, radius=0.17)

    # 5. Agrégation au serveur.
    c5, a5 = _STEP_COLORS[5], alpha_of(5)
    _badge(ax, server_x + 1.75, server_y, 5, c5, alpha=a5)
    ax.text(
        server_x + 2.05,
        server_y,
        r"$w \leftarrow \sum_k \frac{n_k}{n}\, w_k$",
        ha="left",
        va="center",
        fontsize=11,
        color=c5,
        alpha=a5,
    )

    # Légende : les cinq étapes.
    ax.text(
        7.7, 6.3, "Les étapes d'un tour", fontsize=11, fontweight="bold", va="center"
    )
    details = {
        1: "le serveur tire au sort\ndes clients",
        2: "il leur envoie le modèle $w$",
        3: "chacun s'entraîne sur\nses données (E époques)",
        4: "chacun renvoie son\nmodèle $w_k$ (pas ses données)",
        5: "moyenne pondérée par\nle nombre d'exemples $n_k$",
    }
    for s, name in WORKFLOW_STEPS.items():
        y = 5.55 - (s - 1) * 1.0
        strong = step == s
        _badge(ax, 7.9, y, s, _STEP_COLORS[s], alpha=alpha_of(s), radius=0.18)
        ax.text(
            8.25,
            y + 0.12,
            name.capitalize(),
            fontsize=10,
            va="center",
            fontweight="bold" if strong or step is None else "normal",
            color=_STEP_COLORS[s] if strong else "black",
            alpha=max(alpha_of(s), 0.45),
        )
        ax.text(
            8.25,
            y - 0.3,
            details[s],
            fontsize=8,
            va="center",
            color="#444444",
            alpha=max(alpha_of(s), 0.45),
        )

    title = "Un tour d'apprentissage fédéré"
    if step is not None:
        title += f" — étape {step} : {WORKFLOW_STEPS[step]}"
    ax.set_title(title, fontsize=13)
    return fig


# ---------------------------------------------------------------------------
# Notebook 03 : octets envoyés, exactitude chiffre par chiffre
# ---------------------------------------------------------------------------


def raw_vs_update_bytes(
    bytes_per_image: float,
    update_bytes: Mapping,
    client_images: int | None = None,
    title: str = "Données brutes ou mise à jour du modèle : qui pèse le plus ?",
) -> Figure:
    """Octets envoyés par un téléphone : ses données brutes ou une mise à jour.

    Les données brutes croissent avec le nombre d'images (droite rouge) ; une
    mise à jour a la taille fixe du modèle (`update_bytes` : nom du modèle →
    octets, une ligne pointillée chacun). `client_images` marque la taille
    d'un client (ligne verticale). Échelles logarithmiques, de 10 à 10⁶ images.

    >>> fig = raw_vs_update_bytes(785, {"mlp": 796_840}, client_images=600)
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()][1]
    'une mise à jour « mlp »'
    """
    bytes_per_image = checks.positive(bytes_per_image, "bytes_per_image")
    checks.mapping(
        update_bytes,
        "`update_bytes` : donnez un dictionnaire nom du modèle → octets d'une "
        "mise à jour, par exemple {'mlp': 796840}.",
    )
    fig, ax = _figure_and_axes(None, (8, 4.5))
    images = np.logspace(1, 6, 60)
    ax.plot(
        images,
        images * bytes_per_image,
        color="#d62728",
        label="envoyer les données brutes (une fois)",
    )
    colors = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b"]
    for i, (name, size) in enumerate(update_bytes.items()):
        size = checks.positive(size, f"update_bytes[{name!r}]")
        ax.axhline(
            size,
            color=colors[i % len(colors)],
            linestyle="--",
            label=f"une mise à jour « {name} »",
        )
    if client_images is not None:
        n = checks.integer(client_images, "client_images", 1)
        ax.axvline(
            n, color="gray", linestyle=":", label=f"un client MNIST ({n} images)"
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Nombre d'images MNIST sur le téléphone")
    ax.set_ylabel("Octets envoyés par le téléphone")
    ax.set_title(title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=9)
    return fig


def class_accuracy_bars(
    accuracies: Mapping,
    title: str = "Ce que chaque modèle sait reconnaître",
) -> Figure:
    """Barres groupées : l'exactitude de plusieurs modèles, chiffre par chiffre.

    `accuracies` : dictionnaire nom du modèle → une exactitude (fraction) par
    classe, par exemple celles de `federated.class_accuracy`.

    >>> fig = class_accuracy_bars({"seul": [1.0, 0.0, 0.5], "fédéré": [0.9, 0.8, 0.7]})
    >>> fig.axes[0].get_xlabel(), len(fig.axes[0].patches)
    ('Chiffre', 6)
    """
    checks.mapping(
        accuracies,
        "Donnez un dictionnaire nom du modèle → exactitudes par chiffre, "
        "par exemple {'fédéré': federated.class_accuracy(w, x_test, y_test)}.",
    )
    values = {str(k): np.asarray(v, dtype=float) for k, v in accuracies.items()}
    sizes = {v.shape for v in values.values()}
    if len(sizes) != 1 or len(next(iter(sizes))) != 1:
        raise ValueError(
            "Chaque modèle doit avoir une exactitude par classe, et le même "
            f"nombre de classes ; reçu les formes {sorted(sizes)}."
        )
    num_classes = next(iter(sizes))[0]
    fig, ax = _figure_and_axes(None, (10, 4))
    width = 0.8 / len(values)
    for i, (name, v) in enumerate(values.items()):
        offset = (i - (len(values) - 1) / 2) * width
        ax.bar(np.arange(num_classes) + offset, v, width=width, label=name)
    ax.set_xticks(range(num_classes))
    ax.set_xlabel("Chiffre")
    ax.set_ylabel("Exactitude sur les images de test de ce chiffre")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(title)
    ax.set_ylim(0, 1.25)
    ax.legend(loc="upper center", ncol=2, fontsize=9)
    return fig


# ---------------------------------------------------------------------------
# Figures des notebooks 04, 06 et 07 (une ligne d'appel dans le diaporama)
# ---------------------------------------------------------------------------

__all__ += ["drift_bars", "label_heatmaps", "score_bars"]


def label_heatmaps(
    counts_by_title, annotate: bool | None = None, height: float = 3.0
) -> Figure:
    """Plusieurs cartes de chaleur des étiquettes côte à côte, une par répartition.

    `counts_by_title` : dictionnaire titre → tableau clients × classes (issu de
    `partition.label_counts`). Chaque carte est tracée par `label_heatmap` ;
    `annotate` lui est transmis (écrire les nombres dans les cases) ;
    `height` : hauteur de la figure en pouces (3 : tient sur une diapositive).

    >>> import numpy as np
    >>> fig = label_heatmaps({"IID": np.ones((4, 3)), "Non-IID": np.eye(4, 3)})
    >>> [ax.get_title() for ax in fig.axes if ax.get_title()]
    ['IID', 'Non-IID']
    """
    checks.mapping(
        counts_by_title,
        "Donnez un dictionnaire titre → comptes, par exemple "
        "{'IID': partition.label_counts(y, parts_iid)}.",
    )
    n = len(counts_by_title)
    fig = new_figure(figsize=(min(15.0, 6.0 * n), height))
    axes = fig.subplots(1, n, squeeze=False)[0]
    for ax, (title, counts) in zip(axes, counts_by_title.items()):
        label_heatmap(counts, title=str(title), ax=ax, annotate=annotate)
    return fig


def score_bars(
    scores,
    title: str = "Scores sur le jeu de test",
    separator_after: int | None = None,
    ymin: float = 0.5,
) -> Figure:
    """Barres groupées : plusieurs scores (fractions) pour plusieurs modèles.

    `scores` : dictionnaire nom du modèle → dictionnaire mesure → fraction,
    par exemple `{"CHU seul": {"exactitude": 0.93, "sensibilité": 0.9}}`.
    La première mesure est écrite au-dessus de ses barres. `separator_after`
    trace un trait vertical après le modèle de ce rang (à partir de 1) ;
    l'axe vertical commence à `ymin` (à dire à la salle !).

    >>> fig = score_bars({"A": {"exactitude": 0.9, "sensibilité": 0.8},
    ...                   "B": {"exactitude": 0.95, "sensibilité": 0.85}})
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['Exactitude', 'Sensibilité']
    """
    checks.mapping(
        scores,
        "Donnez un dictionnaire modèle → {mesure: fraction}, par exemple "
        "{'CHU seul': {'exactitude': 0.93}}.",
    )
    names = list(scores)
    measures = list(scores[names[0]])
    if any(list(s) != measures for s in scores.values()):
        raise ValueError("Tous les modèles doivent avoir les mêmes mesures.")
    fig = new_figure(figsize=(10, 3.0))
    ax = fig.add_subplot()
    width = 0.8 / len(measures)
    positions = np.arange(len(names))
    colors = ["#4C72B0", "#C44E52", "#8C8C8C", "#55A868", "#8172B2"]
    for j, measure in enumerate(measures):
        offset = (j - (len(measures) - 1) / 2) * width
        values = [100 * scores[name][measure] for name in names]
        bars = ax.bar(
            positions + offset,
            values,
            width,
            label=measure.capitalize(),
            color=colors[j % len(colors)],
        )
        if j == 0:
            ax.bar_label(bars, fmt="%.0f", fontsize=8, padding=2)
    labels = [n.replace(" (", "\n(").replace(" seul", "\nseul") for n in names]
    ax.set_xticks(positions, labels, fontsize=9)
    ax.set_ylim(100 * ymin, 108)
    ax.set_ylabel(f"Score (%, axe à partir de {short(100 * ymin)})")
    ax.set_title(title)
    if separator_after is not None:
        ax.axvline(separator_after - 0.5, color="black", linewidth=0.8, linestyle=":")
    ax.legend(loc="upper left", ncol=len(measures), fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    return fig


def drift_bars(
    values_by_name,
    title: str = "Dérive des clients",
    ylabel: str = "Cosinus avec la mise à jour moyenne",
) -> Figure:
    """Barres groupées par client : une série de valeurs par répartition.

    `values_by_name` : dictionnaire nom de la série → une valeur par client
    (par exemple les cosinus renvoyés par `scratch.client_drift`). L'axe
    vertical va de 0 à 1.

    >>> fig = drift_bars({"IID": [0.9, 0.8], "non-IID": [0.3, 0.5]})
    >>> fig.axes[0].get_xlabel()
    'Client'
    """
    checks.mapping(
        values_by_name,
        "Donnez un dictionnaire série → valeurs, par exemple "
        "{'IID': cosinus_iid, 'non-IID': cosinus_non_iid}.",
    )
    series = {str(k): np.asarray(v, dtype=float) for k, v in values_by_name.items()}
    sizes = {len(v) for v in series.values()}
    if len(sizes) != 1:
        raise ValueError("Chaque série doit avoir une valeur par client (même nombre).")
    num_clients = sizes.pop()
    fig = new_figure(figsize=(9, 3.0))
    ax = fig.add_subplot()
    width = 0.8 / len(series)
    clients = np.arange(num_clients)
    for j, (name, values) in enumerate(series.items()):
        offset = (j - (len(series) - 1) / 2) * width
        ax.bar(clients + offset, values, width=width, label=name)
    ax.set_xticks(clients)
    ax.set_ylim(0, 1)
    ax.set_xlabel("Client")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend()
    ax.grid(axis="y", alpha=0.3)
    return fig


__all__ += ["client_accuracies"]


def client_accuracies(evaluations: Mapping, ax=None) -> Figure:
    """Histogramme de l'exactitude de chaque client, un par modèle évalué.

    `evaluations` : dictionnaire nom → résultat de
    `federated.federated_evaluation` (ou tout objet avec `per_client` et
    `accuracy`). Un trait vertical marque l'exactitude agrégée, celle que
    voit le serveur : ce que cache une moyenne saute aux yeux.

    >>> from types import SimpleNamespace as E
    >>> fig = client_accuracies({"IID": E(per_client=[0.9, 1.0], accuracy=0.95)})
    >>> fig.axes[0].get_xlabel()
    'Exactitude du modèle global sur les images de test du client'
    """
    checks.mapping(
        evaluations,
        "Donnez un dictionnaire nom → évaluation fédérée, par exemple "
        "{'IID': federated.federated_evaluation(poids, jeux_test)}.",
    )
    fig, ax = _figure_and_axes(ax, (8, 3))
    lowest = min(float(np.min(ev.per_client)) for ev in evaluations.values())
    start = min(0.9, np.floor(lowest * 10) / 10)  # l'axe part d'une dizaine ronde
    bins = np.linspace(start, 1.0, int(round((1.0 - start) / 0.025)) + 1)
    for i, (name, ev) in enumerate(evaluations.items()):
        color = f"C{i}"
        ax.hist(
            np.asarray(ev.per_client, dtype=float),
            bins=bins,
            alpha=0.6,
            color=color,
            label=f"{name} : les clients",
        )
        ax.axvline(
            float(ev.accuracy),
            color=color,
            linestyle="--",
            label=f"{name} : exactitude agrégée",
        )
    ax.set_xlim(start, 1.0)
    ax.set_xlabel("Exactitude du modèle global sur les images de test du client")
    ax.set_ylabel("Nombre de clients")
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(loc="upper left", fontsize=8)
    return fig


__all__ += ["slide_axes"]


def slide_axes(width: float = 8.0, height: float = 3.0):
    """Un axe dans une figure qui tient sur une diapositive avec son titre.

    À passer en `ax=` aux fonctions de ce module (par exemple
    `training_curves`), qui renvoient alors cette figure, plus basse que
    leur taille par défaut (au plus 20 lignes de diapositive en tout).

    >>> ax = slide_axes()
    >>> ax.figure.get_size_inches().tolist()
    [8.0, 3.0]
    """
    return new_figure(figsize=(width, height)).add_subplot()


# Figures des notebooks 08 (confidentialité) et 09 (communication)
# ---------------------------------------------------------------------------


def image_row(images: Mapping, title: str | None = None, size: float = 2.4) -> Figure:
    """Des images 28 × 28 côte à côte, chacune sous son titre (nom → image).

    >>> fig = image_row({"A": np.zeros((28, 28)), "B": np.ones((28, 28))})
    >>> [ax.get_title() for ax in fig.axes]
    ['A', 'B']
    """
    if not images:
        raise ValueError("Donnez au moins une image (titre → image 28 × 28).")
    fig = new_figure(figsize=(size * len(images), size * 1.13))
    for k, (name, image) in enumerate(images.items(), start=1):
        ax = fig.add_subplot(1, len(images), k)
        ax.imshow(np.asarray(image).reshape(28, 28), cmap="gray_r")
        ax.set_title(name)
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        fig.suptitle(title)
    return fig


def privacy_tradeoff(
    epsilons: Mapping,
    accuracies: Mapping,
    groups: Mapping | None = None,
    reference: str | None = None,
    title: str | None = None,
    figsize=(8, 2.6),
) -> Figure:
    """Exactitude finale en fonction de ε (échelle logarithmique), un point par essai.

    `epsilons`, `accuracies` : nom de l'essai → ε, exactitude finale (un
    nombre, ou un historique : son `final_accuracy`). `groups`
    (facultatif) : légende → noms d'essais reliés par une ligne ; les autres
    essais ont chacun leur point. `reference` : un essai sans bruit (ε = ∞),
    tracé en trait horizontal gris.

    >>> fig = privacy_tradeoff({"z = 1": 1.4, "z = 2": 0.3, "sans bruit": math.inf},
    ...                        {"z = 1": 0.8, "z = 2": 0.6, "sans bruit": 0.9},
    ...                        groups={"S fixe": ["z = 1", "z = 2"]},
    ...                        reference="sans bruit")
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['S fixe', 'sans bruit']
    """
    accuracies = {
        name: getattr(value, "final_accuracy", value)
        for name, value in accuracies.items()
    }
    missing = sorted(set(epsilons) ^ set(accuracies))
    if missing:
        raise ValueError(
            f"Essais sans ε ou sans exactitude : {', '.join(map(str, missing))}."
        )
    groups = dict(groups or {})
    unknown = sorted({n for names in groups.values() for n in names} - set(epsilons))
    if reference is not None and reference not in epsilons:
        unknown.append(reference)
    if unknown:
        raise ValueError(f"Essais inconnus : {', '.join(map(str, unknown))}.")
    fig, ax = _figure_and_axes(None, figsize)
    grouped = {n for names in groups.values() for n in names}
    for label, names in groups.items():
        ax.plot(
            [epsilons[n] for n in names],
            [accuracies[n] for n in names],
            marker="o",
            label=label,
        )
    for name in epsilons:
        if name != reference and name not in grouped:
            ax.plot(epsilons[name], accuracies[name], marker="s", ls="", label=name)
    for name in epsilons:
        if name != reference:
            ax.annotate(name, (epsilons[name], accuracies[name]), fontsize=9)
    if reference is not None:
        ax.axhline(accuracies[reference], color="gray", ls="--", label=reference)
    ax.set_xscale("log")
    ax.set_xlabel("ε (plus petit = plus confidentiel)")
    ax.set_ylabel("Exactitude en test finale")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_title(title or "Confidentialité contre exactitude")
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def cumulative_bytes(
    per_round: Mapping,
    once: float | None = None,
    rounds: int = 50,
    title: str | None = None,
    figsize=(8, 2.6),
) -> Figure:
    """Octets échangés par un client selon le nombre de tours auxquels il participe.

    `per_round` : nom → octets par tour (une droite par nom) ; `once` : un
    coût payé une seule fois (par exemple envoyer ses données brutes), en
    trait gris. Axe des ordonnées en mégaoctets (10⁶ octets), échelle
    « symlog » : linéaire sous 1 Mo, logarithmique au-dessus.

    >>> fig = cumulative_bytes({"MLP": 1.6e6}, once=0.47e6, rounds=10)
    >>> fig.axes[0].get_ylabel()
    'Octets échangés (Mo)'
    """
    rounds = checks.integer(rounds, "rounds", minimum=1)
    if not per_round:
        raise ValueError("Donnez au moins une série (nom → octets par tour).")
    fig, ax = _figure_and_axes(None, figsize)
    x = np.arange(rounds + 1)
    if once is not None:
        ax.axhline(once / 1e6, color="gray", ls="--", label="données brutes (une fois)")
    for name, nbytes in per_round.items():
        ax.plot(x, x * float(nbytes) / 1e6, label=name)
    ax.set_yscale("symlog", linthresh=1)
    ax.set_xlabel("Tours auxquels le client participe")
    ax.set_ylabel("Octets échangés (Mo)")
    ax.set_title(title or "Ce qu'un client échange, selon le nombre de tours")
    ax.grid(alpha=0.3)
    ax.legend()
    return fig


def accuracy_and_bytes(histories: Mapping, figsize=(12, 3.6)) -> Figure:
    """Deux figures : l'exactitude par tour, puis selon les octets montés cumulés.

    `histories` : nom → `federated.History` dont chaque tour a `bytes_up`
    (octets envoyés par les clients) et `test_accuracy`.

    >>> h = {"round": [1, 2], "test_accuracy": [0.8, 0.9], "bytes_up": [2e6, 2e6]}
    >>> fig = accuracy_and_bytes({"A": h})
    >>> fig.axes[1].get_xlabel()
    'Octets envoyés par les clients, cumulés (Mo)'
    """
    if not histories:
        raise ValueError("Donnez au moins un historique (nom → History).")
    fig = new_figure(figsize=figsize)
    left, right = fig.subplots(1, 2)
    training_curves(histories, ax=left, title="Exactitude au fil des tours")
    for name, history in histories.items():
        ups = history.column("bytes_up") if hasattr(history, "column") else None
        acc = history.column("test_accuracy") if ups is not None else None
        if ups is None:
            ups, acc = history["bytes_up"], history["test_accuracy"]
        right.plot(np.cumsum(ups) / 1e6, acc, marker="o", markersize=4, label=name)
    right.set_xlabel("Octets envoyés par les clients, cumulés (Mo)")
    right.set_ylabel("Exactitude sur le jeu de test")
    right.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    right.set_title("Exactitude selon les octets envoyés")
    right.grid(alpha=0.3)
    right.legend()
    return fig
