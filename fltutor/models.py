"""Les modèles Keras du cours (McMahan et al., 2017).

Étape 1 des diapositives : « Définir votre modèle ». Deux modèles pour MNIST,
entrée (28, 28, 1) en `float32` dans [0, 1], sortie : 10 **logits** (pas de
softmax ; la perte est `SparseCategoricalCrossentropy(from_logits=True)`).

- `cnn()` : le réseau convolutif de l'article, 1 663 370 paramètres ;
- `mlp()` : le « 2NN » de l'article (deux couches cachées de 200), 199 210 paramètres.

Les constructeurs ne compilent pas le modèle : TensorFlow Federated s'en
charge lui-même. Pour un entraînement centralisé classique avec Keras,
utilisez `compiled("cnn")` ou `compile_for_eval(modele)`.

Exemple
-------
>>> from fltutor import models
>>> modele = models.cnn(seed=0)                # doctest: +SKIP
>>> models.count_params(modele)                # doctest: +SKIP
1663370
>>> models.model_bytes(modele)                 # octets envoyés par client  # doctest: +SKIP
6653480
"""

from __future__ import annotations

from typing import Callable

import tensorflow as tf

from fltutor import checks

__all__ = [
    "INPUT_SHAPE",
    "NUM_CLASSES",
    "cnn",
    "compile_for_eval",
    "compiled",
    "count_params",
    "get",
    "loss",
    "metrics",
    "mlp",
    "model_bytes",
]

INPUT_SHAPE = (28, 28, 1)
NUM_CLASSES = 10


def _seed(seed: int | None) -> None:
    if seed is not None:
        tf.keras.utils.set_random_seed(int(seed))


def cnn(seed: int | None = None) -> tf.keras.Model:
    """Le CNN de McMahan et al. (2017) pour MNIST, non compilé (logits en sortie).

    Conv 5×5 (32 filtres) → max-pooling 2×2 → Conv 5×5 (64 filtres) →
    max-pooling 2×2 → couche dense de 512 (ReLU) → 10 logits.
    1 663 370 paramètres. Avec `seed`, les poids initiaux sont reproductibles.

    >>> modele = cnn(seed=0)                       # doctest: +SKIP
    >>> modele.output_shape                        # doctest: +SKIP
    (None, 10)
    """
    _seed(seed)
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            layers.Input(shape=INPUT_SHAPE, dtype=tf.float32, name="image"),
            layers.Conv2D(32, 5, padding="same", activation="relu", name="conv1"),
            layers.MaxPooling2D(2, name="pool1"),
            layers.Conv2D(64, 5, padding="same", activation="relu", name="conv2"),
            layers.MaxPooling2D(2, name="pool2"),
            layers.Flatten(name="aplatir"),
            layers.Dense(512, activation="relu", name="dense"),
            layers.Dense(NUM_CLASSES, name="logits"),
        ],
        name="cnn_mcmahan",
    )


def mlp(seed: int | None = None) -> tf.keras.Model:
    """Le « 2NN » de McMahan et al. (2017), non compilé (logits en sortie).

    Image aplatie (784) → dense 200 (ReLU) → dense 200 (ReLU) → 10 logits.
    199 210 paramètres, huit fois moins que le CNN : plus rapide, moins précis.

    >>> mlp(seed=0).count_params()                 # doctest: +SKIP
    199210
    """
    _seed(seed)
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            layers.Input(shape=INPUT_SHAPE, dtype=tf.float32, name="image"),
            layers.Flatten(name="aplatir"),
            layers.Dense(200, activation="relu", name="dense1"),
            layers.Dense(200, activation="relu", name="dense2"),
            layers.Dense(NUM_CLASSES, name="logits"),
        ],
        name="mlp_2nn",
    )


_BUILDERS: dict[str, Callable[..., tf.keras.Model]] = {
    "cnn": cnn,
    "mlp": mlp,
    "2nn": mlp,
}


def get(name: str) -> Callable[..., tf.keras.Model]:
    """Renvoie le constructeur du modèle `name` : « cnn » ou « mlp » (alias « 2nn »).

    >>> get("cnn") is cnn
    True
    """
    key = str(name).strip().lower() if isinstance(name, str) else None
    if key not in _BUILDERS:
        raise ValueError(
            f"Modèle inconnu : {name!r}. Choisissez « cnn » (réseau convolutif) "
            "ou « mlp » (le « 2NN » à deux couches cachées)."
        )
    return _BUILDERS[key]


def count_params(model: tf.keras.Model) -> int:
    """Nombre total de paramètres (poids) du modèle.

    >>> count_params(mlp())                        # doctest: +SKIP
    199210
    """
    return int(sum(int(w.shape.num_elements()) for w in model.weights))


def model_bytes(model: tf.keras.Model) -> int:
    """Taille des poids en octets (4 octets par paramètre en `float32`).

    C'est ce que le serveur envoie à chaque client (et ce que chaque client
    renvoie) à chaque tour de FedAvg, sans compression.

    >>> model_bytes(cnn())                         # doctest: +SKIP
    6653480
    """
    return int(sum(int(w.shape.num_elements()) * w.dtype.size for w in model.weights))


# La perte et la métrique du cours, définies ici une seule fois : TFF
# (`federated.tff_model_fn`), Keras (`compile_for_eval`) et le FedAvg écrit à
# la main (`scratch.local_train`) s'en servent tous.


def loss(reduction: str = "sum_over_batch_size") -> tf.keras.losses.Loss:
    """La perte du cours : entropie croisée sur les logits (étiquettes entières).

    `reduction="sum"` additionne les pertes des exemples au lieu d'en faire
    la moyenne (pour une moyenne exacte sur plusieurs lots).

    >>> float(loss()(tf.constant([1]), tf.constant([[0.0, 0.0]])))  # ln 2
    0.6931...
    """
    return tf.keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=reduction
    )


def metrics() -> list[tf.keras.metrics.Metric]:
    """Les métriques du cours : l'exactitude, nommée `accuracy`.

    (Keras la range sous `accuracy` / `val_accuracy`, TFF sous
    `metrics["client_work"]["train"]["accuracy"]`.)

    >>> [m.name for m in metrics()]
    ['accuracy']
    """
    return [tf.keras.metrics.SparseCategoricalAccuracy(name="accuracy")]


def compile_for_eval(model: tf.keras.Model, lr: float = 0.1) -> tf.keras.Model:
    """Compile `model` pour Keras (SGD, entropie croisée sur logits, exactitude).

    Sert à évaluer un modèle (`model.evaluate`) ou à l'entraîner de façon
    centralisée (`model.fit`), pour comparer au fédéré. Renvoie le même modèle.

    >>> modele = compile_for_eval(mlp(seed=0))     # doctest: +SKIP
    >>> modele.evaluate(x_test, y_test)            # doctest: +SKIP
    """
    lr = checks.positive(lr, "lr (taux d'apprentissage)", hint="Essayez lr=0.1.")
    model.compile(
        optimizer=tf.keras.optimizers.SGD(learning_rate=lr),
        loss=loss(),
        metrics=metrics(),
    )
    return model


def compiled(
    name: str = "cnn", lr: float = 0.1, seed: int | None = None
) -> tf.keras.Model:
    """Construit le modèle `name` et le compile pour un entraînement Keras centralisé.

    >>> modele = compiled("mlp", lr=0.1, seed=0)   # doctest: +SKIP
    >>> modele.fit(x_train, y_train, epochs=1)     # doctest: +SKIP
    """
    return compile_for_eval(get(name)(seed=seed), lr=lr)
