"""Confiner le runtime de TFF dans tout Python de l'environnement du cours.

`tools/post_install.py` pose dans site-packages un fichier
`fltutor-confine-tff.pth` d'une ligne, `import fltutor._tff_hook`, que Python
exécute à chaque démarrage. Ce module, léger (il n'importe ni TensorFlow ni
TFF), ajoute à `sys.meta_path` un crochet qui attend l'import de
`tensorflow_federated` : dès que TFF a fini de s'importer, il appelle
`fltutor.runtime.install()`. Ainsi, **quel que soit l'ordre des imports** —
avec ou sans `import fltutor` —, le premier calcul fédéré lance le worker
confiné de `fltutor.runtime` (boucle locale seulement, arrêté avec son
parent) et jamais le worker d'origine de TFF.

Sans effet sur un processus qui n'importe pas TFF (rien d'autre n'est
importé ni lancé).
"""

from __future__ import annotations

import os
import sys

_TARGET = "tensorflow_federated"

# Réglages de gRPC (importé par TFF), lus au chargement de gRPC : journaux
# techniques discrets (sinon des lignes « fork_posix.cc … » dans les sorties
# des cellules) et pas de gestionnaires fork() de gRPC, inutiles ici (le
# worker est lancé sans code Python entre fork() et exec()) et source de
# blocages dans un processus à plusieurs fils d'exécution. Une valeur choisie
# par l'utilisateur est respectée.
GRPC_SETTINGS = {"GRPC_VERBOSITY": "ERROR", "GRPC_ENABLE_FORK_SUPPORT": "false"}


def quiet_grpc() -> None:
    """Pose `GRPC_SETTINGS` dans l'environnement (sans écraser un choix existant)."""
    for name, value in GRPC_SETTINGS.items():
        os.environ.setdefault(name, value)


def _confine() -> None:
    from fltutor import runtime

    runtime.install()


class _ConfineTffFinder:
    """Trouve `tensorflow_federated` comme d'habitude, puis confine son runtime.

    (Un « meta path finder » : voir `importlib.abc.MetaPathFinder`.)
    """

    def find_spec(self, name, path=None, target=None):
        if name != _TARGET:
            return None
        # Une seule fois : on se retire, puis on demande aux autres chercheurs.
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        spec = None
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                break
        if spec is None or spec.loader is None:
            return spec
        quiet_grpc()  # avant que TFF n'importe gRPC
        exec_module = spec.loader.exec_module

        def exec_then_confine(module):
            exec_module(module)
            _confine()

        spec.loader.exec_module = exec_then_confine
        return spec


def install() -> None:
    """Pose le crochet (sans effet si TFF est déjà importé : on confine tout de suite)."""
    if _TARGET in sys.modules:
        _confine()
    elif not any(isinstance(f, _ConfineTffFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _ConfineTffFinder())


install()
