"""Le moteur d'exécution de TFF, tenu en laisse.

TensorFlow Federated 0.87 exécute chaque calcul fédéré dans un programme C++
séparé, le `worker_binary`, qu'il lance lui-même au premier calcul. Tel quel,
ce processus :

- survit au noyau Python qui l'a lancé (il est rattaché au PID 1) et garde sa
  sortie standard ouverte : `python script.py | tail` ne se termine jamais ;
- écoute sur toutes les interfaces réseau, sans authentification, et exécute
  tout graphe TensorFlow qu'on lui envoie (lecture et écriture de fichiers
  comprises) : sur le réseau d'une salle de classe, n'importe qui pourrait
  s'en servir.

Ce module remplace le contexte d'exécution installé par TFF par un contexte
identique (mêmes classes TFF, même compilateur), mais dont le worker :

1. est arrêté à la sortie de Python (`atexit`), et tué par le noyau Linux si
   le processus Python meurt brutalement (signal « parent-death » `prctl`,
   demandé au démarrage du worker, jamais entre fork() et exec()) ;
2. n'écoute que sur la boucle locale (`::1` / `127.0.0.1`) : une petite
   bibliothèque C (`_loopback.c`), compilée à la première utilisation et
   chargée avec `LD_PRELOAD`, remplace l'adresse « toutes interfaces » par
   l'adresse de bouclage au moment où le worker ouvre son port. TFF n'offre
   aucune option pour cela (le worker accepte seulement `--port`) ;
3. écrit ses journaux dans un fichier, jamais dans la sortie de Python.

Dans l'environnement du cours, `tools/post_install.py` pose un fichier `.pth`
qui appelle `install()` dès que `tensorflow_federated` est importé
(`fltutor._tff_hook`), même sans `import fltutor`. Ailleurs, importez
`fltutor.federated` (ou appelez `install()`) avant le premier calcul fédéré.

Exemple
-------
>>> from fltutor import runtime
>>> runtime.install()                    # doctest: +SKIP
>>> runtime.workers()                    # doctest: +SKIP
[]
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import warnings

from fltutor.formatting import short

__all__ = [
    "Worker",
    "filtered_stderr",
    "install",
    "loopback_library",
    "start_worker",
    "stop_all_workers",
    "worker_binary_path",
    "workers",
]

# Options gRPC de TFF (messages jusqu'à 2 Go : un modèle entier y passe).
_GRPC_MAX_MESSAGE_LENGTH_BYTES = 2 * 1000 * 1000 * 1000
GRPC_CHANNEL_OPTIONS = [
    ("grpc.max_message_length", _GRPC_MAX_MESSAGE_LENGTH_BYTES),
    ("grpc.max_receive_message_length", _GRPC_MAX_MESSAGE_LENGTH_BYTES),
    ("grpc.max_send_message_length", _GRPC_MAX_MESSAGE_LENGTH_BYTES),
]

_LOCK = threading.RLock()
_WORKERS: list[Worker] = []
_LOOPBACK_SOURCE = pathlib.Path(__file__).with_name("_loopback.c")
_LOOPBACK_WARNED = False


class Worker:
    """Un `worker_binary` TFF lancé par fltutor (un processus, un port).

    Attributs : `process` (`subprocess.Popen`), `port`, `address`
    (`"localhost:port"`), `loopback_only` (vrai si confiné à la boucle locale),
    `log_path` (fichier où le worker écrit ses journaux).
    """

    def __init__(self, process, port, loopback_only, log_path):
        self.process = process
        self.port = port
        self.address = f"localhost:{port}"
        self.loopback_only = loopback_only
        self.log_path = log_path

    @property
    def pid(self) -> int:
        return self.process.pid

    def is_running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Arrête le worker (SIGINT, puis SIGKILL s'il ne répond pas)."""
        if self.is_running():
            try:
                self.process.send_signal(signal.SIGINT)
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            except ProcessLookupError:
                pass
        with _LOCK:
            if self in _WORKERS:
                _WORKERS.remove(self)

    def __repr__(self) -> str:
        state = "actif" if self.is_running() else "arrêté"
        scope = "boucle locale" if self.loopback_only else "toutes interfaces"
        return f"<Worker TFF pid={self.pid} port={self.port} {state}, {scope}>"


