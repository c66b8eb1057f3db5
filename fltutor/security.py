"""Sécurité en apprentissage fédéré : des clients malveillants, et des agrégations qui résistent.

Le serveur ne voit pas les données des clients : il ne peut donc pas vérifier
ce qu'un client lui envoie. Ce module réunit les outils du notebook 11.

**Attaques** (chacune avec son modèle de menace) :

- `flip_labels` : inversion d'étiquettes — un client malveillant entraîne
  honnêtement, mais sur des étiquettes fausses (`y → 9 − y`) ;
- `add_trigger`, `poison_backdoor`, `backdoor_success` : porte dérobée — un
  client ajoute un petit carré de pixels blancs (le « déclencheur ») à une
  partie de ses images et les étiquette d'un chiffre choisi ; le modèle
  global apprend à répondre ce chiffre dès qu'il voit le carré ;
- `boost` dans `client_data` : remplacement de modèle — un client multiplie
  sa mise à jour par un facteur γ pour qu'elle l'emporte dans la moyenne
  (Bagdasaryan et al., 2020).

**Défenses**, écrites comme agrégateurs de TFF (`defence`) :

- celles de TFF : écrêtage (`tff.aggregators.clipping_factory`) et mise à
  zéro (`tff.aggregators.zeroing_factory`) des mises à jour trop grandes, à
  seuil adaptatif comme dans `tff.learning.robust_aggregator` ;
- celles que TFF n'a pas, écrites ici : médiane coordonnée par coordonnée
  (`MedianFactory`), moyenne tronquée (`TrimmedMeanFactory`) et Krum
  (`KrumFactory`, Blanchard et al., 2017). Le serveur rassemble les mises à
  jour avec `tff.aggregators.federated_sample` (toutes, si l'échantillon est
  assez grand), puis les réduit avec un calcul TensorFlow.

Exemple
-------
>>> from fltutor import security
>>> import numpy as np
>>> security.flip_labels(np.array([0, 3, 9])).tolist()
[9, 6, 0]
"""

from __future__ import annotations

import collections
from collections.abc import Sequence

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

from fltutor import checks, federated
from fltutor.formatting import percent

__all__ = [
    "ATTACKS",
    "DEFENCE_NAMES",
    "DEFENCES",
    "KrumFactory",
    "MedianFactory",
    "TrimmedMeanFactory",
    "add_trigger",
    "aggregate",
    "aggregation_table",
    "attack_scenarios",
    "backdoor_success",
    "build_process",
    "client_data",
    "compare",
    "curves",
    "defence",
    "flip_labels",
    "poison_backdoor",
    "results_table",
    "select",
    "success_curves",
    "tables",
    "train",
    "trigger_examples",
]

#: Les attaques du notebook 11 (`client_data`).
ATTACKS = ("aucune", "inversion", "porte_derobee", "remplacement")

#: Les défenses (`defence`) : FedAvg simple, puis les agrégations robustes.
DEFENCES = (
    "fedavg",
    "ecretage",
    "mise_a_zero",
    "mediane",
    "moyenne_tronquee",
    "krum",
    "dp",
)

#: Le déclencheur de la porte dérobée : un carré de 4 × 4 pixels blancs en bas
#: à droite de l'image (lignes et colonnes 23 à 26), là où les chiffres de
#: MNIST n'ont jamais d'encre.
TRIGGER_ROWS = slice(23, 27)
TRIGGER_COLS = slice(23, 27)


# ---------------------------------------------------------------------------
# 1. Les attaques
# ---------------------------------------------------------------------------


def flip_labels(labels) -> np.ndarray:
    """Inversion d'étiquettes : chaque chiffre `y` devient `9 − y`.

    Modèle de menace : le client suit le protocole à la lettre, mais ses
    données sont fausses (capteur saboté, étiquetage malveillant).

    >>> flip_labels(np.array([0, 1, 8])).tolist()
    [9, 8, 1]
    """
    y = np.asarray(labels)
    if (
        not np.issubdtype(y.dtype, np.integer)
        or y.size
        and (y.min() < 0 or y.max() > 9)
    ):
        raise ValueError("Les étiquettes doivent être des chiffres entiers de 0 à 9.")
    return (9 - y).astype(y.dtype)


