"""L'apprentissage fédéré avec TensorFlow Federated (TFF), en 5 étapes.

Ce module suit pas à pas les étapes des diapositives :

1. **Définir le modèle** : un modèle Keras ordinaire (`fltutor.models`), que
   `tff_model_fn` enveloppe pour TFF ;
2. **Définir les données** : un jeu `tf.data.Dataset` par client
   (`client_datasets`) ;
3. **Définir le calcul fédéré** : FedAvg, FedSGD, FedProx ou FedAdam
   (`build_process`) ;
4. **Le compiler** : TFF transforme ce calcul en graphes TensorFlow dès sa
   construction (`process.next.type_signature` en montre le type) ;
5. **Entraîner** : enchaîner les tours fédérés (`train`), qui renvoie un
   historique (`History`).

Exemple
-------
>>> from fltutor import data, federated, partition
>>> (x, y), (x_test, y_test) = data.load_mnist()              # doctest: +SKIP
>>> parts = partition.iid(y, num_clients=100)                 # doctest: +SKIP
>>> jeux = federated.client_datasets(x, y, parts)             # doctest: +SKIP
>>> process = federated.build_process("fedavg", model="cnn")  # doctest: +SKIP
>>> hist = federated.train(process, jeux, rounds=5,
...                        test_data=(x_test, y_test))         # doctest: +SKIP
>>> print(hist.table())                                       # doctest: +SKIP

L'import de ce module installe le moteur d'exécution confiné de
`fltutor.runtime` (voir ce module) : aucun processus TFF ne survit à Python.
"""

from __future__ import annotations

import csv
import math
import numbers
import time
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

from fltutor import checks, formatting, models, runtime, scratch
from fltutor.communication import BYTES_MEASUREMENT, bytes_per_round

runtime.install()

__all__ = [
    "ALGORITHMS",
    "DEFAULT_FEDADAM_SERVER_LR",
    "History",
    "build_process",
    "bytes_per_round",
    "centralized_fit",
    "client_datasets",
    "ClientEvaluation",
    "federated_evaluation",
    "LazyClientDatasets",
    "ProximalSGD",
    "Round",
    "evaluate",
    "input_spec",
    "keras_weights",
    "run_rounds",
    "sample_clients",
    "to_dataset",
    "tff_model_fn",
    "train",
]

ALGORITHMS = ("fedavg", "fedsgd", "fedprox", "fedadam")

# Taux d'apprentissage du serveur par défaut pour FedAdam. Adam fait des pas
# d'environ `learning_rate` par coordonnée, quelle que soit la taille de la
# mise à jour moyenne : 1.0 (le défaut de FedAvg) serait bien trop grand.
# Reddi et al. (2021, « Adaptive Federated Optimization ») retiennent des
# valeurs de l'ordre de 10^-2,5 à 10^-2 pour les CNN sur (E)MNIST.
DEFAULT_FEDADAM_SERVER_LR = 0.003

_IMAGE_SHAPE = (28, 28, 1)


def _check_lr(value, name: str) -> float:
    return checks.positive(
        value, name, hint="Essayez par exemple 0.1 pour le client, 1.0 pour le serveur."
    )


def _model_name(model) -> str:
    """Vérifie le nom de modèle (« cnn » ou « mlp ») et le renvoie."""
    if not isinstance(model, str):
        raise ValueError(
            f"model doit être le nom d'un modèle du cours, « cnn » ou « mlp » "
            f"(reçu : {model!r})."
        )
    models.get(model)  # lève une ValueError en français si le nom est inconnu
    return model


# ---------------------------------------------------------------------------
# Étape 1 — Définir le modèle
# ---------------------------------------------------------------------------
# Le modèle est un modèle Keras ordinaire (fltutor.models). TFF a besoin d'une
# fonction *sans argument* qui construit un modèle neuf à chaque appel : TFF
# l'appelle lui-même, plusieurs fois, pour tracer ses graphes (serveur,
# clients). On y précise la perte, les métriques et la forme d'un lot.


def input_spec():
    """La forme et le type d'un lot de données, tels que TFF les attend.

    Un lot est un couple `(images, étiquettes)` : images `float32` de forme
    `(B, 28, 28, 1)`, étiquettes `int32` de forme `(B,)` ; `B` est libre.

    >>> input_spec()[0].shape
    TensorShape([None, 28, 28, 1])
    """
    return (
        tf.TensorSpec(shape=(None, *_IMAGE_SHAPE), dtype=tf.float32),
        tf.TensorSpec(shape=(None,), dtype=tf.int32),
    )


def tff_model_fn(model: str = "cnn") -> Callable[[], tff.learning.models.VariableModel]:
    """Renvoie la fonction sans argument qui fabrique le modèle pour TFF.

    Chaque appel de la fonction renvoyée construit un modèle Keras neuf
    (`fltutor.models.get(model)()`) et l'enveloppe avec
    `tff.learning.models.from_keras_model`, avec la perte et la métrique du
    cours (`models.loss()`, `models.metrics()`).

    Exemple
    -------
    >>> model_fn = tff_model_fn("mlp")       # doctest: +SKIP
    >>> tff_model = model_fn()               # doctest: +SKIP
    """
    build = models.get(_model_name(model))

    def model_fn():
        return tff.learning.models.from_keras_model(
            build(),
            input_spec=input_spec(),
            loss=models.loss(),
            metrics=models.metrics(),
        )

    return model_fn


# ---------------------------------------------------------------------------
# Étape 2 — Définir les données : un jeu de données par client
# ---------------------------------------------------------------------------
# Les images restent en uint8 en mémoire (4 fois moins de place, et 4 fois
# moins d'octets à envoyer au moteur TFF à chaque tour). La conversion en
# float32 dans [0, 1] et l'ajout du canal se font lot par lot, à la volée.


@tf.autograph.experimental.do_not_convert  # pas de Python à convertir : plus rapide
def _to_float_batch(images, labels):
    """Convertit un lot : uint8 (B, 28, 28) → float32 (B, 28, 28, 1) dans [0, 1]."""
    images = tf.cast(images, tf.float32) / 255.0
    images = tf.reshape(images, (-1, *_IMAGE_SHAPE))
    return images, tf.cast(labels, tf.int32)


@tf.autograph.experimental.do_not_convert
def _float_batch(images, labels):
    """Images déjà en nombres réels (supposées dans [0, 1]) : forme et type seulement."""
    images = tf.reshape(tf.cast(images, tf.float32), (-1, *_IMAGE_SHAPE))
    return images, tf.cast(labels, tf.int32)


