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

# %% [markdown] slideshow={"slide_type": "slide"}
# # Solutions — 10 Passage à l'échelle
#
# Solutions des exercices « À vous de jouer » du notebook
# [10_passage_a_l_echelle](../10_passage_a_l_echelle.ipynb). Essayez d'abord
# seul !

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

# gRPC (le canal vers les workers TFF) : pas de messages techniques dans les
# sorties quand on lance des workers. À régler avant d'importer TensorFlow.
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import numpy as np
import tensorflow as tf

import fltutor
from fltutor import distributed, federated, partition, runtime
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
#
# Prédiction : TFF découpe la liste en tranches contiguës de `ceil(n / k)`
# clients, en recalculant à chaque tranche avec ce qui reste. Avec 6 clients
# et 3 workers : 2 + 2 + 2 ; avec 10 clients : 4 + 3 + 3.

# %% slideshow={"slide_type": "-"}
runtime.stop_all_workers()  # libère la mémoire du worker local
with distributed.workers_context(num_workers=3) as cluster:
    spread3 = process.next(state, client_data)
    counts = [cluster.clients_per_worker()[a] for a in cluster.addresses]
print("Clients par worker :", sorted(counts, reverse=True))
print("Mêmes poids à 1e-6 près :", max_diff(local, spread3) <= 1e-6)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le modèle est toujours le même aux arrondis près : seul l'ordre des
# additions change (trois sommes partielles au lieu de deux).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — plus de tranches que de workers
#
# Avec `num_subrounds=4`, 6 clients donnent des tranches de
# `ceil(6/4) = 2`, puis `ceil(4/3) = 2`, `ceil(2/2) = 1` et `1` client
# (10 clients : 3, 3, 2, 2).

# %% slideshow={"slide_type": "-"}
with distributed.workers_context(num_workers=2, num_subrounds=4) as cluster:
    spread4 = process.next(state, client_data)
    steps = [d.step for d in cluster.dispatches]
    slices = [d.clients for d in cluster.dispatches if d.step == "avant fusion"]
print("Tailles des tranches :", sorted(slices, reverse=True))
print("Étapes « avant fusion » :", steps.count("avant fusion"))
print("Fusions :", steps.count("fusion"))
print("Étapes « après fusion » :", steps.count("après fusion"))
print("Mêmes poids à 1e-6 près :", max_diff(local, spread4) <= 1e-6)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Quatre tranches, donc quatre « avant fusion » et trois fusions (on fusionne
# les résultats deux à deux au fil de l'eau). Il n'y a que 2 workers : TFF
# envoie les deux premières tranches, puis donne la suivante au premier
# worker qui a fini — les tranches en trop attendent leur tour. Utile quand
# un worker n'a pas assez de mémoire pour tous ses clients d'un coup.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — un worker « distant »

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
remote = runtime.start_worker()  # imaginez-le sur une autre machine
try:
    with distributed.workers_context(addresses=[remote.address]) as cluster:
        spread_remote = process.next(state, client_data)
        print("Workers lancés par le bloc :", len(cluster.workers))
    print("Le worker tourne toujours après le bloc :", remote.is_running())
    print("Mêmes poids à 1e-6 près :", max_diff(local, spread_remote) <= 1e-6)
finally:
    remote.stop()
print("Arrêté :", not remote.is_running())

# %% [markdown] slideshow={"slide_type": "fragment"}
# Avec `addresses=`, `workers_context` ne lance et n'arrête rien : il se
# connecte, vérifie que chaque adresse répond, et ne fait que rétablir le
# contexte local à la sortie. Le cycle de vie des workers distants est
# l'affaire de celui qui les a lancés (vous, `systemd`, Kubernetes…). Un seul
# worker donne d'ailleurs le même modèle : une seule tranche, aucune fusion.