def add_trigger(images) -> np.ndarray:
    """Copie des images avec le déclencheur de la porte dérobée (carré blanc 4 × 4).

    Les images sont en `uint8` (0 à 255) ou en réels dans [0, 1] ; le carré
    vaut le blanc maximal (255 ou 1,0). Les images d'origine ne changent pas.

    >>> x = np.zeros((2, 28, 28), np.uint8)
    >>> int(add_trigger(x)[0].sum() // 255), int(x.sum())
    (16, 0)
    """
    x = checks.images(images)
    x[:, TRIGGER_ROWS, TRIGGER_COLS] = 255 if x.dtype == np.uint8 else 1.0
    return x


def poison_backdoor(x, y, target: int = 0, fraction: float = 0.5, seed: int = 0):
    """Les données d'un client qui pose une porte dérobée.

    Une part `fraction` des images (tirées avec `seed`) reçoit le
    déclencheur et l'étiquette `target` ; les autres restent intactes, pour
    que le modèle garde une bonne exactitude sur les images propres (l'attaque
    passe inaperçue). Renvoie `(x_empoisonné, y_empoisonné)`.

    >>> x = np.zeros((4, 28, 28), np.uint8); y = np.array([1, 2, 3, 4])
    >>> xp, yp = poison_backdoor(x, y, target=7, fraction=0.5)
    >>> sorted(yp.tolist()).count(7), int(xp.sum() // (16 * 255))
    (2, 2)
    """
    target = checks.integer(target, "target", 0, 9)
    fraction = checks.real(fraction, "fraction", minimum=0, maximum=1)
    x = np.array(x, copy=True)
    y = np.array(y, copy=True)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(len(y), size=int(round(fraction * len(y))), replace=False)
    x[chosen] = add_trigger(x[chosen])
    y[chosen] = target
    return x, y


def backdoor_success(weights, x_test, y_test, target: int = 0, model: str = "mlp"):
    """Taux de succès de la porte dérobée : part des images qui tombent dans le piège.

    On prend les images de test dont le vrai chiffre n'est pas `target`, on
    leur ajoute le déclencheur, et on compte la part que le modèle classe
    `target`. Sans attaque, ce taux est proche de 0 ; une porte dérobée
    réussie le pousse vers 1. `weights` : comme pour `federated.evaluate`.

    >>> backdoor_success(hist.final_weights, x_test, y_test)  # doctest: +SKIP
    0.02
    """
    target = checks.integer(target, "target", 0, 9)
    keep = np.asarray(y_test) != target
    triggered = add_trigger(np.asarray(x_test)[keep])
    labels = np.full(int(keep.sum()), target, dtype=np.int32)
    _, accuracy = federated.evaluate(weights, triggered, labels, model=model)
    return accuracy


def client_data(
    x,
    y,
    partition: Sequence[np.ndarray],
    attack: str = "aucune",
    malicious: int = 0,
    target: int = 0,
    boost: float = 10.0,
    poison_fraction: float = 0.5,
    batch_size: int = 20,
    epochs: int = 1,
    seed: int = 0,
) -> list[collections.OrderedDict]:
    """Les données des clients, dont les `malicious` premiers sont malveillants.

    Chaque client reçoit un dictionnaire `{"data": jeu, "boost": γ}` (deux
    `tf.data.Dataset`) que comprend le calcul de `build_process` : `data` est
    son jeu de lots (comme `federated.client_datasets`), `boost` le facteur
    par lequel il multiplie sa mise à jour (1 pour un client honnête).

    `attack` :

    - « aucune » : tous honnêtes (`malicious` est ignoré) ;
    - « inversion » : les malveillants entraînent sur `flip_labels(y)` ;
    - « porte_derobee » : leurs données sont `poison_backdoor(...)` ;
    - « remplacement » : porte dérobée, et mise à jour multipliée par `boost`.
    """
    checks.choice(attack, ATTACKS, "Attaque inconnue")
    malicious = checks.integer(malicious, "malicious", minimum=0)
    if malicious > len(partition):
        raise ValueError(
            f"malicious ({malicious}) dépasse le nombre de clients ({len(partition)})."
        )
    if attack == "aucune":
        malicious = 0
    boost = checks.real(boost, "boost")
    x = np.asarray(x)
    y = np.asarray(y)
    result = []
    for k, indices in enumerate(partition):
        xk, yk, gamma = x[indices], y[indices], 1.0
        if k < malicious:
            if attack == "inversion":
                yk = flip_labels(yk)
            else:
                xk, yk = poison_backdoor(
                    xk, yk, target=target, fraction=poison_fraction, seed=seed + k
                )
                if attack == "remplacement":
                    gamma = float(boost)
        ds = federated.to_dataset(
            xk, yk, batch_size=batch_size, shuffle_seed=seed + k, epochs=epochs
        )
        boost_ds = tf.data.Dataset.from_tensors(np.float32(gamma))
        result.append(collections.OrderedDict(data=ds, boost=boost_ds))
    return result