def _check_xy(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x)
    y = np.asarray(y)
    if not (x.dtype == np.uint8 or np.issubdtype(x.dtype, np.floating)):
        raise ValueError(
            f"Les images doivent être en uint8 (0 à 255), comme les renvoie "
            f"data.load_mnist(), ou en réels dans [0, 1] (reçu : {x.dtype})."
        )
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"Les étiquettes y doivent être des entiers de 0 à 9 (reçu : {y.dtype})."
        )
    if x.ndim not in (2, 3, 4) or x.shape[0] != y.shape[0] or y.ndim != 1:
        raise ValueError(
            "x doit contenir des images (N, 28, 28) et y leurs N étiquettes "
            f"(reçu : x de forme {x.shape}, y de forme {y.shape})."
        )
    if int(np.prod(x.shape[1:])) != 28 * 28:
        raise ValueError(
            f"Les images doivent faire 28×28 pixels (reçu : forme {x.shape})."
        )
    return x, y


def _check_batch_size(batch_size):
    if batch_size is None:
        return None
    return checks.integer(
        batch_size,
        "batch_size",
        1,
        hint="Ou None pour un seul lot (« B = ∞ », FedSGD).",
    )


def _check_epochs(epochs) -> int:
    return checks.integer(epochs, "epochs", 1)


def to_dataset(
    x,
    y,
    batch_size: int | None = 10,
    shuffle_seed: int | None = None,
    epochs: int = 1,
) -> tf.data.Dataset:
    """Transforme `(x, y)` en `tf.data.Dataset` de lots `(images, étiquettes)`.

    Les images (uint8, N×28×28) sont converties par lot en float32 dans
    [0, 1], de forme `(B, 28, 28, 1)` ; les étiquettes en int32. (Des images
    déjà en réels sont supposées dans [0, 1] et ne sont pas divisées par 255.)

    Parameters
    ----------
    batch_size : taille des lots `B` ; `None` = tout le jeu en un seul lot.
    shuffle_seed : graine du mélange (un nouvel ordre à chaque époque) ;
        `None` = ordre d'origine, sans mélange (évaluation).
    epochs : nombre de passages `E` sur les données.

    Exemple
    -------
    >>> x = np.zeros((25, 28, 28), np.uint8); y = np.arange(25) % 10
    >>> [int(b[0].shape[0]) for b in to_dataset(x, y, batch_size=10)]
    [10, 10, 5]
    """
    x, y = _check_xy(x, y)
    batch_size = _check_batch_size(batch_size)
    epochs = _check_epochs(epochs)
    n = len(y)
    ds = tf.data.Dataset.from_tensor_slices((x, y))
    if shuffle_seed is not None and n > 1:
        ds = ds.shuffle(n, seed=int(shuffle_seed), reshuffle_each_iteration=True)
    # Lots de B exemples ; B = ∞ (None) : un seul lot par époque.
    ds = ds.batch(batch_size if batch_size is not None else max(n, 1))
    ds = ds.map(_to_float_batch if x.dtype == np.uint8 else _float_batch)
    if epochs > 1:
        # Chaque époque reprend le mélange ci-dessus, avec un nouvel ordre.
        ds = ds.repeat(int(epochs))
    return ds


def client_datasets(
    x,
    y,
    partition: Sequence[np.ndarray],
    epochs: int = 1,
    batch_size: int | None = 10,
    seed: int | None = 0,
    lazy: bool = False,
) -> list[tf.data.Dataset] | LazyClientDatasets:
    """Un jeu de données `tf.data.Dataset` par client, d'après une partition.

    Le client `k` reçoit les exemples `x[partition[k]]`, mélangés avec la
    graine `seed + k` (reproductible), regroupés en lots de `batch_size`
    exemples et répétés `epochs` fois : c'est le travail local du client
    pendant un tour (E époques, lots de taille B, comme chez McMahan et al.).

    `batch_size=None` donne tout le jeu local en un seul lot (« B = ∞ ») :
    avec `epochs=1`, c'est FedSGD. `seed=None` garde l'ordre de la partition.

    Bon à savoir : TFF relit chaque jeu depuis le début à chaque tour ; un
    client retrouve donc le même ordre (époque par époque) chaque fois qu'il
    est tiré au sort, ce qui rend l'entraînement exactement reproductible.

    `lazy=True` : pour une grande population (des milliers de clients), ne
    fabrique le jeu d'un client qu'au moment où on le demande (`jeux[k]`), au
    lieu de les garder tous en mémoire (~0,2 Mo chacun). Le résultat est le
    même jeu, mais l'objet renvoyé n'est pas une liste : passez à
    `process.next` une liste, par exemple `[jeux[k] for k in clients]`.

    Exemple
    -------
    >>> x = np.zeros((30, 28, 28), np.uint8); y = np.arange(30) % 10
    >>> parts = [np.arange(0, 20), np.arange(20, 30)]
    >>> jeux = client_datasets(x, y, parts, epochs=2, batch_size=None)
    >>> [[int(b[0].shape[0]) for b in ds] for ds in jeux]
    [[20, 20], [10, 10]]
    >>> paresseux = client_datasets(x, y, parts, batch_size=10, lazy=True)
    >>> len(paresseux), [int(b[0].shape[0]) for b in paresseux[0]]
    (2, [10, 10])
    """
    x, y = _check_xy(x, y)
    if len(partition) == 0:
        raise ValueError("La partition est vide : il faut au moins un client.")
    parts = []
    for k, indices in enumerate(partition):
        indices = np.asarray(indices)
        if indices.ndim != 1 or len(indices) == 0:
            raise ValueError(
                f"Le client {k} n'a aucun exemple : chaque client doit en avoir "
                "au moins un (vérifiez la partition, par exemple min_size)."
            )
        parts.append(indices)
    datasets = LazyClientDatasets(x, y, parts, epochs, batch_size, seed)
    return datasets if lazy else list(datasets)


class LazyClientDatasets(Sequence):
    """Les jeux des clients, fabriqués à la demande (voir `client_datasets`).

    `jeux[k]` construit le jeu du client `k` (toujours le même : même ordre,
    même graine) ; `jeux[a:b]` renvoie une liste de jeux. Seuls les tableaux
    `x`, `y` et la partition sont gardés.
    """

    def __init__(self, x, y, partition, epochs, batch_size, seed):
        self._x, self._y, self._parts = x, y, list(partition)
        self._epochs, self._batch_size, self._seed = epochs, batch_size, seed
        # Vérifie les réglages tout de suite (mêmes erreurs que la version liste).
        _check_batch_size(batch_size)
        _check_epochs(epochs)

    def __len__(self) -> int:
        return len(self._parts)

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(len(self)))]
        if isinstance(k, bool) or not isinstance(k, numbers.Integral):
            raise TypeError(f"Numéro de client entier attendu (reçu : {k!r}).")
        if not -len(self) <= k < len(self):
            raise IndexError(
                f"Client {k} inexistant : il y a {len(self)} clients "
                f"(numéros 0 à {len(self) - 1})."
            )
        k = int(k) % len(self)
        indices = self._parts[k]
        return to_dataset(
            self._x[indices],
            self._y[indices],
            batch_size=self._batch_size,
            shuffle_seed=None if self._seed is None else int(self._seed) + k,
            epochs=self._epochs,
        )

    def __repr__(self) -> str:
        return f"<{len(self)} jeux de clients, fabriqués à la demande>"


