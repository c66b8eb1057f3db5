"""Le coût de communication d'un tour fédéré, et comment le réduire.

À chaque tour, le serveur envoie le modèle à chaque client tiré au sort
(« descente », serveur → clients) et chaque client renvoie sa mise à jour
(« montée », clients → serveur). Ce module compte ces octets et compresse
la montée avec les agrégateurs de TFF (quantification uniforme, Suresh et
al., 2017) — c'est le sujet du notebook 09.

- `upload_bytes` : octets envoyés par un client, compressés ou non (compte
  « à la main » d'après les tenseurs du modèle et la règle de TFF) ;
- `encoded_bytes` : la même quantité **mesurée** : on fait tourner
  l'encodeur de TFF sur des tenseurs de la taille du modèle ;
- `bytes_per_round` : descente et montée d'un tour, avec ou sans compression ;
- `compression_aggregator` : l'agrégateur de TFF qui quantifie les mises à
  jour, avec un compteur d'octets (`tff.aggregators.add_measurements`).

La règle de TFF (`EncodedSumFactory.quantize_above_threshold`) : un tenseur
de plus de `threshold` éléments (20 000 par défaut) est quantifié sur `bits`
bits (8 par défaut) ; les autres (biais, petites couches) partent tels quels
en float32 (4 octets par nombre). Les valeurs quantifiées sont « empaquetées »
dans des entiers de 32 bits dont TFF n'utilise que 28 bits (pour que chaque
entier tienne en 4 octets une fois sérialisé) : 8 bits par valeur coûtent en
réalité 32/28 × 8 ≈ 9,1 bits. Chaque tenseur quantifié envoie aussi son
minimum et son maximum (2 float32).

Exemple
-------
>>> from fltutor import communication
>>> communication.upload_bytes("cnn")                      # doctest: +SKIP
6653480
>>> communication.upload_bytes("cnn", compressed=True)     # doctest: +SKIP
1919692
"""

from __future__ import annotations

import collections
import math

import numpy as np
import tensorflow as tf

from fltutor import checks, models

__all__ = [
    "BYTES_MEASUREMENT",
    "DEFAULT_BITS",
    "DEFAULT_THRESHOLD",
    "bench_summary",
    "bytes_per_round",
    "compare_local_work",
    "compression_aggregator",
    "encoded_bytes",
    "quantized_tensor_bytes",
    "tensor_sizes",
    "upload_bytes",
]

DEFAULT_BITS = 8
DEFAULT_THRESHOLD = 20_000
#: Nom de la mesure ajoutée par `compression_aggregator(count_bytes=True)`.
BYTES_MEASUREMENT = "octets_montants"

_PACKED_BITS = 28  # bits utilisés dans chaque entier de 32 bits (varint ≤ 4 octets)


def _check_bits(bits) -> int:
    return checks.integer(
        bits, "bits (bits par valeur quantifiée)", 1, 16, hint="8 est la valeur de TFF."
    )


def _check_threshold(threshold) -> int:
    return checks.integer(
        threshold,
        "threshold (taille minimale des tenseurs quantifiés)",
        0,
        hint="20000 est la valeur de TFF.",
    )


def _keras_model(model) -> tf.keras.Model:
    if isinstance(model, tf.keras.Model):
        return model
    if isinstance(model, str):
        return models.get(model)()
    raise ValueError(
        f"model doit être « cnn », « mlp » ou un modèle Keras (reçu : {model!r})."
    )


def tensor_sizes(model="cnn") -> list[int]:
    """Le nombre d'éléments de chaque tenseur de poids du modèle.

    >>> tensor_sizes("mlp")                    # doctest: +SKIP
    [156800, 200, 40000, 200, 2000, 10]
    """
    return [int(w.shape.num_elements()) for w in _keras_model(model).weights]


def quantized_tensor_bytes(
    num_elements: int, bits: int = DEFAULT_BITS, threshold: int = DEFAULT_THRESHOLD
) -> int:
    """Octets envoyés pour un tenseur float32 de `num_elements` éléments.

    Au-delà de `threshold` éléments : valeurs quantifiées sur `bits` bits,
    empaquetées dans des entiers de 32 bits (28 bits utiles), plus le minimum
    et le maximum (8 octets). Sinon : 4 octets par élément.

    >>> quantized_tensor_bytes(100)             # petit tenseur : float32
    400
    >>> quantized_tensor_bytes(1_605_632)       # 8 bits : 2 entiers pour 7 valeurs
    1835016
    """
    bits = _check_bits(bits)
    threshold = _check_threshold(threshold)
    n = int(num_elements)
    if n < 0:
        raise ValueError(f"num_elements doit être ≥ 0 (reçu : {n}).")
    if n <= threshold:
        return 4 * n
    packed = math.ceil(n * bits / _PACKED_BITS)  # entiers de 32 bits (28 utiles)
    return 4 * packed + 8