def attack_scenarios(
    x,
    y,
    partition: Sequence[np.ndarray],
    target: int = 0,
    several: int = 3,
    boost: float = 10.0,
    seed: int = 0,
) -> dict:
    """Les cinq scénarios du notebook 11 : nom → données des clients (`client_data`).

    Aucun client malveillant ; inversion d'étiquettes par `several` clients ;
    porte dérobée posée par 1 puis par `several` clients ; remplacement de
    modèle (porte dérobée et mise à jour × `boost`) par un seul client.

    >>> scenarios = attack_scenarios(x, y, parts, several=3)   # doctest: +SKIP
    >>> list(scenarios)                                         # doctest: +SKIP
    ['sans attaque', 'inversion (3 clients)', 'porte dérobée (1 client)',
     'porte dérobée (3 clients)', 'remplacement (1 client)']
    """
    several = checks.integer(several, "several", minimum=1)
    settings = {
        "sans attaque": dict(attack="aucune"),
        f"inversion ({several} clients)": dict(attack="inversion", malicious=several),
        "porte dérobée (1 client)": dict(attack="porte_derobee", malicious=1),
        f"porte dérobée ({several} clients)": dict(
            attack="porte_derobee", malicious=several
        ),
        "remplacement (1 client)": dict(
            attack="remplacement", malicious=1, boost=boost
        ),
    }
    return {
        name: client_data(x, y, partition, target=target, seed=seed, **options)
        for name, options in settings.items()
    }


# ---------------------------------------------------------------------------
# 2. Les défenses : des agrégateurs de TFF
# ---------------------------------------------------------------------------


class _CollectThenReduce(tff.aggregators.UnweightedAggregationFactory):
    """Rassemble les mises à jour au serveur, puis les réduit (médiane, Krum…).

    TFF 0.87 n'a plus `federated_collect` ; `tff.aggregators.federated_sample`
    garde au plus `max_clients` valeurs des clients (un échantillon au hasard
    s'il y en a plus, toutes sinon), empilées le long d'une première dimension.
    `_reduce` reçoit ces piles (une par tenseur du modèle) et renvoie une
    valeur de la même forme qu'une mise à jour.
    """

    def __init__(self, max_clients: int = 100):
        self.max_clients = checks.integer(max_clients, "max_clients", minimum=1)

    def _reduce(self, stacked):
        raise NotImplementedError

    def create(self, value_type):
        reduce_fn = self._reduce
        max_clients = self.max_clients

        @tff.federated_computation()
        def initialize():
            return tff.federated_value((), tff.SERVER)

        @tff.federated_computation(
            initialize.type_signature.result, tff.FederatedType(value_type, tff.CLIENTS)
        )
        def next_fn(state, value):
            stacked = tff.aggregators.federated_sample(value, max_clients)
            reduce = tff.tensorflow.computation(
                reduce_fn, stacked.type_signature.member
            )
            result = tff.federated_map(reduce, stacked)
            count = tff.federated_sum(tff.federated_value(np.int32(1), tff.CLIENTS))
            return tff.templates.MeasuredProcessOutput(
                state, result, tff.federated_zip(collections.OrderedDict(clients=count))
            )

        return tff.templates.AggregationProcess(initialize, next_fn)


def _sorted(stacked):
    return tf.nest.map_structure(lambda v: tf.sort(v, axis=0), stacked)


