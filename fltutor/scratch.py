"""FedAvg écrit à la main, en TensorFlow/Keras seul (sans TFF), pour comprendre.

Un tour de FedAvg (McMahan et al., 2017), une fonction par étape, comme
`simple_fedavg` de TFF :

1. `select_clients` : le serveur tire au sort k clients parmi K ;
2. `broadcast`      : il leur envoie une copie du modèle global ;
3. `client_update`  : chaque client fait du SGD sur ses propres données
   (`local_train`) et renvoie sa **mise à jour** `Δ_k = w_k − w` (son
   « delta ») et son poids `n_k` (nombre d'exemples vus) ;
4. `aggregate`      : le serveur fait la moyenne des deltas, pondérée par
   `n_k` ;
5. `server_update`  : il applique la moyenne avec son propre taux
   d'apprentissage : `w ← w + η_serveur · Δ` (un pas de SGD du serveur).

`fedavg_round` enchaîne les étapes 2 à 5. Avec `server_lr=1.0`, le nouveau
modèle est la moyenne des modèles des clients : c'est le FedAvg de
l'article, et le résultat de `tff.learning.algorithms.build_weighted_fed_avg`
avec un SGD client de taux `lr` et un SGD serveur de taux 1.0. Remplacer le
pas du serveur par Adam donne FedAdam (Reddi et al., 2021). (TFF ne moyenne
que les poids entraînables : les modèles du cours n'en ont pas d'autres.)

Exemple
-------
>>> rng = np.random.default_rng(0)
>>> choisis = select_clients(100, 10, rng)                 # doctest: +SKIP
>>> w = fedavg_round(model, w, [jeux[i] for i in choisis], lr=0.1)  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from fltutor import checks, models

__all__ = [
    "aggregate",
    "broadcast",
    "client_update",
    "fedavg_round",
    "local_train",
    "select_clients",
    "server_update",
]


def select_clients(num_clients: int, k: int, rng: np.random.Generator) -> np.ndarray:
    """Tire au sort k clients distincts parmi num_clients (indices triés).

    C'est le seul tirage des clients du cours : `federated.sample_clients`
    l'appelle avec un générateur propre à chaque tour.

    >>> select_clients(10, 3, np.random.default_rng(0))
    array([5, 6, 9])
    """
    k = checks.integer(k, "k (clients par tour)", 1, num_clients)
    return np.sort(rng.choice(num_clients, size=k, replace=False))


def broadcast(global_weights: list[np.ndarray]) -> list[np.ndarray]:
    """Le serveur envoie au client une *copie* des poids globaux."""
    return [np.array(w, copy=True) for w in global_weights]


def local_train(model: tf.keras.Model, weights, dataset, lr: float):
    """SGD local : un pas `w ← w − lr · ∇perte` par lot du jeu du client.

    Renvoie les nouveaux poids et le nombre d'exemples vus (poids du client
    dans la moyenne ; avec E époques, chaque exemple compte E fois, comme TFF).
    La perte est celle du cours (`models.loss()`).
    """
    model.set_weights(weights)
    loss_fn = models.loss()
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


def client_update(model: tf.keras.Model, global_weights, dataset, lr: float):
    """Le travail d'un client : SGD local, puis sa mise à jour `Δ_k = w_k − w`.

    Renvoie `(delta, n_k)` : ce que le client envoie au serveur (la
    différence entre son modèle entraîné et le modèle reçu) et son poids.

    >>> import numpy as np
    >>> m = tf.keras.Sequential([tf.keras.layers.Dense(1, use_bias=False)])
    >>> m.build((None, 1)); w = [np.zeros((1, 1), np.float32)]
    >>> ds = tf.data.Dataset.from_tensor_slices(([[1.0]], [0])).batch(1)
    >>> delta, n = client_update(m, w, ds, lr=0.1)
    >>> n, float(delta[0][0, 0]) == 0.0
    (1, True)
    """
    local, num_examples = local_train(model, broadcast(global_weights), dataset, lr)
    delta = [np.asarray(a) - np.asarray(b) for a, b in zip(local, global_weights)]
    return delta, num_examples


def aggregate(client_weights: list[list[np.ndarray]], client_sizes: list[int]):
    """Moyenne des modèles (ou des deltas) des clients, pondérée par leur nombre d'exemples.

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


def server_update(global_weights, mean_delta, server_lr: float = 1.0):
    """Le pas du serveur : `w ← w + server_lr · Δ` (Δ = moyenne des deltas).

    Avec `server_lr=1.0`, le nouveau modèle est la moyenne des modèles des
    clients (FedAvg). Un autre taux, ou un autre optimiseur (Adam :
    FedAdam), change seulement cette étape.

    >>> server_update([np.array([1.0])], [np.array([0.5])], server_lr=2.0)
    [array([2.])]
    """
    server_lr = checks.positive(server_lr, "server_lr")
    return [
        (np.asarray(w) + server_lr * np.asarray(d)).astype(np.asarray(w).dtype)
        for w, d in zip(global_weights, mean_delta)
    ]


