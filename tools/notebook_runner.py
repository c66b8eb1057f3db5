"""Exécuter un notebook avec nbclient et mesurer sa mémoire maximale.

Partagé par `tools/check_sync.py` (regénérer les `.ipynb` en mode rapide) et
par le banc d'essai (`python -m bench memory`, mode complet) : un seul
exécuteur, un seul échantillonneur de mémoire.

- `PeakMemory` : échantillonne (psutil, toutes les 0,2 s) la mémoire
  résidente du noyau Jupyter et de tous ses descendants — dont le
  `worker_binary` de TFF, compté aussi à part ;
- `execute(nb, folder, timeout, env)` : exécute le notebook en place dans le
  noyau `python3`, dans `folder`, avec les variables d'environnement `env`,
  et renvoie un `Execution` (durée, pics de mémoire, erreur éventuelle).
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import pathlib
import threading
import time

__all__ = ["Execution", "PeakMemory", "execute"]


class PeakMemory:
    """Relève la mémoire résidente maximale d'un processus et de ses descendants.

    `tree` : le processus et tous ses descendants ; `worker` : la part des
    `worker_binary` de TFF parmi eux (octets).
    """

    def __init__(self, interval: float = 0.2):
        self.interval = interval
        self.tree = 0
        self.worker = 0
        self._stop = threading.Event()
        self._thread = None

    def _sample(self, root) -> bool:
        import psutil

        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return False
        tree = worker = 0
        for proc in procs:
            try:
                rss = proc.memory_info().rss
                tree += rss
                if proc.name().startswith("worker_binary"):
                    worker += rss
            except psutil.Error:
                continue
        self.tree = max(self.tree, tree)
        self.worker = max(self.worker, worker)
        return True

    def start(self, pid: int) -> None:
        import psutil

        root = psutil.Process(pid)

        def poll():
            while not self._stop.is_set() and self._sample(root):
                self._stop.wait(self.interval)

        self._thread = threading.Thread(target=poll, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)


@dataclasses.dataclass
class Execution:
    """Le résultat d'une exécution : durée (s), pics (octets), erreur (ou None)."""

    seconds: float
    peak_tree: int
    peak_worker: int
    error: str | None


def execute(nb, folder: pathlib.Path, timeout: int, env: dict[str, str]) -> Execution:
    """Exécute `nb` en place (noyau `python3`, dossier `folder`, variables `env`).

    Les variables `env` valent pendant l'exécution seulement (le noyau en
    hérite). L'erreur de la première cellule en échec est résumée sur une
    ligne ; le notebook garde la trace complète dans ses sorties.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    monitor = PeakMemory()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(folder)}},
        record_timing=True,
    )

    def on_start(**_):
        pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
        if pid:
            monitor.start(pid)

    client.on_notebook_start = on_start
    saved_env = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    start = time.perf_counter()
    error = None
    try:
        client.execute()
    except CellExecutionError as exc:
        error = str(exc).strip().splitlines()[-1] if str(exc).strip() else repr(exc)
    except Exception as exc:  # délai dépassé, noyau mort...
        error = f"{type(exc).__name__} : {exc}"
    finally:
        monitor.stop()
        # Si le noyau n'a pas démarré, nbclient laisse un nettoyage en attente.
        atexit.unregister(client._cleanup_kernel)
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return Execution(time.perf_counter() - start, monitor.tree, monitor.worker, error)
