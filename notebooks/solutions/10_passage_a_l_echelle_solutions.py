# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   rise:
#     scroll: true
#     transition: none
# ---

# %% [markdown] tags=["solution"] slideshow={"slide_type": "slide"}
# # Solutions — 10 Passage à l'échelle
#
# Solutions des exercices « À vous de jouer » du notebook
# [10_passage_a_l_echelle](../10_passage_a_l_echelle.ipynb). Essayez d'abord
# seul, dans le cahier
# [10_passage_a_l_echelle_exercices](../exercices/10_passage_a_l_echelle_exercices.ipynb) !

# %% [markdown] tags=["exercice"] slideshow={"slide_type": "slide"}
# # Exercices — 10 Passage à l'échelle
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : « ✅ Correct ! » ou un indice.
# Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Cours : [10_passage_a_l_echelle](../10_passage_a_l_echelle.ipynb) ; solutions :
# [10_passage_a_l_echelle_solutions](../solutions/10_passage_a_l_echelle_solutions.ipynb).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

# gRPC (le canal vers les workers TFF) : pas de messages techniques dans les
# sorties quand on lance des workers. À régler avant d'importer TensorFlow.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import numpy as np
import tensorflow as tf

import fltutor
from fltutor import distributed, federated, partition, runtime, verifier
from fltutor.data import load_mnist