class MedianFactory(_CollectThenReduce):
    """Médiane coordonnée par coordonnée des mises à jour (agrégateur TFF non pondéré).

    Chaque coordonnée du modèle prend la valeur médiane parmi les clients
    (la moyenne des deux valeurs du milieu si leur nombre est pair, comme
    `numpy.median`). Tant que moins de la moitié des clients sont
    malveillants, une coordonnée de l'agrégat reste entre deux valeurs
    honnêtes, aussi grandes que soient les valeurs malveillantes.

    >>> factory = MedianFactory(max_clients=10)       # doctest: +SKIP
    """

    def _reduce(self, stacked):
        def median(v):
            s = tf.sort(v, axis=0)
            k = tf.shape(s)[0]
            return 0.5 * (tf.gather(s, (k - 1) // 2) + tf.gather(s, k // 2))

        return tf.nest.map_structure(median, stacked)


class TrimmedMeanFactory(_CollectThenReduce):
    """Moyenne tronquée coordonnée par coordonnée (agrégateur TFF non pondéré).

    Pour chaque coordonnée, on retire les `⌊β·n⌋` plus petites et les
    `⌊β·n⌋` plus grandes valeurs des `n` clients, et on moyenne le reste
    (comme `scipy.stats.trim_mean(valeurs, β)`). Elle résiste à au plus
    `⌊β·n⌋` clients malveillants, et perd moins d'information que la médiane.

    >>> factory = TrimmedMeanFactory(beta=0.2, max_clients=10)   # doctest: +SKIP
    """

    def __init__(self, beta: float = 0.2, max_clients: int = 100):
        super().__init__(max_clients)
        self.beta = checks.real(beta, "beta", minimum=0)
        if self.beta >= 0.5:
            raise ValueError(
                f"beta doit être < 0,5 : on retire la fraction beta des valeurs de"
                f" chaque côté, il doit en rester (reçu : {beta!r}). Essayez 0,2."
            )

    def _reduce(self, stacked):
        beta = self.beta

        def trimmed(v):
            s = tf.sort(v, axis=0)
            k = tf.shape(s)[0]
            cut = tf.cast(tf.floor(beta * tf.cast(k, tf.float64)), tf.int32)
            return tf.reduce_mean(s[cut : k - cut], axis=0)

        return tf.nest.map_structure(trimmed, stacked)


class KrumFactory(_CollectThenReduce):
    """Krum (Blanchard et al., 2017) : garder la mise à jour la plus « entourée ».

    Pour chaque client `i`, on somme les carrés des distances entre sa mise à
    jour et celles de ses `n − f − 2` plus proches voisins ; le serveur garde
    **une seule** mise à jour, celle dont cette somme est la plus petite. Une
    mise à jour isolée (malveillante) a des voisins lointains : elle n'est
    jamais choisie si `n > 2f + 2`. `num_malicious` est `f`.

    >>> factory = KrumFactory(num_malicious=3, max_clients=10)   # doctest: +SKIP
    """

    def __init__(self, num_malicious: int = 1, max_clients: int = 100):
        super().__init__(max_clients)
        self.num_malicious = checks.integer(num_malicious, "num_malicious", minimum=0)

    def _reduce(self, stacked):
        leaves = tf.nest.flatten(stacked)
        k = tf.shape(leaves[0])[0]
        flat = tf.concat([tf.reshape(v, (k, -1)) for v in leaves], axis=1)
        gram = tf.matmul(flat, flat, transpose_b=True)
        sq = tf.linalg.diag_part(gram)
        dist = sq[:, None] + sq[None, :] - 2.0 * gram
        neighbours = tf.maximum(k - self.num_malicious - 2, 1)
        # Colonne 0 après tri : la distance à soi-même (0), qu'on saute.
        closest = tf.sort(dist, axis=1)[:, 1 : neighbours + 1]
        best = tf.argmin(tf.reduce_sum(closest, axis=1))
        return tf.nest.map_structure(lambda v: tf.gather(v, best), stacked)


def aggregate(factory, updates) -> np.ndarray:
    """Un tour d'un agrégateur TFF non pondéré sur une liste de vecteurs : le résultat.

    `factory` : une fabrique non pondérée (`MedianFactory`,
    `tff.aggregators.UnweightedMeanFactory()`...) ; `updates` : un vecteur
    `float32` par client, tous de même taille.

    >>> import tensorflow_federated as tff
    >>> aggregate(tff.aggregators.UnweightedMeanFactory(), [[1.0, 2.0], [3.0, 4.0]])
    array([2., 3.], dtype=float32)
    """
    updates = [np.asarray(u, dtype=np.float32) for u in updates]
    if not updates:
        raise ValueError("Il faut au moins une mise à jour à agréger.")
    shapes = {u.shape for u in updates}
    if len(shapes) != 1 or len(updates[0].shape) != 1:
        raise ValueError(
            "Les mises à jour doivent être des vecteurs de même taille : "
            f"formes reçues {sorted(shapes)}."
        )
    process = factory.create(tff.TensorType(np.float32, updates[0].shape))
    return np.asarray(process.next(process.initialize(), updates).result)


def _vector(values) -> str:
    from fltutor.formatting import number

    return "(" + " ; ".join(number(float(v), 2) for v in values) + ")"


def aggregation_table(factories: dict, updates, honest=None) -> str:
    """Le résultat de chaque agrégateur sur les mêmes envois, une ligne par agrégateur.

    `factories` : nom → fabrique (voir `aggregate`) ; `honest` (facultatif) :
    les envois honnêtes, dont la première ligne donne l'étendue.

    >>> import tensorflow_federated as tff
    >>> envois = [[1.0, 0.0], [2.0, 0.0], [90.0, 0.0]]
    >>> print(aggregation_table({"Moyenne": tff.aggregators.UnweightedMeanFactory(),
    ...                          "Médiane": MedianFactory(max_clients=3)}, envois))
    Moyenne  → (31,00 ; 0,00)
    Médiane  → (2,00 ; 0,00)
    """
    if not factories:
        raise ValueError("Donnez au moins un agrégateur (nom → fabrique).")
    width = max(len(name) for name in factories) + 1
    lines = []
    if honest is not None:
        low, high = np.min(honest, axis=0), np.max(honest, axis=0)
        lines.append(f"Honnêtes : de {_vector(low)} à {_vector(high)}")
    for name, factory in factories.items():
        lines.append(f"{name:<{width}}→ {_vector(aggregate(factory, updates))}")
    return "\n".join(lines)


def defence(
    name: str,
    clients_per_round: int = 10,
    num_malicious: int = 1,
    beta: float = 0.2,
    clip: float | None = None,
    zeroing_norm: float | None = None,
    noise_multiplier: float = 0.1,
):
    """L'agrégateur (pondéré, pour `build_process`) d'une défense de `DEFENCES`.

    - « fedavg » : la moyenne simple (`tff.aggregators.MeanFactory`) ;
    - « ecretage » : chaque mise à jour est ramenée à une norme L2 au plus
      `clip` (`tff.aggregators.clipping_factory`) ; sans `clip`, le seuil
      suit le quantile 0,8 des normes, tour après tour (adaptatif, sans
      bruit : `tff.learning.robust_aggregator(zeroing=False)`) ;
    - « mise_a_zero » : une mise à jour de norme plus grande que
      `zeroing_norm` est remplacée par zéro (`tff.aggregators.zeroing_factory`) ;
      sans `zeroing_norm`, le seuil est adaptatif (2 × le quantile 0,98 des
      normes + 1 : `tff.learning.robust_aggregator(clipping=False)`) ;
    - « mediane », « moyenne_tronquee » (`beta`), « krum » (`num_malicious`) :
      les agrégateurs de ce module ;
    - « dp » : écrêtage fixe (`clip`, 1 par défaut) et bruit gaussien
      (`noise_multiplier`), l'agrégateur de DP-FedAvg du notebook 08
      (`fltutor.privacy.dp_aggregator`).

    >>> agg = defence("mediane", clients_per_round=10)   # doctest: +SKIP
    """
    checks.choice(name, DEFENCES, "Défense inconnue")
    m = checks.integer(clients_per_round, "clients_per_round", minimum=1)
    mean = tff.aggregators.MeanFactory()
    if name == "fedavg":
        return mean
    if name == "ecretage":
        if clip is None:  # seuil adaptatif : le quantile 0,8 des normes
            return tff.learning.robust_aggregator(zeroing=False, clipping=True)
        return tff.aggregators.clipping_factory(float(clip), mean)
    if name == "mise_a_zero":
        if zeroing_norm is None:  # seuil adaptatif : 2 × quantile 0,98 + 1
            return tff.learning.robust_aggregator(zeroing=True, clipping=False)
        return tff.aggregators.zeroing_factory(float(zeroing_norm), mean)
    if name == "dp":
        from fltutor import privacy

        return tff.aggregators.as_weighted_aggregator(
            privacy.dp_aggregator(
                noise_multiplier,
                m,
                clipping="fixed",
                clip=1.0 if clip is None else clip,
            )
        )
    factories = {
        "mediane": lambda: MedianFactory(max_clients=m),
        "moyenne_tronquee": lambda: TrimmedMeanFactory(beta=beta, max_clients=m),
        "krum": lambda: KrumFactory(num_malicious=num_malicious, max_clients=m),
    }
    return tff.aggregators.as_weighted_aggregator(factories[name]())


# ---------------------------------------------------------------------------
# 3. Le calcul fédéré : FedAvg, dont les clients peuvent gonfler leur mise à jour
# ---------------------------------------------------------------------------


def _boosting_client_work(model_fn, client_lr: float):
    """Le travail des clients de FedAvg, suivi de « mise à jour × γ ».

    Le travail d'un client est celui de TFF
    (`tff.learning.templates.build_model_delta_client_work`) ; ensuite, le
    client multiplie sa mise à jour par le nombre γ lu dans `boost` (1 pour
    un client honnête). Toutes les mises à jour pèsent autant (pondération
    uniforme) : c'est ce que suppose une défense comme la médiane.
    """
    inner = tff.learning.templates.build_model_delta_client_work(
        model_fn,
        tff.learning.optimizers.build_sgdm(learning_rate=client_lr),
        tff.learning.ClientWeighting.UNIFORM,
    )
    state_type, weights_type, data_type = inner.next.type_signature.parameter
    client_data_type = tff.FederatedType(
        collections.OrderedDict(
            data=data_type.member, boost=tff.SequenceType(np.float32)
        ),
        tff.CLIENTS,
    )

    @tff.tensorflow.computation(
        inner.next.type_signature.result.result.member, tff.SequenceType(np.float32)
    )
    def scale(result, boost):
        gamma = boost.reduce(np.float32(1.0), lambda _, b: b)
        update = tf.nest.map_structure(lambda u: u * gamma, result.update)
        return tff.learning.templates.ClientResult(
            update=update, update_weight=result.update_weight
        )

    @tff.federated_computation(state_type, weights_type, client_data_type)
    def next_fn(state, weights, data):
        output = inner.next(state, weights, data.data)
        result = tff.federated_map(scale, (output.result, data.boost))
        return tff.templates.MeasuredProcessOutput(
            output.state, result, output.measurements
        )

    return tff.learning.templates.ClientWorkProcess(
        inner.initialize,
        next_fn,
        get_hparams_fn=inner.get_hparams,
        set_hparams_fn=inner.set_hparams,
    )


def build_process(
    aggregator="fedavg",
    model: str = "mlp",
    client_lr: float = 0.1,
    server_lr: float = 1.0,
    clients_per_round: int = 10,
    **defence_options,
):
    """FedAvg (moyenne non pondérée) avec une défense, et des clients qui peuvent tricher.

    `aggregator` : un nom de `DEFENCES` (options : voir `defence`), ou un
    agrégateur pondéré de TFF. Le calcul attend, pour chaque client, le
    dictionnaire `{"data": ..., "boost": ...}` de `client_data`. S'entraîne
    avec `security.train` (ou `federated.train`, même historique).

    >>> process = build_process("mediane", clients_per_round=10)  # doctest: +SKIP
    """
    if isinstance(aggregator, str):
        aggregator = defence(
            aggregator, clients_per_round=clients_per_round, **defence_options
        )
    model_fn = federated.tff_model_fn(model)
    try:

        @tff.tensorflow.computation
        def initial_weights():
            return tff.learning.models.ModelWeights.from_model(model_fn())

        weights_type = initial_weights.type_signature.result
        process = tff.learning.templates.compose_learning_process(
            initial_weights,
            tff.learning.templates.build_broadcast_process(weights_type),
            _boosting_client_work(model_fn, client_lr),
            aggregator.create(weights_type.trainable, tff.TensorType(np.float32)),
            tff.learning.templates.build_apply_optimizer_finalizer(
                tff.learning.optimizers.build_sgdm(learning_rate=server_lr),
                weights_type,
            ),
        )
    finally:
        # Comme federated.build_process : remettre Keras en mode normal.
        federated._restore_keras_classes(model)
    return process


# ---------------------------------------------------------------------------
# 4. Entraîner et mesurer : exactitude propre et succès de la porte dérobée
# ---------------------------------------------------------------------------


class _Watched:
    """Un process TFF dont chaque nouvel état est aussi passé à `on_state`."""

    def __init__(self, process, on_state):
        self._process = process
        self._on_state = on_state

    def initialize(self):
        return self._process.initialize()

    def next(self, state, data):
        output = self._process.next(state, data)
        self._on_state(output.state)
        return output

    def get_model_weights(self, state):
        return self._process.get_model_weights(state)


def train(
    process,
    clients: Sequence,
    rounds: int,
    test_data,
    target: int = 0,
    model: str = "mlp",
    seed: int = 0,
    progress: bool = False,
):
    """Entraîne avec tous les clients à chaque tour, et mesure la porte dérobée.

    Comme `federated.train` (tous les clients participent à chaque tour :
    ceux qui sont malveillants sont donc toujours tirés), avec une colonne de
    plus dans l'historique : `backdoor_success`, le taux de succès de la
    porte dérobée vers `target` (`backdoor_success`) après chaque tour.

    >>> hist = train(process, clients, rounds=10, test_data=(x_test, y_test))  # doctest: +SKIP
    >>> hist.column("backdoor_success")                                       # doctest: +SKIP
    """
    x_test, y_test = test_data
    successes = []

    def measure(state):
        weights = process.get_model_weights(state)
        successes.append(backdoor_success(weights, x_test, y_test, target, model))

    history = federated.train(
        _Watched(process, measure),
        list(clients),
        rounds=rounds,
        clients_per_round=len(clients),
        test_data=(x_test, y_test),
        model=model,
        seed=seed,
        progress=progress,
    )
    for record, success in zip(history.rounds, successes):
        record["backdoor_success"] = success
    return history


def compare(
    defences: Sequence[str],
    scenarios: dict,
    rounds: int,
    test_data,
    model: str = "mlp",
    seed: int = 0,
    log=print,
    **defence_options,
) -> dict:
    """Entraîne chaque défense contre chaque scénario d'attaque.

    `scenarios` : nom → liste des données des clients (`client_data`).
    Renvoie `{(défense, scénario): History}`. Chaque défense est construite
    une fois (graines fixées) ; le worker de TFF est arrêté entre deux
    défenses pour tenir dans 2 Gio. `log` reçoit une ligne par essai
    (`None` : rien n'est affiché).

    >>> res = compare(["fedavg", "mediane"], {"sans attaque": clients}, 10,
    ...               (x_test, y_test))                          # doctest: +SKIP
    """
    from fltutor import runtime

    results = {}
    for name in defences:
        sizes = {len(c) for c in scenarios.values()}
        if len(sizes) != 1:
            raise ValueError(
                "Tous les scénarios doivent avoir le même nombre de clients."
            )
        tf.keras.utils.set_random_seed(seed)
        process = build_process(
            name, model=model, clients_per_round=sizes.pop(), **defence_options
        )
        for scenario, clients in scenarios.items():
            hist = train(process, clients, rounds, test_data, model=model, seed=seed)
            results[(name, scenario)] = hist
            if log is not None:
                log(
                    f"{name:<17} {scenario:<28} exactitude "
                    f"{percent(hist.final_accuracy)}, porte dérobée "
                    f"{percent(hist.rounds[-1]['backdoor_success'])}"
                )
        runtime.stop_all_workers()
    return results


def results_table(results: dict, metric: str = "test_accuracy") -> str:
    """Tableau texte : une ligne par défense, une colonne par scénario (dernier tour).

    `metric` : « test_accuracy » (exactitude propre) ou « backdoor_success ».

    >>> from fltutor.federated import History
    >>> h = History([{"round": 1, "test_accuracy": 0.9, "backdoor_success": 0.1}])
    >>> print(results_table({("fedavg", "sans attaque"): h}))
    Défense       sans attaque
    FedAvg              90,0 %
    """
    defences = list(dict.fromkeys(d for d, _ in results))
    scenarios = list(dict.fromkeys(s for _, s in results))
    header = ["Défense", *scenarios]
    rows = []
    for d in defences:
        row = [DEFENCE_NAMES.get(d, d)]
        for s in scenarios:
            hist = results.get((d, s))
            row.append("—" if hist is None else percent(hist.rounds[-1][metric]))
        rows.append(row)
    widths = [max(len(r[j]) for r in [header, *rows]) for j in range(len(header))]
    lines = [
        "  ".join(
            cell.ljust(w) if j == 0 else cell.rjust(w)
            for j, (cell, w) in enumerate(zip(r, widths))
        )
        for r in [header, *rows]
    ]
    return "\n".join(lines)


def tables(results: dict, label: str) -> str:
    """Les deux tableaux de `results_table` (exactitude propre, porte dérobée), titrés.

    `label` décrit l'expérience (par exemple « IID »). Le tour indiqué est le
    dernier tour des entraînements.
    """
    rounds = max(len(h.rounds) for h in results.values())
    return (
        f"Exactitude propre au tour {rounds} ({label}) :\n"
        + results_table(results, "test_accuracy")
        + f"\n\nSuccès de la porte dérobée au tour {rounds} ({label}) :\n"
        + results_table(results, "backdoor_success")
    )


def select(results: dict, defences=None, scenarios=None) -> dict:
    """Une partie des résultats de `compare` : les défenses et scénarios choisis.

    `None` garde tout ; l'ordre des résultats est conservé.

    >>> res = {("fedavg", "a"): 1, ("krum", "a"): 2, ("fedavg", "b"): 3}
    >>> select(res, defences=["fedavg"])
    {('fedavg', 'a'): 1, ('fedavg', 'b'): 3}
    >>> select(res, scenarios=["a"])
    {('fedavg', 'a'): 1, ('krum', 'a'): 2}
    """
    return {
        (d, s): h
        for (d, s), h in results.items()
        if (defences is None or d in defences) and (scenarios is None or s in scenarios)
    }


#: Les noms des défenses, pour les tableaux et les figures.
DEFENCE_NAMES = {
    "fedavg": "FedAvg",
    "ecretage": "Écrêtage",
    "mise_a_zero": "Mise à zéro",
    "mediane": "Médiane",
    "moyenne_tronquee": "Moyenne tronquée",
    "krum": "Krum",
    "dp": "DP (écrêtage + bruit)",
}


def curves(results: dict, defence: str = "fedavg", scenarios=None, title=None):
    """Deux figures côte à côte, tour par tour : exactitude propre et succès de la porte dérobée.

    Une courbe par scénario de `results` (`compare`) pour la défense
    `defence` ; `scenarios` en choisit quelques-uns (tous par défaut).
    """
    import matplotlib.pyplot as plt

    from fltutor import plots

    chosen = [
        s
        for (d, s) in results
        if d == defence and (scenarios is None or s in scenarios)
    ]
    if not chosen:
        raise ValueError(
            f"Aucun résultat pour la défense « {defence} » : défenses présentes : "
            + ", ".join(sorted({d for d, _ in results}))
            + "."
        )
    runs = {s: results[(defence, s)] for s in chosen}
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), layout="constrained")
    plt.close(fig)
    plots.training_curves(
        runs,
        ax=axes[0],
        title="Exactitude sur les images propres",
        ylabel="Exactitude sur le jeu de test",
    )
    plots.training_curves(
        runs,
        metric="backdoor_success",
        ax=axes[1],
        title="Succès de la porte dérobée",
        ylabel="Images piégées classées « cible »",
    )
    axes[1].set_ylim(-0.02, 1.02)
    for ax in axes:
        _french_percent_axis(ax)
    fig.suptitle(title or DEFENCE_NAMES.get(defence, defence))
    return fig


