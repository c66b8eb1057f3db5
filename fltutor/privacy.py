"""Confidentialité en apprentissage fédéré : ce qui fuit, et comment le limiter.

Les données ne quittent pas les clients, mais leurs **mises à jour** si :
elles peuvent trahir les données. Ce module réunit les outils du notebook 08.

- `gradient_leakage` : retrouver une image à partir du gradient d'un seul
  exemple (régression softmax) — la fuite, démontrée ;
- `dp_aggregator`, `build_dp_process` : DP-FedAvg (McMahan et al., 2018),
  écrêtage des mises à jour (fixe ou adaptatif) et bruit gaussien, avec les
  agrégateurs de TFF ;
- `epsilon` : le budget de confidentialité ε d'un entraînement, calculé avec
  la bibliothèque `dp_accounting` (comptable RDP) ;
- `secure_sum_masks` : l'agrégation sécurisée par masques deux à deux, en
  NumPy (Bonawitz et al., 2017) ;
- `simulated_secure_context` : le contexte TFF où l'agrégateur
  `tff.learning.secure_aggregator` s'exécute (somme sécurisée *simulée*).

Exemple
-------
>>> from fltutor import privacy
>>> round(privacy.epsilon(1.0, clients_per_round=10, num_clients=100, rounds=50), 2)
3.16
"""

from __future__ import annotations

import contextlib
import dataclasses
import math

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

from fltutor import checks, federated, models, runtime
from fltutor.formatting import short

__all__ = [
    "CLIPPING_MODES",
    "Leakage",
    "SecureSum",
    "build_dp_process",
    "build_secure_process",
    "compare_dp",
    "cosine_similarity",
    "default_delta",
    "dp_aggregator",
    "epsilon",
    "gradient_leakage",
    "secure_sum_masks",
    "simulated_secure_context",
]

CLIPPING_MODES = ("adaptive", "fixed")


# ---------------------------------------------------------------------------
# Vérification des arguments
# ---------------------------------------------------------------------------


def _check_noise(noise_multiplier) -> float:
    return checks.real(
        noise_multiplier,
        "noise_multiplier (multiplicateur de bruit)",
        minimum=0,
        hint="0 = pas de bruit ; 1.0 est une valeur courante.",
    )


# ---------------------------------------------------------------------------
# 1. Ce qui fuit : reconstruire une image à partir d'un gradient
# ---------------------------------------------------------------------------


def cosine_similarity(a, b) -> float:
    """Similarité cosinus entre deux tableaux (1 = même direction).

    >>> cosine_similarity([1.0, 2.0], [2.0, 4.0])
    1.0
    """
    a = np.asarray(a, np.float64).ravel()
    b = np.asarray(b, np.float64).ravel()
    if a.shape != b.shape:
        raise ValueError(
            f"Les deux tableaux doivent avoir autant d'éléments ({a.size} ≠ {b.size})."
        )
    norm = np.linalg.norm(a) * np.linalg.norm(b)
    if norm == 0:
        return 0.0
    return round(float(a @ b / norm), 12)


@dataclasses.dataclass
class Leakage:
    """Résultat de `gradient_leakage`.

    Attributs : `images` (les vraies images, réels dans [0, 1]), `labels`,
    `gradient_w` (784 × 10) et `gradient_b` (10) — ce que le client
    envoie —, `label_guess` (la classe devinée d'après `gradient_b`),
    `reconstruction` (28 × 28, l'image retrouvée, remise dans [0, 1]) et
    `cosine` (similarité cosinus avec la moyenne des vraies images).
    """

    images: np.ndarray
    labels: np.ndarray
    gradient_w: np.ndarray
    gradient_b: np.ndarray
    label_guess: int
    reconstruction: np.ndarray
    cosine: float


