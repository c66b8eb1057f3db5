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
# # Solutions — 03 Avantages et défis
#
# Solutions des exercices « À vous de jouer » du notebook
# [03_avantages_defis](../03_avantages_defis.ipynb). Essayez d'abord seul !

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import math
import os

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import data, federated, models, partition, scratch

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
MODELE = "mlp"
NUM_CLIENTS = 100
CLIENTS_PAR_TOUR = 10
TOURS = 5 if QUICK else 30
LR = 0.1
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; "
    f"mode rapide : {'oui' if QUICK else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — le seuil de rentabilité
#
# Une photo de 3 Mo (3 × 10⁶ octets) ; une mise à jour du CNN ; 100 tours
# où le téléphone est tiré au sort un tour sur dix, donc 10 participations,
# chacune avec une diffusion (le serveur envoie le modèle) et un envoi (le
# téléphone renvoie sa mise à jour).

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
OCTETS_PHOTO = 3_000_000
une_maj = federated.bytes_per_round("cnn", clients_per_round=1)["per_client"]
print(f"Une mise à jour du CNN : {une_maj} octets")
print(
    f"→ plus cher d'envoyer les photos dès {math.ceil(une_maj / OCTETS_PHOTO)} photos"
)

participations = 100 // 10
entrainement = participations * 2 * une_maj  # diffusion + envoi
print(f"Un entraînement de 100 tours (10 participations) : {entrainement} octets")
print(
    f"→ plus cher d'envoyer les photos dès {math.ceil(entrainement / OCTETS_PHOTO)} photos"
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Quelques photos suffisent : pour des données volumineuses (photos, sons,
# vidéos), l'apprentissage fédéré économise vraiment le réseau. Pour MNIST
# (785 octets par image), c'est l'inverse, comme mesuré dans le notebook.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — diversité et Dirichlet
#
# Pour chaque α : un modèle entraîné sur le seul client 0, et le modèle
# fédéré (FedAvg, mêmes réglages que dans le notebook).

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()
repartitions = {
    alpha: partition.dirichlet(y_train, NUM_CLIENTS, alpha, seed=SEED)
    for alpha in (0.1, 10.0)
}
for alpha, parts in repartitions.items():
    comptes = np.bincount(y_train[parts[0]], minlength=10)
    print(
        f"α = {alpha:4} : client 0 = {len(parts[0])} exemples, "
        f"chiffres présents {np.flatnonzero(comptes).tolist()}, "
        f"dont {np.sort(comptes)[-2:].sum() / comptes.sum():.0%} pour les 2 plus fréquents"
    )
    print(
        f"           {partition.heterogeneity(y_train, parts).mean_classes_per_client:.1f} classes par client en moyenne"
    )

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
process = federated.build_process("fedavg", model=MODELE, client_lr=LR)
for alpha, parts in repartitions.items():
    seul = federated.centralized_fit(
        x_train[parts[0]],
        y_train[parts[0]],
        epochs=5 if QUICK else 20,
        batch_size=10,
        model=MODELE,
        lr=LR,
        seed=SEED,
    )["model"]
    _, acc_seul = federated.evaluate(seul, x_test, y_test, model=MODELE)
    jeux = federated.client_datasets(x_train, y_train, parts, batch_size=10, seed=SEED)
    hist = federated.train(
        process,
        jeux,
        rounds=TOURS,
        clients_per_round=CLIENTS_PAR_TOUR,
        test_data=(x_test, y_test),
        seed=SEED,
        model=MODELE,
        progress=False,
    )
    print(
        f"α = {alpha:4} : client 0 seul {acc_seul:.4f} ; "
        f"modèle fédéré ({TOURS} tours) {hist.final_accuracy:.4f}"
    )

# %% [markdown] slideshow={"slide_type": "fragment"}
# Avec α = 0,1, les données d'un client sont dominées par quelques chiffres
# (les autres n'y figurent qu'en très petit nombre, voir ci-dessus) : seul,
# il reconnaît surtout ceux-là, et la fédération lui apporte les autres. Avec
# α = 10, les clients sont presque IID : le client seul s'en sort mieux,
# mais il n'a vu que ses propres exemples, et le modèle fédéré, qui a appris
# de tous les clients, le dépasse en général après assez de tours. Notez
# aussi que le modèle fédéré lui-même souffre quand α est petit (non-IID).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — le serveur curieux, plus tard
#
# On entraîne le modèle fédéré IID comme dans le notebook, puis chaque
# client non-IID part de ce modèle entraîné.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
parts_iid = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
parts_non_iid = partition.shards(y_train, NUM_CLIENTS, shards_per_client=2, seed=SEED)
hist_iid = federated.train(
    process,
    federated.client_datasets(x_train, y_train, parts_iid, batch_size=10, seed=SEED),
    rounds=TOURS,
    clients_per_round=CLIENTS_PAR_TOUR,
    test_data=(x_test, y_test),
    seed=SEED,
    model=MODELE,
    progress=False,
)
print(hist_iid)

modele = models.get(MODELE)()
w_depart = hist_iid.final_weights
jeux = federated.client_datasets(x_train, y_train, parts_non_iid[:8], seed=SEED)
justes = 0
for k, jeu in enumerate(jeux):
    w_k, _ = scratch.local_train(modele, w_depart, jeu, lr=LR)
    devines = sorted(np.argsort(w_k[-1] - w_depart[-1])[-2:].tolist())
    vrais = sorted(set(y_train[parts_non_iid[k]].tolist()))
    justes += devines == vrais
    print(f"client {k} : vrais chiffres {vrais} ; devinés {devines}")
print(f"Devinés exactement : {justes} clients sur {len(jeux)}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Même en partant d'un modèle déjà bon, l'entraînement local pousse vers le
# haut les biais des chiffres que le client possède (et vers le bas ceux
# qu'il n'a pas) : comptez les clients devinés ci-dessus. La fuite ne
# disparaît pas avec le temps. D'autres parties de la mise à jour (les
# poids de la dernière couche) en disent encore plus. Pour s'en protéger :
# agrégation sécurisée (le serveur ne voit que la somme des mises à jour) et
# confidentialité différentielle (bruit calibré), dans le notebook 08.