# ---------------------------------------------------------------------------
# Étape 3 — Définir le calcul fédéré (et étape 4 : TFF le compile)
# ---------------------------------------------------------------------------
# Un « process » TFF a deux calculs fédérés :
#   process.initialize()            → l'état initial du serveur (le modèle) ;
#   process.next(state, données)    → un tour : diffusion du modèle, travail
#                                     local des clients, agrégation, mise à jour.
# TFF compile (trace) ces calculs en graphes TensorFlow dès leur construction :
# c'est l'étape 4. `process.next.type_signature` affiche leur type fédéré.

_WEIGHTINGS = {
    "num_examples": tff.learning.ClientWeighting.NUM_EXAMPLES,
    "exemples": tff.learning.ClientWeighting.NUM_EXAMPLES,
    "uniform": tff.learning.ClientWeighting.UNIFORM,
    "uniforme": tff.learning.ClientWeighting.UNIFORM,
}


def _client_weighting(value):
    if value is None:
        return tff.learning.ClientWeighting.NUM_EXAMPLES
    if isinstance(value, tff.learning.ClientWeighting):
        return value
    if isinstance(value, str) and value.lower() in _WEIGHTINGS:
        return _WEIGHTINGS[value.lower()]
    raise ValueError(
        "client_weighting doit valoir None ou « num_examples » (moyenne pondérée "
        "par le nombre d'exemples, FedAvg), ou « uniform » (moyenne simple) "
        f"(reçu : {value!r})."
    )


def _restore_keras_classes(model: str) -> None:
    """Remet les classes Keras en mode « TF2 » après la construction par TFF.

    Keras choisit la version (TF1 ou TF2) de ses classes de couches *au moment
    où l'on crée une couche*, et modifie la classe elle-même. TFF crée ses
    modèles dans un graphe TF1 : ensuite, les modèles Keras créés avant
    `build_process` lèveraient « Your Layer or Model is in an invalid state ».
    Recréer le même modèle en mode normal (eager) remet ces classes en ordre.
    """
    models.get(model)()
    models.metrics()


class ProximalSGD(tff.learning.optimizers.Optimizer):
    """Le SGD local de FedProx : chaque pas ajoute `mu · (w − w_départ)` au gradient.

    C'est le gradient du terme proximal `mu/2 · ‖w − w_départ‖²`, où
    `w_départ` est le modèle global reçu au début du tour : il rappelle le
    client vers ce modèle (Li et al., 2020). TFF réinitialise l'optimiseur de
    chaque client à chaque tour : le premier pas retient donc `w_départ`.

    Pourquoi pas `tff.learning.algorithms.build_weighted_fed_prox` ? Dans
    TFF 0.87, son terme proximal est ajouté avec le signe opposé
    (`mu · (w_départ − w)`) : il **éloigne** le client du modèle global, et
    l'entraînement diverge dès que `mu` n'est plus tout petit
    (`tests/test_federated.py` le vérifie).
    """

    def __init__(self, learning_rate: float, mu: float):
        self._lr = float(learning_rate)
        self._mu = float(mu)

    def initialize(self, specs):
        zeros = tf.nest.map_structure(lambda t: tf.zeros(t.shape, t.dtype), specs)
        return {"learning_rate": self._lr, "step": tf.constant(0), "start": zeros}

    def next(self, state, weights, gradients):
        first_step = tf.equal(state["step"], 0)
        start = tf.nest.map_structure(
            lambda s, w: tf.where(first_step, w, s), state["start"], weights
        )
        lr, mu = state["learning_rate"], self._mu

        def step(w, g, s):
            return w - tf.cast(lr, w.dtype) * (g + mu * (w - s))

        new_weights = tf.nest.map_structure(step, weights, gradients, start)
        new_state = {"learning_rate": lr, "step": state["step"] + 1, "start": start}
        return new_state, new_weights

    def get_hparams(self, state):
        return {"learning_rate": state["learning_rate"]}

    def set_hparams(self, state, hparams):
        return {**state, "learning_rate": hparams["learning_rate"]}


def build_process(
    algorithm: str = "fedavg",
    model: str = "cnn",
    client_lr: float = 0.1,
    server_lr: float | None = None,
    mu: float = 0.01,
    client_weighting=None,
    aggregator=None,
    server_optimizer=None,
):
    """Construit (et compile) le calcul fédéré d'un algorithme.

    Parameters
    ----------
    algorithm : « fedavg », « fedsgd », « fedprox » ou « fedadam ».
        - fedavg : SGD local sur chaque client, puis moyenne des modèles
          pondérée par le nombre d'exemples (McMahan et al., 2017) ;
        - fedsgd : chaque client calcule un gradient sur ses données, le
          serveur fait un pas de SGD avec le gradient moyen ;
        - fedprox : FedAvg + terme proximal `mu/2 · ‖w − w_serveur‖²` qui
          retient les clients près du modèle global (Li et al., 2020) ;
        - fedadam : FedAvg, mais le serveur applique la mise à jour moyenne
          avec Adam (Reddi et al., 2021).
    model : « cnn » ou « mlp » (voir `fltutor.models`).
    client_lr : taux d'apprentissage η du SGD local (ignoré par fedsgd).
    server_lr : taux du serveur. Par défaut (`None`) : 1.0 pour fedavg et
        fedprox (le serveur remplace le modèle par la moyenne, comme dans
        l'article) ; `client_lr` pour fedsgd (ainsi FedSGD = FedAvg avec E=1,
        B=∞ et le même η) ; `DEFAULT_FEDADAM_SERVER_LR` (0.003) pour fedadam.
    mu : force du terme proximal (fedprox seulement).
    client_weighting : `None`/« num_examples » (pondération par le nombre
        d'exemples) ou « uniform ».
    aggregator : agrégateur TFF du modèle (`model_aggregator`), par exemple
        pour la confidentialité différentielle ou la compression.
    server_optimizer : optimiseur TFF du serveur (remplace `server_lr`).

    Exemple
    -------
    >>> process = build_process("fedavg", model="mlp", client_lr=0.1)  # doctest: +SKIP
    >>> print(process.next.type_signature)                             # doctest: +SKIP
    """
    key = algorithm.lower() if isinstance(algorithm, str) else algorithm
    algorithm = checks.choice(key, ALGORITHMS, "Algorithme inconnu")
    model_fn = tff_model_fn(model)  # étape 1 : le modèle, pour TFF
    client_lr = _check_lr(client_lr, "client_lr")
    if server_lr is None:
        server_lr = {
            "fedavg": 1.0,
            "fedprox": 1.0,
            "fedsgd": client_lr,
            "fedadam": DEFAULT_FEDADAM_SERVER_LR,
        }[algorithm]
    server_lr = _check_lr(server_lr, "server_lr")
    weighting = _client_weighting(client_weighting)
    if algorithm == "fedsgd" and weighting != tff.learning.ClientWeighting.NUM_EXAMPLES:
        raise ValueError(
            "FedSGD pondère toujours les gradients par le nombre d'exemples : "
            "retirez client_weighting, ou choisissez « fedavg »."
        )
    mu = checks.real(mu, "mu (force du terme proximal)", minimum=0)

    # Les optimiseurs : SGD chez les clients ; SGD (ou Adam) au serveur.
    client_optimizer = tff.learning.optimizers.build_sgdm(learning_rate=client_lr)
    if server_optimizer is None:
        if algorithm == "fedadam":
            server_optimizer = tff.learning.optimizers.build_adam(
                learning_rate=server_lr
            )
        else:
            server_optimizer = tff.learning.optimizers.build_sgdm(
                learning_rate=server_lr
            )

    try:
        if algorithm == "fedsgd":
            return tff.learning.algorithms.build_fed_sgd(
                model_fn,
                server_optimizer_fn=server_optimizer,
                model_aggregator=aggregator,
            )
        if algorithm == "fedprox":  # FedAvg avec le SGD proximal chez les clients
            client_optimizer = ProximalSGD(client_lr, mu)
        # fedavg, fedprox et fedadam : seuls l'optimiseur local ou celui du
        # serveur changent.
        return tff.learning.algorithms.build_weighted_fed_avg(
            model_fn,
            client_optimizer_fn=client_optimizer,
            server_optimizer_fn=server_optimizer,
            client_weighting=weighting,
            model_aggregator=aggregator,
        )
    finally:
        _restore_keras_classes(model)