def gradient_leakage(images, labels, seed: int = 0) -> Leakage:
    """Retrouve l'image d'entraînement à partir du gradient qu'un client envoie.

    Le modèle est une régression softmax (une couche dense 784 → 10, poids
    tirés au hasard avec `seed`) ; le client calcule (avec TensorFlow) le
    gradient de l'entropie croisée sur ses `images` et l'envoie. Pour une
    couche dense, la colonne `c` du gradient des poids vaut
    `(p_c − y_c) · x` et celui du biais `p_c − y_c` : en divisant l'une par
    l'autre, on retrouve **exactement** `x`. Le seul coefficient négatif du
    gradient du biais trahit même l'étiquette.

    Avec plusieurs images (un lot), on ne retrouve qu'un mélange de ces
    images : c'est pourquoi moyenner aide… sans rien garantir.

    >>> x = np.zeros((1, 28, 28), np.uint8); x[0, 10:18, 12:16] = 255
    >>> fuite = gradient_leakage(x, [7])
    >>> fuite.label_guess, fuite.cosine > 0.99
    (7, True)
    """
    x = checks.images(images)
    y = np.atleast_1d(np.asarray(labels))
    if y.shape != (len(x),) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(
            f"Donnez une étiquette entière par image ({len(x)} attendue(s), "
            f"reçu : {labels!r})."
        )
    if y.min() < 0 or y.max() > 9:
        raise ValueError("Les étiquettes doivent être des chiffres de 0 à 9.")
    x = x.astype(np.float32) / (255.0 if x.dtype == np.uint8 else 1.0)
    flat = tf.constant(x.reshape(len(x), -1))

    rng = np.random.default_rng(seed)
    w = tf.Variable(rng.normal(0.0, 0.01, (784, 10)).astype(np.float32))
    b = tf.Variable(np.zeros(10, np.float32))
    loss_fn = models.loss()
    with tf.GradientTape() as tape:  # le travail normal du client
        loss = loss_fn(tf.constant(y, tf.int32), flat @ w + b)
    grad_w, grad_b = (g.numpy() for g in tape.gradient(loss, [w, b]))

    # Ce que fait l'attaquant, qui ne voit que (grad_w, grad_b) :
    label_guess = int(np.argmin(grad_b))  # p_c − 1 < 0 seulement pour la vraie classe
    recon = grad_w[:, label_guess] / grad_b[label_guess]
    recon = recon - recon.min()
    if recon.max() > 0:
        recon = recon / recon.max()
    mean_image = x.reshape(len(x), -1).mean(axis=0)
    return Leakage(
        images=x,
        labels=y,
        gradient_w=grad_w,
        gradient_b=grad_b,
        label_guess=label_guess,
        reconstruction=recon.reshape(28, 28),
        cosine=cosine_similarity(recon, mean_image),
    )


# ---------------------------------------------------------------------------
# 2. Confidentialité différentielle : DP-FedAvg avec les agrégateurs de TFF
# ---------------------------------------------------------------------------


def dp_aggregator(
    noise_multiplier: float,
    clients_per_round: int,
    clipping: str = "adaptive",
    clip: float = 1.0,
    target_quantile: float = 0.5,
    clipped_count_stddev: float | None = None,
):
    """L'agrégateur de DP-FedAvg : écrêtage des mises à jour + bruit gaussien.

    Chaque mise à jour de client est écrêtée (sa norme L2 ramenée à au plus
    `S`), puis le serveur ajoute à leur somme un bruit gaussien d'écart type
    `noise_multiplier × S` et divise par `clients_per_round`.

    - `clipping="fixed"` : `S = clip` (`DifferentiallyPrivateFactory.gaussian_fixed`) ;
    - `clipping="adaptive"` : `S` part de `clip` et suit, tour après tour, le
      quantile `target_quantile` des normes des mises à jour (Andrew et al.,
      2021 ; `gaussian_adaptive`). Estimer ce quantile consomme un peu de
      budget : le nombre de clients écrêtés est lui-même bruité (écart type
      `clipped_count_stddev`, par défaut `max(0.05 × clients_per_round,
      noise_multiplier)`, pour que TFF accepte aussi les petites classes).

    L'agrégateur est **non pondéré** (chaque client compte autant) : c'est
    ce qui borne la contribution d'un client. `build_dp_process` l'utilise.

    Le bruit n'est pas reproductible : TFF le tire d'une graine prise sur
    l'horloge (un bruit prévisible pourrait être soustrait). Deux exécutions
    avec `noise_multiplier > 0` donnent donc des modèles différents.

    >>> agg = dp_aggregator(1.0, clients_per_round=10, clipping="fixed", clip=0.5)  # doctest: +SKIP
    """
    noise = _check_noise(noise_multiplier)
    m = checks.integer(clients_per_round, "clients_per_round", 1)
    clip = checks.real(clip, "clip (norme d'écrêtage)", minimum=0, strict=True)
    if clipping not in CLIPPING_MODES:
        raise ValueError(
            f"clipping doit valoir « adaptive » (écrêtage adaptatif) ou « fixed » "
            f"(écrêtage fixe) (reçu : {clipping!r})."
        )
    factory = tff.aggregators.DifferentiallyPrivateFactory
    if clipping == "fixed":
        return factory.gaussian_fixed(
            noise_multiplier=noise, clients_per_round=float(m), clip=clip
        )
    quantile = checks.real(target_quantile, "target_quantile", minimum=0)
    if not 0 < quantile < 1:
        raise ValueError(
            f"target_quantile doit être strictement entre 0 et 1 (reçu : {quantile})."
        )
    if clipped_count_stddev is None:
        clipped_count_stddev = max(0.05 * m, noise) if noise > 0 else 0.0
    stddev = checks.real(clipped_count_stddev, "clipped_count_stddev", minimum=0)
    if noise > 0 and noise >= 2 * stddev:
        raise ValueError(
            f"clipped_count_stddev ({short(stddev)}) doit dépasser noise_multiplier / 2 "
            f"({short(noise / 2)}) : augmentez-le, ou laissez la valeur par défaut."
        )
    return factory.gaussian_adaptive(
        noise_multiplier=noise,
        clients_per_round=float(m),
        initial_l2_norm_clip=clip,
        target_unclipped_quantile=quantile,
        clipped_count_stddev=stddev,
    )


