# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   rise:
#     scroll: true
#     transition: none
#     enable_chalkboard: false
# ---

# %% [markdown] slideshow={"slide_type": "slide"}
# # Passer à l'échelle : une simulation fédérée sur plusieurs workers TFF
#
# Dans les notebooks précédents, chaque tour fédéré s'exécute dans **un seul**
# moteur TFF, sur votre machine. Pour simuler des milliers de clients, il faut
# répartir le travail sur plusieurs moteurs, puis sur plusieurs machines. Ce
# notebook fait ce chemin avec le moteur de TensorFlow Federated lui-même : le
# même `process.next(state, données)`, seul le contexte d'exécution change.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - expliquer qui fait quoi dans une simulation TFF : le notebook (le
#   « pilote ») compile, le `worker_binary` C++ calcule ;
# - répartir les clients d'un tour FedAvg sur 2 workers avec
#   `fltutor.distributed.workers_context`, et vérifier que le modèle obtenu est
#   le même ;
# - comprendre comment TFF découpe un tour (avant fusion, fusion, après
#   fusion) et pourquoi les résultats diffèrent d'environ 1e-8 ;
# - mesurer honnêtement le temps d'un tour, et savoir quand plusieurs workers
#   accélèrent vraiment ;
# - viser des workers sur d'autres machines ou dans Kubernetes, **sans ouvrir
#   de faille de sécurité**.
#
# **Durée** : 30 minutes.
#
# **Prérequis** : [06 — Exemple MNIST](06_exemple_mnist.ipynb) (les 5 étapes
# avec TFF : `client_datasets`, `build_process`, `process.next`).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os
import platform
import time

# gRPC (le canal vers les workers TFF) : pas de messages techniques dans les
# sorties quand on lance des workers. À régler avant d'importer TensorFlow.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import distributed, federated, partition, runtime
from fltutor.data import load_mnist

QUICK = fltutor.quick_mode()
SEED = 0
np.random.seed(SEED)
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ

# Mode rapide : peu d'exemples ; mode complet : 10 clients de 600 exemples
# (comme un tour de McMahan et al. avec C = 0,1). Le modèle est le « 2NN » :
# avec le CNN, trois workers (le local + 2) et le noyau dépassent les 2 Gio
# de mémoire de Binder (2,7 Gio mesurés).
MODEL = "mlp"
NUM_CLIENTS = 6 if QUICK else 10
EXAMPLES_PER_CLIENT = 100 if QUICK else 600
REPEATS = 1 if QUICK else 3  # tours chronométrés (on garde la médiane)

