"""Charger MNIST : fichiers locaux vérifiés, ou téléchargement par Keras.

`load_mnist()` renvoie exactement ce que renvoie
`tf.keras.datasets.mnist.load_data()` : deux couples `(images, étiquettes)`
en `uint8`, images de forme (N, 28, 28), étiquettes de forme (N,).

Où sont cherchés les fichiers, dans cet ordre :

1. le dossier passé en argument (`load_mnist(data_dir="...")`) ;
2. le dossier indiqué par la variable d'environnement `FLTUTOR_DATA_DIR` ;
3. le dossier `data/mnist/` à la racine du cours.

Chaque dossier doit contenir les quatre fichiers IDX d'origine de MNIST,
compressés (`.gz`) ou non. Leur contenu est vérifié (empreinte SHA-256) :
un fichier abîmé provoque une erreur claire, jamais des données fausses.
Sans copie locale, on se rabat sur le téléchargement de Keras (connexion
Internet nécessaire).

Exemple
-------
>>> from fltutor.data import load_mnist
>>> (x_train, y_train), (x_test, y_test) = load_mnist()   # doctest: +SKIP
>>> x_train.shape, x_train.dtype                          # doctest: +SKIP
((60000, 28, 28), dtype('uint8'))
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import pathlib
import warnings
import zlib

import numpy as np

__all__ = [
    "MNIST_FILES",
    "MNIST_SHA256",
    "MnistCorruptedError",
    "MnistNotFoundError",
    "default_data_dir",
    "load_mnist",
]

#: Empreintes SHA-256 des quatre fichiers IDX **décompressés**.
MNIST_SHA256: dict[str, str] = {
    "train-images-idx3-ubyte": (
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"
    ),
    "train-labels-idx1-ubyte": (
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"
    ),
    "t10k-images-idx3-ubyte": (
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"
    ),
    "t10k-labels-idx1-ubyte": (
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"
    ),
}

#: Les quatre fichiers, dans l'ordre du résultat de `load_mnist`.
MNIST_FILES: tuple[str, ...] = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)

# Forme attendue de chaque fichier (l'en-tête IDX doit l'annoncer).
_EXPECTED_SHAPES: dict[str, tuple[int, ...]] = {
    "train-images-idx3-ubyte": (60000, 28, 28),
    "train-labels-idx1-ubyte": (60000,),
    "t10k-images-idx3-ubyte": (10000, 28, 28),
    "t10k-labels-idx1-ubyte": (10000,),
}

_ENV_VAR = "FLTUTOR_DATA_DIR"
_IDX_UBYTE = 0x08  # code de type IDX : entiers non signés sur 8 bits
_CHUNK = 1 << 20  # taille des lectures successives (1 Mio)


class MnistNotFoundError(FileNotFoundError):
    """Les fichiers MNIST sont introuvables (et le téléchargement a échoué)."""


class MnistCorruptedError(ValueError):
    """Un fichier MNIST local est abîmé (contenu différent de l'original)."""


def default_data_dir() -> pathlib.Path:
    """Le dossier `data/mnist/` à la racine du cours.

    >>> default_data_dir().name
    'mnist'
    """
    return pathlib.Path(__file__).resolve().parent.parent / "data" / "mnist"


def _where_to_put(folder: pathlib.Path | None = None) -> str:
    """Le texte qui explique où déposer les fichiers."""
    target = folder if folder is not None else default_data_dir()
    names = "\n".join(f"  - {name}.gz  (ou {name})" for name in MNIST_FILES)
    return (
        f"Placez ces quatre fichiers, compressés (.gz) ou non :\n{names}\n"
        f"dans le dossier :\n  {target}\n"
        f"ou bien dans un dossier de votre choix, indiqué par la variable "
        f"d'environnement {_ENV_VAR} (par exemple « export "
        f"{_ENV_VAR}=/chemin/vers/mnist »), ou passé à "
        f"load_mnist(data_dir=...). Voir data/README.md pour les empreintes "
        f"SHA-256 attendues."
    )


def _find_files(folder: pathlib.Path) -> tuple[dict[str, pathlib.Path], list[str]]:
    """Fichiers présents dans `folder` (non compressé préféré) et manquants."""
    found: dict[str, pathlib.Path] = {}
    missing: list[str] = []
    for name in MNIST_FILES:
        for candidate in (folder / name, folder / f"{name}.gz"):
            if candidate.is_file():
                found[name] = candidate
                break
        else:
            missing.append(name)
    return found, missing


def _corrupted(path: pathlib.Path, detail: str) -> MnistCorruptedError:
    return MnistCorruptedError(
        f"Le fichier MNIST {path} est corrompu ({detail}). Supprimez-le et "
        f"téléchargez-le de nouveau (fichiers d'origine : "
        f"https://storage.googleapis.com/cvdf-datasets/mnist/ ou "
        f"http://yann.lecun.com/exdb/mnist/)."
    )


def _read_bytes(path: pathlib.Path, expected_size: int) -> bytearray:
    """Contenu décompressé du fichier (`.gz` ou brut), en une seule allocation.

    On lit au plus `expected_size + 1` octets : assez pour détecter un
    fichier trop long sans jamais charger plus que nécessaire en mémoire.
    """
    buffer = bytearray(expected_size + 1)
    view = memoryview(buffer)
    size = 0
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as stream:
            while size < len(buffer):
                # Par tranches : gzip alloue un tampon de la taille demandée.
                count = stream.readinto(view[size : size + _CHUNK])
                if not count:
                    break
                size += count
    except EOFError:
        raise _corrupted(path, "archive gzip tronquée") from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise _corrupted(path, f"archive gzip illisible : {exc}") from None
    finally:
        view.release()
    del buffer[size:]
    return buffer


def _parse_idx(name: str, path: pathlib.Path) -> np.ndarray:
    """Lit un fichier IDX de MNIST et vérifie en-tête, taille et empreinte."""
    expected_shape = _EXPECTED_SHAPES[name]
    ndim = len(expected_shape)
    header_size = 4 + 4 * ndim
    raw = _read_bytes(path, header_size + int(np.prod(expected_shape)))
    if len(raw) < header_size:
        raise _corrupted(path, f"{len(raw)} octets seulement, en-tête incomplet")
    # Nombre magique : deux octets nuls, le code du type, le nombre de dimensions.
    if raw[0] != 0 or raw[1] != 0 or raw[2] != _IDX_UBYTE or raw[3] != ndim:
        raise _corrupted(
            path,
            f"nombre magique {raw[:4].hex()} au lieu de 0000{_IDX_UBYTE:02x}{ndim:02x}",
        )
    dims = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    if dims != expected_shape:
        raise _corrupted(path, f"dimensions {dims} au lieu de {expected_shape}")
    expected_size = header_size + int(np.prod(dims))
    if len(raw) != expected_size:
        size = f"{len(raw)} octets" if len(raw) < expected_size else "trop d'octets"
        raise _corrupted(
            path, f"{size} au lieu de {expected_size} une fois décompressé"
        )
    digest = hashlib.sha256(raw).hexdigest()
    if digest != MNIST_SHA256[name]:
        raise _corrupted(
            path,
            f"empreinte SHA-256 {digest[:12]}… au lieu de {MNIST_SHA256[name][:12]}…",
        )
    # Vue sur les octets lus, sans copie (mise en lecture seule par l'appelant).
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(dims)


def _freeze(*arrays: np.ndarray) -> None:
    for array in arrays:
        array.flags.writeable = False


@functools.lru_cache(maxsize=4)
def _load_folder_cached(folder: str, signature: tuple) -> tuple:
    # `signature` (taille et date de chaque fichier) invalide le cache si un
    # fichier est remplacé pendant la session.
    found, _ = _find_files(pathlib.Path(folder))
    arrays = [_parse_idx(name, found[name]) for name in MNIST_FILES]
    _freeze(*arrays)
    x_train, y_train, x_test, y_test = arrays
    return (x_train, y_train), (x_test, y_test)


def _load_folder(folder: pathlib.Path, found: dict[str, pathlib.Path]) -> tuple:
    signature = tuple(
        (str(found[name]), found[name].stat().st_size, found[name].stat().st_mtime_ns)
        for name in MNIST_FILES
    )
    return _load_folder_cached(str(folder), signature)


@functools.lru_cache(maxsize=1)
def _load_keras() -> tuple:
    import tensorflow as tf  # importé seulement ici : c'est lourd

    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    _freeze(x_train, y_train, x_test, y_test)
    return (x_train, y_train), (x_test, y_test)


def load_mnist(data_dir=None):
    """Charge MNIST : `((x_train, y_train), (x_test, y_test))`, en `uint8`.

    Même résultat que `tf.keras.datasets.mnist.load_data()` : images
    (60000, 28, 28) et (10000, 28, 28), étiquettes (60000,) et (10000,).
    Les tableaux sont en lecture seule (ils sont gardés en cache : un second
    appel est instantané) ; faites `x.copy()` pour les modifier.

    Parameters
    ----------
    data_dir : dossier contenant les quatre fichiers IDX de MNIST (`.gz` ou
        non). Par défaut : `$FLTUTOR_DATA_DIR`, puis `data/mnist/`, puis
        téléchargement par Keras. Si vous donnez un dossier, il doit contenir
        les fichiers (pas de téléchargement de secours).

    Raises
    ------
    MnistNotFoundError : fichiers introuvables (le message dit où les mettre).
    MnistCorruptedError : un fichier est abîmé (le message le nomme).

    Exemple
    -------
    >>> (x_train, y_train), (x_test, y_test) = load_mnist()   # doctest: +SKIP
    >>> x_train.shape, y_test[:5]                             # doctest: +SKIP
    ((60000, 28, 28), array([7, 2, 1, 0, 4], dtype=uint8))
    """
    if data_dir is not None:
        folder = pathlib.Path(data_dir).expanduser().resolve()
        found, missing = _find_files(folder)
        if missing:
            state = "n'existe pas" if not folder.is_dir() else "est incomplet"
            raise MnistNotFoundError(
                f"Le dossier MNIST demandé {folder} {state} : il manque "
                f"{', '.join(missing)}.\n" + _where_to_put(folder)
            )
        return _load_folder(folder, found)

    candidates: list[pathlib.Path] = []
    env_dir = os.environ.get(_ENV_VAR, "").strip()
    if env_dir:
        candidates.append(pathlib.Path(env_dir).expanduser().resolve())
    candidates.append(default_data_dir())

    for folder in candidates:
        found, missing = _find_files(folder)
        if not missing:
            return _load_folder(folder, found)
        if found:  # dossier entamé : l'utilisateur a voulu y mettre MNIST
            raise MnistNotFoundError(
                f"Le dossier {folder} ne contient qu'une partie de MNIST : il "
                f"manque {', '.join(missing)}.\n" + _where_to_put(folder)
            )
        if env_dir and folder == candidates[0]:
            warnings.warn(
                f"{_ENV_VAR}={env_dir} ne contient pas les fichiers MNIST ; "
                "on essaie les autres emplacements.",
                RuntimeWarning,
                stacklevel=2,
            )

    try:
        return _load_keras()
    except Exception as exc:  # pas de réseau, pas de TensorFlow...
        searched = "\n".join(f"  - {folder}" for folder in candidates)
        raise MnistNotFoundError(
            "Données MNIST introuvables : aucune copie locale dans\n"
            f"{searched}\net le téléchargement par Keras a échoué "
            f"({type(exc).__name__} : {exc}).\n" + _where_to_put()
        ) from exc
