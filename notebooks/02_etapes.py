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
# # 02 — Le flux de travail : un tour fédéré pas à pas
#
# La diapositive « Le flux de travail de l'apprentissage collaboratif » montre
# un serveur, des appareils et des flèches. Ici, on **exécute** ce schéma,
# cellule par cellule : un tour de FedAvg (l'algorithme de McMahan et al.,
# 2017) en cinq étapes, en regardant à chaque étape ce que contiennent les
# poids du modèle et ce que vaut son exactitude. Puis on vérifie que
# TensorFlow Federated (TFF) calcule exactement la même chose.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : on déroule le schéma de la présentation avec du vrai code ;
#   à chaque étape, on regarde ce qui circule et ce que vaut le modèle.
# - Question à la salle : « Avant de commencer : à quelle étape le serveur
#   touche-t-il les images des clients ? »
# - Réponse attendue : à aucune ; il ne manipule que des poids et des
#   nombres d'exemples.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - nommer et ordonner les cinq étapes d'un tour fédéré : **sélection**,
#   **diffusion** du modèle global, **entraînement local**, **envoi** des
#   mises à jour, **agrégation** ;
# - dire ce qui circule à chaque étape (des poids, jamais des images) et
#   combien d'octets cela représente ;
# - calculer à la main la moyenne pondérée de FedAvg et expliquer pourquoi on
#   pondère par le nombre d'exemples ;
# - vérifier qu'un tour de `tff.learning.algorithms.build_weighted_fed_avg`
#   donne le même modèle que le tour écrit à la main.
#
# **Durée** : 45 minutes. **Prérequis** : [01 — Définition](01_definition.ipynb) ;
# la descente de gradient stochastique (SGD) et un modèle Keras.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import data, federated, formatting, models, partition, plots, scratch
from fltutor.formatting import integer, number, scientific, short

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
# %config InlineBackend.figure_formats = ["retina"]
plt.rcParams["figure.dpi"] = 60  # figures nettes, à la taille d'une diapositive
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if not (tf.__version__.startswith("2.14.") and tff.__version__.startswith("0.87.")):
    print("Attention : ce cours est prévu pour TensorFlow 2.14 et TFF 0.87.")
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; "
    f"mode rapide : {'oui' if QUICK else 'non'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le flux de travail de l'apprentissage collaboratif
#
# Un entraînement fédéré est une suite de **tours** (*rounds*). Chaque tour
# compte cinq étapes :
#
# 1. **Sélection** : le serveur tire au sort quelques clients disponibles ;
# 2. **Diffusion** : il leur envoie le modèle global courant `w` ;
# 3. **Entraînement local** : chaque client améliore ce modèle sur ses propres
#    données, qui ne quittent jamais l'appareil ;
# 4. **Envoi des mises à jour** : chaque client renvoie son nouveau modèle
#    `w_k` (ou la différence `w_k − w`) et son nombre d'exemples `n_k` ;
# 5. **Agrégation** : le serveur remplace `w` par la moyenne des `w_k`,
#    pondérée par les `n_k`.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : nommer les cinq étapes dans l'ordre, puis les montrer sur le
#   schéma ; chacune a sa section dans la suite.
# - Question à la salle : « Quelles étapes utilisent le réseau ? »
# - Réponse attendue : la diffusion (2, serveur → clients) et l'envoi des
#   mises à jour (4, clients → serveur) ; la sélection ne transmet qu'un
#   ordre de participation.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le schéma d'un tour

