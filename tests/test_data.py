"""Tests du chargeur MNIST (`fltutor.data`)."""

from __future__ import annotations

import gzip
import hashlib
import pathlib
import shutil

import numpy as np
import pytest

from fltutor import data
from fltutor.data import (
    MNIST_FILES,
    MNIST_SHA256,
    MnistCorruptedError,
    MnistNotFoundError,
    load_mnist,
)

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def _source_bytes(folder: pathlib.Path, name: str) -> bytes:
    """Contenu décompressé d'un fichier MNIST du dossier source."""
    raw = folder / name
    if raw.is_file():
        return raw.read_bytes()
    return gzip.decompress((folder / f"{name}.gz").read_bytes())


@pytest.fixture(scope="session")
def raw_dir(mnist_dir, tmp_path_factory) -> pathlib.Path:
    """Les quatre fichiers, décompressés."""
    folder = tmp_path_factory.mktemp("mnist_raw")
    for name in MNIST_FILES:
        (folder / name).write_bytes(_source_bytes(mnist_dir, name))
    return folder


@pytest.fixture(scope="session")
def gz_dir(mnist_dir, raw_dir, tmp_path_factory) -> pathlib.Path:
    """Les quatre fichiers, compressés en gzip."""
    folder = tmp_path_factory.mktemp("mnist_gz")
    for name in MNIST_FILES:
        source = mnist_dir / f"{name}.gz"
        if source.is_file():
            shutil.copyfile(source, folder / f"{name}.gz")
        else:
            payload = (raw_dir / name).read_bytes()
            (folder / f"{name}.gz").write_bytes(gzip.compress(payload, compresslevel=1))
    return folder


def _folder_with(
    tmp_path: pathlib.Path, good_dir: pathlib.Path, bad_name: str, payload: bytes
):
    """Dossier où `bad_name` est remplacé par `payload`, les autres fichiers liés."""
    folder = tmp_path / "mnist"
    folder.mkdir()
    for path in good_dir.iterdir():
        if path.name != bad_name:
            (folder / path.name).symlink_to(path)
    (folder / bad_name).write_bytes(payload)
    return folder


def _flip(payload: bytes, offset: int) -> bytes:
    changed = bytearray(payload)
    changed[offset] ^= 0xFF
    return bytes(changed)


# --- Données réelles ---------------------------------------------------------


def test_real_mnist_shapes_dtypes_counts(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60000, 28, 28)
    assert y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28)
    assert y_test.shape == (10000,)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8
    assert np.bincount(y_train, minlength=10).tolist() == TRAIN_COUNTS
    assert np.bincount(y_test, minlength=10).tolist() == TEST_COUNTS
    # Premières étiquettes bien connues de MNIST, et pixels dans [0, 255].
    assert y_train[:5].tolist() == [5, 0, 4, 1, 9]
    assert y_test[:5].tolist() == [7, 2, 1, 0, 4]
    assert x_train.max() == 255 and x_train.min() == 0


def test_arrays_are_read_only_and_cached(mnist, mnist_dir):
    (x_train, y_train), (x_test, y_test) = mnist
    for array in (x_train, y_train, x_test, y_test):
        assert not array.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        x_train[0, 0, 0] = 1
    again = load_mnist(mnist_dir)
    assert again[0][0] is x_train  # servi par le cache, sans relire les fichiers
    # Une copie, elle, se modifie librement.
    copy = x_train[:2].copy()
    copy[0, 0, 0] = 1


def test_env_var_is_used_when_no_argument(gz_dir, monkeypatch, mnist):
    monkeypatch.setenv("FLTUTOR_DATA_DIR", str(gz_dir))
    monkeypatch.setattr(data, "_load_keras", _no_download)
    (x_train, y_train), _ = load_mnist()
    np.testing.assert_array_equal(y_train, mnist[0][1])


def test_argument_wins_over_env_var(gz_dir, tmp_path, monkeypatch):
    broken = _folder_with(tmp_path, gz_dir, "train-labels-idx1-ubyte.gz", b"abime")
    monkeypatch.setenv("FLTUTOR_DATA_DIR", str(broken))
    (_, y_train), _ = load_mnist(gz_dir)
    assert y_train.shape == (60000,)
    with pytest.raises(MnistCorruptedError):
        load_mnist()  # sans argument : la variable d'environnement est lue