# ---------------------------------------------------------------------------
# Étape 5 — Entraîner : enchaîner les tours fédérés
# ---------------------------------------------------------------------------

_COLUMNS = (
    "round",
    "train_loss",
    "train_accuracy",
    "test_loss",
    "test_accuracy",
    "seconds",
    "bytes_down",
    "bytes_up",
)
_FRENCH_HEADERS = {
    "round": "Tour",
    "train_loss": "Perte entr.",
    "train_accuracy": "Exactitude entr.",
    "test_loss": "Perte test",
    "test_accuracy": "Exactitude test",
    "seconds": "Durée (s)",
    "bytes_down": "Octets ↓",
    "bytes_up": "Octets ↑",
    "clients": "Clients",
}


class History:
    """L'historique d'un entraînement fédéré (renvoyé par `train`).

    Attributs
    ---------
    rounds : liste de dictionnaires, un par tour, avec les clés `round`,
        `train_loss`, `train_accuracy`, `test_loss`, `test_accuracy` (NaN
        quand le tour n'est pas évalué), `seconds` (durée de `process.next`),
        `bytes_down` (serveur → clients), `bytes_up` (clients → serveur) et
        `clients` (indices des clients tirés au sort).
    rounds_to_target : premier tour où l'exactitude test a atteint l'objectif
        (`None` si jamais atteint, ou pas d'objectif).
    final_weights : poids du modèle global à la fin, liste de tableaux numpy
        dans l'ordre de `keras_model.get_weights()` (se charge avec
        `keras_model.set_weights(hist.final_weights)`).
    info : réglages de l'entraînement (modèle, clients par tour, graine…).

    Exemple
    -------
    >>> hist = History()
    >>> hist.rounds.append({"round": 1, "test_accuracy": 0.9})
    >>> hist.column("test_accuracy")
    [0.9]
    """

    #: Les colonnes du tableau et du CSV (dans cet ordre).
    COLUMNS = _COLUMNS

    def __init__(
        self, rounds=None, final_weights=None, rounds_to_target=None, info=None
    ):
        self.rounds: list[dict] = list(rounds) if rounds is not None else []
        self.final_weights: list[np.ndarray] | None = final_weights
        self.rounds_to_target: int | None = rounds_to_target
        self.info: dict = dict(info) if info is not None else {}

    def __len__(self) -> int:
        return len(self.rounds)

    def column(self, name: str) -> list:
        """Les valeurs d'une colonne, tour par tour (ex. `"test_accuracy"`)."""
        if self.rounds and not any(name in r for r in self.rounds):
            raise ValueError(
                f"Colonne inconnue : {name!r}. Colonnes disponibles : "
                + ", ".join(self.rounds[0].keys())
                + "."
            )
        return [r.get(name, float("nan")) for r in self.rounds]

    def _evaluated(self) -> list[dict]:
        return [
            r
            for r in self.rounds
            if r.get("test_accuracy") is not None
            and not math.isnan(r.get("test_accuracy", float("nan")))
        ]

    def rounds_to(self, threshold: float) -> int | None:
        """Le premier tour évalué dont l'exactitude test atteint `threshold` (None sinon).

        >>> History([{"round": 1, "test_accuracy": 0.8},
        ...          {"round": 2, "test_accuracy": 0.96}]).rounds_to(0.95)
        2
        """
        for r in self._evaluated():
            if r["test_accuracy"] >= threshold:
                return int(r["round"])
        return None

    @property
    def best_accuracy(self) -> float | None:
        """La meilleure exactitude test atteinte (None si aucune évaluation)."""
        evaluated = self._evaluated()
        return max(r["test_accuracy"] for r in evaluated) if evaluated else None

    @property
    def final_accuracy(self) -> float | None:
        """L'exactitude test de la dernière évaluation (None si aucune)."""
        evaluated = self._evaluated()
        return evaluated[-1]["test_accuracy"] if evaluated else None

    @property
    def total_bytes(self) -> int:
        """Le total des octets échangés (dans les deux sens) sur tous les tours."""
        return int(sum(r["bytes_down"] + r["bytes_up"] for r in self.rounds))

    def table(self, every: int = 1) -> str:
        """Le tableau des tours, en texte aligné (un tour sur `every`, et le dernier).

        >>> h = History([{"round": 1, "train_loss": 0.5, "train_accuracy": 0.8,
        ...               "test_loss": 0.4, "test_accuracy": 0.85, "seconds": 1.0,
        ...               "bytes_down": 10, "bytes_up": 10}])
        >>> print(h.table())  # doctest: +NORMALIZE_WHITESPACE
        Tour  Perte entr.  Exactitude entr.  Perte test  Exactitude test  Durée (s)  Octets ↓  Octets ↑
           1       0,5000           0,8000      0,4000          0,8500       1,00        10        10
        """
        every = checks.integer(every, "every", 1)
        columns = list(_COLUMNS)
        headers = [_FRENCH_HEADERS[c] for c in columns]
        rows = [
            r
            for i, r in enumerate(self.rounds)
            if i % every == every - 1 or i == len(self.rounds) - 1
        ]

        def fmt(name, value):
            if value is None or (isinstance(value, float) and math.isnan(value)):
                return "—"
            if name == "round" or name.startswith("bytes"):
                return formatting.integer(value)
            if name == "seconds":
                return formatting.number(value, 2)
            return formatting.number(value, 4)

        cells = [[fmt(c, r.get(c)) for c in columns] for r in rows]
        widths = [
            max([len(h)] + [len(row[j]) for row in cells])
            for j, h in enumerate(headers)
        ]
        lines = ["  ".join(h.rjust(w) for h, w in zip(headers, widths))]
        lines += ["  ".join(v.rjust(w) for v, w in zip(row, widths)) for row in cells]
        return "\n".join(lines)

    def to_csv(self, path) -> None:
        """Enregistre l'historique dans un fichier CSV (une ligne par tour)."""
        columns = list(_COLUMNS)
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.writer(f)
            writer.writerow(columns)
            for r in self.rounds:
                writer.writerow(["" if r.get(c) is None else r.get(c) for c in columns])

    def __repr__(self) -> str:
        n = len(self.rounds)
        text = f"<Historique fédéré : {n} tour{'s' if n > 1 else ''}"
        if self.best_accuracy is not None:
            best = max(self._evaluated(), key=lambda r: r["test_accuracy"])
            text += (
                f", exactitude test finale {formatting.number(self.final_accuracy, 4)}"
                f", meilleure {formatting.number(best['test_accuracy'], 4)}"
                f" (tour {best['round']})"
            )
        goal = self.info.get("target_accuracy")
        if goal is not None:
            if self.rounds_to_target is None:
                text += f", objectif {formatting.percent(goal, 2)} non atteint"
            else:
                text += (
                    f", objectif {formatting.percent(goal, 2)} atteint au tour "
                    f"{self.rounds_to_target}"
                )
        return text + ">"