# %% slideshow={"slide_type": "-"}
plots.workflow_diagram()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Préparer la simulation
#
# Nous simulons **100 smartphones** avec le jeu MNIST (60 000 chiffres
# manuscrits pour l'entraînement, 10 000 pour le test). Les vrais téléphones
# n'ont pas tous autant de photos : on donne à chaque client un nombre
# d'exemples différent (répartition `quantity_skew`, étiquettes tirées au
# hasard), pour que la **pondération** de l'agrégation se voie.
#
# Le modèle est le « 2NN » de McMahan et al. : deux couches cachées de 200
# neurones. Il est huit fois plus petit que le CNN du notebook 06, donc
# rapide à entraîner pendant la lecture.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : lire les réglages K, m, E, B, η : ce sont les noms de McMahan
#   et al., on les retrouve dans tout le cours.
# - Question à la salle : « Pourquoi donner des tailles différentes aux
#   clients plutôt que 600 images à chacun ? »
# - Réponse attendue : avec des tailles égales, la moyenne pondérée et la
#   moyenne simple coïncideraient : on ne verrait pas l'effet de la
#   pondération à l'étape 5.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les réglages

# %% slideshow={"slide_type": "-"}
NUM_CLIENTS = 100  # K : les smartphones
CLIENTS_PAR_TOUR = 5 if QUICK else 10  # m : les clients tirés à chaque tour
EPOQUES = 1  # E : passages sur les données locales pendant un tour
LOT = 10  # B : taille des lots du SGD local
LR = 0.1  # η : taux d'apprentissage des clients

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les clients

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()
parts = partition.quantity_skew(y_train, NUM_CLIENTS, sigma=1.0, seed=SEED)
tailles = np.array([len(p) for p in parts])
print(f"{NUM_CLIENTS} clients, {integer(tailles.sum())} exemples au total")
mediane = int(np.median(tailles))
print(
    f"Taille des clients : de {integer(tailles.min())}"
    f" à {integer(tailles.max())} exemples"
)
print(f"(médiane {integer(mediane)})")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le modèle global initial : des poids tirés au hasard

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
modele = models.mlp(seed=SEED)  # un seul modèle Keras, pour les calculs
w_global = modele.get_weights()  # le modèle global : des tableaux numpy
print("Le modèle global w est une liste de tableaux (poids + biais) :")
for i, couche in enumerate(["dense1", "dense2", "logits"]):
    poids, biais = w_global[2 * i], w_global[2 * i + 1]
    taille = poids.size + biais.size
    formes = f"{poids.shape} + {biais.shape}"
    print(f"  {couche:6s} {formes} : {integer(taille)} nombres")
print(f"Total : {integer(models.count_params(modele))} paramètres")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que vaut le modèle initial
#
# Tiré au hasard (avec une graine : le notebook est reproductible), il n'a
# rien appris : son exactitude en test est celle du hasard, environ 1 sur 10.


# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
def exactitude(poids, x, y):
    """Exactitude (entre 0 et 1) du 2NN de poids `poids` sur (x, y)."""
    return federated.evaluate(poids, x, y, model="mlp")[1]


exactitude_globale_avant = exactitude(w_global, x_test, y_test)
print("Exactitude en test du modèle initial :", end=" ")
print(number(exactitude_globale_avant, 4))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Étape 1 — Sélection
#
# Tous les téléphones ne sont pas disponibles en même temps (il faut qu'ils
# soient branchés, inactifs, sur le Wi-Fi). À chaque tour, le serveur tire au
# sort `m` clients parmi les `K` : c'est la fraction `C = m / K` de McMahan et
# al. `scratch.select_clients` fait ce tirage avec un générateur aléatoire à
# graine.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : la sélection est la seule étape qui reste « chez nous » même
#   avec TFF : c'est la liste de clients qu'on passe au calcul.
# - Question à la salle : « Pourquoi ne pas prendre tous les clients à
#   chaque tour ? »
# - Réponse attendue : ils ne sont pas tous disponibles (batterie, Wi-Fi),
#   et chaque client de plus coûte du réseau ; McMahan et al. montrent
#   qu'une fraction C = 0,1 suffit.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étape 1 sur le schéma

# %% slideshow={"slide_type": "-"}
plots.workflow_diagram(step=1)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le tirage