# --- Formats acceptés --------------------------------------------------------


def test_gz_and_uncompressed_give_same_arrays(raw_dir, gz_dir, mnist):
    from_raw = load_mnist(raw_dir)
    from_gz = load_mnist(gz_dir)
    for a_raw, a_gz, a_ref in zip(
        [*from_raw[0], *from_raw[1]], [*from_gz[0], *from_gz[1]], [*mnist[0], *mnist[1]]
    ):
        np.testing.assert_array_equal(a_raw, a_ref)
        np.testing.assert_array_equal(a_gz, a_ref)


def test_mixed_folder_is_accepted(raw_dir, gz_dir, tmp_path):
    folder = tmp_path / "mixte"
    folder.mkdir()
    for index, name in enumerate(MNIST_FILES):
        source = raw_dir / name if index % 2 else gz_dir / f"{name}.gz"
        (folder / source.name).symlink_to(source)
    (x_train, _), (x_test, _) = load_mnist(folder)
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)


def test_embedded_checksums_match_reference_file(mnist_dir):
    sums = mnist_dir / "SHA256SUMS"
    if not sums.is_file():
        pytest.skip(f"pas de fichier SHA256SUMS dans {mnist_dir}")
    listed = dict(
        reversed(line.split()) for line in sums.read_text().splitlines() if line
    )
    assert listed == MNIST_SHA256


# --- Fichiers abîmés ---------------------------------------------------------