def upload_bytes(
    model="cnn",
    compressed: bool = False,
    bits: int = DEFAULT_BITS,
    threshold: int = DEFAULT_THRESHOLD,
) -> int:
    """Octets qu'un client envoie au serveur à chaque tour (sa mise à jour).

    Sans compression : 4 octets par paramètre (float32), comme
    `models.model_bytes`. Avec `compressed=True` : la règle de quantification
    de TFF, tenseur par tenseur (`quantized_tensor_bytes`). On ne compte que
    la mise à jour du modèle (pas les quelques octets de métadonnées, comme
    le poids du client dans la moyenne).

    >>> upload_bytes("cnn")                              # doctest: +SKIP
    6653480
    >>> upload_bytes("cnn", compressed=True)             # doctest: +SKIP
    1919692
    """
    sizes = tensor_sizes(model)
    if not compressed:
        return 4 * sum(sizes)
    return sum(quantized_tensor_bytes(n, bits, threshold) for n in sizes)


def bytes_per_round(
    model="cnn",
    clients_per_round: int = 10,
    compressed: bool = False,
    bits: int = DEFAULT_BITS,
    threshold: int = DEFAULT_THRESHOLD,
) -> dict:
    """Octets d'un tour : `down` (serveur → clients) et `up` (clients → serveur).

    La descente n'est pas compressée (le modèle complet, en float32) ; la
    montée l'est si `compressed=True`. Renvoie aussi `per_client_down` et
    `per_client_up` (octets d'un client), et `per_client`, la taille d'une
    copie du modèle. `model` : « cnn », « mlp » ou un modèle Keras. C'est
    aussi `federated.bytes_per_round`.

    >>> bytes_per_round("cnn", 10)["down"]               # doctest: +SKIP
    66534800
    """
    m = checks.integer(clients_per_round, "clients_per_round", 0)
    down = upload_bytes(model)
    up = upload_bytes(model, compressed=compressed, bits=bits, threshold=threshold)
    return {
        "down": down * m,
        "up": up * m,
        "per_client": down,  # la taille d'une copie du modèle
        "per_client_down": down,
        "per_client_up": up,
    }


def _encoder(spec: tf.TensorSpec, bits: int, threshold: int):
    """L'encodeur de TFF pour un tenseur (même règle que `quantize_above_threshold`)."""
    from tensorflow_model_optimization.python.core.internal import (
        tensor_encoding as te,
    )

    if spec.shape.num_elements() > threshold:
        stage = te.encoders.uniform_quantization(bits)
    else:
        stage = te.encoders.identity()
    return te.encoders.as_gather_encoder(stage, spec)


def _encoded_size(value: tf.Tensor, bits: int, threshold: int) -> tf.Tensor:
    """Octets des tenseurs produits par l'encodeur de TFF pour `value` (dans TF)."""
    spec = tf.TensorSpec(value.shape, value.dtype)
    encoder = _encoder(spec, bits, threshold)
    encode_params, _, _ = encoder.get_params(encoder.initial_state())
    encoded, _ = encoder.encode(value, encode_params)
    sizes = [
        tf.cast(tf.size(t), tf.int64) * t.dtype.size for t in tf.nest.flatten(encoded)
    ]
    return tf.add_n(sizes) if sizes else tf.constant(0, tf.int64)


def encoded_bytes(
    model="cnn", bits: int = DEFAULT_BITS, threshold: int = DEFAULT_THRESHOLD, seed=0
) -> int:
    """Octets **mesurés** d'une mise à jour compressée par l'encodeur de TFF.

    On fabrique une mise à jour aléatoire de la forme du modèle (graine
    `seed`), on l'encode avec l'encodeur qu'utilise
    `EncodedSumFactory.quantize_above_threshold`, et on additionne la taille
    des tenseurs obtenus. Doit coïncider avec `upload_bytes(...,
    compressed=True)`.

    >>> encoded_bytes("cnn")                              # doctest: +SKIP
    1919692
    """
    bits = _check_bits(bits)
    threshold = _check_threshold(threshold)
    rng = np.random.default_rng(seed)
    total = 0
    for w in _keras_model(model).weights:
        update = tf.constant(rng.normal(0.0, 0.01, w.shape).astype(np.float32))
        total += int(_encoded_size(update, bits, threshold))
    return total