def _plain(value):
    """Convertit des mesures TFF (tableaux numpy, OrderedDict) en types Python simples.

    >>> _plain({"a": np.float32(0.5), "b": [np.int64(3)]})
    {'a': 0.5, 'b': [3]}
    """
    return tf.nest.map_structure(lambda v: np.asarray(v).tolist(), value)


def _num_sampled(clients_per_round, num_clients: int) -> int:
    """Nombre de clients par tour : entier m, ou fraction C (m = max(1, round(C·K)))."""
    if isinstance(clients_per_round, numbers.Integral) and not isinstance(
        clients_per_round, bool
    ):
        return checks.integer(
            clients_per_round,
            "clients_per_round",
            1,
            num_clients,
            hint=f"Il y a {num_clients} clients ; pour une fraction des clients, "
            "donnez un nombre décimal, par exemple 0.1.",
        )
    c = checks.real(
        clients_per_round,
        "clients_per_round (fraction C des clients)",
        minimum=0,
        strict=True,
        maximum=1,
        hint="Pour un nombre de clients, donnez un entier, par exemple 10.",
    )
    return max(1, int(round(c * num_clients)))


def sample_clients(
    num_clients: int, k: int, seed: int, round_number: int
) -> np.ndarray:
    """Les k clients du tour `round_number` (indices triés), tirés avec la graine `seed`.

    Le tirage d'un tour ne dépend que de `(seed, round_number)` : reprendre
    un entraînement au tour 12 retire exactement les mêmes clients. Le
    tirage lui-même est `scratch.select_clients`.

    >>> sample_clients(100, 3, seed=0, round_number=1)
    array([51, 88, 99])
    """
    rng = np.random.default_rng([int(seed), int(round_number)])
    return scratch.select_clients(num_clients, k, rng)


def _check_process_model(process, state, keras_model, model: str) -> None:
    """Vérifie que le processus TFF et le modèle Keras ont les mêmes poids."""
    weights = process.get_model_weights(state)
    tff_shapes = [tuple(np.shape(w)) for w in weights.trainable] + [
        tuple(np.shape(w)) for w in weights.non_trainable
    ]
    keras_shapes = [tuple(w.shape) for w in keras_model.trainable_weights] + [
        tuple(w.shape) for w in keras_model.non_trainable_weights
    ]
    if tff_shapes != keras_shapes:
        raise ValueError(
            f"Le processus n'a pas été construit avec le modèle « {model} » : "
            "passez le même model=... qu'à build_process()."
        )


def _test_dataset(test_data):
    if isinstance(test_data, tf.data.Dataset):
        return test_data
    try:
        x_test, y_test = test_data
    except (TypeError, ValueError):
        raise ValueError(
            "test_data doit être un couple (x_test, y_test) ou un tf.data.Dataset."
        ) from None
    return to_dataset(x_test, y_test, batch_size=1000)


class Round(NamedTuple):
    """Un tour terminé : sa ligne d'historique (`record`) et l'état du serveur."""

    record: dict
    state: object