def build_dp_process(
    model: str = "mlp",
    noise_multiplier: float = 1.0,
    clients_per_round: int = 10,
    clipping: str = "adaptive",
    clip: float = 1.0,
    client_lr: float = 0.1,
    server_lr: float = 1.0,
    num_clients: int | None = None,
    target_quantile: float = 0.5,
):
    """Construit DP-FedAvg : FedAvg avec l'agrégateur `dp_aggregator`.

    Moyenne **non pondérée** des mises à jour écrêtées, plus un bruit
    gaussien (`client_weighting="uniform"` : un client qui a beaucoup
    d'exemples ne compte pas plus, sinon sa contribution ne serait pas
    bornée). Entraînez-le avec `federated.train(...,
    clients_per_round=clients_per_round)` : le bruit est calibré pour ce
    nombre de clients par tour. `num_clients` (facultatif) vérifie qu'on ne
    demande pas plus de clients qu'il n'y en a.

    >>> process = build_dp_process("mlp", noise_multiplier=1.0,
    ...                            clients_per_round=10)   # doctest: +SKIP
    """
    m = checks.integer(clients_per_round, "clients_per_round", 1)
    if num_clients is not None:
        n = checks.integer(num_clients, "num_clients", 1)
        if m > n:
            raise ValueError(
                f"clients_per_round ({m}) dépasse le nombre de clients ({n}) : "
                f"choisissez au plus {n} clients par tour."
            )
    aggregator = dp_aggregator(
        noise_multiplier,
        m,
        clipping=clipping,
        clip=clip,
        target_quantile=target_quantile,
    )
    return federated.build_process(
        "fedavg",
        model=model,
        client_lr=client_lr,
        server_lr=server_lr,
        client_weighting="uniform",
        aggregator=tff.aggregators.as_weighted_aggregator(aggregator),
    )


def compare_dp(
    settings: dict,
    client_data,
    rounds: int,
    clients_per_round: int,
    model: str = "mlp",
    clip: float = 1.0,
    log=print,
    **train_options,
) -> tuple[dict, dict]:
    """Entraîne DP-FedAvg pour chaque réglage ; renvoie `(historiques, epsilons)`.

    `settings` : nom → options de `build_dp_process` (`noise_multiplier`,
    `clipping`...) ; `client_data` : les jeux de tous les clients
    (`federated.client_datasets`, éventuellement `lazy=True`) ; les autres
    options (`test_data`, `seed`, `progress`...) vont à `federated.train`.
    ε est calculé par `epsilon` pour δ = `default_delta(len(client_data))`.
    `log` reçoit une ligne par réglage (`None` : rien n'est affiché). Le
    worker TFF est arrêté après chaque réglage : il garde en cache chaque
    calcul exécuté, et l'arrêter tient la mémoire sous 2 Gio (Binder).

    >>> reglages = {"z = 1": dict(noise_multiplier=1.0, clipping="fixed")}
    >>> hist, eps = compare_dp(reglages, jeux, 10, 5,
    ...                        test_data=(x_test, y_test))   # doctest: +SKIP
    """
    from fltutor.formatting import number, percent

    if not settings:
        raise ValueError("Donnez au moins un réglage (nom → options de DP-FedAvg).")
    num_clients = len(client_data)
    histories, epsilons = {}, {}
    for name, options in settings.items():
        process = build_dp_process(
            model,
            clients_per_round=clients_per_round,
            clip=clip,
            num_clients=num_clients,
            **options,
        )
        histories[name] = federated.train(
            process,
            client_data,
            rounds=rounds,
            clients_per_round=clients_per_round,
            model=model,
            **train_options,
        )
        epsilons[name] = epsilon(
            options.get("noise_multiplier", 1.0), clients_per_round, num_clients, rounds
        )
        if log is not None:
            log(
                f"{name:<22} ε = {number(epsilons[name], 2):>6}   exactitude en test "
                f"finale {percent(histories[name].final_accuracy)}"
            )
        runtime.stop_all_workers()
    return histories, epsilons