QUICK = fltutor.quick_mode()
SEED = 0
np.random.seed(SEED)
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
MODEL = "mlp"  # le « 2NN » : plusieurs workers tiennent dans les 2 Gio de Binder
NUM_CLIENTS = 6 if QUICK else 10
EXAMPLES_PER_CLIENT = 100 if QUICK else 600
print(f"Mode rapide : {'activé' if QUICK else 'désactivé'}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les mêmes données et le même processus que dans le notebook

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
local = process.next(state, client_data)  # la référence : contexte local


def max_diff(a, b):
    """Écart maximal entre les poids de deux résultats de `process.next`."""
    wa = process.get_model_weights(a.state).trainable
    wb = process.get_model_weights(b.state).trainable
    return max(
        float(np.max(np.abs(np.asarray(x) - np.asarray(y)))) for x, y in zip(wa, wb)
    )


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — trois workers
# **★ découverte · 10 min**
#
# Avant de relancer le tour sur 3 workers, prédisez combien de clients
# recevra chacun. TFF découpe la liste des clients en tranches contiguës :
# `ceil(n / k)` clients pour la première, puis il recommence avec ce qui
# reste. Écrivez `prediction(num_clients, num_workers)` → la liste des
# clients par worker. Vérification : la fonction.


# %% tags=["exercice"] slideshow={"slide_type": "-"}
def prediction(num_clients, num_workers):
    """La liste du nombre de clients de chaque worker (tranches contiguës)."""
    ...


# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
import math


def prediction(num_clients, num_workers):
    """La liste du nombre de clients de chaque worker (tranches contiguës)."""
    tailles, reste = [], num_clients
    for restants in range(num_workers, 0, -1):
        taille = math.ceil(reste / restants)
        tailles.append(taille)
        reste -= taille
    return tailles


print("6 clients :", prediction(6, 3), "; 10 clients :", prediction(10, 3))

# %% slideshow={"slide_type": "-"}
verifier.exercice("10-1", prediction)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le tour sur 3 workers
#
# Comparez à votre prédiction ; le modèle est-il le même à 10⁻⁶ près ?

# %% slideshow={"slide_type": "-"}
runtime.stop_all_workers()  # libère la mémoire du worker local
with distributed.workers_context(num_workers=3) as cluster:
    spread3 = process.next(state, client_data)
    counts = [cluster.clients_per_worker()[a] for a in cluster.addresses]
print("Clients par worker :", sorted(counts, reverse=True))
print("Mêmes poids à 10⁻⁶ près :", "oui" if max_diff(local, spread3) <= 1e-6 else "non")

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# La prédiction se vérifie : 2 + 2 + 2 pour 6 clients, 4 + 3 + 3 pour 10.
# Le modèle est toujours le même aux arrondis près : seul l'ordre des
# additions change (trois sommes partielles au lieu de deux).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — plus de tranches que de workers
# **★★ application · 15 min**
#
# La cellule suivante fait le tour avec `num_workers=2` et
# `num_subrounds=4`, et garde le journal `dispatches` (une entrée par
# calcul envoyé : `d.step`, `d.clients`). Lisez-y la taille de chaque
# tranche (étapes « avant fusion »), le nombre d'étapes « avant fusion » et
# le nombre de « fusion ». Vérification : le dictionnaire `repartition`.

# %% slideshow={"slide_type": "-"}
with distributed.workers_context(num_workers=2, num_subrounds=4) as cluster:
    spread4 = process.next(state, client_data)
dispatches = cluster.dispatches  # le journal, à explorer
print("Mêmes poids à 10⁻⁶ près :", "oui" if max_diff(local, spread4) <= 1e-6 else "non")

# %% tags=["exercice"] slideshow={"slide_type": "-"}
repartition = {
    "tranches": ...,  # la liste des tailles des tranches
    "avant fusion": ...,  # le nombre d'étapes « avant fusion »
    "fusions": ...,  # le nombre d'étapes « fusion »
}

# %% tags=["solution", "nbval-ignore-output"] slideshow={"slide_type": "-"}
etapes = [d.step for d in dispatches]
repartition = {
    "tranches": sorted(
        (d.clients for d in dispatches if d.step == "avant fusion"), reverse=True
    ),
    "avant fusion": etapes.count("avant fusion"),
    "fusions": etapes.count("fusion"),
}
print(repartition)

# %% slideshow={"slide_type": "-"}
verifier.exercice("10-2", repartition)

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Quatre tranches, donc quatre « avant fusion » et trois fusions (on fusionne
# les résultats deux à deux au fil de l'eau). Il n'y a que 2 workers : TFF
# envoie les deux premières tranches, puis donne la suivante au premier
# worker qui a fini — les tranches en trop attendent leur tour. Utile quand
# un worker n'a pas assez de mémoire pour tous ses clients d'un coup.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — un worker « distant »
# **★★★ approfondissement · 10 min**
#
# Lancez vous-même un worker avec `runtime.start_worker()` (imaginez-le sur
# une autre machine), faites un tour dans
# `distributed.workers_context(addresses=[worker.address])`, notez s'il
# tourne encore après le bloc (`worker.is_running()`), puis arrêtez-le
# (`worker.stop()`). Vérification : `tourne_apres` et `worker`.

# %% tags=["exercice"] slideshow={"slide_type": "-"}
worker = ...  # le worker que vous lancez
# ... le tour : process.next(state, client_data) dans le bloc `with`
tourne_apres = ...  # True ou False : worker.is_running() juste après le bloc
# ... et n'oubliez pas de l'arrêter

# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
worker = runtime.start_worker()  # imaginez-le sur une autre machine
try:
    with distributed.workers_context(addresses=[worker.address]) as cluster:
        spread_remote = process.next(state, client_data)
        print("Workers lancés par le bloc :", len(cluster.workers))
    tourne_apres = worker.is_running()
    print("Le worker tourne toujours après le bloc :", "oui" if tourne_apres else "non")
    print(
        "Mêmes poids à 10⁻⁶ près :",
        "oui" if max_diff(local, spread_remote) <= 1e-6 else "non",
    )
finally:
    worker.stop()
print("Arrêté :", "non" if worker.is_running() else "oui")

# %% slideshow={"slide_type": "-"}
verifier.exercice("10-3", {"tourne après le bloc": tourne_apres, "worker": worker})

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Avec `addresses=`, `workers_context` ne lance et n'arrête rien : il se
# connecte, vérifie que chaque adresse répond, et ne fait que rétablir le
# contexte local à la sortie. Le cycle de vie des workers distants est
# l'affaire de celui qui les a lancés (vous, `systemd`, Kubernetes…). Un seul
# worker donne d'ailleurs le même modèle : une seule tranche, aucune fusion.