def run_rounds(
    process,
    client_data: Sequence[tf.data.Dataset],
    rounds: int,
    clients_per_round=10,
    test_data=None,
    eval_every: int = 1,
    seed: int = 0,
    model: str = "cnn",
    state=None,
    first_round: int = 1,
    bytes_up_per_client: int | None = None,
) -> Iterator[Round]:
    """La boucle des tours fédérés, un tour à la fois (un générateur).

    Pour chaque tour `t` de `first_round` à `rounds` :

    1. le serveur tire au sort les clients du tour (`sample_clients`) ;
    2. `process.next` : diffusion du modèle, entraînement local, agrégation ;
    3. tous les `eval_every` tours (et au dernier), évaluation du modèle
       global sur `test_data` ;

    puis le générateur donne un `Round(record, state)` : la ligne de
    l'historique (voir `History`) et le nouvel état du serveur. On s'arrête
    quand on veut (`break`). `train` s'en sert ; le banc d'essai aussi.

    Reprendre : passez l'état du serveur enregistré après le tour `t - 1`
    (`state=...`) et `first_round=t` ; les tours suivants sont ceux qu'on
    aurait eus sans interruption (tirage des clients fixé par `seed` et `t`).
    Sans `state`, l'état initial est `process.initialize()`.

    >>> for tour in run_rounds(process, jeux, rounds=3):       # doctest: +SKIP
    ...     print(tour.record["round"], tour.record["train_accuracy"])
    """
    model = _model_name(model)
    if not isinstance(client_data, Sequence):  # un générateur, par exemple
        client_data = list(client_data)
    num_clients = len(client_data)
    if num_clients == 0:
        raise ValueError(
            "client_data est vide : donnez au moins un jeu de données client."
        )
    rounds = checks.integer(rounds, "rounds", 1)
    eval_every = checks.integer(eval_every, "eval_every", 1)
    seed = checks.integer(seed, "seed (graine)", 0)
    first_round = checks.integer(first_round, "first_round", 1)
    m = _num_sampled(clients_per_round, num_clients)

    keras_model = models.compile_for_eval(models.get(model)())
    test_ds = _test_dataset(test_data) if test_data is not None else None
    per_client = bytes_per_round(keras_model, 1)["per_client_down"]
    if state is None:
        tf.keras.utils.set_random_seed(seed)
        state = process.initialize()
    _check_process_model(process, state, keras_model, model)

    for t in range(first_round, rounds + 1):
        selected = sample_clients(num_clients, m, seed, t)  # 1) le tirage
        start = time.perf_counter()
        result = process.next(state, [client_data[i] for i in selected])  # 2)
        seconds = time.perf_counter() - start
        state = result.state
        train_metrics = result.metrics["client_work"]["train"]
        # Mesures de l'agrégateur (bruit DP, octets compressés…), s'il y en a.
        aggregator = _plain(result.metrics.get("aggregator", {}))
        if isinstance(aggregator, dict) and BYTES_MEASUREMENT in aggregator:
            bytes_up = int(aggregator[BYTES_MEASUREMENT])  # mesuré par TFF
        elif bytes_up_per_client is not None:
            bytes_up = int(bytes_up_per_client) * m
        else:
            bytes_up = per_client * m
        record = {
            "round": t,
            "train_loss": float(train_metrics["loss"]),
            "train_accuracy": float(train_metrics["accuracy"]),
            "test_loss": float("nan"),
            "test_accuracy": float("nan"),
            "seconds": seconds,
            "bytes_down": per_client * m,
            "bytes_up": bytes_up,
            "clients": [int(i) for i in selected],
            "aggregator": aggregator,
        }
        if test_ds is not None and (t % eval_every == 0 or t == rounds):  # 3)
            process.get_model_weights(state).assign_weights_to(keras_model)
            loss, acc = keras_model.evaluate(test_ds, verbose=0)
            record["test_loss"], record["test_accuracy"] = float(loss), float(acc)
        yield Round(record, state)


def keras_weights(process, state, model: str = "cnn") -> list[np.ndarray]:
    """Les poids du modèle global d'un état du serveur, dans l'ordre de Keras.

    Liste de tableaux numpy dans l'ordre de `keras_model.get_weights()`.

    >>> poids = keras_weights(process, state, model="mlp")     # doctest: +SKIP
    """
    keras_model = models.get(_model_name(model))()
    process.get_model_weights(state).assign_weights_to(keras_model)
    return [np.array(w) for w in keras_model.get_weights()]


def train(
    process,
    client_data: Sequence[tf.data.Dataset],
    rounds: int,
    clients_per_round=10,
    test_data=None,
    eval_every: int = 1,
    target_accuracy: float | None = None,
    seed: int = 0,
    progress: bool = True,
    callback: Callable[[History], bool | None] | None = None,
    model: str = "cnn",
    bytes_up_per_client: int | None = None,
) -> History:
    """Entraîne un modèle fédéré pendant `rounds` tours et renvoie l'historique.

    À chaque tour : tirage au sort de `clients_per_round` clients (un entier m,
    ou une fraction C des K clients : m = max(1, round(C·K))), puis
    `process.next` (diffusion, entraînement local, agrégation). Tous les
    `eval_every` tours (et au dernier), le modèle global est évalué sur
    `test_data = (x_test, y_test)`. La boucle elle-même est `run_rounds`.

    Parameters
    ----------
    process : le calcul fédéré (`build_process`).
    client_data : la liste des jeux de données des clients (`client_datasets`).
    rounds : nombre maximal de tours.
    target_accuracy : arrêt au premier tour évalué où l'exactitude test
        atteint cette valeur ; `History.rounds_to_target` donne ce tour.
    seed : graine du tirage des clients (et de TensorFlow pendant
        l'entraînement). Les poids initiaux, eux, sont ceux de
        `process.initialize()`, fixés quand le process est construit : pour
        les reproduire, appelez `tf.keras.utils.set_random_seed(...)` avant
        `build_process` (comme le fait la cellule de réglages des notebooks).
    progress : afficher une barre de progression.
    callback : fonction appelée avec l'historique après chaque tour (courbes
        en direct) ; si elle renvoie `True`, l'entraînement s'arrête.
    model : le nom du modèle donné à `build_process` (« cnn » ou « mlp »).
    bytes_up_per_client : octets envoyés par client (clients → serveur) si un
        agrégateur compresse les mises à jour sans les mesurer ; par défaut,
        la mesure de l'agrégateur (`communication.compression_aggregator`)
        s'il en fait une, sinon la taille du modèle.

    Exemple
    -------
    >>> hist = train(process, jeux, rounds=10, clients_per_round=0.1,
    ...              test_data=(x_test, y_test))         # doctest: +SKIP
    >>> hist.column("test_accuracy")                     # doctest: +SKIP
    """
    from tqdm.auto import tqdm

    if target_accuracy is not None:
        checks.real(
            target_accuracy,
            "target_accuracy",
            minimum=0,
            strict=True,
            maximum=1,
            hint="Par exemple 0.97.",
        )
        if test_data is None:
            raise ValueError(
                "target_accuracy demande des données de test : passez "
                "test_data=(x_test, y_test)."
            )
    if not isinstance(client_data, Sequence):  # un générateur, par exemple
        client_data = list(client_data)
    tf.keras.utils.set_random_seed(seed)
    loop = run_rounds(
        process,
        client_data,
        rounds,
        clients_per_round=clients_per_round,
        test_data=test_data,
        eval_every=eval_every,
        seed=seed,
        model=model,
        bytes_up_per_client=bytes_up_per_client,
    )
    history = History()
    state = None
    bar = None
    try:
        for record, state in loop:  # noqa: B007 (state sert après la boucle)
            if bar is None:  # les réglages sont vérifiés : on peut afficher
                history.info = {
                    "model": _model_name(model),
                    "num_clients": len(client_data),
                    "clients_per_round": len(record["clients"]),
                    "seed": seed,
                    "target_accuracy": target_accuracy,
                    "eval_every": int(eval_every),
                }
                bar = tqdm(
                    total=int(rounds),
                    desc="Tours d'entraînement fédéré",
                    disable=not progress,
                )
            history.rounds.append(record)
            bar.update(1)
            acc = record["test_accuracy"]
            if not math.isnan(acc):
                bar.set_postfix({"exactitude test": formatting.number(acc, 4)})
            if target_accuracy is not None and not math.isnan(acc):
                if acc >= target_accuracy:
                    history.rounds_to_target = record["round"]
            stop = callback(history) if callback is not None else False
            if history.rounds_to_target is not None or stop is True:
                break
    finally:
        loop.close()
        if bar is not None:
            bar.close()
    if state is not None:
        history.final_weights = keras_weights(process, state, model)
    return history