def build_secure_process(model: str = "mlp", client_lr: float = 0.1):
    """FedAvg avec `tff.learning.secure_aggregator()` (somme sécurisée de TFF).

    À exécuter dans `simulated_secure_context()` : le contexte ordinaire de
    TFF refuse la somme sécurisée. Les messages internes (en anglais) que TFF
    écrit en construisant cet agrégateur sont masqués.

    >>> process = build_secure_process("mlp")                # doctest: +SKIP
    >>> with simulated_secure_context():                     # doctest: +SKIP
    ...     hist = federated.train(process, jeux, rounds=3, model="mlp")
    """
    import logging

    logger = tf.get_logger()
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        return federated.build_process(
            "fedavg",
            model=model,
            client_lr=client_lr,
            aggregator=tff.learning.secure_aggregator(),
        )
    finally:
        logger.setLevel(level)


def default_delta(num_clients: int) -> float:
    """δ par défaut : `num_clients ** -1.1`, un peu moins que 1 / (nombre de clients).

    >>> default_delta(100) < 1 / 100
    True
    """
    return float(checks.integer(num_clients, "num_clients", 1)) ** -1.1


def epsilon(
    noise_multiplier: float,
    clients_per_round: int,
    num_clients: int,
    rounds: int,
    delta: float | None = None,
) -> float:
    """Le budget ε de DP-FedAvg, au niveau du client, pour δ donné.

    Chaque tour tire `clients_per_round` clients parmi `num_clients` (taux
    d'échantillonnage q = m / N, modélisé comme un tirage de Poisson) et
    applique le mécanisme gaussien de multiplicateur `noise_multiplier` ; on
    compose `rounds` tours avec le comptable RDP de `dp_accounting`.
    Petit ε = forte confidentialité (ε ≈ 1 : forte ; ε ≈ 10 : faible).
    `noise_multiplier=0` donne ε = ∞ (aucune garantie). Par défaut
    δ = N^-1,1 (`default_delta`).

    >>> round(epsilon(1.0, 10, 100, 50), 2)
    3.16
    """
    import dp_accounting

    noise = _check_noise(noise_multiplier)
    m = checks.integer(clients_per_round, "clients_per_round", 1)
    n = checks.integer(num_clients, "num_clients", 1)
    t = checks.integer(rounds, "rounds", 1)
    if m > n:
        raise ValueError(
            f"clients_per_round ({m}) dépasse num_clients ({n}) : on ne peut pas "
            f"tirer plus de clients qu'il n'y en a."
        )
    if delta is None:
        delta = default_delta(n)
    delta = checks.real(delta, "delta", minimum=0, strict=True)
    if delta >= 1:
        raise ValueError(f"delta doit être strictement entre 0 et 1 (reçu : {delta}).")
    if noise == 0:
        return math.inf
    event = dp_accounting.SelfComposedDpEvent(
        dp_accounting.PoissonSampledDpEvent(
            m / n, dp_accounting.GaussianDpEvent(noise)
        ),
        t,
    )
    accountant = dp_accounting.rdp.RdpAccountant()
    accountant.compose(event)
    return float(accountant.get_epsilon(delta))


# ---------------------------------------------------------------------------
# 3. Agrégation sécurisée : des masques qui s'annulent dans la somme
# ---------------------------------------------------------------------------

_MODULUS = 2**32


@dataclasses.dataclass
class SecureSum:
    """Résultat de `secure_sum_masks`.

    Attributs : `encoded` (valeurs en virgule fixe, entiers modulo 2³²),
    `masks` (le masque total de chaque client), `masked` (ce que chaque
    client envoie : `encoded + masks` modulo 2³²), `scale` (facteur de la
    virgule fixe). Propriétés : `masked_sum` (somme des envois, modulo 2³²)
    et `sum` (la somme décodée en réels — la seule chose que le serveur
    apprend).
    """

    encoded: np.ndarray
    masks: np.ndarray
    masked: np.ndarray
    scale: int

    @property
    def masked_sum(self) -> np.ndarray:
        return (self.masked.astype(np.uint64).sum(axis=0) % _MODULUS).astype(np.uint32)

    @property
    def sum(self) -> np.ndarray:
        return self.masked_sum.view(np.int32).astype(np.float64) / self.scale


