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
# # 10 — Passer à l'échelle : plusieurs workers TFF
#
# Dans les notebooks précédents, chaque tour fédéré s'exécute dans **un seul**
# moteur TFF, sur votre machine. Pour simuler des milliers de clients, il faut
# répartir le travail sur plusieurs moteurs, puis sur plusieurs machines.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : ce notebook ne change pas l'algorithme, seulement **où** il
#   s'exécute : le même `process.next(state, données)`, un autre contexte
#   d'exécution.
# - Question à la salle : « Pourquoi voudrait-on plusieurs moteurs pour une
#   simulation, si le résultat est le même ? »
# - Réponse attendue : pour aller plus vite ou simuler plus de clients par
#   tour qu'une machine n'en tient (mémoire, cœurs).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le plan
#
# Ce notebook fait ce chemin avec le moteur de TensorFlow Federated
# lui-même : le même `process.next(state, données)`, seul le contexte
# d'exécution change.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs
#
# À la fin de ce notebook, vous saurez :
#
# - expliquer qui fait quoi dans une simulation TFF : le notebook (le
#   « pilote ») compile, le `worker_binary` C++ calcule ;
# - répartir les clients d'un tour FedAvg sur 2 workers avec
#   `fltutor.distributed.workers_context`, et vérifier que le modèle obtenu est
#   le même ;
# - comprendre comment TFF découpe un tour (avant fusion, fusion, après
#   fusion) et pourquoi les résultats diffèrent de l'ordre d'un arrondi ;
# - mesurer honnêtement le temps d'un tour, et savoir quand plusieurs workers
#   accélèrent vraiment ;
# - viser des workers sur d'autres machines ou dans Kubernetes, **sans ouvrir
#   de faille de sécurité**.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Durée et prérequis
#
# **Durée** : 30 minutes.
#
# **Prérequis** : [06 — Exemple MNIST](06_exemple_mnist.ipynb) (les 5 étapes
# avec TFF : `jeuxsets`, `build_process`, `process.next`).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os
import platform

# gRPC (le canal vers les workers TFF) : pas de messages techniques dans les
# sorties quand on lance des workers. À régler avant d'importer TensorFlow.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import distributed, federated, formatting, partition, runtime
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


def oui_non(condition):
    """Vrai / faux → « oui » / « non »."""
    return "oui" if condition else "non"


