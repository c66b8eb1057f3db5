"""Passer à l'échelle : répartir les clients d'un tour sur plusieurs workers TFF.

Jusqu'ici, tous les calculs fédérés du cours passent par **un seul**
`worker_binary` (le moteur C++ de TensorFlow Federated, voir
`fltutor.runtime`). Ce module montre le chemin vers **plusieurs** workers,
avec le moteur de TFF lui-même : aucune boucle FedAvg écrite à la main, le
même `process.next(state, données)` s'exécute, seul le contexte d'exécution
change.

Ce que l'on assemble (uniquement des pièces publiques de TFF 0.87)
-----------------------------------------------------------------
1. Pour chaque worker (adresse `hôte:port`) : un canal gRPC
   (`grpc.insecure_channel`), un `tff.framework.RemoteExecutorGrpcStub`, et un
   `tff.framework.RemoteExecutor` créé par un
   `tff.framework.ResourceManagingExecutorFactory` (on lui donne le nombre de
   clients par `set_cardinalities`, sinon TFF refuse : « No cardinality
   provided »). Ce trio est enveloppé dans un `tff.framework.AsyncExecutionContext`
   avec le compilateur natif de TFF (`desugar_and_transform_to_native`) :
   c'est exactement ce que fait TFF pour son propre worker local.
2. Les contextes des workers sont réunis dans un
   `tff.framework.MergeableCompExecutionContext`, compilé avec
   `compile_to_mergeable_comp_form` — c'est ce que construit
   `tff.backends.native.create_mergeable_comp_execution_context`, à un détail
   près : on note au passage quelle partie du calcul (avant fusion, fusion,
   après fusion) part vers quel worker, pour pouvoir l'afficher.

Ce que fait TFF d'un `process.next` de FedAvg (vérifié sur TFF 0.87)
-------------------------------------------------------------------
- Le compilateur coupe le tour en trois calculs autour de son unique étape
  d'agrégation (`federated_aggregate`) : *avant fusion* (diffusion du modèle,
  entraînement local, accumulation des mises à jour), *fusion* (`merge` :
  somme de deux accumulateurs) et *après fusion* (division de la moyenne
  pondérée, pas de l'optimiseur serveur).
- La liste des jeux de données clients est découpée en tranches **contiguës**
  de `ceil(n / k)` clients (6 clients sur 2 workers : clients 0-2 puis 3-5) ;
  l'état serveur est recopié vers chaque worker. Chaque worker entraîne ses
  clients et renvoie son accumulateur partiel.
- Les accumulateurs sont fusionnés deux à deux (sur le worker qui a fini), puis
  l'étape *après fusion* tourne une fois (le résultat de FedAvg est placé au
  serveur, il ne dépend pas de la tranche).
- Le résultat est le même qu'en un seul processus, **aux arrondis près** : les
  sommes flottantes sont faites dans un autre ordre ((c0+c1+c2)+(c3+c4+c5) au
  lieu de c0+c1+…+c5). L'écart mesuré sur les poids est de l'ordre de 1e-8
  (les tests vérifient < 1e-6). Les métriques sont identiques.

Un détail important : dans TFF 0.87, `RemoteExecutor` appelle gRPC de façon
*bloquante* à l'intérieur de ses coroutines. Dans un seul fil d'exécution,
le contexte « fusionnable » attend donc la fin du worker 0 avant d'envoyer le
travail au worker 1 : les sous-tours s'exécutent l'un après l'autre. Avec
`parallel=True` (par défaut), chaque worker a son propre fil et sa propre
boucle asyncio (`AsyncThreadRunner` de TFF), et les sous-tours tournent
vraiment en même temps. `parallel=False` montre le comportement d'origine.

À quoi s'attendre
-----------------
Ceci accélère une **simulation** : les données des clients partent du
notebook vers les workers (elles sont sérialisées dans le graphe du
`tf.data.Dataset`). Ce n'est pas un déploiement fédéré réel, où les données
ne quittent jamais les appareils. Sur une seule machine à 2 cœurs, un worker
utilise déjà les deux cœurs (TensorFlow parallélise chaque client) : deux
workers n'apportent rien et coûtent un peu (compilation, envoi des données,
étape de fusion). Le gain apparaît avec des workers sur **d'autres
machines** : voir `docs/deploiement_multi_workers.md`.

Sécurité : un `worker_binary` lancé à la main écoute sur toutes les interfaces,
sans authentification, et exécute tout graphe TensorFlow reçu. Les workers
locaux lancés ici sont confinés à la boucle locale (`fltutor.runtime`) ; des
workers distants doivent rester derrière un réseau privé, un pare-feu, un
tunnel SSH ou un mandataire mTLS.

Exemple
-------
>>> from fltutor import distributed
>>> with distributed.workers_context(num_workers=2) as cluster:   # doctest: +SKIP
...     result = process.next(state, client_data)
...     print(cluster.clients_per_worker())
{'localhost:40123': 3, 'localhost:40125': 3}
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import signal
import threading
import time
from collections.abc import Iterator, Sequence

from fltutor import checks, runtime
from fltutor.formatting import short

__all__ = [
    "Cluster",
    "Dispatch",
    "max_weight_difference",
    "median_round_time",
    "timing_table",
    "workers_context",
]

#: Nombre maximal de workers locaux (au-delà, la machine s'écroule).
MAX_LOCAL_WORKERS = 16

_STEP_BEFORE = "avant fusion"
_STEP_MERGE = "fusion"
_STEP_AFTER = "après fusion"
_STEP_OTHER = "autre"


@dataclasses.dataclass(frozen=True)
class Dispatch:
    """Un calcul envoyé à un worker (journal de `Cluster.dispatches`).

    Attributs : `worker` (adresse), `step` (« avant fusion », « fusion »,
    « après fusion »), `clients` (nombre de clients dans l'argument envoyé),
    `seconds` (durée de l'appel, vue du notebook).

    >>> Dispatch("localhost:40123", "avant fusion", 3, 1.5).clients
    3
    """

    worker: str
    step: str
    clients: int
    seconds: float


def _check_address(address) -> str:
    """Vérifie qu'une adresse a la forme `hôte:port` et la renvoie nettoyée."""
    if not isinstance(address, str) or not address.strip():
        raise ValueError(
            f"Adresse de worker invalide : {address!r}. Donnez une chaîne "
            "« hôte:port », par exemple « 10.0.0.5:8000 » ou « [::1]:8000 »."
        )
    address = address.strip()
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(
            f"Adresse de worker invalide : « {address} ». Il faut « hôte:port » "
            "avec un port entre 1 et 65535, par exemple « 10.0.0.5:8000 »."
        )
    if ":" in host and not (host.startswith("[") and host.endswith("]")):
        raise ValueError(
            f"Adresse IPv6 ambiguë : « {address} ». Mettez l'hôte entre "
            "crochets, par exemple « [::1]:8000 »."
        )
    return address


def _wait_for_all(addresses: Sequence[str], timeout: float) -> None:
    """Attend que tous les workers répondent (en parallèle, au plus `timeout` s).

    Lève `TimeoutError` en nommant toutes les adresses muettes.
    """
    import grpc

    channels = [
        grpc.insecure_channel(a, runtime.GRPC_CHANNEL_OPTIONS) for a in addresses
    ]
    try:
        futures = [grpc.channel_ready_future(c) for c in channels]
        deadline = time.monotonic() + timeout
        silent = []
        for address, future in zip(addresses, futures):
            try:
                future.result(timeout=max(0.0, deadline - time.monotonic()))
            except grpc.FutureTimeoutError:
                silent.append(address)
        if silent:
            names = ", ".join(silent)
            raise TimeoutError(
                f"Aucune réponse du worker TFF à l'adresse {names} après "
                f"{short(timeout)} s. Vérifiez l'adresse et le port, que le worker est "
                "lancé (« worker_binary --port=PORT ») et qu'aucun pare-feu ne "
                "bloque la connexion."
            )
    finally:
        _close_channels(channels)


def _close_channels(channels, timeout: float = 1.0) -> None:
    """Ferme des canaux gRPC sans faire planter leur fil de surveillance.

    `grpc.Channel.close()` seul laisse parfois le fil qui surveille l'état de
    connexion (démarré par `subscribe`, que TFF et `channel_ready_future`
    utilisent) interroger un canal fermé : il meurt avec « ValueError: Cannot
    invoke RPC: Channel closed! », affiché dans la sortie du notebook. On
    retire d'abord les abonnements, on laisse ce fil s'arrêter (il se réveille
    toutes les 0,2 s), puis on ferme.
    """
    states = []
    for channel in channels:
        state = getattr(channel, "_connectivity_state", None)  # détail interne de grpc
        if state is None:
            continue
        with state.lock:
            del state.callbacks_and_connectivities[:]
            state.try_to_connect = False
        states.append(state)
    deadline = time.monotonic() + timeout
    while any(s.polling for s in states) and time.monotonic() < deadline:
        time.sleep(0.01)
    for channel in channels:
        channel.close()


def _client_count(comp, arg) -> int:
    """Nombre de clients (cardinalité CLIENTS) de l'argument d'un calcul."""
    import tensorflow_federated as tff
    from tensorflow_federated.python.core.impl.executors import cardinalities_utils

    if arg is None or comp.type_signature.parameter is None:
        return 0
    try:
        cardinalities = cardinalities_utils.infer_cardinalities(
            arg, comp.type_signature.parameter
        )
    except (TypeError, ValueError):
        return 0
    return int(cardinalities.get(tff.CLIENTS, 0) or 0)


def _make_worker_context(address, cluster: Cluster, compile_fn, steps: dict):
    """Le contexte asynchrone TFF d'un worker, enveloppé pour la journalisation."""
    import grpc
    import tensorflow_federated as tff
    from tensorflow_federated.python.common_libs import async_utils
    from tensorflow_federated.python.core.environments.tensorflow_frontend import (
        tensorflow_computation,
    )

    channel = grpc.insecure_channel(address, runtime.GRPC_CHANNEL_OPTIONS)
    stub = tff.framework.RemoteExecutorGrpcStub(channel)

    def stack_fn(cardinalities):
        # Appelé par TFF avant chaque calcul (et à chaque nouvel essai après une
        # erreur réseau : TFF réessaie sans fin les erreurs « UNAVAILABLE »).
        # En levant ici une erreur non réessayable, on borne l'attente.
        if cluster.closed:
            raise RuntimeError(
                "Ce groupe de workers est fermé (sortie du bloc « with "
                "workers_context(...) »). Relancez le calcul dans un nouveau bloc."
            )
        try:
            grpc.channel_ready_future(channel).result(timeout=cluster.ready_timeout)
        except grpc.FutureTimeoutError:
            raise ConnectionError(
                f"Le worker TFF à l'adresse {address} ne répond plus (attente de "
                f"{short(cluster.ready_timeout)} s). S'est-il arrêté ? Relancez-le, "
                "ou sortez du bloc « with » pour revenir au contexte local."
            ) from None
        cardinalities = dict(cardinalities)
        if cardinalities.get(tff.CLIENTS) is None:
            cardinalities[tff.CLIENTS] = 0
        executor = tff.framework.RemoteExecutor(stub)
        executor.set_cardinalities(cardinalities)
        return executor

    inner = tff.framework.AsyncExecutionContext(
        executor_fn=tff.framework.ResourceManagingExecutorFactory(stack_fn),
        compiler_fn=compile_fn,
        transform_args=tensorflow_computation.transform_args,
        transform_result=tensorflow_computation.transform_result,
    )

    class _WorkerContext(tff.framework.AsyncContext):
        """Délègue au contexte TFF du worker, dans son propre fil si demandé."""

        def __init__(self):
            self.address = address
            self.channel = channel
            self._runner = async_utils.AsyncThreadRunner() if cluster.parallel else None

        async def invoke(self, comp, arg):
            if asyncio.iscoroutine(arg):
                arg = await arg
            clients = _client_count(comp, arg)
            start = time.perf_counter()
            coro = inner.invoke(comp, arg)
            if self._runner is None:
                result = await coro
            else:
                result = await self._runner.await_coro_and_return_result(coro)
            cluster._record(
                Dispatch(
                    worker=address,
                    step=steps.get(id(comp), _STEP_OTHER),
                    clients=clients,
                    seconds=time.perf_counter() - start,
                )
            )
            return result

    return _WorkerContext()


class Cluster:
    """Un groupe de workers TFF et le contexte d'exécution qui les utilise.

    Obtenu avec `workers_context(...)`. Attributs : `addresses` (liste des
    `hôte:port`), `workers` (les `fltutor.runtime.Worker` lancés localement ;
    vide pour des workers distants), `context` (le contexte TFF),
    `dispatches` (journal des calculs envoyés, liste de `Dispatch`),
    `parallel`, `ready_timeout`, `closed`.

    >>> with workers_context(num_workers=2) as cluster:   # doctest: +SKIP
    ...     process.next(state, client_data)
    ...     cluster.clients_per_worker()
    {'localhost:40123': 3, 'localhost:40125': 3}
    """

    def __init__(
        self,
        addresses: Sequence[str],
        workers: Sequence[runtime.Worker] = (),
        ready_timeout: float = 60.0,
        parallel: bool = True,
        num_subrounds: int | None = None,
    ):
        import tensorflow_federated as tff
        from tensorflow_federated.python.core.backends.native import (
            compiler,
            mergeable_comp_compiler,
        )
        from tensorflow_federated.python.core.impl.execution_contexts import (
            compiler_pipeline,
        )

        self.addresses = list(addresses)
        self.workers = list(workers)
        self.ready_timeout = float(ready_timeout)
        self.parallel = bool(parallel)
        self.dispatches: list[Dispatch] = []
        self.closed = False
        self._lock = threading.Lock()
        # Étiquette de chaque morceau compilé : id(calcul) -> étape.
        steps: dict[int, str] = {}

        def compile_to_mergeable(comp):
            form = mergeable_comp_compiler.compile_to_mergeable_comp_form(comp)
            steps[id(form.up_to_merge)] = _STEP_BEFORE
            steps[id(form.merge)] = _STEP_MERGE
            steps[id(form.after_merge)] = _STEP_AFTER
            return form

        # Une seule compilation native partagée par tous les workers.
        native = compiler_pipeline.CompilerPipeline(
            compiler.desugar_and_transform_to_native
        )
        compile_lock = threading.Lock()

        def compile_native(comp):
            with compile_lock:
                return native.compile(comp)

        self._contexts = [
            _make_worker_context(a, self, compile_native, steps) for a in self.addresses
        ]
        self.context = tff.framework.MergeableCompExecutionContext(
            async_contexts=self._contexts,
            compiler_fn=compile_to_mergeable,
            num_subrounds=num_subrounds,
        )

    def _record(self, dispatch: Dispatch) -> None:
        with self._lock:
            self.dispatches.append(dispatch)

    def clients_per_worker(self) -> dict[str, int]:
        """Nombre de clients entraînés par chaque worker depuis le dernier `clear_log()`.

        >>> cluster.clients_per_worker()                   # doctest: +SKIP
        {'localhost:40123': 3, 'localhost:40125': 3}
        """
        counts = {a: 0 for a in self.addresses}
        with self._lock:
            for d in self.dispatches:
                if d.step == _STEP_BEFORE:
                    counts[d.worker] = counts.get(d.worker, 0) + d.clients
        return counts

    def clear_log(self) -> None:
        """Vide le journal `dispatches`.

        >>> cluster.clear_log(); cluster.dispatches        # doctest: +SKIP
        []
        """
        with self._lock:
            self.dispatches.clear()

    def close(self) -> None:
        """Ferme les canaux gRPC (n'arrête pas les workers : voir `workers_context`)."""
        self.closed = True
        _close_channels([ctx.channel for ctx in self._contexts])

    def __repr__(self) -> str:
        state = "fermé" if self.closed else "ouvert"
        mode = "en parallèle" if self.parallel else "l'un après l'autre"
        return f"<Cluster {len(self.addresses)} workers ({mode}), {state} : {self.addresses}>"


def _stop_workers(workers: Sequence[runtime.Worker]) -> None:
    """Arrête des workers locaux : SIGINT à tous d'abord, puis attente/SIGKILL."""
    for worker in workers:
        if worker.is_running():
            with contextlib.suppress(ProcessLookupError):
                worker.process.send_signal(signal.SIGINT)
    for worker in workers:
        try:
            worker.stop(timeout=5.0)
        except BaseException:  # une seconde interruption : on tue sans attendre
            with contextlib.suppress(ProcessLookupError):
                worker.process.kill()
            raise


@contextlib.contextmanager
def workers_context(
    num_workers: int | None = None,
    *,
    addresses: Sequence[str] | None = None,
    ready_timeout: float = 60.0,
    parallel: bool = True,
    num_subrounds: int | None = None,
) -> Iterator[Cluster]:
    """Répartit les clients de chaque tour TFF sur plusieurs workers, le temps d'un bloc.

    Sans `addresses`, lance `num_workers` (2 par défaut) `worker_binary` locaux,
    confinés à la boucle locale et tués avec le noyau. Avec
    `addresses=["hôte:port", ...]`, utilise des workers déjà lancés (d'autres
    machines, un cluster Kubernetes…) sans les arrêter à la fin.

    À la sortie du bloc — normale, sur exception ou sur interruption du noyau
    (Ctrl-C, « Interrupt ») — le contexte TFF précédent est rétabli et les
    workers lancés ici sont arrêtés.

    Le contexte réparti vaut pour le fil d'exécution (thread) qui ouvre le
    bloc, comme la pile de contextes de TFF : lancez les calculs dans le bloc
    lui-même, pas depuis un autre thread.

    Parameters
    ----------
    num_workers : nombre de workers locaux à lancer (1 à 16).
    addresses : adresses `hôte:port` de workers existants (exclusif avec `num_workers`).
    ready_timeout : attente maximale, en secondes, de la réponse de chaque worker.
    parallel : faire travailler les workers en même temps (sinon l'un après l'autre,
        comme le contexte « fusionnable » de TFF tel quel).
    num_subrounds : nombre de tranches de clients (par défaut, une par worker).

    Exemple
    -------
    >>> with workers_context(num_workers=2) as cluster:             # doctest: +SKIP
    ...     result = process.next(state, client_data)
    >>> with workers_context(addresses=["10.0.0.5:8000", "10.0.0.6:8000"]):  # doctest: +SKIP
    ...     result = process.next(state, client_data)
    """
    if addresses is not None:
        if num_workers is not None:
            raise ValueError(
                "Donnez soit num_workers (workers lancés ici), soit addresses "
                "(workers déjà lancés), pas les deux."
            )
        if isinstance(addresses, str) or not isinstance(addresses, Sequence):
            raise ValueError(
                "addresses doit être une liste d'adresses « hôte:port », par exemple "
                '["10.0.0.5:8000", "10.0.0.6:8000"].'
            )
        addresses = [_check_address(a) for a in addresses]
        if not addresses:
            raise ValueError(
                "La liste addresses est vide : donnez au moins une adresse."
            )
        if len(set(addresses)) != len(addresses):
            raise ValueError(
                "La liste addresses contient des doublons : chaque worker ne doit "
                "apparaître qu'une fois."
            )
    else:
        num_workers = checks.integer(
            2 if num_workers is None else num_workers,
            "num_workers",
            1,
            MAX_LOCAL_WORKERS,
            hint="Sur une seule machine, plus de workers que de cœurs ne fait que ralentir.",
        )
    checks.positive(ready_timeout, "ready_timeout (en secondes)")
    if num_subrounds is not None:
        checks.integer(num_subrounds, "num_subrounds", minimum=1, hint="Ou None.")

    runtime.install()  # le contexte à rétablir est celui de fltutor
    import tensorflow_federated as tff

    started: list[runtime.Worker] = []
    cluster: Cluster | None = None
    try:
        if addresses is None:
            for _ in range(num_workers):
                started.append(runtime.start_worker(ready_timeout=ready_timeout))
            addresses = [w.address for w in started]
        else:
            _wait_for_all(addresses, ready_timeout)
        cluster = Cluster(
            addresses,
            workers=started,
            ready_timeout=ready_timeout,
            parallel=parallel,
            num_subrounds=num_subrounds,
        )
        # `install` empile le contexte et le dépile à la sortie, quoi qu'il arrive :
        # le contexte d'avant (celui de fltutor.runtime) redevient le contexte courant.
        with tff.framework.get_context_stack().install(cluster.context):
            yield cluster
    finally:
        if cluster is not None:
            cluster.close()
        _stop_workers(started)


# ---------------------------------------------------------------------------
# Mesurer un tour (notebook 10)
# ---------------------------------------------------------------------------


def median_round_time(process, state, client_data, repeats: int = 3) -> float:
    """Durée médiane (s) de `repeats` tours `process.next(state, client_data)`.

    Tous les tours partent du même état : on mesure l'exécution, pas
    l'apprentissage. Lancez d'abord un tour non chronométré (TFF compile le
    calcul au premier appel).

    >>> t = median_round_time(process, state, jeux, repeats=3)   # doctest: +SKIP
    """
    import statistics

    checks.integer(repeats, "repeats", minimum=1)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        process.next(state, client_data)
        times.append(time.perf_counter() - start)
    return float(statistics.median(times))


def max_weight_difference(process, first, second) -> float:
    """Écart maximal (valeur absolue) entre les poids entraînables de deux tours.

    `first`, `second` : deux résultats de `process.next` (par exemple le même
    tour dans le contexte local et sur 2 workers).

    >>> max_weight_difference(process, local, reparti) < 1e-6   # doctest: +SKIP
    True
    """
    import numpy as np

    a = process.get_model_weights(first.state).trainable
    b = process.get_model_weights(second.state).trainable
    return max(
        (float(np.max(np.abs(np.asarray(x) - np.asarray(y)))) for x, y in zip(a, b)),
        default=0.0,
    )


def timing_table(times: dict) -> str:
    """Tableau texte des durées par tour, comparées à la première ligne.

    >>> print(timing_table({"Local": 0.5, "2 workers": 0.75}))
    Exécution  s / tour  vs local
    Local          0,50     1,00×
    2 workers      0,75     1,50×
    """
    from fltutor.formatting import number

    if not times:
        raise ValueError("Donnez au moins une durée (nom → secondes par tour).")
    reference = next(iter(times.values()))
    if not reference > 0:
        raise ValueError(
            f"La durée de référence doit être positive (reçu {reference!r})."
        )
    width = max(len("Exécution"), *(len(name) for name in times))
    lines = [f"{'Exécution':<{width}}  {'s / tour':>8}  {'vs local':>8}"]
    for name, seconds in times.items():
        ratio = number(seconds / reference) + "×"
        lines.append(f"{name:<{width}}  {number(seconds):>8}  {ratio:>8}")
    return "\n".join(lines)