# %% slideshow={"slide_type": "-"}
rng = np.random.default_rng(SEED)
choisis = scratch.select_clients(NUM_CLIENTS, CLIENTS_PAR_TOUR, rng)
fraction = CLIENTS_PAR_TOUR / NUM_CLIENTS
print(f"C = m / K = {CLIENTS_PAR_TOUR}/{NUM_CLIENTS} = {short(fraction)}")
print("Clients tirés au sort :", choisis.tolist())
print("Leurs nombres d'exemples n_k :", tailles[choisis].tolist())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Étape 2 — Diffusion du modèle global
#
# Le serveur envoie à chaque client tiré une **copie** du modèle global
# (`scratch.broadcast`). Tous reçoivent exactement les mêmes nombres. Ce qui
# circule : les paramètres du modèle, en `float32` (4 octets chacun).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : la diffusion envoie le même modèle à tous ; son coût ne dépend
#   que du nombre de paramètres et du nombre de clients tirés.
# - Question à la salle : « Le 2NN a environ 200 000 paramètres. Combien
#   d'octets pour l'envoyer à un client ? »
# - Réponse attendue : environ 800 000 octets (4 octets par `float32`),
#   soit moins d'un mégaoctet ; la cellule donne le chiffre exact.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étape 2 sur le schéma

