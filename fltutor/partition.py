"""Répartir les exemples d'entraînement entre des clients simulés.

En apprentissage fédéré, chaque client (un téléphone, un hôpital...) garde
ses propres données. Pour simuler cela avec MNIST, on découpe le jeu
d'entraînement en **partitions** : une liste de tableaux d'indices (`int64`),
un tableau par client. Les tableaux sont disjoints et, sauf mention
contraire, couvrent tous les exemples. Dans chaque tableau, les indices sont
mélangés (ordre aléatoire, reproductible avec `seed`).

Quatre façons de répartir, de la plus « idéale » à la plus réaliste :

- `iid` : chaque client reçoit une part tirée au hasard (données IID) ;
- `shards` : les « tessons » de McMahan et al. (2017), très non-IID :
  chaque client ne voit que 2 chiffres environ ;
- `dirichlet` : proportions de chaque classe tirées d'une loi de Dirichlet
  de paramètre `alpha` (petit `alpha` = très non-IID, grand `alpha` ≈ IID) ;
- `quantity_skew` : étiquettes IID mais tailles très inégales.

Pour mesurer le résultat : `label_counts` (tableau clients × classes) et
`heterogeneity` (résumé chiffré).

Exemple
-------
>>> import numpy as np
>>> from fltutor import partition
>>> labels = np.repeat(np.arange(10), 100)        # 1 000 étiquettes, 10 classes
>>> parts = partition.shards(labels, num_clients=10, shards_per_client=2)
>>> len(parts), len(parts[0])
(10, 100)
>>> print(partition.heterogeneity(labels, parts))  # doctest: +ELLIPSIS
Répartition sur 10 clients (10 classes) :...
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from fltutor import checks
from fltutor.formatting import number

__all__ = [
    "SPLITS",
    "check_labels",
    "Heterogeneity",
    "by_name",
    "dirichlet",
    "heterogeneity",
    "iid",
    "label_counts",
    "quantity_skew",
    "shards",
]

#: Nombre maximal de tirages de `dirichlet` pour respecter `min_size`.
MAX_DIRICHLET_TRIES = 1000


# ---------------------------------------------------------------------------
# Vérification des arguments (messages en français qui disent quoi faire)
# ---------------------------------------------------------------------------


def check_labels(labels) -> np.ndarray:
    """Vérifie des étiquettes de classes (entiers ≥ 0, une dimension) ; renvoie un tableau.

    >>> check_labels([3, 1, 4]).dtype
    dtype('int64')
    """
    arr = np.asarray(labels)
    if arr.ndim != 1:
        raise ValueError(
            f"Les étiquettes doivent former un tableau à une dimension, de forme (N,) ; "
            f"reçu la forme {arr.shape}. Passez les étiquettes (par exemple `y_train`), "
            "pas les images."
        )
    if arr.dtype.kind not in "iu":
        raise ValueError(
            f"Les étiquettes doivent être des entiers (reçu le type {arr.dtype}). "
            "Convertissez-les, par exemple avec `labels.astype(int)`."
        )
    if arr.size == 0:
        raise ValueError("Aucune étiquette : passez un tableau d'étiquettes non vide.")
    if arr.min() < 0:
        raise ValueError(
            "Les étiquettes doivent être des entiers positifs ou nuls "
            f"(0 à 9 pour MNIST) ; la plus petite vaut {arr.min()}."
        )
    return arr.astype(np.int64, copy=False)


def _check_num_clients(num_clients, num_examples: int) -> int:
    num_clients = checks.integer(num_clients, "num_clients", 1)
    if num_clients > num_examples:
        raise ValueError(
            f"Trop de clients : {num_clients} clients pour seulement {num_examples} "
            f"exemples. Choisissez num_clients ≤ {num_examples}."
        )
    return num_clients


def _check_min_size(min_size, num_clients: int, num_examples: int) -> int:
    min_size = checks.integer(min_size, "min_size", 0)
    if min_size * num_clients > num_examples:
        raise ValueError(
            f"Impossible de donner au moins {min_size} exemples à chacun des "
            f"{num_clients} clients avec seulement {num_examples} exemples. "
            "Réduisez num_clients ou min_size."
        )
    return min_size


def _check_sized_split(labels, num_clients, min_size):
    """Étiquettes, nombre de clients et taille minimale vérifiés (répartitions aléatoires)."""
    labels = check_labels(labels)
    num_clients = _check_num_clients(num_clients, len(labels))
    return labels, num_clients, _check_min_size(min_size, num_clients, len(labels))


def _check_partition(partition, num_examples: int) -> list[np.ndarray]:
    if isinstance(partition, np.ndarray) or not isinstance(partition, Sequence):
        raise ValueError(
            "Une partition est une liste de tableaux d'indices, un par client "
            "(par exemple le résultat de `partition.iid(...)`)."
        )
    if len(partition) == 0:
        raise ValueError("La partition est vide : il faut au moins un client.")
    checked = []
    for i, part in enumerate(partition):
        arr = np.asarray(part)
        if arr.size == 0:
            checked.append(np.zeros(0, dtype=np.int64))
            continue
        if arr.ndim != 1 or arr.dtype.kind not in "iu":
            raise ValueError(
                f"Le client {i} doit recevoir un tableau d'indices entiers à une "
                f"dimension (reçu forme {arr.shape}, type {arr.dtype})."
            )
        if arr.min() < 0 or arr.max() >= num_examples:
            raise ValueError(
                f"Le client {i} contient des indices hors du jeu de données "
                f"(valides : 0 à {num_examples - 1}). Utilisez les mêmes étiquettes "
                "que pour construire la partition."
            )
        checked.append(arr.astype(np.int64, copy=False))
    return checked


def _shuffle_each(parts, rng: np.random.Generator) -> list[np.ndarray]:
    """Mélange les indices de chaque client (copie en int64)."""
    return [rng.permutation(np.asarray(p, dtype=np.int64)) for p in parts]


# ---------------------------------------------------------------------------
# Les quatre répartitions
# ---------------------------------------------------------------------------


def iid(labels, num_clients: int, seed: int = 0) -> list[np.ndarray]:
    """Répartition IID : chaque client reçoit une part tirée au hasard.

    Tous les exemples sont distribués. Si le nombre d'exemples n'est pas un
    multiple de `num_clients`, les tailles diffèrent d'au plus 1 (les premiers
    clients reçoivent un exemple de plus) : aucun exemple n'est jeté.

    >>> import numpy as np
    >>> parts = iid(np.arange(10) % 3, num_clients=3, seed=0)
    >>> [len(p) for p in parts]
    [4, 3, 3]
    """
    labels = check_labels(labels)
    num_clients = _check_num_clients(num_clients, len(labels))
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(labels)).astype(np.int64)
    return [np.array(p) for p in np.array_split(order, num_clients)]


def _nearest_divisor_clients(n: int, num_clients: int, per_client: int) -> int | None:
    """Le nombre de clients le plus proche de `num_clients` qui fait des tessons égaux."""
    candidates = [c for c in range(1, n // per_client + 1) if n % (c * per_client) == 0]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (abs(c - num_clients), c))


def shards(
    labels, num_clients: int, shards_per_client: int = 2, seed: int = 0
) -> list[np.ndarray]:
    """Répartition pathologique non-IID de McMahan et al. (2017), par « tessons ».

    Les exemples sont triés par étiquette (tri stable), puis coupés en
    `num_clients * shards_per_client` tessons de même taille ; chaque client
    reçoit `shards_per_client` tessons tirés au hasard. Un tesson ne contient
    en général qu'un chiffre (deux s'il est à cheval sur la frontière entre
    deux classes) : un client voit donc au plus `shards_per_client` chiffres,
    plus ceux de ces frontières. Sur MNIST : 100 clients × 2 tessons de
    300 exemples.

    Le nombre d'exemples doit être un multiple du nombre de tessons, sinon
    `ValueError` (aucun exemple n'est jeté en silence) : choisissez un autre
    `num_clients`, ou ne gardez qu'une partie des exemples.

    >>> import numpy as np
    >>> labels = np.repeat(np.arange(10), 6)      # 60 étiquettes
    >>> parts = shards(labels, num_clients=5, shards_per_client=2, seed=0)
    >>> [len(p) for p in parts]
    [12, 12, 12, 12, 12]
    >>> max(len(np.unique(labels[p])) for p in parts) <= 2
    True
    """
    labels = check_labels(labels)
    n = len(labels)
    num_clients = _check_num_clients(num_clients, n)
    shards_per_client = checks.integer(shards_per_client, "shards_per_client", 1)
    num_shards = num_clients * shards_per_client
    if num_shards > n or n % num_shards != 0:
        suggestion = _nearest_divisor_clients(n, num_clients, shards_per_client)
        conseil = (
            f"Choisissez par exemple num_clients={suggestion}, "
            if suggestion is not None
            else "Réduisez shards_per_client, "
        )
        raise ValueError(
            f"Les {n} exemples ne se coupent pas en {num_shards} tessons égaux "
            f"({num_clients} clients × {shards_per_client} tessons). {conseil}"
            f"ou ne gardez que les {n - n % num_shards if num_shards <= n else 0} "
            "premiers exemples (un multiple du nombre de tessons)."
        )
    rng = np.random.default_rng(seed)
    order = np.argsort(labels, kind="stable").astype(np.int64)
    pieces = order.reshape(num_shards, n // num_shards)
    assignment = rng.permutation(num_shards).reshape(num_clients, shards_per_client)
    parts = [np.concatenate(pieces[row]) for row in assignment]
    return _shuffle_each(parts, rng)


def dirichlet(
    labels, num_clients: int, alpha: float, seed: int = 0, min_size: int = 10
) -> list[np.ndarray]:
    """Répartition non-IID réglable par une loi de Dirichlet (Hsu et al., 2019).

    Pour chaque classe, on tire des proportions (p_1, ..., p_K) ~ Dir(alpha)
    sur les K clients, et on distribue les exemples de cette classe selon ces
    proportions. Petit `alpha` (0,1) : chaque client ne voit presque qu'une
    ou deux classes ; grand `alpha` (100) : proche d'une répartition IID.

    Les tailles des clients sont aléatoires. Si un client reçoit moins de
    `min_size` exemples, on retire tout (au plus 1 000 fois), puis
    `ValueError` si c'est impossible. Tous les exemples sont distribués.

    >>> import numpy as np
    >>> labels = np.repeat(np.arange(10), 100)
    >>> parts = dirichlet(labels, num_clients=10, alpha=0.5, seed=0)
    >>> sum(len(p) for p in parts), min(len(p) for p in parts) >= 10
    (1000, True)
    """
    labels, num_clients, min_size = _check_sized_split(labels, num_clients, min_size)
    alpha = checks.real(
        alpha,
        "alpha",
        minimum=0,
        strict=True,
        hint="Petit alpha (0.1) : très non-IID ; grand alpha (100) : presque IID.",
    )
    rng = np.random.default_rng(seed)
    by_class = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    concentration = np.full(num_clients, alpha)
    for _ in range(MAX_DIRICHLET_TRIES):
        pieces: list[list[np.ndarray]] = [[] for _ in range(num_clients)]
        for idx in by_class:
            idx = rng.permutation(idx)
            proportions = rng.dirichlet(concentration)
            if not np.all(np.isfinite(proportions)) or proportions.sum() <= 0:
                break  # tirage numériquement dégénéré (alpha minuscule) : on recommence
            cuts = (np.cumsum(proportions) * len(idx)).astype(np.int64)[:-1]
            for client, chunk in enumerate(np.split(idx, cuts)):
                pieces[client].append(chunk)
        else:
            sizes = [sum(len(c) for c in chunks) for chunks in pieces]
            if min(sizes) >= min_size:
                parts = [np.concatenate(chunks) for chunks in pieces]
                return _shuffle_each(parts, rng)
    raise ValueError(
        f"Impossible de donner au moins {min_size} exemples à chacun des "
        f"{num_clients} clients en {MAX_DIRICHLET_TRIES} tirages avec alpha={alpha}. "
        "Augmentez alpha, réduisez num_clients ou réduisez min_size."
    )


def quantity_skew(
    labels, num_clients: int, sigma: float = 1.0, seed: int = 0, min_size: int = 10
) -> list[np.ndarray]:
    """Déséquilibre de taille : étiquettes IID, mais tailles très inégales.

    Chaque client reçoit `min_size` exemples, puis le reste est partagé
    proportionnellement à des poids tirés d'une loi log-normale
    (moyenne 0, écart-type `sigma` du logarithme). `sigma=0` redonne des
    tailles égales (à 1 près) ; plus `sigma` est grand, plus les tailles sont
    inégales. Les exemples sont tirés au hasard, donc chaque client a à peu
    près la distribution globale des étiquettes. Tous les exemples sont
    distribués.

    >>> import numpy as np
    >>> parts = quantity_skew(np.arange(1000) % 10, num_clients=5, sigma=1.0)
    >>> sum(len(p) for p in parts), min(len(p) for p in parts) >= 10
    (1000, True)
    """
    labels, num_clients, min_size = _check_sized_split(labels, num_clients, min_size)
    n = len(labels)
    sigma = checks.real(
        sigma,
        "sigma",
        minimum=0,
        hint="sigma=0 : tailles égales ; sigma=1 ou 2 : tailles très inégales.",
    )
    rng = np.random.default_rng(seed)
    weights = rng.lognormal(mean=0.0, sigma=sigma, size=num_clients)
    free = n - min_size * num_clients
    raw = weights / weights.sum() * free
    sizes = np.floor(raw).astype(np.int64)
    missing = free - int(sizes.sum())
    # Les exemples restants vont aux plus grandes parties fractionnaires.
    order = np.argsort(-(raw - sizes), kind="stable")
    sizes[order[:missing]] += 1
    sizes += min_size
    perm = rng.permutation(n).astype(np.int64)
    return [np.array(p) for p in np.split(perm, np.cumsum(sizes)[:-1])]


#: Les répartitions par nom (pour les widgets et les scripts).
SPLITS = {
    "iid": iid,
    "shards": shards,
    "dirichlet": dirichlet,
    "quantity_skew": quantity_skew,
}


def by_name(name: str, labels, num_clients: int, seed: int = 0, **kwargs):
    """Appelle la répartition `name` (« iid », « shards », « dirichlet », « quantity_skew »).

    Les arguments supplémentaires (`alpha`, `sigma`, `shards_per_client`,
    `min_size`) sont transmis tels quels.

    >>> import numpy as np
    >>> parts = by_name("dirichlet", np.arange(100) % 10, 5, alpha=1.0, min_size=1)
    >>> len(parts)
    5
    """
    key = checks.choice(
        str(name).strip().lower(), sorted(SPLITS), "Répartition inconnue"
    )
    return SPLITS[key](labels, num_clients, seed=seed, **kwargs)


# ---------------------------------------------------------------------------
# Mesurer une répartition
# ---------------------------------------------------------------------------


def label_counts(labels, partition, num_classes: int | None = None) -> np.ndarray:
    """Compte les étiquettes de chaque client : tableau entier (clients, classes).

    `num_classes` vaut par défaut la plus grande étiquette + 1.

    >>> import numpy as np
    >>> labels = np.array([0, 0, 1, 2])
    >>> label_counts(labels, [np.array([0, 1]), np.array([2, 3])])
    array([[2, 0, 0],
           [0, 1, 1]])
    """
    labels = check_labels(labels)
    parts = _check_partition(partition, len(labels))
    needed = int(labels.max()) + 1
    if num_classes is None:
        num_classes = needed
    else:
        num_classes = checks.integer(num_classes, "num_classes", 1)
        if num_classes < needed:
            raise ValueError(
                f"num_classes={num_classes} est trop petit : la plus grande étiquette "
                f"vaut {needed - 1}. Choisissez num_classes ≥ {needed} (ou None)."
            )
    counts = np.zeros((len(parts), num_classes), dtype=np.int64)
    for i, idx in enumerate(parts):
        counts[i] = np.bincount(labels[idx], minlength=num_classes)
    return counts


@dataclasses.dataclass(frozen=True)
class Heterogeneity:
    """Résumé chiffré d'une répartition (voir `heterogeneity`).

    - `num_clients`, `num_classes` ;
    - `mean_classes_per_client` : nombre moyen de classes présentes chez un client ;
    - `mean_emd` : distance moyenne (variation totale, entre 0 et 1) entre la
      distribution des étiquettes d'un client et la distribution globale ;
    - `sizes_min`, `sizes_max`, `sizes_mean` : tailles des clients (exemples).
    """

    num_clients: int
    num_classes: int
    mean_classes_per_client: float
    mean_emd: float
    sizes_min: int
    sizes_max: int
    sizes_mean: float

    def __str__(self) -> str:
        return (
            f"Répartition sur {self.num_clients} clients ({self.num_classes} classes) :\n"
            f"  - taille des clients : min {self.sizes_min}, max {self.sizes_max}, "
            f"moyenne {number(self.sizes_mean, 1)} exemples ;\n"
            f"  - classes présentes par client : {number(self.mean_classes_per_client, 1)} "
            "en moyenne ;\n"
            "  - écart à la distribution globale des étiquettes (variation totale, "
            f"0 = comme l'ensemble, 1 = classes disjointes) : {number(self.mean_emd, 3)} "
            "en moyenne."
        )


def heterogeneity(labels, partition) -> Heterogeneity:
    """Mesure l'hétérogénéité (le caractère non-IID) d'une répartition.

    `mean_emd` est la moyenne, sur les clients non vides, de la **distance en
    variation totale** ½ Σ_k |p_client(k) − p_global(k)| entre la distribution
    des étiquettes du client et celle de l'ensemble des exemples répartis.
    C'est exactement l'« earth mover's distance » (EMD) quand déplacer un
    exemple d'une classe à une autre coûte 1 (les classes ne sont pas
    ordonnées). Elle vaut 0 si le client ressemble à l'ensemble, et tend vers
    1 s'il ne voit que des classes rares ailleurs. (Zhao et al., 2018, notent
    EMD la somme sans le ½, entre 0 et 2.)

    Les autres moyennes portent sur tous les clients.

    >>> import numpy as np
    >>> labels = np.repeat(np.arange(2), 50)
    >>> h = heterogeneity(labels, [np.arange(50), np.arange(50, 100)])
    >>> h.mean_classes_per_client, h.mean_emd
    (1.0, 0.5)
    """
    labels = check_labels(labels)
    counts = label_counts(labels, partition)
    sizes = counts.sum(axis=1)
    total = counts.sum(axis=0)
    if total.sum() == 0:
        raise ValueError(
            "Tous les clients sont vides : la partition ne contient aucun exemple."
        )
    global_dist = total / total.sum()
    nonempty = sizes > 0
    client_dist = counts[nonempty] / sizes[nonempty, None]
    tv = 0.5 * np.abs(client_dist - global_dist).sum(axis=1)
    return Heterogeneity(
        num_clients=int(len(sizes)),
        num_classes=int(counts.shape[1]),
        mean_classes_per_client=float((counts > 0).sum(axis=1).mean()),
        mean_emd=float(tv.mean()),
        sizes_min=int(sizes.min()),
        sizes_max=int(sizes.max()),
        sizes_mean=float(sizes.mean()),
    )


# ---------------------------------------------------------------------------
# Sites de tailles et de proportions choisies (notebook 04 : les hôpitaux)
# ---------------------------------------------------------------------------

__all__ += ["sites"]


def sites(labels, sizes, positive_shares, seed: int = 0) -> list[np.ndarray]:
    """Répartit des exemples binaires (0/1) entre des sites de taille et de mélange choisis.

    Le site `k` reçoit `sizes[k]` exemples, dont une part `positive_shares[k]`
    d'exemples d'étiquette 1 (arrondie à l'entier le plus proche), tirés sans
    remise. Les exemples restants ne sont donnés à personne. Renvoie une
    liste d'indices par site, mélangés.

    >>> y = np.array([0, 1] * 10)
    >>> parts = sites(y, sizes=[10, 4], positive_shares=[0.8, 0.25], seed=0)
    >>> [int(y[p].sum()) for p in parts], [len(p) for p in parts]
    ([8, 1], [10, 4])
    """
    labels = check_labels(labels)
    if not set(np.unique(labels).tolist()) <= {0, 1}:
        raise ValueError("Les étiquettes doivent être binaires (0 ou 1).")
    if len(sizes) != len(positive_shares) or len(sizes) == 0:
        raise ValueError("Il faut une proportion par site (et au moins un site).")
    rng = np.random.default_rng(seed)
    positives = rng.permutation(np.flatnonzero(labels == 1))
    negatives = rng.permutation(np.flatnonzero(labels == 0))
    parts, i_pos, i_neg = [], 0, 0
    for size, share in zip(sizes, positive_shares):
        size = checks.integer(size, "taille d'un site", 1)
        if not 0.0 <= float(share) <= 1.0:
            raise ValueError(f"Une proportion doit être entre 0 et 1 (reçu {share}).")
        n_pos = int(round(size * float(share)))
        if i_pos + n_pos > len(positives) or i_neg + size - n_pos > len(negatives):
            raise ValueError(
                "Pas assez d'exemples pour ces sites : réduisez les tailles ou "
                "changez les proportions."
            )
        chosen = np.concatenate(
            [positives[i_pos : i_pos + n_pos], negatives[i_neg : i_neg + size - n_pos]]
        )
        parts.append(rng.permutation(chosen))
        i_pos, i_neg = i_pos + n_pos, i_neg + size - n_pos
    return parts


__all__ += ["like"]


def like(train_labels, partition, labels, seed: int = 0) -> list[np.ndarray]:
    """Répartit d'autres exemples (le test) comme les données d'entraînement des clients.

    Pour l'évaluation fédérée, chaque client garde aussi des exemples de
    test, tirés comme les siens : les exemples de la classe `c` (dans
    `labels`) vont aux clients qui ont des exemples de `c` dans `partition`
    (indices dans `train_labels`), en proportion de leur nombre (arrondi par
    la méthode des plus forts restes). Un client sans aucun « 3 » à
    l'entraînement n'en reçoit aucun en test. Chaque exemple va à un seul
    client ; ceux d'une classe qu'aucun client n'a ne sont donnés à personne.

    >>> train = np.array([0, 0, 0, 1, 1, 1])
    >>> parts = [np.array([0, 1, 3]), np.array([2, 4, 5])]   # 2/3 de 0 ; 2/3 de 1
    >>> test = np.array([0] * 6 + [1] * 3)
    >>> [np.bincount(test[p], minlength=2).tolist() for p in like(train, parts, test)]
    [[4, 1], [2, 2]]
    """
    train_labels = check_labels(train_labels)
    labels = check_labels(labels)
    num_classes = max(int(train_labels.max()), int(labels.max())) + 1
    counts = label_counts(train_labels, partition, num_classes).astype(float)
    rng = np.random.default_rng(seed)
    chosen = [[] for _ in range(len(counts))]
    for c in range(num_classes):
        total = counts[:, c].sum()
        if total == 0:
            continue
        idx = rng.permutation(np.flatnonzero(labels == c))
        quota = counts[:, c] / total * len(idx)
        sizes = np.floor(quota).astype(int)
        leftover = len(idx) - sizes.sum()
        sizes[np.argsort(sizes - quota, kind="stable")[:leftover]] += 1
        for k, part in enumerate(np.split(idx, np.cumsum(sizes)[:-1])):
            chosen[k].append(part)
    return [rng.permutation(np.concatenate(p).astype(np.int64)) for p in chosen]
