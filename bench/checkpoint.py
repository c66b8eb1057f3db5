"""Points de reprise d'une ligne du banc : l'état complet du serveur TFF + un JSON.

L'état du serveur (`LearningAlgorithmState` de TFF) contient le modèle global
**et** l'état de l'optimiseur du serveur (les moments d'Adam pour FedAdam) :
on l'enregistre en entier, feuille par feuille (`tf.nest.flatten`), pour
qu'une ligne reprise refasse exactement les mêmes tours. Le JSON garde les
réglages, l'historique et le numéro du dernier tour.

Écriture atomique : les tableaux vont dans un fichier propre au tour
(`state-000012.npz`) ; le JSON, écrit ensuite, le désigne. Un arrêt brutal
entre les deux laisse le point de reprise précédent intact.
"""

from __future__ import annotations

import json
import os
import pathlib

import numpy as np

__all__ = ["VERSION", "load", "restore_state", "save"]

VERSION = 2  # 1 : poids du modèle seuls et état du générateur aléatoire
_META = "state.json"


def _atomic_write_text(path: pathlib.Path, text: str) -> None:
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def save(directory: pathlib.Path, meta: dict, server_state) -> None:
    """Enregistre `meta` (JSON) et l'état du serveur TFF, de façon atomique."""
    import tensorflow as tf

    directory = pathlib.Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"state-{int(meta['round']):06d}.npz"
    tmp = directory / (name + f".{os.getpid()}.tmp.npz")
    np.savez(tmp, *[np.asarray(leaf) for leaf in tf.nest.flatten(server_state)])
    os.replace(tmp, directory / name)
    meta = dict(meta, version=VERSION, server_state=name)
    _atomic_write_text(
        directory / _META, json.dumps(meta, ensure_ascii=False, indent=1)
    )
    for old in directory.glob("state-*.npz"):
        if old.name != name:
            old.unlink(missing_ok=True)


def read_meta(directory: pathlib.Path) -> dict | None:
    """Le JSON d'un point de reprise (None s'il n'y en a pas)."""
    path = pathlib.Path(directory) / _META
    if not path.is_file():
        return None
    meta = json.loads(path.read_text(encoding="utf-8"))
    if meta.get("version") != VERSION:
        raise ValueError(
            f"Le point de reprise {directory} vient d'une ancienne version du banc "
            f"(version {meta.get('version')!r}, attendue {VERSION}) : supprimez ce "
            "dossier pour repartir de zéro."
        )
    return meta


def load(directory: pathlib.Path):
    """Lit un point de reprise : `(meta, feuilles de l'état)`, ou `(None, None)`."""
    directory = pathlib.Path(directory)
    meta = read_meta(directory)
    if meta is None:
        return None, None
    with np.load(directory / meta["server_state"]) as npz:
        leaves = [npz[f"arr_{i}"] for i in range(len(npz.files))]
    return meta, leaves


def restore_state(process, leaves):
    """Reconstruit l'état du serveur de `process` à partir des feuilles enregistrées."""
    import tensorflow as tf

    template = process.initialize()
    flat = tf.nest.flatten(template)
    if len(flat) != len(leaves):
        raise ValueError(
            "Le point de reprise ne correspond pas à ce calcul fédéré "
            f"({len(leaves)} tableaux enregistrés, {len(flat)} attendus) : "
            "supprimez le dossier du point de reprise pour repartir de zéro."
        )
    return tf.nest.pack_sequence_as(
        template,
        [np.asarray(v, dtype=np.asarray(t).dtype) for v, t in zip(leaves, flat)],
    )