@pytest.mark.parametrize("name", MNIST_FILES)
@pytest.mark.parametrize("where", ["en-tête", "milieu", "dernier octet"])
def test_flipped_byte_in_uncompressed_file(raw_dir, tmp_path, name, where):
    payload = (raw_dir / name).read_bytes()
    offset = {"en-tête": 2, "milieu": len(payload) // 2, "dernier octet": -1}[where]
    folder = _folder_with(tmp_path, raw_dir, name, _flip(payload, offset))
    with pytest.raises(MnistCorruptedError) as info:
        load_mnist(folder)
    message = str(info.value)
    assert name in message
    assert "corrompu" in message
    assert "téléchargez-le de nouveau" in message


@pytest.mark.parametrize("name", MNIST_FILES)
def test_flipped_byte_in_gz_file(gz_dir, tmp_path, name):
    payload = (gz_dir / f"{name}.gz").read_bytes()
    bad = _flip(payload, len(payload) // 2)
    folder = _folder_with(tmp_path, gz_dir, f"{name}.gz", bad)
    with pytest.raises(MnistCorruptedError, match="corrompu") as info:
        load_mnist(folder)
    assert f"{name}.gz" in str(info.value)


@pytest.mark.parametrize("name", ["train-labels-idx1-ubyte", "t10k-images-idx3-ubyte"])
def test_truncated_gzip(gz_dir, tmp_path, name):
    payload = (gz_dir / f"{name}.gz").read_bytes()
    folder = _folder_with(tmp_path, gz_dir, f"{name}.gz", payload[: len(payload) // 2])
    with pytest.raises(MnistCorruptedError, match="tronquée") as info:
        load_mnist(folder)
    assert f"{name}.gz" in str(info.value)


def test_not_a_gzip_file(gz_dir, tmp_path):
    name = "t10k-labels-idx1-ubyte.gz"
    folder = _folder_with(tmp_path, gz_dir, name, b"<html>404 Not Found</html>")
    with pytest.raises(MnistCorruptedError, match="corrompu") as info:
        load_mnist(folder)
    assert name in str(info.value)


@pytest.mark.parametrize("change", ["tronqué", "trop long", "vide"])
def test_wrong_size_uncompressed(raw_dir, tmp_path, change):
    name = "train-images-idx3-ubyte"
    payload = (raw_dir / name).read_bytes()
    bad = {
        "tronqué": payload[:-100],
        "trop long": payload + b"\x00",
        "vide": b"",
    }[change]
    folder = _folder_with(tmp_path, raw_dir, name, bad)
    with pytest.raises(MnistCorruptedError, match="corrompu") as info:
        load_mnist(folder)
    assert name in str(info.value)


def test_files_swapped(raw_dir, tmp_path):
    # Étiquettes d'entraînement à la place de celles de test : mauvaise taille.
    folder = _folder_with(
        tmp_path,
        raw_dir,
        "t10k-labels-idx1-ubyte",
        (raw_dir / "train-labels-idx1-ubyte").read_bytes(),
    )
    with pytest.raises(MnistCorruptedError, match="t10k-labels-idx1-ubyte"):
        load_mnist(folder)


def test_checksum_catches_valid_looking_file(raw_dir, tmp_path):
    # En-tête et taille corrects, contenu différent : seule l'empreinte le voit.
    name = "t10k-labels-idx1-ubyte"
    payload = bytearray((raw_dir / name).read_bytes())
    payload[8], payload[9] = payload[9], payload[8]
    assert hashlib.sha256(payload).hexdigest() != MNIST_SHA256[name]
    folder = _folder_with(tmp_path, raw_dir, name, bytes(payload))
    with pytest.raises(MnistCorruptedError, match="SHA-256"):
        load_mnist(folder)


# --- Fichiers absents --------------------------------------------------------


def _no_download():
    pytest.fail("load_mnist a tenté un téléchargement alors qu'il ne le devait pas")


def _check_where_to_put(message: str, folder: pathlib.Path):
    assert "Placez ces quatre fichiers" in message
    for name in MNIST_FILES:
        assert f"{name}.gz" in message
    assert str(folder) in message
    assert "FLTUTOR_DATA_DIR" in message


def test_missing_folder_says_where_to_put_files(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "_load_keras", _no_download)
    folder = tmp_path / "absent"
    with pytest.raises(MnistNotFoundError) as info:
        load_mnist(folder)
    assert isinstance(info.value, FileNotFoundError)
    assert "n'existe pas" in str(info.value)
    _check_where_to_put(str(info.value), folder)


def test_explicit_empty_dir_does_not_download(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "_load_keras", _no_download)
    with pytest.raises(MnistNotFoundError) as info:
        load_mnist(tmp_path)
    _check_where_to_put(str(info.value), tmp_path)


def test_partial_folder_names_missing_files(raw_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(data, "_load_keras", _no_download)
    monkeypatch.setattr(data, "default_data_dir", lambda: tmp_path / "vide")
    (tmp_path / "train-images-idx3-ubyte").symlink_to(
        raw_dir / "train-images-idx3-ubyte"
    )
    monkeypatch.setenv("FLTUTOR_DATA_DIR", str(tmp_path))
    with pytest.raises(MnistNotFoundError) as info:
        load_mnist()  # dossier entamé : ni repli ni téléchargement
    message = str(info.value)
    assert "t10k-labels-idx1-ubyte" in message and "partie" in message


def test_falls_back_to_keras_when_nothing_local(tmp_path, monkeypatch):
    monkeypatch.delenv("FLTUTOR_DATA_DIR", raising=False)
    monkeypatch.setattr(data, "default_data_dir", lambda: tmp_path / "vide")
    sentinel = ((np.zeros((1, 28, 28), np.uint8), np.zeros(1, np.uint8)),) * 2
    calls = []

    def fake_keras():
        calls.append(1)
        return sentinel

    monkeypatch.setattr(data, "_load_keras", fake_keras)
    assert load_mnist() is sentinel
    assert calls == [1]


def test_keras_failure_gives_french_error(tmp_path, monkeypatch):
    monkeypatch.setenv("FLTUTOR_DATA_DIR", str(tmp_path / "ailleurs"))
    monkeypatch.setattr(data, "default_data_dir", lambda: tmp_path / "vide")

    def offline():
        raise OSError("pas de réseau")

    monkeypatch.setattr(data, "_load_keras", offline)
    with pytest.warns(RuntimeWarning, match="FLTUTOR_DATA_DIR"):
        with pytest.raises(MnistNotFoundError) as info:
            load_mnist()
    message = str(info.value)
    assert "téléchargement par Keras a échoué" in message
    assert "pas de réseau" in message
    assert str(tmp_path / "ailleurs") in message
    _check_where_to_put(message, tmp_path / "vide")