print(f"fltutor {fltutor.__version__} — Python {platform.python_version()}")
print(f"TensorFlow {tf.__version__} — TensorFlow Federated {tff.__version__}")
print(f"Mode rapide : {oui_non(QUICK)} ; Binder : {oui_non(IS_BINDER)}")
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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : distinguer le pilote (Python, compile) du worker (C++,
#   calcule). Un worker est un processus, pas une machine.
# - Question à la salle : « Dans cette simulation, les données des clients
#   quittent-elles le notebook ? »
# - Réponse attendue : oui : le pilote les envoie aux workers. C'est une
#   simulation pour aller plus vite ; dans un vrai déploiement, elles
#   restent sur les appareils.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un worker est un processus
#
# Un worker, c'est un **processus** (un programme en cours d'exécution),
# pas une machine : plus bas, ce notebook en lance deux sur la même
# machine. Pour simuler beaucoup de clients par tour, on veut **plusieurs**
# workers, chacun avec ses propres cœurs : sur une machine, puis sur
# plusieurs.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "fragment"}
# Le worker du contexte local de fltutor (lancé au premier calcul fédéré).
aucun = "Aucun worker pour l'instant : il démarrera au premier calcul."
print(runtime.workers() or aucun)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Attention : c'est une **simulation**. Les données des clients partent du
# notebook vers les workers. Dans un vrai déploiement fédéré (téléphones,
# hôpitaux), elles ne quittent jamais les appareils.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Un tour FedAvg dans le contexte local
#
# Les étapes du notebook 06 : des clients IID tirés de MNIST, le modèle du
# cours, FedAvg (E = 1 époque locale, lots de B = 10).

# %% slideshow={"slide_type": "-"}
(x_train, y_train), _ = load_mnist()
n_total = NUM_CLIENTS * EXAMPLES_PER_CLIENT
x, y = x_train[:n_total], y_train[:n_total]
parts = partition.iid(y, NUM_CLIENTS, seed=SEED)
# E = 1 époque (la valeur par défaut), lots de B = 10.
jeux = federated.client_datasets(x, y, parts, batch_size=10, seed=SEED)

tf.keras.utils.set_random_seed(SEED)
process = federated.build_process("fedavg", model=MODEL, client_lr=0.1)
state = process.initialize()
print(f"{NUM_CLIENTS} clients × {EXAMPLES_PER_CLIENT} exemples ({MODEL})")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : le premier tour compile (lent), les suivants s'exécutent
#   seulement ; on ne chronomètre que ceux-là, et on garde la médiane.
# - Question à la salle : « Pourquoi ne pas chronométrer le premier tour ? »
# - Réponse attendue : il inclut la compilation du calcul fédéré par TFF,
#   qui n'a lieu qu'une fois : il mesurerait autre chose que l'exécution.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Chronométrer un tour

# %% slideshow={"slide_type": "-"}
# Premier tour : TFF compile le calcul, puis l'exécute. On garde son résultat.
local = process.next(state, jeux)
# Tours suivants : le calcul est compilé, on mesure l'exécution seule.
t_local = distributed.median_round_time(process, state, jeux, REPEATS)

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "fragment"}
print(f"Contexte local (1 worker) : {formatting.number(t_local)} s par tour")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le même tour sur 2 workers
#
# `distributed.workers_context(num_workers=2)` lance deux `worker_binary`
# locaux et installe, **le temps du bloc `with`**, un contexte d'exécution
# TFF qui répartit les clients de chaque tour entre eux. À la sortie du bloc
# (même sur erreur ou sur « Interrupt »), le contexte local revient et les
# deux workers sont arrêtés.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 7 min)
#
# - À dire : même code, autre contexte. Le journal `cluster.dispatches`
#   montre le découpage de TFF : avant fusion, fusion, après fusion.
#   L'écart affiché vient de l'ordre des additions en float32.
# - Question à la salle : « Avec 6 clients et 2 workers, combien de clients
#   chaque worker entraîne-t-il avant la fusion ? »
# - Réponse attendue : 3 chacun : TFF coupe la liste des clients en
#   tranches contiguës, une par worker.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le bloc `with`

