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

# %% [markdown] slideshow={"slide_type": "slide"} tags=["solution"]
# # Solutions — 03 Avantages et défis
#
# Solutions des exercices « À vous de jouer » du notebook
# [03_avantages_defis](../03_avantages_defis.ipynb). Essayez d'abord seul,
# dans le cahier [03_avantages_defis_exercices](../exercices/03_avantages_defis_exercices.ipynb) !

# %% [markdown] slideshow={"slide_type": "slide"} tags=["exercice"]
# # Exercices — 03 Avantages et défis
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : « ✅ Correct ! » ou un indice.
# Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Cours : [03_avantages_defis](../03_avantages_defis.ipynb) ; solutions :
# [03_avantages_defis_solutions](../solutions/03_avantages_defis_solutions.ipynb).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import math
import os

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import data, federated, formatting, models, partition, scratch, verifier

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
# ## Les données et FedAvg
#
# MNIST et le processus FedAvg du notebook, partagés par les exercices 2 et 3.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()
process = federated.build_process("fedavg", model=MODELE, client_lr=LR)
print(
    f"{formatting.integer(len(y_train))} images d'entraînement,"
    f" {formatting.integer(len(y_test))} de test"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — le seuil de rentabilité
# **★ découverte · 10 min**
#
# Une photo fait 3 Mo (3 × 10⁶ octets). Calculez deux nombres **entiers** de
# photos : `photos_une_maj`, à partir duquel envoyer les photos coûte plus
# qu'**une** mise à jour du CNN ; `photos_entrainement`, à partir duquel il
# coûte plus qu'un entraînement de 100 tours où le téléphone est tiré au sort
# un tour sur dix (chaque participation : une diffusion du modèle **et** un
# envoi de la mise à jour). La vérification reçoit le couple des deux.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
OCTETS_PHOTO = 3_000_000
une_maj = federated.bytes_per_round("cnn", clients_per_round=1)["per_client"]
print(f"Une mise à jour du CNN : {formatting.integer(une_maj)} octets")

# %% tags=["exercice"] slideshow={"slide_type": "-"}
photos_une_maj = ...
photos_entrainement = ...

# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
photos_une_maj = math.ceil(une_maj / OCTETS_PHOTO)
participations = 100 // 10
entrainement = participations * 2 * une_maj  # diffusion + envoi
photos_entrainement = math.ceil(entrainement / OCTETS_PHOTO)
print(f"→ plus cher d'envoyer les photos dès {photos_une_maj} photos")
print(
    "Un entraînement de 100 tours (10 participations) :",
    formatting.integer(entrainement),
    "octets",
)
print(f"→ plus cher d'envoyer les photos dès {photos_entrainement} photos")

# %% slideshow={"slide_type": "-"}
verifier.exercice("03-1", (photos_une_maj, photos_entrainement))

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Quelques photos suffisent : pour des données volumineuses (photos, sons,
# vidéos), l'apprentissage fédéré économise vraiment le réseau. Pour MNIST
# (785 octets par image), c'est l'inverse, comme mesuré dans le notebook.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — diversité et Dirichlet
# **★★ application · 20 min · calcul long (≈ 4 min)**
#
# Pour `alpha = 0.1` puis `alpha = 10.0`, répartissez les données avec
# `partition.dirichlet(y_train, NUM_CLIENTS, alpha, seed=SEED)`, puis mesurez
# l'exactitude en test d'un modèle entraîné sur le **seul client 0**
# (`federated.centralized_fit`, puis `federated.evaluate`) et celle du modèle
# fédéré (`federated.train`, mêmes réglages que dans le notebook). Rangez-les
# dans `exactitudes[alpha] = (seul, federe)`, puis répondez par la **lettre**
# du bon choix : dans quel cas la fédération apporte-t-elle le plus au client 0 ?

# %% slideshow={"slide_type": "-"}
verifier.choix("03-2")

# %% tags=["exercice"] slideshow={"slide_type": "-"}
exactitudes = {}  # {alpha: (client 0 seul, modèle fédéré)}
for alpha in (0.1, 10.0):
    parts = ...
    acc_seul = ...
    acc_federe = ...
    exactitudes[alpha] = (acc_seul, acc_federe)

lettre_2 = ...  # « a », « b », « c » ou « d »

# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "subslide"}
repartitions = {
    alpha: partition.dirichlet(y_train, NUM_CLIENTS, alpha, seed=SEED)
    for alpha in (0.1, 10.0)
}
for alpha, parts in repartitions.items():
    comptes = np.bincount(y_train[parts[0]], minlength=10)
    dominants = np.sort(comptes)[-2:].sum() / comptes.sum()
    print(
        f"α = {formatting.short(alpha):>4} : client 0 = {len(parts[0])} exemples, "
        f"chiffres présents {np.flatnonzero(comptes).tolist()}, "
        f"dont {formatting.percent(dominants, 0)} pour les 2 plus fréquents"
    )
    moyenne = partition.heterogeneity(y_train, parts).mean_classes_per_client
    print(f"           {formatting.number(moyenne, 1)} classes par client en moyenne")

# %% tags=["solution", "nbval-ignore-output"] slideshow={"slide_type": "subslide"}
exactitudes = {}  # {alpha: (client 0 seul, modèle fédéré)}
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
    exactitudes[alpha] = (acc_seul, hist.final_accuracy)
    print(
        f"α = {formatting.short(alpha):>4} : client 0 seul {formatting.number(acc_seul, 4)} ; "
        f"modèle fédéré ({TOURS} tours) {formatting.number(hist.final_accuracy, 4)}"
    )

gains = {alpha: federe - seul for alpha, (seul, federe) in exactitudes.items()}
lettre_2 = "a" if gains[0.1] > gains[10.0] else "b"  # le plus grand gain

# %% slideshow={"slide_type": "-"}
verifier.exercice("03-2", lettre_2)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Avec α = 0,1, les données d'un client sont dominées par quelques chiffres
# (les autres n'y figurent qu'en très petit nombre, voir ci-dessus) : seul,
# il reconnaît surtout ceux-là, et la fédération lui apporte les autres. Avec
# α = 10, les clients sont presque IID : le client seul s'en sort mieux,
# mais il n'a vu que ses propres exemples, et le modèle fédéré, qui a appris
# de tous les clients, le dépasse en général après assez de tours. Notez
# aussi que le modèle fédéré lui-même souffre quand α est petit (non-IID).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — le serveur curieux, plus tard
# **★★★ approfondissement · 15 min · calcul long (≈ 2 min)**
#
# La cellule suivante entraîne le modèle fédéré IID comme dans le notebook,
# puis fait partir de ce modèle entraîné (`w_depart`) 8 clients non-IID, qui
# s'entraînent chacun une époque (`w_k`). Écrivez `devine(w_depart, w_k)`,
# qui renvoie les **deux chiffres** que le serveur devine à partir des biais
# de la couche de sortie (`w[-1]`, un par chiffre). La vérification reçoit
# la fonction `devine` elle-même.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
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
mises_a_jour = []  # (vrais chiffres du client, ses poids après l'entraînement local)
for k, jeu in enumerate(
    federated.client_datasets(x_train, y_train, parts_non_iid[:8], seed=SEED)
):
    w_k, _ = scratch.local_train(modele, w_depart, jeu, lr=LR)
    mises_a_jour.append((sorted(set(y_train[parts_non_iid[k]].tolist())), w_k))


# %% tags=["exercice"] slideshow={"slide_type": "-"}
def devine(w_depart, w_k):
    """Les deux chiffres du client, lus dans les biais de sortie (w[-1])."""
    ...


# %% tags=["solution"] slideshow={"slide_type": "-"}
def devine(w_depart, w_k):
    """Les deux chiffres du client, lus dans les biais de sortie (w[-1])."""
    variation = w_k[-1] - w_depart[-1]  # ce qui a changé, pas la valeur
    return sorted(np.argsort(variation)[-2:].tolist())


justes = 0
for k, (vrais, w_k) in enumerate(mises_a_jour):
    devines = devine(w_depart, w_k)
    justes += devines == vrais
    print(f"client {k} : vrais chiffres {vrais} ; devinés {devines}")
print(f"Devinés exactement : {justes} clients sur {len(mises_a_jour)}")

# %% slideshow={"slide_type": "-"}
verifier.exercice("03-3", devine)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Même en partant d'un modèle déjà bon, l'entraînement local pousse vers le
# haut les biais des chiffres que le client possède (et vers le bas ceux
# qu'il n'a pas) : comptez les clients devinés ci-dessus. La fuite ne
# disparaît pas avec le temps. D'autres parties de la mise à jour (les
# poids de la dernière couche) en disent encore plus. Pour s'en protéger :
# agrégation sécurisée (le serveur ne voit que la somme des mises à jour) et
# confidentialité différentielle (bruit calibré), dans le notebook 08.