def fedavg_round(
    model: tf.keras.Model, global_weights, datasets, lr: float, server_lr: float = 1.0
):
    """Un tour de FedAvg sur les jeux des clients choisis ; renvoie les nouveaux poids."""
    updates = [client_update(model, global_weights, ds, lr) for ds in datasets]
    mean_delta = aggregate([d for d, _ in updates], [n for _, n in updates])
    return server_update(global_weights, mean_delta, server_lr)


def flat_update(new_weights, old_weights) -> np.ndarray:
    """La mise à jour `w_k − w` d'un client, aplatie en un seul vecteur.

    Sa norme (`np.linalg.norm`) dit de combien le client a déplacé le modèle.

    >>> flat_update([np.ones((2, 2)), np.ones(2)], [np.zeros((2, 2)), np.ones(2)])
    array([1., 1., 1., 1., 0., 0.])
    """
    new, old = list(new_weights), list(old_weights)
    if [np.shape(a) for a in new] != [np.shape(b) for b in old]:
        raise ValueError(
            "Les deux listes de poids n'ont pas les mêmes formes : donnez les "
            "poids du client et ceux du modèle global d'un même modèle."
        )
    return np.concatenate(
        [
            np.ravel(np.asarray(a, np.float64) - np.asarray(b, np.float64))
            for a, b in zip(new, old)
        ]
    )


def mean_cosine(updates) -> float:
    """Similarité cosinus moyenne entre toutes les paires de mises à jour.

    1 : toutes vont dans la même direction ; 0 : directions sans rapport.

    >>> round(mean_cosine([np.array([1.0, 0.0]), np.array([1.0, 1.0]), np.array([0.0, 1.0])]), 3)
    0.471
    """
    vectors = [np.ravel(np.asarray(u, np.float64)) for u in updates]
    if len(vectors) < 2:
        raise ValueError("Il faut au moins deux mises à jour pour les comparer.")
    norms = [np.linalg.norm(v) for v in vectors]
    if min(norms) == 0:
        raise ValueError("Une mise à jour est nulle : sa direction n'est pas définie.")
    units = [v / n for v, n in zip(vectors, norms)]
    pairs = [
        float(units[i] @ units[j])
        for i in range(len(units))
        for j in range(i + 1, len(units))
    ]
    return float(np.mean(pairs))


__all__ += ["client_drift"]


def client_drift(model: tf.keras.Model, weights, datasets, lr: float):
    """Mesure la dérive de clients qui partent tous du même modèle `weights`.

    Chaque client fait son SGD local (`local_train`) sur son jeu de
    `datasets` ; on en déduit le modèle moyen (pondéré, `aggregate`). Renvoie
    deux tableaux, une valeur par client :

    - la similarité cosinus entre sa mise à jour `w_k − w0` et la mise à jour
      moyenne (1 = même direction) ;
    - la distance de son modèle au modèle moyen, divisée par la taille de sa
      mise à jour (0 = il est au centre).

    >>> m = tf.keras.Sequential([tf.keras.layers.Dense(2, use_bias=False)])
    >>> m.build((None, 2)); w0 = [np.zeros((2, 2), np.float32)]
    >>> jeu = tf.data.Dataset.from_tensor_slices(([[1.0, 0.0]], [0])).batch(1)
    >>> cosinus, distances = client_drift(m, w0, [jeu, jeu], lr=0.1)
    >>> np.round(cosinus, 3).tolist(), np.round(distances, 3).tolist()
    ([1.0, 1.0], [0.0, 0.0])
    """
    if len(datasets) < 2:
        raise ValueError("Il faut au moins deux clients pour mesurer une dérive.")
    local = [local_train(model, broadcast(weights), ds, lr) for ds in datasets]
    mean = aggregate([w for w, _ in local], [n for _, n in local])

    def flat(w):
        return np.concatenate([np.ravel(np.asarray(t, np.float64)) for t in w])

    start, center = flat(weights), flat(mean)
    mean_update = center - start
    cosines, distances = [], []
    for w, _ in local:
        update = flat(w) - start
        norm = np.linalg.norm(update)
        if norm == 0:
            raise ValueError("Un client n'a pas bougé : son jeu est-il vide ?")
        cosines.append(update @ mean_update / (norm * np.linalg.norm(mean_update)))
        distances.append(np.linalg.norm(flat(w) - center) / norm)
    return np.array(cosines), np.array(distances)