def worker_binary_path() -> pathlib.Path:
    """Chemin du `worker_binary` livré dans le paquet tensorflow_federated."""
    import importlib.util

    spec = importlib.util.find_spec("tensorflow_federated")
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "TensorFlow Federated n'est pas installé dans cet environnement. "
            "Lancez « make install » (ou « make lab ») à la racine du cours."
        )
    path = pathlib.Path(spec.origin).parent / "data" / "worker_binary"
    if not path.is_file():
        raise RuntimeError(
            f"Le programme worker_binary de TFF est introuvable ({path}). "
            "Réinstallez l'environnement : « make clean install »."
        )
    return path


def _cache_dir() -> pathlib.Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    return pathlib.Path(base) / "fltutor"


def loopback_library() -> pathlib.Path | None:
    """Compile (une fois) et renvoie la bibliothèque qui confine le worker.

    Renvoie `None` si aucun compilateur C n'est disponible : le worker
    écoutera alors sur toutes les interfaces (un avertissement le signale).
    """
    source = _LOOPBACK_SOURCE.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:16]
    target = _cache_dir() / f"libfltutor_loopback-{digest}.so"
    if target.is_file():
        return target
    compiler = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc")
    if compiler is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    result = subprocess.run(
        [compiler, "-shared", "-fPIC", "-O2", "-o", str(tmp), str(_LOOPBACK_SOURCE)]
        + ["-ldl"],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0 or not tmp.is_file():
        return None
    os.replace(tmp, target)
    return target


def _pick_port() -> int:
    import portpicker

    return portpicker.pick_unused_port()


def _die_with_parent(env: dict[str, str], confined: bool) -> list[str]:
    """Prépare la mort du worker avec son parent ; renvoie le préfixe de commande.

    Avec la bibliothèque de confinement chargée (LD_PRELOAD), c'est elle qui
    s'en charge au démarrage du worker (voir `_loopback.c`) : il suffit de lui
    donner le PID du parent. Sinon, `setpriv --pdeathsig KILL` (util-linux)
    fait la même demande au noyau avant de lancer le worker.

    Rien n'est exécuté entre fork() et exec() (pas de `preexec_fn`) : dans un
    processus à plusieurs fils d'exécution comme TensorFlow, ce serait risquer
    un fils bloqué pour toujours.
    """
    if confined:
        env["FLTUTOR_PARENT_PID"] = str(os.getpid())
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL"] if setpriv else []


def start_worker(
    port: int | None = None,
    loopback_only: bool = True,
    ready_timeout: float = 60.0,
) -> Worker:
    """Lance un `worker_binary` TFF local et attend qu'il réponde.

    Parameters
    ----------
    port : port TCP (un port libre est choisi si `None`).
    loopback_only : confiner le worker à la boucle locale (recommandé).
    ready_timeout : délai maximal, en secondes, pour que le worker réponde.

    Exemple
    -------
    >>> w = start_worker()                 # doctest: +SKIP
    >>> w.address                          # doctest: +SKIP
    'localhost:40123'
    >>> w.stop()                           # doctest: +SKIP
    """
    global _LOOPBACK_WARNED
    binary = worker_binary_path()
    port = _pick_port() if port is None else int(port)
    env = dict(os.environ)
    # Moins de zones d'allocation mémoire (glibc) dans le worker, très
    # multithread : environ 10 % de mémoire en moins après quelques tours
    # FedAvg du CNN, pour le même temps de calcul (mesuré). Réglable par
    # l'utilisateur : on ne remplace pas une valeur déjà définie.
    env.setdefault("MALLOC_ARENA_MAX", "2")
    confined = False
    if loopback_only:
        library = loopback_library()
        if library is not None:
            env["LD_PRELOAD"] = (
                f"{library} {env['LD_PRELOAD']}"
                if env.get("LD_PRELOAD")
                else str(library)
            )
            confined = True
        elif not _LOOPBACK_WARNED:
            _LOOPBACK_WARNED = True
            warnings.warn(
                "Aucun compilateur C (cc) trouvé : le worker TFF écoutera sur toutes "
                "les interfaces réseau. Sur un réseau partagé, installez gcc "
                "(« sudo apt install gcc ») ou travaillez derrière un pare-feu. "
                "Voir la section Sécurité du README.",
                RuntimeWarning,
                stacklevel=2,
            )
    command = _die_with_parent(env, confined) + [
        str(binary),
        f"--port={port}",
        "--max_concurrent_computation_calls=-1",
    ]
    log_dir = pathlib.Path(tempfile.gettempdir()) / "fltutor-workers"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"worker-{os.getpid()}-{port}.log"
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            close_fds=True,
            start_new_session=True,  # Ctrl-C dans le terminal ne le tue pas en douce
        )
    worker = Worker(process, port, confined, log_path)
    with _LOCK:
        _WORKERS.append(worker)
    try:
        wait_until_ready(worker.address, ready_timeout, process=process)
    except BaseException:
        worker.stop()
        raise
    return worker