def secure_sum_masks(values, seed: int = 0, scale: int = 2**16) -> SecureSum:
    """Masque les valeurs des clients par paires : seul leur total est lisible.

    `values` : un tableau (clients × coordonnées) de réels. Chaque valeur est
    codée en virgule fixe (`round(v × scale)`, entier modulo 2³²). Chaque
    paire de clients (i < j) partage un masque aléatoire `r_ij` (tiré ici
    avec `seed` ; en vrai, issu d'un échange de clés) : i **ajoute** `r_ij`,
    j le **retranche**. Chaque envoi ressemble à du bruit uniforme, mais dans
    la somme, tous les masques s'annulent **exactement** (arithmétique
    entière modulo 2³²).

    >>> res = secure_sum_masks([[0.5, 1.0], [0.25, -2.0], [1.0, 0.0]])
    >>> res.sum.tolist()
    [1.75, -1.0]
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim == 1:
        v = v[:, None]
    if v.ndim != 2 or v.shape[0] < 2 or v.size == 0:
        raise ValueError(
            "values doit être un tableau (clients × coordonnées) avec au moins "
            f"2 clients (reçu : forme {v.shape})."
        )
    if not np.all(np.isfinite(v)):
        raise ValueError("values ne doit contenir que des nombres finis.")
    scale = checks.integer(scale, "scale", 1)
    limit = 2**31 / (scale * v.shape[0])
    if np.abs(v).max() >= limit:
        raise ValueError(
            f"Valeurs trop grandes pour la virgule fixe (|v| < {short(limit)} requis avec "
            f"scale={scale} et {v.shape[0]} clients) : réduisez scale."
        )
    num_clients, dim = v.shape
    encoded = (np.round(v * scale).astype(np.int64) % _MODULUS).astype(np.uint64)
    rng = np.random.default_rng(seed)
    masks = np.zeros((num_clients, dim), np.uint64)
    for i in range(num_clients):
        for j in range(i + 1, num_clients):
            r = rng.integers(0, _MODULUS, size=dim, dtype=np.uint64)  # secret de (i, j)
            masks[i] = (masks[i] + r) % _MODULUS
            masks[j] = (masks[j] + _MODULUS - r) % _MODULUS
    masked = (encoded + masks) % _MODULUS
    return SecureSum(
        encoded=encoded.astype(np.uint32),
        masks=masks.astype(np.uint32),
        masked=masked.astype(np.uint32),
        scale=scale,
    )


@contextlib.contextmanager
def simulated_secure_context():
    """Contexte TFF où la somme sécurisée s'exécute — **simulée** par une somme.

    Le contexte par défaut de TFF refuse `tff.learning.secure_aggregator`
    (« Cannot embed a federated value ») : la somme sécurisée n'y est pas
    implémentée. Le contexte « de test » de TFF la remplace par une somme
    ordinaire — en clair, sans aucune cryptographie : on vérifie que le
    calcul est correct, pas qu'il est secret. Ce gestionnaire construit ce
    contexte avec le moteur confiné de `fltutor.runtime` (et non celui de
    TFF, qui laisserait un worker écouter sur toutes les interfaces), puis,
    à la sortie, arrête son worker et réinstalle le contexte de fltutor.

    >>> with simulated_secure_context():                      # doctest: +SKIP
    ...     hist = federated.train(process_securise, jeux, rounds=2)
    """
    from tensorflow_federated.python.core.backends.native import compiler
    from tensorflow_federated.python.core.backends.test import (
        compiler as test_compiler,
    )
    from tensorflow_federated.python.core.environments.tensorflow_frontend import (
        tensorflow_computation,
    )
    from tensorflow_federated.python.core.impl.context_stack import (
        context_stack_impl,
    )
    from tensorflow_federated.python.core.impl.execution_contexts import (
        sync_execution_context,
    )

    def compile_fn(comp):
        comp = test_compiler.replace_secure_intrinsics_with_bodies(comp)
        return compiler.desugar_and_transform_to_native(comp)

    runtime.install()
    before = set(id(w) for w in runtime.workers())
    context = sync_execution_context.SyncExecutionContext(
        executor_fn=runtime.executor_factory(),
        compiler_fn=compile_fn,
        transform_args=tensorflow_computation.transform_args,
        transform_result=tensorflow_computation.transform_result,
    )
    try:
        with context_stack_impl.context_stack.install(context):
            yield context
    finally:
        for worker in runtime.workers():
            if id(worker) not in before:
                worker.stop()
        runtime.install()