# %% slideshow={"slide_type": "-"}
plots.workflow_diagram(step=2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les copies envoyées

# %% slideshow={"slide_type": "-"}
copies = {k: scratch.broadcast(w_global) for k in choisis}
octets_modele = models.model_bytes(modele)
print(f"Octets envoyés à chaque client : {integer(octets_modele)}")
octets_tour = integer(octets_modele * len(choisis))
print(f"Octets envoyés pour ce tour    : {octets_tour}")
paires = [(a, b) for copie in copies.values() for a, b in zip(copie, w_global)]
identiques = all(np.array_equal(a, b) for a, b in paires)
print("Copies identiques au modèle global :", "oui" if identiques else "non")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les biais de sortie

# %% slideshow={"slide_type": "-"}
biais_recus = " ".join(number(b, 1) for b in copies[choisis[0]][-1])
print("Biais de la couche de sortie reçus (un par chiffre) :", biais_recus)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Les 10 derniers nombres du modèle sont les **biais** de la couche de
# sortie : un par chiffre, de 0 à 9. Ils valent 0 au départ. Nous les
# suivrons pendant tout le tour, parce qu'ils sont faciles à lire.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Étape 3 — Entraînement local
#
# Chaque client fait, **sur son appareil**, `E` passages sur ses données en
# lots de `B` exemples, avec un pas de SGD par lot :
# `w_k ← w_k − η · ∇perte(w_k ; lot)`. C'est `scratch.local_train`.
#
# On mesure, pour chaque client :
#
# - son exactitude sur **ses propres données**, avant et après l'entraînement
#   local ;
# - l'exactitude de son modèle local sur le **jeu de test** commun (que le
#   client, lui, n'a pas : c'est notre regard de simulateur) ;
# - la norme de sa mise à jour `‖w_k − w‖` : de combien il a déplacé le
#   modèle.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 6 min)
#
# - À dire : c'est la seule étape où les données servent, et elle se passe
#   sur l'appareil ; le serveur n'en voit que le résultat, `w_k`.
# - Question à la salle : « Un client a 1 000 images, un autre 50. Lequel
#   fait le plus de pas de SGD pendant une époque ? »
# - Réponse attendue : celui de 1 000 images : un pas par lot de B = 10,
#   donc 100 pas contre 5 ; sa mise à jour est en général plus grande.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étape 3 sur le schéma

# %% slideshow={"slide_type": "-"}
plots.workflow_diagram(step=3)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les jeux de données des clients


# %% slideshow={"slide_type": "-"}
def jeux_des_clients(indices):
    """Jeux d'entraînement (neufs) des clients `indices` : E époques, lots de B.

    Le client k mélange ses données avec la graine SEED + k : il voit
    toujours ses exemples dans le même ordre, ici comme dans TFF.
    """
    return [
        federated.client_datasets(
            x_train, y_train, [parts[k]], EPOQUES, LOT, seed=SEED + int(k)
        )[0]
        for k in indices
    ]


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### L'entraînement sur chaque appareil

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
tf.keras.utils.set_random_seed(SEED)
poids_locaux, exemples_vus, lignes = {}, {}, []
for k, jeu in zip(choisis, jeux_des_clients(choisis)):
    x_k, y_k = x_train[parts[k]], y_train[parts[k]]  # restent sur l'appareil
    avant = exactitude(copies[k], x_k, y_k)
    w_k, exemples_vus[k] = scratch.local_train(modele, copies[k], jeu, lr=LR)
    apres, test = exactitude(w_k, x_k, y_k), exactitude(w_k, x_test, y_test)
    norme = np.linalg.norm(scratch.flat_update(w_k, w_global))
    poids_locaux[k] = w_k
    lignes.append((k, exemples_vus[k], avant, apres, test, norme))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le tableau des clients

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
print("client   n_k   exactitude locale   exactitude en test   ‖w_k − w‖")
print("                 avant    après    (modèle local)")
for k, n, avant, apres, test, norme in lignes:
    local = f"{k:6d} {n:5d}   {number(avant, 4):>7}  {number(apres, 4):>7}"
    print(local + f"{number(test, 4):>22}{number(norme, 3):>12}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Lire le tableau
#
# Avant l'entraînement, chaque client a l'exactitude du modèle global (au
# hasard) ; après, elle a nettement augmenté, sur ses données **et** sur le
# test (ses étiquettes sont tirées au hasard comme celles du test). Les
# clients qui ont plus d'exemples font plus de pas de SGD : leur mise à jour
# est en général plus grande, leur modèle meilleur. Comparez les lignes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le nombre de pas de chaque client

# %% slideshow={"slide_type": "-"}
print("Pas de SGD faits par chaque client (un par lot de B exemples) :")
for k in choisis:
    print(f"  client {k:2d} : {int(np.ceil(tailles[k] / LOT)) * EPOQUES} pas")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Étape 4 — Envoi des mises à jour
#
# Chaque client renvoie au serveur deux choses : ses nouveaux poids `w_k`
# (TFF envoie la différence `w_k − w`, c'est la même information) et son
# nombre d'exemples `n_k`. **Pas ses images.** La taille du message ne
# dépend pas du nombre d'exemples : le plus petit client envoie autant
# d'octets que le plus grand.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : comparer, ligne par ligne, les octets des images restées sur
#   l'appareil et les octets envoyés : ces derniers sont toujours les mêmes.
# - Question à la salle : « Pourquoi le client doit-il aussi envoyer `n_k` ?
#   Le serveur ne peut-il pas le deviner ? »
# - Réponse attendue : non, rien dans les poids ne le dit ; or l'agrégation
#   en a besoin pour pondérer la moyenne.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étape 4 sur le schéma

# %% slideshow={"slide_type": "-"}
plots.workflow_diagram(step=4)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le message de chaque client

# %% slideshow={"slide_type": "-"}
k0 = choisis[0]
message = [w_k - w for w_k, w in zip(poids_locaux[k0], w_global)]
print(f"Message du client {k0} : {len(message)} tableaux float32", end=" ")
print(f"+ l'entier n_k = {integer(exemples_vus[k0])}")
print("  formes :", [m.shape for m in message])

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Des images gardées, un message de taille fixe

# %% slideshow={"slide_type": "-"}
envoi = integer(octets_modele)
for k in choisis:
    images = integer(x_train[parts[k]].nbytes)
    print(f"client {k:2d} : {tailles[k]:4d} images, {images:>9} octets", end="")
    print(f" → envoie {envoi} octets")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les biais renvoyés (chiffres 0 à 9)

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
for k in choisis:
    ligne = " ".join(number(b, 2).rjust(5) for b in poids_locaux[k][-1])
    print(f"{k:4d} : {ligne}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Partis des mêmes zéros, les clients ont déplacé leurs biais dans des
# directions voisines mais pas identiques : chacun a vu d'autres images.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Étape 5 — Agrégation
#
# Le serveur calcule la **moyenne des modèles, pondérée par le nombre
# d'exemples** (`scratch.aggregate`) :
#
# $$ w \leftarrow \sum_{k \in \text{choisis}} \frac{n_k}{n}\, w_k,
# \qquad n = \sum_{k \in \text{choisis}} n_k .$$
#
# Un client qui a dix fois plus d'exemples pèse dix fois plus.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 6 min)
#
# - À dire : écrire la formule au tableau ; avec un seul pas de gradient
#   (FedSGD) la moyenne est exacte, avec plusieurs pas (FedAvg) c'est une
#   approximation.
# - Question à la salle : « Deux clients : 900 et 100 exemples. Quels poids
#   reçoivent-ils dans la moyenne ? »
# - Réponse attendue : 0,9 et 0,1 (n_k / n avec n = 1 000).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un pas exact, plusieurs pas approchés
#
# Après **un seul** pas de gradient (FedSGD), c'est exactement le pas qu'on
# aurait fait avec le gradient de tous les exemples réunis. Après plusieurs
# pas locaux (FedAvg), ce n'est plus vrai : chaque client a suivi sa propre
# trajectoire, et la moyenne des modèles n'est pas le modèle qu'on aurait
# entraîné sur les données réunies — seulement une approximation, d'autant
# moins bonne que les clients diffèrent.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étape 5 sur le schéma

# %% slideshow={"slide_type": "-"}
plots.workflow_diagram(step=5)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### La moyenne pondérée

# %% slideshow={"slide_type": "-"}
n_k = [exemples_vus[k] for k in choisis]
n = sum(n_k)
print(f"n = {' + '.join(map(formatting.integer, n_k))} = {integer(n)}")
print(
    "Poids de chaque client n_k / n :",
    " ".join(number(v / n, 3) for v in n_k),
)
w_nouveau = scratch.aggregate([poids_locaux[k] for k in choisis], n_k)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Vérifier la formule à la main, sur les 10 biais de sortie

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
biais = [poids_locaux[k][-1] for k in choisis]
b_main = sum(nk / n * b for nk, b in zip(n_k, biais))  # Σ n_k/n · b_k
b_simple = np.mean(biais, axis=0)  # moyenne simple, sans pondération (fausse)
comparaison = dict(main=b_main, aggregate=w_nouveau[-1], simple=b_simple)
for nom, valeurs in comparaison.items():
    print(f"{nom:<9} :", " ".join(number(b, 3).rjust(6) for b in valeurs))
ecart_main = np.max(np.abs(b_main - w_nouveau[-1]))
print(f"Écart max. main / aggregate : {scientific(ecart_main)}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le modèle global a-t-il progressé ?

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
exactitude_globale_apres = exactitude(w_nouveau, x_test, y_test)
tests_locaux = [test for *_, test, _ in lignes]  # les modèles de l'étape 3
moyenne, meilleur = np.mean(tests_locaux), max(tests_locaux)
print(f"Modèle global, avant le tour : {number(exactitude_globale_avant, 4)}")
print(f"Modèle global, après le tour : {number(exactitude_globale_apres, 4)}")
print(f"Modèles locaux : moyenne {number(moyenne, 4)}", end=", ")
print(f"meilleur {number(meilleur, 4)}")
verdict = "fait" if exactitude_globale_apres > meilleur else "ne fait pas"
print(f"→ La moyenne des modèles {verdict} mieux que le meilleur modèle local.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Pourquoi la moyenne marche
#
# Moyenner des réseaux de neurones n'a rien d'évident : la moyenne de deux
# bons modèles peut être mauvaise. Ici cela marche parce que tous les
# clients sont **partis du même modèle** `w` et n'ont fait que quelques pas :
# leurs modèles restent proches, et leur moyenne combine ce que chacun a
# appris. C'est l'observation centrale de McMahan et al.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le même tour avec TensorFlow Federated
#
# `tff.learning.algorithms.build_weighted_fed_avg` (enveloppé par
# `federated.build_process("fedavg")`) fait les étapes 2 à 5 en un seul appel,
# `process.next(état, données_des_clients)`. On part du **même** modèle
# initial, avec les **mêmes** clients et les mêmes jeux de données (même
# ordre de lecture).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : TFF ne fait rien de magique : un `federated_broadcast`, un
#   `federated_map`, un `federated_mean` pondéré ; on le vérifie au
#   millionième près.
# - Question à la salle : « Les poids TFF et « à la main » diffèrent de
#   1e-7 : est-ce une erreur ? »
# - Réponse attendue : non : les additions en `float32` ne se font pas dans
#   le même ordre, d'où de minuscules écarts d'arrondi.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les étapes dans TFF
#
# - la **sélection** (étape 1) reste chez nous : c'est le choix de la liste
#   de jeux de données passée à `next` ;
# - la diffusion est un `tff.federated_broadcast`, l'entraînement local un
#   `tff.federated_map`, l'agrégation un `tff.federated_mean` pondéré ;
# - le serveur applique la moyenne des différences `w_k − w` avec un SGD de
#   taux 1, ce qui revient à remplacer `w` par la moyenne des `w_k`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un tour TFF

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
process = federated.build_process("fedavg", "mlp", client_lr=LR, server_lr=1.0)
etat = process.initialize()
depart = tff.learning.models.ModelWeights(list(w_global), non_trainable=[])
etat = process.set_model_weights(etat, depart)
resultat = process.next(etat, jeux_des_clients(choisis))
w_tff = process.get_model_weights(resultat.state).trainable
vus = resultat.metrics["client_work"]["train"]["num_examples"]
print("Exemples vus par TFF :", integer(vus))
ecart = max(float(np.max(np.abs(a - b))) for a, b in zip(w_tff, w_nouveau))
print("Écart maximal entre TFF et « à la main » :", scientific(ecart, 2))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les mêmes poids ?

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
memes_formes = [a.shape for a in w_tff] == [b.shape for b in w_nouveau]
print("Mêmes formes :", "oui" if memes_formes else "non")
print("Mêmes poids à 10⁻⁵ près :", "oui" if ecart < 1e-5 else "non")
ecart_simple = float(np.max(np.abs(w_tff[-1] - b_simple)))
print(
    "Et la moyenne simple ? Mêmes biais à 10⁻⁵ près :",
    "oui" if ecart_simple < 1e-5 else "non",
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Les deux calculs donnent le même modèle, aux erreurs d'arrondi près (les
# additions en `float32` ne se font pas dans le même ordre). La moyenne
# simple, elle, donne un autre modèle : TFF pondère bien par `n_k`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Et on recommence : quelques tours de plus
#
# Un entraînement fédéré enchaîne les tours : nouvelle sélection, nouvelle
# diffusion du modèle qu'on vient d'agréger, etc. `scratch.fedavg_round`
# regroupe les étapes 2 à 5 que nous venons de dérouler.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : chaque tour tire d'autres clients ; le modèle global progresse
#   vite au début puis s'affine.
# - Question à la salle : « Le tour 1 apporte le plus gros progrès. Pourquoi
#   les suivants rapportent-ils moins ? »
# - Réponse attendue : le modèle initial est au hasard, tout est à apprendre ;
#   ensuite il ne reste que les exemples difficiles, et chaque tour ne fait
#   qu'une époque locale sur quelques clients.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les tours suivants

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
TOURS = 3 if QUICK else 10
w = w_nouveau
exactitudes = [exactitude_globale_avant, exactitude_globale_apres]  # 0 et 1
for _tour in range(2, TOURS + 1):
    choisis_t = scratch.select_clients(NUM_CLIENTS, CLIENTS_PAR_TOUR, rng)  # 1
    w = scratch.fedavg_round(modele, w, jeux_des_clients(choisis_t), lr=LR)
    exactitudes.append(exactitude(w, x_test, y_test))
print(f"Clients tirés au tour {TOURS} :", choisis_t.tolist())
courbe = " ; ".join(number(a, 2) for a in exactitudes)
print(f"Exactitude en test, tours 0 à {TOURS} : {courbe}")
suivi = {"round": list(range(TOURS + 1)), "test_accuracy": exactitudes}

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### La courbe d'apprentissage

# %% slideshow={"slide_type": "-"}
titre = "Exactitude du modèle global, tour après tour"
plots.training_curves({"FedAvg à la main (2NN)": suivi}, title=titre)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que montre la courbe
#
# Le tour 0 est le modèle initial. Le plus gros progrès vient du premier
# tour ; les suivants affinent. Le notebook [06](06_exemple_mnist.ipynb) fait
# l'entraînement complet avec TFF et le CNN, et le notebook
# [03](03_avantages_defis.ipynb) montre ce qui change quand les données des
# clients ne se ressemblent plus (non-IID).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Un tour fédéré = **sélection** → **diffusion** du modèle global →
#   **entraînement local** (E époques, lots de B, taux η) → **envoi** des
#   poids et de `n_k` → **agrégation** `w ← Σ (n_k/n) w_k`.
# - Seuls des **poids** circulent, dans les deux sens ; leur taille ne dépend
#   que du modèle, pas du nombre d'exemples du client.
# - La moyenne est **pondérée** par le nombre d'exemples : les clients qui
#   ont plus de données pèsent plus.
# - Moyenner des réseaux fonctionne parce que tous les clients partent du
#   même modèle global à chaque tour.
# - `build_weighted_fed_avg` de TFF fait exactement ce calcul (étapes 2 à 5) ;
#   la sélection, c'est la liste de clients passée à `process.next`.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : faire réciter les cinq étapes par la salle, dans l'ordre.
# - Question à la salle : « Qu'est-ce qui ne change pas de taille quand un
#   client a dix fois plus de données ? »
# - Réponse attendue : son message (les poids du modèle) ; seul son poids
#   `n_k / n` dans la moyenne change.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# Cahier d'exercices : [exercices/02_etapes_exercices.ipynb](exercices/02_etapes_exercices.ipynb)
# (chaque réponse y est vérifiée aussitôt).
#
# 1. **Plus de travail local** (★ découverte · 10 min) : le premier tour avec
#    `E = 5` ; que deviennent `‖w_k − w‖` et les exactitudes ?
# 2. **Pondérer ou pas ?** (★★ application · 10 min) : la moyenne simple
#    (tous les `n_k` à 1) contre la moyenne pondérée ; qui est avantagé ?
# 3. **Deux chiffres par client** (★★★ approfondissement · 15 min) : le
#    premier tour après `partition.shards` (non-IID).
#
# Solutions : [solutions/02_etapes_solutions.ipynb](solutions/02_etapes_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 10 min d'exercices)
#
# - À dire : l'exercice 3 prépare le notebook 03 (non-IID) ; demander une
#   prédiction avant l'exécution.
# - Question à la salle : « Avec E = 5, la norme des mises à jour
#   augmente-t-elle ou diminue-t-elle ? »
# - Réponse attendue : elle augmente : cinq fois plus de pas de SGD
#   éloignent davantage chaque client du modèle global.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Dans chaque onglet, choisissez votre réponse, puis cliquez sur « Vérifier ».

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("02")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : laisser une minute par question, puis corriger ensemble ;
#   l'explication s'affiche après « Vérifier ».
# - Question à la salle : « Pourquoi moyenner des réseaux de neurones
#   entraînés séparément donne-t-il ici un bon modèle ? »
# - Réponse attendue : tous les clients sont partis du même modèle `w` et
#   n'ont fait que quelques pas : leurs modèles restent proches. La salle
#   répond souvent « la moyenne de bons modèles est toujours bonne », ce
#   qui est faux en général.