def wait_until_ready(address: str, timeout: float = 60.0, process=None) -> None:
    """Attend qu'un worker TFF réponde à `address`, au plus `timeout` secondes.

    Lève `TimeoutError` (message en français, qui nomme l'adresse) sinon.
    """
    import grpc

    channel = grpc.insecure_channel(address, GRPC_CHANNEL_OPTIONS)
    try:
        grpc.channel_ready_future(channel).result(timeout=timeout)
    except grpc.FutureTimeoutError:
        detail = ""
        if process is not None and process.poll() is not None:
            detail = f" Le processus s'est arrêté (code {process.returncode})."
        raise TimeoutError(
            f"Le worker TFF à l'adresse {address} ne répond pas après {short(timeout)} s."
            f"{detail} Vérifiez l'adresse et le port, et que le worker est bien lancé."
        ) from None
    finally:
        channel.close()


def workers() -> list[Worker]:
    """Les workers lancés par ce processus Python et encore actifs."""
    with _LOCK:
        return [w for w in _WORKERS if w.is_running()]


def stop_all_workers() -> None:
    """Arrête tous les workers lancés par ce processus (appelé à la sortie)."""
    with _LOCK:
        current = list(_WORKERS)
    for worker in current:
        worker.stop()


atexit.register(stop_all_workers)


class _LocalWorkerManager:
    """Garde un worker local vivant ; le relance s'il s'est arrêté."""

    def __init__(self, loopback_only: bool = True):
        self._loopback_only = loopback_only
        self._worker: Worker | None = None
        self._stub = None
        self._lock = threading.Lock()

    def get_stub(self):
        import grpc
        from tensorflow_federated.python.core.impl.executors import (
            remote_executor_grpc_stub,
        )

        with self._lock:
            if self._stub is not None and self._worker.is_running():
                if self._stub.is_ready:
                    return self._stub
            if self._worker is not None:
                self._worker.stop()
            self._worker = start_worker(loopback_only=self._loopback_only)
            channel = grpc.insecure_channel(self._worker.address, GRPC_CHANNEL_OPTIONS)
            self._stub = remote_executor_grpc_stub.RemoteExecutorGrpcStub(channel)
            return self._stub


def executor_factory(default_num_clients: int = 0, loopback_only: bool = True):
    """Fabrique d'exécuteurs TFF adossée à un worker local géré par fltutor.

    C'est la même construction que `local_cpp_executor_factory` de TFF
    (`RemoteExecutor` dans un `ResourceManagingExecutorFactory`), seule la
    gestion du processus change.
    """
    import tensorflow_federated as tff

    manager = _LocalWorkerManager(loopback_only=loopback_only)

    def stack_fn(cardinalities):
        if cardinalities.get(tff.CLIENTS) is None:
            cardinalities[tff.CLIENTS] = default_num_clients
        executor = tff.framework.RemoteExecutor(manager.get_stub())
        executor.set_cardinalities(cardinalities)
        return executor

    return tff.framework.ResourceManagingExecutorFactory(executor_stack_fn=stack_fn)


_CONTEXT = None