# ---------------------------------------------------------------------------
# Outils : évaluer un modèle, entraînement centralisé de référence
# ---------------------------------------------------------------------------


def _as_keras_model(weights_or_model, model: str) -> tf.keras.Model:
    """Le modèle Keras donné, ou un modèle du cours `model` chargé de ces poids."""
    if isinstance(weights_or_model, tf.keras.Model):
        return weights_or_model
    keras_model = models.get(_model_name(model))()
    if isinstance(weights_or_model, tff.learning.models.ModelWeights):
        weights_or_model.assign_weights_to(keras_model)
        return keras_model
    weights = [np.asarray(w) for w in weights_or_model]
    expected = [tuple(w.shape) for w in keras_model.weights]
    if [w.shape for w in weights] != expected:
        raise ValueError(
            f"Ces poids ne correspondent pas au modèle « {model} » : "
            "passez le bon model=... (« cnn » ou « mlp »)."
        )
    keras_model.set_weights(weights)
    return keras_model


def evaluate(
    weights_or_model, x_test, y_test, model: str = "cnn"
) -> tuple[float, float]:
    """Évalue un modèle sur `(x_test, y_test)` : renvoie `(perte, exactitude)`.

    `weights_or_model` peut être un modèle Keras, une liste de poids (ordre
    de `get_weights()`, par exemple `History.final_weights`) ou des
    `tff.learning.models.ModelWeights` ; `model` dit alors quel modèle du
    cours construire.

    >>> loss, acc = evaluate(hist.final_weights, x_test, y_test)  # doctest: +SKIP
    """
    keras_model = _as_keras_model(weights_or_model, model)
    loss_fn = models.loss(reduction="sum")
    (accuracy,) = models.metrics()
    total_loss, n = 0.0, 0
    for images, labels in to_dataset(x_test, y_test, batch_size=1000):
        logits = keras_model(images, training=False)
        total_loss += float(loss_fn(labels, logits))
        accuracy.update_state(labels, logits)
        n += int(labels.shape[0])
    return total_loss / n, float(accuracy.result())


class ClientEvaluation(NamedTuple):
    """Résultat d'une évaluation fédérée (`federated_evaluation`).

    `accuracy` : l'exactitude agrégée, la seule que voit le serveur (chaque
    exemple compte autant) ; `per_client` et `examples` : l'exactitude et le
    nombre d'exemples de chaque client, dans l'ordre des jeux donnés — ce que
    seule une simulation permet de regarder.
    """

    accuracy: float
    per_client: np.ndarray
    examples: np.ndarray

    def __str__(self) -> str:
        """Le résumé : l'exactitude agrégée, puis sa distribution entre clients.

        >>> ev = ClientEvaluation(0.9, np.array([1.0, 0.9, 0.5, 0.95]), np.ones(4))
        >>> print(ev)
        exactitude agrégée 90,0 %
          par client : médiane 92,5 %, 10 % des clients sous 62,0 %, minimum 50,0 %
        """
        p = formatting.percent
        return (
            f"exactitude agrégée {p(self.accuracy)}\n"
            f"  par client : médiane {p(np.median(self.per_client))}, "
            f"10 % des clients sous {p(np.percentile(self.per_client, 10))}, "
            f"minimum {p(self.per_client.min())}"
        )


def federated_evaluation(
    weights_or_model, client_data: Sequence[tf.data.Dataset], model: str = "cnn"
) -> ClientEvaluation:
    """Évaluation fédérée : chaque client évalue le modèle sur ses propres données.

    Le processus d'évaluation de TFF (`tff.learning.algorithms.build_fed_eval`)
    diffuse le modèle aux clients ; chacun calcule ses métriques en local, et
    seules des sommes remontent au serveur. Un premier tour avec tous les
    clients donne l'exactitude agrégée ; un tour par client donne ensuite la
    distribution des exactitudes (un tour ne contient alors qu'un client).

    `weights_or_model` : comme pour `evaluate` (par exemple
    `History.final_weights`) ; `client_data` : un `tf.data.Dataset` par client
    (`client_datasets` sur des données de test réparties entre les clients).

    >>> ev = federated_evaluation(hist.final_weights, jeux_test)  # doctest: +SKIP
    >>> ev.accuracy, ev.per_client.min()                          # doctest: +SKIP
    (0.97, 0.88)
    """
    client_data = list(client_data)
    if not client_data:
        raise ValueError(
            "Aucun jeu de données client : passez une liste de tf.data.Dataset "
            "(un par client), par exemple celle de federated.client_datasets."
        )
    keras_model = _as_keras_model(weights_or_model, model)
    process = tff.learning.algorithms.build_fed_eval(tff_model_fn(model))
    state = process.set_model_weights(
        process.initialize(), tff.learning.models.ModelWeights.from_model(keras_model)
    )

    def metrics(datasets):
        output = process.next(state, datasets)
        return output.metrics["client_work"]["eval"]["current_round_metrics"]

    overall = metrics(client_data)
    per_client = [metrics([dataset]) for dataset in client_data]
    return ClientEvaluation(
        accuracy=float(overall["accuracy"]),
        per_client=np.array([float(m["accuracy"]) for m in per_client]),
        examples=np.array([int(m["num_examples"]) for m in per_client]),
    )


def centralized_fit(
    x,
    y,
    epochs: int = 1,
    batch_size: int = 10,
    model: str = "cnn",
    lr: float = 0.1,
    seed: int = 0,
    test_data=None,
    verbose: int = 0,
) -> dict:
    """Entraînement centralisé de référence (Keras `fit`, SGD), sans fédération.

    Toutes les données sont au même endroit : c'est la référence à laquelle
    on compare l'apprentissage fédéré.

    Renvoie un dictionnaire : `loss`, `accuracy` (par époque, entraînement),
    `test_loss`, `test_accuracy` (par époque, si `test_data`), `final_accuracy`
    (dernière exactitude test, ou d'entraînement sans `test_data`), `seconds`
    (durée du `fit`) et `model` (le modèle Keras entraîné).

    >>> res = centralized_fit(x, y, epochs=1, batch_size=10, model="mlp",
    ...                       test_data=(x_test, y_test))   # doctest: +SKIP
    >>> res["final_accuracy"]                                # doctest: +SKIP
    """
    model = _model_name(model)
    lr = _check_lr(lr, "lr")
    tf.keras.utils.set_random_seed(seed)
    keras_model = models.get(model)()
    models.compile_for_eval(keras_model, lr=lr)
    train_ds = to_dataset(x, y, batch_size=batch_size, shuffle_seed=seed)
    test_ds = _test_dataset(test_data) if test_data is not None else None
    start = time.perf_counter()
    fit = keras_model.fit(
        train_ds, epochs=int(epochs), validation_data=test_ds, verbose=verbose
    )
    seconds = time.perf_counter() - start
    result = {
        "loss": list(fit.history["loss"]),
        "accuracy": list(fit.history["accuracy"]),
        "test_loss": list(fit.history.get("val_loss", [])),
        "test_accuracy": list(fit.history.get("val_accuracy", [])),
        "seconds": seconds,
        "model": keras_model,
    }
    result["final_accuracy"] = (
        result["test_accuracy"][-1]
        if result["test_accuracy"]
        else result["accuracy"][-1]
    )
    return result