# %% slideshow={"slide_type": "-"}
# Le worker local n'est pas utile pendant le bloc : on l'arrête pour libérer
# sa mémoire (il sera relancé tout seul au prochain calcul local).
runtime.stop_all_workers()
with distributed.workers_context(num_workers=2) as cluster:
    spread = process.next(state, jeux)  # 1er tour : compilation + exécution
    journal = list(cluster.dispatches)  # ce que chaque worker a reçu
    per_worker = cluster.clients_per_worker()
    t_spread = distributed.median_round_time(process, state, jeux, REPEATS)
    started = list(cluster.workers)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le même modèle ?

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
diff = distributed.max_weight_difference(process, local, spread)
perte = [o.metrics["client_work"]["train"] for o in (local, spread)]
meme_perte = np.isclose(perte[0]["loss"], perte[1]["loss"], rtol=1e-5)
print("Mêmes poids à 10⁻⁶ près :", oui_non(diff <= 1e-6))
print("Même perte d'entraînement :", oui_non(meme_perte))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Qui a entraîné quoi ?

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
vus = [p["num_examples"] for p in perte]
print(
    f"Exemples vus : {formatting.integer(vus[0])}",
    f"contre {formatting.integer(vus[1])}",
)
print("Clients entraînés par chaque worker :", sorted(per_worker.values()))
actifs = sum(w.is_running() for w in started)
print("Workers encore actifs après le bloc :", actifs)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que TFF a fait de notre tour
#
# Le journal `cluster.dispatches` montre chaque calcul envoyé à un worker
# (l'ordre des deux premières lignes dépend du worker qui finit le premier) :

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
names = {a: f"worker {i + 1}" for i, a in enumerate(cluster.addresses)}
print(f"{'Worker':<10} {'Étape':<14} {'Clients':>7} {'Durée (s)':>10}")
for d in journal:
    duree = formatting.number(d.seconds)
    print(f"{names[d.worker]:<10} {d.step:<14} {d.clients:>7} {duree:>10}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Avant fusion, fusion, après fusion
#
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Pourquoi pas *exactement* les mêmes poids ?
#
# En un seul worker, les mises à jour sont additionnées une par une ; ici,
# par tranches puis entre tranches. L'addition des `float32` n'est pas
# associative : l'écart est de l'ordre de l'arrondi d'un float32, très loin de ce
# qui changerait l'apprentissage.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
print("Écart maximal entre les poids :", formatting.scientific(diff))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Et le temps ?
#
# Comparons trois façons d'exécuter le même tour : le contexte local, 2
# workers qui travaillent en même temps, et 2 workers « l'un après l'autre ».
# Ce dernier mode est le comportement du contexte de TFF tel quel : ses
# appels gRPC sont bloquants, donc il attend le worker 1 avant de servir le
# worker 2 ; `fltutor` donne à chaque worker son propre fil d'exécution.

# %% slideshow={"slide_type": "-"}
runtime.stop_all_workers()  # libère la mémoire, comme plus haut
with distributed.workers_context(num_workers=2, parallel=False):
    process.next(state, jeux)  # compilation
    t_serie = distributed.median_round_time(process, state, jeux, REPEATS)

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : sur une machine à 2 cœurs, deux workers ne vont pas plus vite :
#   ils se partagent les mêmes cœurs. Retenir la méthode de mesure plus que
#   les chiffres.
# - Question à la salle : « Qu'est-ce qui rendrait 2 workers presque deux
#   fois plus rapides ? »
# - Réponse attendue : des workers sur des machines différentes (des cœurs
#   en plus), et assez de clients par tour pour que le calcul l'emporte sur
#   les échanges.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Trois façons d'exécuter un tour

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
temps = {
    "Contexte local (1 worker)": t_local,
    "2 workers en parallèle": t_spread,
    "2 workers l'un après l'autre": t_serie,
}
print(distributed.timing_table(temps))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le verdict sur cette machine

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
gain = "plus rapide" if t_spread < 0.9 * t_local else "pas plus rapide"
coeurs = os.cpu_count()
print(f"Sur cette machine : {coeurs} cœurs, médiane de {REPEATS} tour(s).")
print(f"2 workers locaux : {gain} que le contexte local.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Pourquoi ce n'est pas 2 fois plus rapide ici
#
# - **Un worker utilise déjà tous les cœurs.** TensorFlow parallélise les
#   calculs de chaque client, et le worker entraîne plusieurs clients en même
#   temps. Sur 2 cœurs (Binder, un portable), deux workers se partagent les
#   **mêmes** cœurs : rien à gagner.
# - **La répartition a un coût** : trois calculs au lieu d'un, une tranche
#   envoyée deux fois, une fusion, deux processus qui se disputent le cache.
# - **Le gain vient de cœurs supplémentaires** : d'autres machines, et assez
#   de clients par tour pour que le calcul l'emporte sur les échanges.
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
#     result = process.next(state, jeux)
# ```
#
# La recette complète (machines Linux, conteneur, Kubernetes, dépannage) :
# [docs/deploiement_multi_workers.md](../docs/deploiement_multi_workers.md).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : le passage à plusieurs machines est surtout une affaire
#   d'exploitation (même version de TFF, adresses stables) et de sécurité :
#   un worker TFF n'a aucune protection.
# - Question à la salle : « Un collègue expose `worker_binary --port=8000`
#   sur l'IP publique d'un serveur de calcul. Quel est le risque ? »
# - Réponse attendue : n'importe qui peut lui envoyer un graphe TensorFlow
#   qui lit ou écrit des fichiers : c'est une exécution de code à distance,
#   sans authentification.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Lancer les workers distants
#
# Sur chaque machine, on lance le `worker_binary` du paquet
# `tensorflow_federated` **de la même version** (0.87) :
# `worker_binary --port=8000`. Ce programme C++ est autonome (Python n'est
# pas nécessaire). TFF ne publie pas d'image de conteneur de ce worker
# pour la version 0.87 (les images des anciens tutoriels Kubernetes lançaient
# un service Python retiré depuis) : on en construit une en trois lignes.
# Dans Kubernetes, un `StatefulSet` et un service « headless » donnent une
# adresse stable à chaque pod (`tff-worker-0.tff-worker:8000`, …).

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
muette = ["127.0.0.1:1"]  # aucun worker n'écoute sur ce port
try:
    with distributed.workers_context(addresses=muette, ready_timeout=3):
        pass
except TimeoutError as error:
    print(error)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Dans une simulation TFF, le notebook **compile** et le `worker_binary`
#   **calcule**. Passer à l'échelle, c'est ajouter des workers.
# - TFF répartit un tour FedAvg avec son propre moteur
#   (`MergeableCompExecutionContext`) : une somme partielle par tranche de
#   clients, une fusion, puis la mise à jour du serveur.
# - Le modèle obtenu est le même, **aux arrondis près** des `float32`.
# - Plusieurs workers sur **une** machine n'accélèrent pas : ils se partagent
#   les mêmes cœurs. Le gain vient d'autres machines.
# - Même code pour des workers distants : `addresses=[...]`. Mais un worker
#   TFF n'a **aucune** protection : réseau privé, pare-feu, tunnel SSH ou
#   mTLS obligatoires.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 1 min)
#
# - À dire : le résultat ne dépend pas du contexte d'exécution (aux
#   arrondis près) ; la vitesse, elle, dépend des cœurs disponibles.
# - Question à la salle : « Citez deux façons sûres de joindre un worker
#   TFF distant. »
# - Réponse attendue : un tunnel SSH, un réseau privé derrière un pare-feu
#   (ou une `NetworkPolicy`), un mandataire mTLS.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Trois workers** — ★ découverte · 10 min : prédire les clients de
#    chaque worker avec `num_workers=3`, puis vérifier sur le tour.
# 2. **Plus de tranches que de workers** — ★★ application · 15 min : lire
#    tranches et fusions dans `cluster.dispatches` (2 workers, 4 tranches).
# 3. **Un worker « distant »** — ★★★ approfondissement · 10 min : lancer
#    un worker, l'utiliser avec `addresses=[...]`, puis l'arrêter.
#
# Cahier d'exercices, vérifiés automatiquement :
# [exercices/10_passage_a_l_echelle_exercices.ipynb](exercices/10_passage_a_l_echelle_exercices.ipynb).
#
# Solutions : [solutions/10_passage_a_l_echelle_solutions.ipynb](solutions/10_passage_a_l_echelle_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 7 min)
#
# - À dire : chaque exercice lance des workers : un exercice à la fois sur
#   une machine à 2 cœurs (Binder).
# - Question à la salle : « Exercice 1 : avec 6 clients et 3 workers,
#   combien de clients par worker ? »
# - Réponse attendue : 2 chacun (tranches contiguës de 6 / 3 clients) ; le
#   modèle reste le même à 10⁻⁶ près.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Dans chaque onglet, choisissez votre réponse, puis cliquez sur « Vérifier ».

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("10")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : chacun répond seul d'abord, puis on compare à deux ; on ne
#   corrige au tableau que les questions qui divisent la salle.
# - Question à la salle : « Deux workers sur cette machine à 2 cœurs : le
#   tour va-t-il deux fois plus vite ? »
# - Réponse attendue : non : les workers se partagent les mêmes cœurs (et
#   la compilation reste dans le notebook) ; le gain vient d'autres machines.