def _default_in_every_thread(context) -> None:
    """Fait de `context` le contexte par défaut de TFF dans tous les threads.

    La pile de contextes de TFF est propre à chaque thread (`threading.local`) :
    `set_default_context` ne vaut que pour le thread appelant, et un calcul
    lancé depuis un autre thread échouerait (« No default context
    installed »). On installe le contexte dans le thread courant et on fait
    en sorte que chaque nouveau thread le reçoive comme contexte par défaut.
    """
    from tensorflow_federated.python.core.impl.context_stack import (
        context_stack_impl,
    )

    stack = context_stack_impl.context_stack
    stack.set_default_context(context)
    cls = type(stack)
    if getattr(cls, "_fltutor_patched", False):
        return
    original_init = cls.__init__

    def __init__(self, default_context):  # appelé à la 1re utilisation par thread
        if self is context_stack_impl.context_stack and _CONTEXT is not None:
            default_context = _CONTEXT
        original_init(self, default_context)

    cls.__init__ = __init__
    cls._fltutor_patched = True


def _current_default_context():
    from tensorflow_federated.python.core.impl.context_stack import (
        context_stack_impl,
    )

    stack = getattr(context_stack_impl.context_stack, "_stack", None)
    return stack[0] if stack else None


# Lignes que TensorFlow (C++) écrit sur la sortie d'erreur en compilant un
# calcul TFF, connues pour être sans conséquence : Grappler, l'optimiseur de
# graphes, ne trouve rien à optimiser dans un graphe sans résultat (par
# exemple l'état initial vide d'un agrégateur de compression ou de
# confidentialité différentielle) et passe au suivant. En niveau « E »
# (erreur), elle inquiéterait à tort un élève dans la sortie d'une cellule.
HARMLESS_STDERR = ("Failed to detect the fetch node(s), skipping this input",)
_STDERR_LOCK = threading.Lock()


@contextlib.contextmanager
def filtered_stderr(harmless: tuple[str, ...] = HARMLESS_STDERR):
    """Pendant le bloc, retient la sortie d'erreur du processus (descripteur 2),
    puis la réécrit sans les lignes qui contiennent l'un des textes `harmless`.

    Seules ces lignes disparaissent : tout autre message (une vraie erreur de
    TensorFlow) est réécrit tel quel, dans l'ordre, à la fin du bloc.

    Exemple
    -------
    >>> import os
    >>> with filtered_stderr(("bruit",)):
    ...     _ = os.write(2, b"bruit sans importance")
    >>> # rien n'a été écrit
    """
    with _STDERR_LOCK, tempfile.TemporaryFile() as capture:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            kept = [
                line
                for line in capture.read().splitlines(keepends=True)
                if not any(text.encode() in line for text in harmless)
            ]
            if kept:
                os.write(2, b"".join(kept))


def install(default_num_clients: int = 0, loopback_only: bool = True) -> None:
    """Installe le contexte d'exécution fltutor comme contexte TFF par défaut.

    Idempotent : un second appel ne crée rien de nouveau (même contexte, même
    worker) ; il réinstalle seulement ce contexte si un autre l'a remplacé
    entre-temps. Le contexte vaut pour tous les threads. Le worker n'est
    lancé qu'au premier calcul fédéré.

    Exemple
    -------
    >>> install()                      # doctest: +SKIP
    >>> install()                      # ne fait rien de plus   # doctest: +SKIP
    """
    global _CONTEXT
    with _LOCK:
        if _CONTEXT is not None:
            if _current_default_context() is not _CONTEXT:
                _default_in_every_thread(_CONTEXT)
            return
        from tensorflow_federated.python.core.backends.native import compiler
        from tensorflow_federated.python.core.environments.tensorflow_frontend import (
            tensorflow_computation,
        )
        from tensorflow_federated.python.core.impl.execution_contexts import (
            sync_execution_context,
        )

        def compile_quietly(comp):
            with filtered_stderr():
                return compiler.desugar_and_transform_to_native(comp)

        context = sync_execution_context.SyncExecutionContext(
            executor_fn=executor_factory(default_num_clients, loopback_only),
            compiler_fn=compile_quietly,
            transform_args=tensorflow_computation.transform_args,
            transform_result=tensorflow_computation.transform_result,
        )
        _CONTEXT = context
        _default_in_every_thread(context)


if sys.platform != "linux":  # pragma: no cover
    warnings.warn(
        "fltutor.runtime est prévu pour Linux : TFF 0.87 n'est publié que pour "
        "Linux x86_64.",
        RuntimeWarning,
        stacklevel=2,
    )