def class_accuracy(
    weights_or_model, x_test, y_test, model: str = "cnn", num_classes: int = 10
) -> np.ndarray:
    """L'exactitude classe par classe : la part des images de chaque chiffre reconnues.

    Mêmes `weights_or_model` et `model` que `evaluate`. Renvoie un tableau de
    `num_classes` fractions (NaN pour une classe absente de `y_test`).

    >>> class_accuracy(hist.final_weights, x_test, y_test)   # doctest: +SKIP
    array([0.99, 0.98, ...])
    """
    keras_model = _as_keras_model(weights_or_model, model)
    num_classes = checks.integer(num_classes, "num_classes", 1)
    predicted = np.concatenate(
        [
            np.argmax(keras_model(images, training=False), axis=1)
            for images, _ in to_dataset(x_test, y_test, batch_size=1000)
        ]
    )
    labels = np.asarray(y_test)
    return np.array(
        [
            np.mean(predicted[labels == c] == c) if np.any(labels == c) else np.nan
            for c in range(num_classes)
        ]
    )


# ---------------------------------------------------------------------------
# Comparer au centralisé à travail égal, et résumer plusieurs entraînements
# ---------------------------------------------------------------------------

__all__ += ["centralized_rounds", "comparison_table"]


def centralized_rounds(
    x,
    y,
    rounds: int,
    examples_per_round: int,
    test_data,
    batch_size: int = 20,
    model: str = "cnn",
    lr: float = 0.1,
    seed: int = 0,
) -> dict:
    """Entraînement centralisé évalué comme un fédéré : « tour » après « tour ».

    Un SGD classique (lots de `batch_size`, toutes les données au même endroit)
    qui traite `examples_per_round` exemples entre deux évaluations sur
    `test_data` : autant qu'un tour fédéré (clients par tour × exemples par
    client × E). Les courbes se comparent alors à travail de calcul égal.

    Renvoie un dictionnaire que `plots.training_curves` et `comparison_table`
    acceptent : `round`, `test_accuracy` (une valeur par tour), `seconds`
    (durée totale), `steps_per_round` et `model` (le modèle Keras entraîné).

    >>> central = centralized_rounds(x, y, rounds=20, examples_per_round=6000,
    ...                              test_data=(x_test, y_test))  # doctest: +SKIP
    >>> central["test_accuracy"][-1]                               # doctest: +SKIP
    """
    rounds = checks.integer(rounds, "rounds", 1)
    batch_size = _check_batch_size(batch_size)
    steps = checks.integer(examples_per_round, "examples_per_round", 1) // batch_size
    if steps < 1:
        raise ValueError("examples_per_round doit valoir au moins une taille de lot.")
    keras_model = models.compiled(_model_name(model), lr=_check_lr(lr, "lr"), seed=seed)
    stream = to_dataset(x, y, batch_size=batch_size, shuffle_seed=seed).repeat()
    start = time.perf_counter()
    fit = keras_model.fit(
        stream,
        steps_per_epoch=steps,
        epochs=rounds,
        validation_data=_test_dataset(test_data),
        verbose=0,
    )
    return {
        "round": list(range(1, rounds + 1)),
        "test_accuracy": list(fit.history["val_accuracy"]),
        "seconds": time.perf_counter() - start,
        "steps_per_round": steps,
        "model": keras_model,
    }


def comparison_table(runs, target: float | None = None) -> str:
    """Tableau texte qui compare plusieurs entraînements (un par ligne).

    `runs` : dictionnaire nom → historique (`History`, ou dictionnaire avec
    `round`, `test_accuracy` et `seconds`, durée totale ou liste par tour).
    Colonnes : exactitude finale, meilleure, premier tour où l'exactitude
    atteint `target` (« — » si jamais), durée totale.

    >>> print(comparison_table({"A": {"round": [1, 2], "test_accuracy": [0.8, 0.9],
    ...                               "seconds": 3.0}}, target=0.85))
    Entraînement  Exactitude finale  Meilleure  Tour ≥ 85 %  Durée (s)
    A                        90,0 %     90,0 %            2          3
    """
    if not isinstance(runs, dict) or not runs:
        raise ValueError("Donnez un dictionnaire nom → historique.")
    goal = "Tour ≥ " + formatting.percent(target, 0) if target is not None else ""
    headers = ["Entraînement", "Exactitude finale", "Meilleure"]
    headers += [goal] if target is not None else []
    rows = []
    for name, run in runs.items():
        column = run.column if hasattr(run, "column") else run.__getitem__
        pairs = [
            (r, a)
            for r, a in zip(column("round"), column("test_accuracy"))
            if a is not None and not math.isnan(a)
        ]
        if not pairs:
            raise ValueError(f"« {name} » n'a aucune exactitude de test.")
        evaluated = History([{"round": r, "test_accuracy": a} for r, a in pairs])
        row = [str(name), formatting.percent(evaluated.final_accuracy)]
        row.append(formatting.percent(evaluated.best_accuracy))
        if target is not None:
            first = evaluated.rounds_to(target)
            row.append("—" if first is None else str(first))
        seconds = column("seconds")
        total = sum(seconds) if isinstance(seconds, list) else seconds
        row.append(formatting.number(total, 0))
        rows.append(row)
    headers.append("Durée (s)")
    widths = [max(len(h), *(len(r[j]) for r in rows)) for j, h in enumerate(headers)]
    lines = [
        "  ".join(
            h.ljust(widths[0]) if j == 0 else h.rjust(widths[j])
            for j, h in enumerate(headers)
        )
    ]
    for r in rows:
        lines.append(
            "  ".join(
                v.ljust(widths[0]) if j == 0 else v.rjust(widths[j])
                for j, v in enumerate(r)
            )
        )
    return "\n".join(lines)