print(f"fltutor {fltutor.__version__} — Python {platform.python_version()}")
print(f"TensorFlow {tf.__version__} — TensorFlow Federated {tff.__version__}")
print(
    f"Mode rapide : {'activé' if QUICK else 'désactivé'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)
print(f"Cœurs visibles : {os.cpu_count()}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Qui calcule quoi dans une simulation TFF ?
#
# Quand vous appelez `process.next(state, données)` :
#
# 1. le **pilote** (ce notebook, en Python) compile le calcul fédéré et
#    sérialise l'état du serveur et les jeux de données des clients ;
# 2. il les envoie par gRPC à un **worker** : le programme C++ `worker_binary`
#    livré avec TFF, que `fltutor.runtime` lance pour vous (confiné à la boucle
#    locale, arrêté avec le noyau) ;
# 3. le worker entraîne les clients, agrège, applique l'optimiseur du
#    serveur, et renvoie le nouvel état.
#
# Un worker, c'est un **processus** (un programme en cours d'exécution),
# pas une machine : plus bas, ce notebook en lance deux sur la même
# machine. Pour simuler beaucoup de clients par tour, on veut **plusieurs**
# workers, chacun avec ses propres cœurs : sur une machine, puis sur
# plusieurs.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "fragment"}
# Le worker du contexte local de fltutor (lancé au premier calcul fédéré).
print(
    runtime.workers() or "Aucun worker pour l'instant : il démarrera au premier calcul."
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Attention : c'est une **simulation**. Les données des clients partent du
# notebook vers les workers. Dans un vrai déploiement fédéré (téléphones,
# hôpitaux), elles ne quittent jamais les appareils. Ici on accélère
# l'expérience, on ne protège aucune donnée.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Un tour FedAvg dans le contexte local
#
# Les étapes du notebook 06 : des clients IID tirés de MNIST, le modèle du
# cours, FedAvg (E = 1 époque locale, lots de B = 10).

# %% slideshow={"slide_type": "-"}
(x_train, y_train), _ = load_mnist()
n_total = NUM_CLIENTS * EXAMPLES_PER_CLIENT
x_sub, y_sub = x_train[:n_total], y_train[:n_total]
parts = partition.iid(y_sub, NUM_CLIENTS, seed=SEED)
client_data = federated.client_datasets(
    x_sub, y_sub, parts, epochs=1, batch_size=10, seed=SEED
)

tf.keras.utils.set_random_seed(SEED)
process = federated.build_process("fedavg", model=MODEL, client_lr=0.1)
state = process.initialize()
print(f"{NUM_CLIENTS} clients × {EXAMPLES_PER_CLIENT} exemples, modèle « {MODEL} »")


# %% slideshow={"slide_type": "-"}
def median_round_time(repeats=REPEATS):
    """Durée médiane (s) de `repeats` tours, tous partis du même état."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        process.next(state, client_data)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def weights(output):
    """Les poids entraînables du modèle après un tour."""
    return [np.asarray(w) for w in process.get_model_weights(output.state).trainable]


# Premier tour : TFF compile le calcul, puis l'exécute. On garde son résultat.
local = process.next(state, client_data)
# Tours suivants : le calcul est compilé, on mesure l'exécution seule.
t_local = median_round_time()

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "fragment"}
print(f"Contexte local (1 worker) : {t_local:.2f} s par tour")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le même tour sur 2 workers
#
# `distributed.workers_context(num_workers=2)` lance deux `worker_binary`
# locaux et installe, **le temps du bloc `with`**, un contexte d'exécution
# TFF qui répartit les clients de chaque tour entre eux. À la sortie du bloc
# (même sur erreur ou sur « Interrupt »), le contexte local revient et les
# deux workers sont arrêtés.

# %% slideshow={"slide_type": "-"}
# Le worker local n'est pas utile pendant le bloc : on l'arrête pour libérer
# sa mémoire (il sera relancé tout seul au prochain calcul local).
runtime.stop_all_workers()
with distributed.workers_context(num_workers=2) as cluster:
    spread = process.next(state, client_data)  # 1er tour : compilation + exécution
    journal = list(cluster.dispatches)  # ce que chaque worker a reçu
    per_worker = cluster.clients_per_worker()
    t_spread = median_round_time()
    started = list(cluster.workers)

# %% tags=["nbval-check-output"] slideshow={"slide_type": "fragment"}
diff = max(
    float(np.max(np.abs(a - b))) for a, b in zip(weights(local), weights(spread))
)
train_local = local.metrics["client_work"]["train"]
train_spread = spread.metrics["client_work"]["train"]
print("Mêmes poids à 1e-6 près :", diff <= 1e-6)
print(
    "Même perte d'entraînement :",
    bool(np.isclose(train_local["loss"], train_spread["loss"], rtol=1e-5)),
)
print(
    "Exemples vus :",
    train_local["num_examples"],
    "contre",
    train_spread["num_examples"],
)
print("Clients entraînés par chaque worker :", sorted(per_worker.values()))
print("Workers encore actifs après le bloc :", sum(w.is_running() for w in started))

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "fragment"}
print(f"Écart maximal entre les poids (valeur absolue) : {diff:.1e}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que TFF a fait de notre tour
#
# Le journal `cluster.dispatches` montre chaque calcul envoyé à un worker
# (l'ordre des deux premières lignes dépend du worker qui finit le premier) :

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
names = {address: f"worker {i + 1}" for i, address in enumerate(cluster.addresses)}
print(f"{'Worker':<10} {'Étape':<14} {'Clients':>7} {'Durée (s)':>10}")
for d in journal:
    print(f"{names[d.worker]:<10} {d.step:<14} {d.clients:>7} {d.seconds:>10.2f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# TFF (`MergeableCompExecutionContext`) a coupé le tour autour de son unique
# agrégation :
#
# 1. **avant fusion** — chaque worker reçoit l'état du serveur et une
#    **tranche contiguë** de clients (les premiers pour le worker 1, les
#    suivants pour le worker 2), les entraîne et renvoie la *somme pondérée*
#    de leurs mises à jour ;
# 2. **fusion** — les deux sommes partielles sont additionnées ;
# 3. **après fusion** — la somme devient une moyenne et l'optimiseur du
#    serveur l'applique. (Cette étape reçoit aussi la première tranche de
#    clients, qu'elle n'entraîne pas : c'est la forme générale du calcul.)
#
# Pourquoi pas *exactement* les mêmes poids ? En un seul worker, les mises à
# jour sont additionnées une par une ; ici, par tranches puis entre tranches.
# L'addition des `float32` n'est pas associative : l'écart est de l'ordre de
# l'arrondi (1e-8), très loin de ce qui changerait l'apprentissage.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Et le temps ?
#
# Comparons trois façons d'exécuter le même tour : le contexte local, 2
# workers qui travaillent en même temps, et 2 workers « l'un après l'autre ».
# Ce dernier mode est le comportement du contexte de TFF tel quel : ses
# appels gRPC sont bloquants, donc il attend le worker 1 avant de servir le
# worker 2 ; `fltutor` donne à chaque worker son propre fil d'exécution.

# %% slideshow={"slide_type": "-"}
runtime.stop_all_workers()  # libère la mémoire du worker local, comme plus haut
with distributed.workers_context(num_workers=2, parallel=False):
    process.next(state, client_data)  # compilation
    t_sequential = median_round_time()

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "fragment"}
rows = [
    ("Contexte local (1 worker)", t_local),
    ("2 workers en parallèle", t_spread),
    ("2 workers l'un après l'autre", t_sequential),
]
print(f"{'Exécution':<32} {'s / tour':>9} {'vs local':>9}")
for label, seconds in rows:
    print(f"{label:<32} {seconds:>9.2f} {seconds / t_local:>8.2f}×")
cores = os.cpu_count()
verdict = "plus rapide" if t_spread < 0.9 * t_local else "pas plus rapide"
print(
    f"\nSur cette machine ({cores} cœurs, {REPEATS} tour(s) chronométré(s), médiane), "
    f"2 workers locaux : {verdict} que le contexte local."
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Pourquoi ce n'est pas 2 fois plus rapide ici
#
# - **Un worker utilise déjà tous les cœurs.** TensorFlow parallélise les
#   calculs de chaque client, et le worker entraîne plusieurs clients en même
#   temps. Sur une machine à 2 cœurs (Binder, un portable), deux workers se
#   partagent les **mêmes** 2 cœurs : il n'y a rien à gagner.
# - **La répartition a un coût** : trois calculs au lieu d'un, les données
#   d'une tranche envoyées deux fois, une étape de fusion, deux processus qui
#   se disputent la mémoire cache.
# - **Le gain vient de cœurs supplémentaires** : des workers sur d'autres
#   machines, et assez de clients par tour (des dizaines, des centaines) pour
#   que le calcul l'emporte sur les échanges. Le temps d'un tour est alors à
#   peu près celui du worker le plus lent, plus les transferts.
#
# Retenez la méthode plus que les chiffres : une **médiane** sur plusieurs
# tours, **après** le tour de compilation, sur une machine au repos.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Vers d'autres machines
#
# Le code ne change pas : on donne les **adresses** de workers déjà lancés au
# lieu d'en lancer localement.
#
# ```python
# with distributed.workers_context(addresses=["10.0.0.5:8000", "10.0.0.6:8000"]):
#     result = process.next(state, client_data)
# ```
#
# Sur chaque machine, on lance le `worker_binary` du paquet
# `tensorflow_federated` **de la même version** (0.87) :
# `worker_binary --port=8000`. Ce programme C++ est autonome (Python n'est
# pas nécessaire). TFF ne publie pas d'image de conteneur de ce worker
# pour la version 0.87 (les images des anciens tutoriels Kubernetes lançaient
# un service Python retiré depuis) : on en construit une en trois lignes.
# Dans Kubernetes, un `StatefulSet` et un service « headless » donnent une
# adresse stable à chaque pod (`tff-worker-0.tff-worker:8000`, …).
#
# La recette complète (machines Linux, conteneur, Kubernetes, dépannage) :
# [docs/deploiement_multi_workers.md](../docs/deploiement_multi_workers.md).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### ⚠️ Sécurité : un worker TFF est une porte ouverte
#
# Le `worker_binary` lancé à la main :
#
# - écoute sur **toutes** les interfaces réseau ;
# - n'a **aucune authentification** ni chiffrement ;
# - **exécute tout graphe TensorFlow** qu'on lui envoie — y compris lire et
#   écrire des fichiers.
#
# Quiconque joint son port peut donc se servir de la machine. Les workers
# locaux de `fltutor` sont confinés à la boucle locale ; des workers distants
# doivent rester derrière un **réseau privé et un pare-feu** (ou une
# `NetworkPolicy` Kubernetes), un **tunnel SSH**
# (`ssh -N -L 18000:localhost:8000 moi@machine`, puis
# `addresses=["localhost:18000"]`), ou un **mandataire mTLS**. Jamais exposés
# sur Internet.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une adresse qui ne répond pas
#
# Une faute de frappe dans une adresse ne bloque pas le notebook : au bout de
# `ready_timeout` secondes, une erreur nomme l'adresse fautive.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
try:
    with distributed.workers_context(addresses=["127.0.0.1:1"], ready_timeout=3):
        pass
except TimeoutError as error:
    print(error)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Dans une simulation TFF, le notebook **compile** et le `worker_binary`
#   **calcule**. Passer à l'échelle, c'est ajouter des workers.
# - TFF répartit un tour FedAvg avec son propre moteur
#   (`MergeableCompExecutionContext`) : tranches contiguës de clients, une
#   somme partielle par worker, une fusion, puis la mise à jour du serveur.
# - Le modèle obtenu est le même, **aux arrondis près** (≈ 1e-8) : l'ordre des
#   additions change, pas le calcul.
# - Plusieurs workers sur **une** machine n'accélèrent pas : ils se partagent
#   les mêmes cœurs. Le gain vient d'autres machines et de beaucoup de
#   clients par tour.
# - Même code pour des workers distants : `addresses=[...]`. Mais un worker
#   TFF n'a **aucune** protection : réseau privé, pare-feu, tunnel SSH ou
#   mTLS obligatoires.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Trois workers.** Relancez le tour avec `num_workers=3`. Avant
#    d'exécuter, prédisez `cluster.clients_per_worker()`. Le modèle est-il
#    toujours le même à 1e-6 près ?
# 2. **Plus de tranches que de workers.** Avec `num_workers=2` et
#    `num_subrounds=4`, combien de clients compte chaque tranche ? Regardez
#    `cluster.dispatches` : combien d'étapes « avant fusion », et combien de
#    fusions ? Que fait TFF des tranches en trop ?
# 3. **Un worker « distant ».** Lancez vous-même un worker avec
#    `runtime.start_worker()` (comme si c'était une autre machine), puis
#    utilisez-le avec `workers_context(addresses=[worker.address])`.
#    Vérifiez qu'il tourne toujours après le bloc, puis arrêtez-le
#    (`worker.stop()`).
#
# Solutions : [solutions/10_passage_a_l_echelle_solutions.ipynb](solutions/10_passage_a_l_echelle_solutions.ipynb).