def compression_aggregator(
    bits: int = DEFAULT_BITS,
    threshold: int = DEFAULT_THRESHOLD,
    count_bytes: bool = True,
):
    """Agrégateur TFF qui quantifie les mises à jour des clients (moyenne pondérée).

    `tff.aggregators.MeanFactory(EncodedSumFactory.quantize_above_threshold(
    bits, threshold))` : chaque client quantifie sa mise à jour avant de
    l'envoyer, le serveur décode et fait la moyenne pondérée. (La version
    « clé en main » `tff.learning.compression_aggregator()` est la même avec
    8 bits, 20 000 éléments, et en plus un écrêtage adaptatif des mises à
    jour trop grandes.)

    Avec `count_bytes=True`, chaque client mesure aussi (dans TFF) la taille
    de ce qu'il envoie ; le total du tour apparaît dans les métriques du
    process : `resultat.metrics["aggregator"]["octets_montants"]`.

    >>> agg = compression_aggregator()                    # doctest: +SKIP
    >>> process = federated.build_process("fedavg", model="mlp",
    ...                                   aggregator=agg)  # doctest: +SKIP
    """
    import tensorflow_federated as tff

    bits = _check_bits(bits)
    threshold = _check_threshold(threshold)
    aggregator = tff.aggregators.MeanFactory(
        tff.aggregators.EncodedSumFactory.quantize_above_threshold(
            quantization_bits=bits, threshold=threshold
        )
    )
    if not count_bytes:
        return aggregator

    def client_measurement_fn(value, weight):
        del weight  # la taille ne dépend pas du poids du client

        @tff.tensorflow.computation(value.type_signature.member)
        def size_fn(update):
            return tf.add_n(
                [_encoded_size(t, bits, threshold) for t in tf.nest.flatten(update)]
            )

        sizes = tff.federated_map(size_fn, value)
        return collections.OrderedDict([(BYTES_MEASUREMENT, tff.federated_sum(sizes))])

    return tff.aggregators.add_measurements(
        aggregator, client_measurement_fn=client_measurement_fn
    )


# ---------------------------------------------------------------------------
# Moins de tours : le compromis de McMahan et al. (notebook 09)
# ---------------------------------------------------------------------------


def compare_local_work(
    process,
    configs: dict,
    x,
    y,
    partition,
    rounds: int,
    clients_per_round: int = 10,
    seed: int = 0,
    log=print,
    **train_options,
) -> dict:
    """Le même FedAvg avec plusieurs réglages (E, B) ; renvoie nom → `History`.

    `configs` : nom → `(E, B)` (époques locales, taille des lots ; `B=None`
    pour B = ∞ : tout le jeu du client en un lot, donc E = 1, B = ∞ est
    FedSGD). Seuls les jeux des clients changent (`federated.client_datasets`).
    Les autres options (`test_data`, `target_accuracy`, `model`...) vont à
    `federated.train`. `log` reçoit, par réglage, le nombre de pas de SGD
    par tour `u = E · n / B` et le bilan (tour de l'objectif, octets).

    >>> hist = compare_local_work(process, {"E=1, B=10": (1, 10)}, x, y, parts,
    ...                           rounds=5, test_data=(x_test, y_test),
    ...                           target_accuracy=0.9)        # doctest: +SKIP
    """
    from fltutor import federated

    if not configs:
        raise ValueError("Donnez au moins un réglage (nom → (E, B)).")
    sizes = [len(p) for p in partition]
    n_local = sum(sizes) / max(1, len(sizes))
    histories = {}
    for name, (epochs, batch_size) in configs.items():
        datasets = federated.client_datasets(
            x, y, partition, epochs=epochs, batch_size=batch_size, seed=seed
        )
        history = federated.train(
            process,
            datasets,
            rounds=rounds,
            clients_per_round=clients_per_round,
            seed=seed,
            **train_options,
        )
        histories[name] = history
        if log is not None:
            steps = epochs * math.ceil(n_local / (batch_size or n_local))
            total = _megabytes(history.total_bytes)
            if history.rounds_to_target is None:
                outcome = f"objectif non atteint en {len(history)} tours ({total})"
            else:
                outcome = f"objectif au tour {history.rounds_to_target} ({total})"
            log(f"{name:<18} u = {steps:>4} pas par tour : {outcome}")
    return histories


def _megabytes(nbytes) -> str:
    from fltutor.formatting import number

    return number(nbytes / 1e6, 2) + " Mo"


def bench_summary(path) -> str:
    """Les résultats du banc d'essai (`make bench`, fichier `results.csv`), en français.

    Une ligne par expérience : algorithme, E, B, répartition, puis le nombre
    de tours pour atteindre l'objectif — ou « > N » si le budget de N tours
    du banc n'a pas suffi, avec la meilleure exactitude obtenue — et le
    nombre de tours de l'article. Si le fichier n'existe pas encore, un
    message dit comment le produire.

    >>> print(bench_summary("/nulle/part/results.csv"))
    Pas encore de résultats du banc : lancez « make bench » (plusieurs heures).
    """
    import csv
    import pathlib

    from fltutor.formatting import percent

    path = pathlib.Path(path)
    if not path.is_file():
        return "Pas encore de résultats du banc : lancez « make bench » (plusieurs heures)."
    with open(path, encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    targets = sorted({percent(float(r["target"]), 0) for r in rows})
    lines = [
        f"Tours pour atteindre {' ou '.join(targets)} "
        f"({len(rows)} expérience(s), {path.name}) :"
    ]
    for r in rows:
        if r["reached"] == "1":
            outcome = r["rounds_to_target"]
        else:
            best = percent(float(r["best_accuracy"]), 1)
            outcome = f"> {r['rounds_done']} (au mieux {best})"
        lines.append(
            f"  {r['algorithm']:<7} E={r['epochs']:<2} B={r['batch_size']:<4} "
            f"{r['partition']:<7} : {outcome} ; article : {r['paper_rounds'] or '—'}"
        )
    return "\n".join(lines)
