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

# %% [markdown] tags=["solution"] slideshow={"slide_type": "slide"}
# # Solutions — 06 Exemple d'usage : MNIST
#
# Solutions des exercices « À vous de jouer » du notebook
# [06_exemple_mnist](../06_exemple_mnist.ipynb). Essayez d'abord seul, dans
# le cahier
# [exercices/06_exemple_mnist_exercices.ipynb](../exercices/06_exemple_mnist_exercices.ipynb) !

# %% [markdown] tags=["exercice"] slideshow={"slide_type": "slide"}
# # Exercices — 06 Exemple d'usage : MNIST
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : elle affiche « ✅ Correct ! » ou un
# indice. Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Le cours : [06_exemple_mnist](../06_exemple_mnist.ipynb) ; les solutions :
# [solutions/06_exemple_mnist_solutions.ipynb](../solutions/06_exemple_mnist_solutions.ipynb).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os

# Réglages du moteur TFF (un processus à part, lancé au premier calcul) :
# - il rend au système les gros blocs de mémoire qu'il libère ; sinon il
#   grossit tour après tour (Binder limite la mémoire à 2 Gio) ;
# - gRPC, son transport, n'écrit pas ses journaux (en anglais) dans les
#   sorties des cellules quand le moteur redémarre.
os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", "131072")
os.environ.setdefault("MALLOC_TRIM_THRESHOLD_", "131072")
os.environ.setdefault("GRPC_VERBOSITY", "ERROR")

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import data, federated, formatting, partition, plots, runtime, verifier

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ

# Les mêmes réglages que le notebook 06.
NUM_CLIENTS = 100
if QUICK:
    N_TRAIN, N_TEST = 12_000, 2_000
    TOURS, CLIENTS_PAR_TOUR = 3, 5
else:
    N_TRAIN, N_TEST = 60_000, 10_000
    TOURS, CLIENTS_PAR_TOUR = 20, 10
LOT, LR, OBJECTIF = 20, 0.1, 0.97
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; "
    f"mode rapide : {'oui' if QUICK else 'non'}"
)

# %% slideshow={"slide_type": "-"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()
x_train, y_train = x_train[:N_TRAIN], y_train[:N_TRAIN]
x_test, y_test = x_test[:N_TEST], y_test[:N_TEST]
jeu_test = federated.to_dataset(
    x_test, y_test, batch_size=250
)  # lots de 250 : moins de mémoire
parts_iid = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
parts_non_iid = partition.shards(y_train, NUM_CLIENTS, shards_per_client=2, seed=SEED)
print(
    f"{formatting.integer(len(y_train))} images d'entraînement,"
    f" {formatting.integer(len(y_test))} de test, {NUM_CLIENTS} clients"
)


def entrainer(process, parts, epochs=1, model="cnn", target=None):
    """FedAvg sur la partition `parts` avec les réglages du notebook 06."""
    runtime.stop_all_workers()  # un moteur TFF neuf : sa mémoire ne s'accumule pas
    jeux = federated.client_datasets(
        x_train, y_train, parts, epochs=epochs, batch_size=LOT, seed=SEED
    )
    return federated.train(
        process,
        jeux,
        rounds=TOURS,
        clients_per_round=CLIENTS_PAR_TOUR,
        test_data=jeu_test,
        target_accuracy=target,
        seed=SEED,
        model=model,
        progress=False,
    )


# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
# La référence du notebook 06 : FedAvg IID, E = 1, avec le CNN.
process_cnn = federated.build_process("fedavg", model="cnn", client_lr=LR)
hist_e1 = entrainer(process_cnn, parts_iid, epochs=1)
print(
    f"Référence E = 1 : exactitude finale {formatting.number(hist_e1.final_accuracy, 4)}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — plus de travail local
# **★ découverte · 15 min · calcul long (≈ 10 min)**
#
# La cellule relance FedAvg IID avec E = 5 époques locales, en s'arrêtant
# dès que l'exactitude en test atteint `OBJECTIF` (97 %). Lisez dans
# l'historique `hist_e5` (`hist_e5.rounds` : un dictionnaire par tour, avec
# `round`, `test_accuracy`, `bytes_down`, `bytes_up`…) :
#
# - `tours` : le premier tour où `test_accuracy` ≥ `OBJECTIF` (`None` s'il
#   n'est jamais atteint) ;
# - `octets` : le total échangé (descente **et** montée) jusqu'à ce tour
#   inclus, ou jusqu'au dernier tour si l'objectif n'est pas atteint.
#
# La vérification reçoit `{"historique": hist_e5, "tours": tours, "octets": octets}`.

# %% tags=["exercice", "nbval-ignore-output"] slideshow={"slide_type": "-"}
hist_e5 = entrainer(process_cnn, parts_iid, epochs=5, target=OBJECTIF)
tours = ...  # premier tour à OBJECTIF, ou None
octets = ...  # bytes_down + bytes_up jusqu'à ce tour (ou jusqu'au bout)

# %% tags=["solution", "nbval-ignore-output"] slideshow={"slide_type": "-"}
hist_e5 = entrainer(process_cnn, parts_iid, epochs=5, target=OBJECTIF)


def jusqu_a_objectif(hist):
    """Le premier tour à OBJECTIF (ou None) et les octets échangés jusque-là."""
    tour = hist.rounds_to(OBJECTIF)
    jusqu_a = hist.rounds[: tour or len(hist)]
    return tour, sum(r["bytes_down"] + r["bytes_up"] for r in jusqu_a), jusqu_a


tours, octets, _ = jusqu_a_objectif(hist_e5)
for nom, hist in [("E = 1", hist_e1), ("E = 5", hist_e5)]:
    tour, total, jusqu_a = jusqu_a_objectif(hist)
    duree = sum(r["seconds"] for r in jusqu_a)
    print(
        f"{nom} : exactitude {formatting.number(hist.final_accuracy, 4)} ; objectif "
        f"{'non atteint' if tour is None else f'atteint au tour {tour}'} ; "
        f"{formatting.number(total / 1e6, 0)} Mo échangés ; {formatting.number(duree, 0)} s de tours"
    )

# %% slideshow={"slide_type": "-"}
verifier.exercice("06-1", {"historique": hist_e5, "tours": tours, "octets": octets})

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Avec E = 5, chaque tour fait 5 fois plus de calcul local : à nombre de
# tours égal, l'exactitude est plus haute (comparez les deux lignes), donc
# l'objectif arrive en moins de tours. Or chaque tour coûte le même nombre
# d'octets : moins de tours, c'est moins de communication. Le temps de
# calcul total, lui, ne baisse pas forcément. En mode rapide (3 tours sur un
# échantillon), l'objectif n'est atteint par aucun des deux : relancez en
# mode complet (`FLTUTOR_QUICK=0`). Sur des données IID, augmenter E coûte
# peu ; en non-IID, trop de pas locaux font dériver les clients
# (notebook 07).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — le 2NN au lieu du CNN
# **★★ application · 10 min · calcul long (≈ 3 min)**
#
# Entraînez FedAvg IID (E = 1) avec le modèle « mlp » (le 2NN) au lieu du
# CNN : construisez son processus avec `federated.build_process`, puis
# entraînez-le avec `entrainer(...)` sur `parts_iid`. Le nom du modèle se
# donne aux **deux** (`model="mlp"`). La vérification reçoit l'historique
# `hist_mlp` : la taille de ses mises à jour trahit le modèle entraîné.
# Comparez ensuite l'exactitude, la durée des tours et les octets par mise
# à jour avec ceux du CNN (`hist_e1`).

# %% tags=["exercice", "nbval-ignore-output"] slideshow={"slide_type": "-"}
process_mlp = ...  # federated.build_process(...) pour le modèle « mlp »
hist_mlp = ...  # entrainer(...) avec ce processus, sur parts_iid

# %% tags=["solution", "nbval-ignore-output"] slideshow={"slide_type": "-"}
process_mlp = federated.build_process("fedavg", model="mlp", client_lr=LR)
hist_mlp = entrainer(process_mlp, parts_iid, model="mlp")
for nom, hist in [("CNN", hist_e1), ("2NN", hist_mlp)]:
    print(
        f"{nom} : exactitude finale {formatting.number(hist.final_accuracy, 4)} après {len(hist)} tours ; "
        f"{formatting.number(np.mean(hist.column('seconds')), 2)} s par tour en moyenne ; "
        f"{formatting.integer(hist.rounds[0]['bytes_up'] // CLIENTS_PAR_TOUR)} octets"
        " par mise à jour"
    )

# %% slideshow={"slide_type": "-"}
verifier.exercice("06-2", hist_mlp)

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Le 2NN a huit fois moins de paramètres : ses tours sont plus rapides et
# ses mises à jour plus légères (comparez les lignes). Mais le CNN, qui
# exploite la structure des images (les convolutions reconnaissent des
# motifs locaux où qu'ils soient), finit devant en mode complet, comme chez
# McMahan et al. ; sur les 3 tours du mode rapide, le 2NN peut encore être
# devant.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — une répartition de Dirichlet
# **★★★ approfondissement · 20 min · calcul long (≈ 6 min)**
#
# La variation totale moyenne d'une répartition,
# `partition.heterogeneity(y_train, parts).mean_emd` (la dernière ligne du
# résumé de l'explorateur), vaut 0 pour des clients identiques à l'ensemble
# et s'approche de 1 quand leurs classes sont disjointes. Parmi les α de
# `ALPHAS`, trouvez celui dont la répartition
# `partition.dirichlet(y_train, NUM_CLIENTS, α, seed=SEED)` a l'écart le
# plus proche de `milieu`, à mi-chemin entre IID et tessons. La
# vérification reçoit `alpha` (un nombre). Entraînez ensuite FedAvg sur
# cette répartition : où se place sa courbe entre IID et tessons ?

# %% slideshow={"slide_type": "-"}
ecart_iid = partition.heterogeneity(y_train, parts_iid).mean_emd
ecart_tessons = partition.heterogeneity(y_train, parts_non_iid).mean_emd
milieu = (ecart_iid + ecart_tessons) / 2
print(
    f"IID : {formatting.number(ecart_iid, 3)} ; tessons : {formatting.number(ecart_tessons, 3)} ; milieu : {formatting.number(milieu, 3)}"
)
ALPHAS = (0.1, 0.2, 0.3, 0.5, 1.0)
ecarts = {}  # α → variation totale moyenne

# %% tags=["exercice"] slideshow={"slide_type": "-"}
for a in ALPHAS:
    ecarts[a] = ...  # la variation totale moyenne de Dirichlet α = a
alpha = ...  # l'α de ALPHAS dont l'écart est le plus proche de milieu

# %% tags=["solution"] slideshow={"slide_type": "-"}
for a in ALPHAS:
    mesure = partition.heterogeneity(
        y_train, partition.dirichlet(y_train, NUM_CLIENTS, a, seed=SEED)
    )
    ecarts[a] = mesure.mean_emd
    print(
        f"α = {formatting.short(a)} : variation totale moyenne {formatting.number(mesure.mean_emd, 3)}, "
        f"{formatting.number(mesure.mean_classes_per_client, 1)} classes présentes par client"
    )
alpha = min(ecarts, key=lambda a: abs(ecarts[a] - milieu))
print(f"→ on retient α = {formatting.short(alpha)}")

# %% slideshow={"slide_type": "-"}
verifier.exercice("06-3", alpha)

# %% tags=["solution", "nbval-ignore-output"] slideshow={"slide_type": "subslide"}
parts_dirichlet = partition.dirichlet(y_train, NUM_CLIENTS, alpha, seed=SEED)
hist_dirichlet = entrainer(process_cnn, parts_dirichlet)
hist_tessons = entrainer(process_cnn, parts_non_iid)
plots.training_curves(
    {
        "IID": hist_e1,
        f"Dirichlet (α = {formatting.short(alpha)})": hist_dirichlet,
        "Tessons (2 chiffres par client)": hist_tessons,
    },
    title="FedAvg selon la répartition des données",
)

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Avec Dirichlet, presque toutes les classes sont présentes chez chaque
# client, mais en proportions très inégales, et les tailles des clients
# varient aussi. Comparez les trois courbes : la répartition intermédiaire
# se place en général entre IID et tessons. Le nombre de classes présentes
# ne suffit pas à décrire une répartition : les proportions comptent.
