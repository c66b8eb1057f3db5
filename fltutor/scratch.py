"""FedAvg écrit à la main, en TensorFlow/Keras seul (sans TFF), pour comprendre.

Un tour de FedAvg (McMahan et al., 2017), une fonction par étape :

1. `select_clients` : le serveur tire au sort k clients parmi K ;
2. `broadcast`      : il leur envoie une copie du modèle global ;
3. `local_train`    : chaque client fait du SGD sur ses propres données ;
4. `aggregate`      : le serveur fait la moyenne des modèles reçus, pondérée
   par le nombre d'exemples de chaque client.

`fedavg_round` enchaîne les étapes 2 à 4. Le résultat est celui de
`tff.learning.algorithms.build_weighted_fed_avg` avec un SGD client de taux
`lr` et un SGD serveur de taux 1.0 : TFF moyenne les *différences*
`w_global − w_client` puis fait `w_global − 1.0 × moyenne`, ce qui revient à
la moyenne des modèles. (TFF ne moyenne que les poids entraînables : les
modèles du cours n'en ont pas d'autres.)

Exemple
-------
>>> rng = np.random.default_rng(0)
>>> choisis = select_clients(100, 10, rng)                 # doctest: +SKIP
>>> w = fedavg_round(model, w, [jeux[i] for i in choisis], lr=0.1)  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

__all__ = ["aggregate", "broadcast", "fedavg_round", "local_train", "select_clients"]


def select_clients(num_clients: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Tire au sort k clients distincts parmi num_clients (indices triés).

    >>> select_clients(10, 3, np.random.default_rng(0))
    array([5, 6, 9])
    """
    if not 1 <= k <= num_clients:
        raise ValueError(f"k doit être entre 1 et {num_clients} (reçu : {k}).")
    return np.sort(rng.choice(num_clients, size=k, replace=False))


def broadcast(global_weights: list[np.ndarray]) -> list[np.ndarray]:
    """Le serveur envoie au client une *copie* des poids globaux."""
    return [np.array(w, copy=True) for w in global_weights]


def local_train(model: tf.keras.Model, weights, dataset, lr: float):
    """SGD local : un pas `w ← w − lr · ∇perte` par lot du jeu du client.

    Renvoie les nouveaux poids et le nombre d'exemples vus (poids du client
    dans la moyenne ; avec E époques, chaque exemple compte E fois, comme TFF).
    """
    model.set_weights(weights)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    num_examples = 0
    for images, labels in dataset:
        with tf.GradientTape() as tape:
            logits = model(images, training=True)
            loss = loss_fn(labels, logits) + sum(model.losses)
        gradients = tape.gradient(loss, model.trainable_variables)
        for variable, gradient in zip(model.trainable_variables, gradients):
            variable.assign_sub(lr * gradient)
        num_examples += int(tf.shape(labels)[0])
    return model.get_weights(), num_examples


def aggregate(client_weights: list[list[np.ndarray]], client_sizes: list[int]):
    """Moyenne des modèles des clients, pondérée par leur nombre d'exemples.

    w = Σ_k (n_k / n) · w_k

    >>> aggregate([[np.array([0.0])], [np.array([3.0])]], [2, 1])
    [array([1.])]
    """
    if len(client_weights) == 0 or len(client_weights) != len(client_sizes):
        raise ValueError("Il faut autant de tailles que de modèles (et au moins un).")
    total = float(sum(client_sizes))
    if total <= 0:
        raise ValueError("Les clients n'ont aucun exemple : impossible de moyenner.")
    average = []
    for i, reference in enumerate(client_weights[0]):  # couche par couche
        layer = sum(
            n / total * np.asarray(w[i], np.float64)
            for w, n in zip(client_weights, client_sizes)
        )
        average.append(layer.astype(np.asarray(reference).dtype))
    return average


def fedavg_round(model: tf.keras.Model, global_weights, datasets, lr: float):
    """Un tour de FedAvg sur les jeux des clients choisis ; renvoie les nouveaux poids."""
    results = [local_train(model, broadcast(global_weights), ds, lr) for ds in datasets]
    return aggregate([w for w, _ in results], [n for _, n in results])