def _french_percent_axis(ax) -> None:
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: percent(v, 0)))


def success_curves(
    results: dict, scenario: str, title: str | None = None, figsize=(7, 4)
):
    """Le succès de la porte dérobée tour par tour, une courbe par défense, pour un scénario.

    `figsize` : taille de la figure en pouces (largeur, hauteur).

    >>> fig = success_curves(resultats, "porte dérobée (1 client)")   # doctest: +SKIP
    """
    from fltutor import plots

    runs = {
        DEFENCE_NAMES.get(d, d): h for (d, s), h in results.items() if s == scenario
    }
    if not runs:
        raise ValueError(
            f"Aucun résultat pour le scénario « {scenario} » : scénarios présents : "
            + ", ".join(sorted({s for _, s in results}))
            + "."
        )
    fig = plots.new_figure(figsize=figsize)
    plots.training_curves(
        runs,
        metric="backdoor_success",
        ax=fig.add_subplot(),
        title=title or f"Succès de la porte dérobée : {scenario}",
        ylabel="Succès de la porte dérobée",
    )
    _french_percent_axis(fig.axes[0])
    return fig


def trigger_examples(x, y, target: int = 0, count: int = 8, seed: int = 0):
    """Figure : `count` images d'un client honnête, puis les mêmes chez un client malveillant.

    La seconde ligne est `poison_backdoor(x[:count], y[:count], target)` : la
    moitié des images porte le déclencheur et l'étiquette `target`.
    """
    from fltutor import plots

    count = checks.integer(count, "count", minimum=1)
    x_bad, y_bad = poison_backdoor(x[:count], y[:count], target=target, seed=seed)
    fig = plots.digits_grid(
        np.concatenate([x[:count], x_bad]),
        np.concatenate([y[:count], y_bad]),
        partition=[np.arange(count), np.arange(count, 2 * count)],
        clients=(0, 1),
        per_client=count,
        title="Le même client, honnête puis malveillant (étiquette au-dessus)",
    )
    for ax, label in zip(fig.axes[::count], ("Honnête", "Malveillant")):
        ax.set_ylabel(label, rotation=0, ha="right", va="center")
    return fig
