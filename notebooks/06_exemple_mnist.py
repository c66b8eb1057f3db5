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
# # 06 — Exemple d'usage : MNIST avec TensorFlow Federated
#
# L'exemple de la présentation : les 70 000 chiffres manuscrits de MNIST,
# répartis sur des smartphones — les **clients** — qui entraînent chacun un
# modèle local sur leurs propres images ; un serveur central agrège ces
# modèles en un modèle global. Nous suivons à la lettre les « 5 étapes pour
# fédérer avec TensorFlow » de la présentation, avec TensorFlow Federated
# (TFF), puis nous comparons trois entraînements : fédéré IID, fédéré non-IID
# et centralisé.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - simuler 100 smartphones avec MNIST, avec des données IID ou non-IID, et
#   visualiser ce que chacun possède ;
# - dérouler les 5 étapes : **modèle**, **données**, **calcul fédéré**,
#   **compilation**, **entraînement** ;
# - lire la signature de type d'un tour de FedAvg (`process.next`) ;
# - évaluer le modèle global sur les 10 000 images de test ;
# - comparer l'apprentissage fédéré IID, non-IID et l'apprentissage
#   centralisé.
#
# **Durée** : 60 minutes, dont plusieurs minutes d'entraînement en mode
# normal (la durée de chaque tour s'affiche).
#
# **Prérequis** : [02 — Le flux de travail](02_etapes.ipynb) (un tour de
# FedAvg pas à pas) et [05 — Bibliothèques](05_bibliotheques.ipynb) (les
# types fédérés de TFF).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : c'est l'exemple de la présentation, déroulé en entier ; en mode
#   complet, prévoir quelques minutes d'entraînement par expérience.
# - Question à la salle : « Dans cet exemple, qui sont les clients et qui
#   est le serveur ? »
# - Réponse attendue : les clients sont 100 smartphones simulés, chacun
#   avec ses images ; le serveur est le processus qui agrège leurs modèles.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os
import time

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
from fltutor import (
    data,
    federated,
    models,
    partition,
    plots,
    runtime,
    widgets,
)
from fltutor.formatting import integer, number, percent

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if not (tf.__version__.startswith("2.14.") and tff.__version__.startswith("0.87.")):
    print("Attention : ce cours est prévu pour TensorFlow 2.14 et TFF 0.87.")

# Réglages de l'expérience. Mode complet : tout MNIST, 10 clients par tour
# (C = 0,1 comme McMahan et al.). Mode rapide : un échantillon, pour vérifier
# que le notebook fonctionne en quelques minutes.
NUM_CLIENTS = 100  # K : les smartphones
if QUICK:
    N_TRAIN, N_TEST = 12_000, 2_000  # un échantillon de MNIST
    TOURS, CLIENTS_PAR_TOUR = 3, 5
else:
    N_TRAIN, N_TEST = 60_000, 10_000  # tout MNIST
    TOURS, CLIENTS_PAR_TOUR = 20, 10
EPOQUES = 1  # E : passages sur les données locales à chaque tour
LOT = 20  # B : taille des lots du SGD local
LR = 0.1  # η : taux d'apprentissage des clients
OBJECTIF = 0.97  # exactitude en test visée (IID)
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; "
    f"mode rapide : {'oui' if QUICK else 'non'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le jeu de données MNIST
#
# « Un ensemble de 70 000 images en niveaux de gris de chiffres écrits à la
# main, chacune de 28 pixels par 28 pixels » : 60 000 images d'entraînement
# et 10 000 images de test. `data.load_mnist()` les lit depuis les fichiers
# locaux du cours (ou les télécharge une fois) et les garde en entiers de 0 à
# 255 (`uint8`) : 4 fois moins de mémoire que des réels.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min pour MNIST)
#
# - À dire : MNIST est petit (une cinquantaine de Mo) et bien connu : on se
#   concentre sur la fédération, pas sur le modèle.
# - Question à la salle : « Pourquoi garder les images en `uint8` plutôt
#   qu'en réels entre 0 et 1 ? »
# - Réponse attendue : 1 octet par pixel au lieu de 4 ; la conversion en
#   réels se fait lot par lot, au moment de l'entraînement (Binder limite la
#   mémoire à 2 Gio).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Charger MNIST

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
(x_mnist, y_mnist), (x_test_mnist, y_test_mnist) = data.load_mnist()
print(f"Entraînement : {x_mnist.shape} {x_mnist.dtype} ; {y_mnist.shape}")
print(f"Test         : {x_test_mnist.shape} {x_test_mnist.dtype}")
print(f"Total        : {integer(len(x_mnist) + len(x_test_mnist))} images")
octets = x_mnist.nbytes + x_test_mnist.nbytes
print(f"Mémoire des images : {number(octets / 1e6, 1)} Mo")
print("Images par chiffre (entraînement) :", np.bincount(y_mnist).tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Des chiffres écrits à la main

# %% slideshow={"slide_type": "-"}
plots.digits_grid(x_mnist, y_mnist, clients=(0, 1), per_client=10)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Chaque image est un tableau 28 × 28 de niveaux de gris ; le chiffre
# attendu (l'étiquette) est écrit au-dessus.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les images utilisées ici
#
# En mode rapide, on ne garde qu'un échantillon, pour aller vite.

# %% slideshow={"slide_type": "-"}
x_train, y_train = x_mnist[:N_TRAIN], y_mnist[:N_TRAIN]
x_test, y_test = x_test_mnist[:N_TEST], y_test_mnist[:N_TEST]
print(
    f"Utilisées ici : {integer(len(x_train))} entraînement,",
    f"{integer(len(x_test))} test",
)
# Le jeu de test, en lots de 250 images : évaluer le CNN sur 1 000 images à
# la fois demanderait quelques centaines de Mo de mémoire de plus.
jeu_test = federated.to_dataset(x_test, y_test, batch_size=250)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les clients : 100 smartphones
#
# « Les données seraient réparties sur plusieurs appareils, tels que des
# smartphones que nous appelons clients. » Deux répartitions, celles de
# McMahan et al. (2017) :
#
# - **IID** : on mélange les images et chaque téléphone en reçoit une part
#   égale, tirée au hasard : tous les téléphones se ressemblent ;
# - **non-IID** (« tessons ») : on trie les images par chiffre, on les coupe
#   en 200 tessons de même taille, et chaque téléphone en reçoit 2 : la
#   plupart n'ont que **deux chiffres**. Un déséquilibre des **étiquettes**
#   poussé à l'extrême, que McMahan et al. qualifient eux-mêmes de
#   « pathologique ». Il ne modélise pas l'écriture de chacun : les images
#   d'un même chiffre sont réparties au hasard, sans lien avec leur scripteur.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min pour les répartitions et l'explorateur)
#
# - À dire : la carte de chaleur est l'outil pour « voir » le non-IID ; une
#   ligne par téléphone, une colonne par chiffre.
# - Question à la salle : « Dans la répartition en tessons, un téléphone
#   peut-il avoir un seul chiffre ? »
# - Réponse attendue : oui, si ses deux tessons tombent sur le même chiffre
#   (ou presque : un tesson peut aussi être à cheval sur deux chiffres) ; le
#   résumé chiffré donne le nombre moyen de classes par client.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Deux répartitions, en chiffres

# %% slideshow={"slide_type": "-"}
parts_iid = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
parts_non_iid = partition.shards(y_train, NUM_CLIENTS, seed=SEED)  # 2 tessons
print("IID —", partition.heterogeneity(y_train, parts_iid))
print("Non-IID —", partition.heterogeneity(y_train, parts_non_iid))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Qui a quels chiffres ?

# %% slideshow={"slide_type": "-"}
comptes = {
    "IID : tous les chiffres": partition.label_counts(y_train, parts_iid, 10),
    "Non-IID : 2 chiffres": partition.label_counts(y_train, parts_non_iid, 10),
}
plots.label_heatmaps(comptes)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Deux téléphones non-IID
#
# Une ligne par téléphone, une colonne par chiffre : à gauche, une teinte
# uniforme ; à droite, deux cases foncées par ligne. Voici les images de
# deux téléphones non-IID :

# %% slideshow={"slide_type": "-"}
plots.digits_grid(x_train, y_train, parts_non_iid, clients=(0, 1), per_client=9)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Explorez les répartitions
#
# Changez la répartition, α (petit = très non-IID) ou le nombre de clients.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
explorateur = widgets.partition_explorer(y_train, num_clients=20, seed=SEED)
explorateur

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : la liste propose IID, tessons, Dirichlet et déséquilibre de
#   taille ; la carte de chaleur, l'histogramme des tailles et le résumé
#   chiffré se redessinent à chaque réglage.
# - Question à la salle : « Que devient la carte quand α passe de 100 à
#   0,01 ? »
# - Réponse attendue : α grand, chaque client a presque la distribution de
#   l'ensemble (teinte uniforme) ; α petit, il n'a plus qu'un ou deux
#   chiffres (une ou deux cases foncées par ligne).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les 5 étapes pour fédérer avec TensorFlow
#
# | # | Étape (diapositive) | Ici |
# |---|---|---|
# | 1 | Définir votre modèle | le CNN de McMahan et al. (`models.cnn`) |
# | 2 | Définir vos données : un jeu par client | `federated.client_datasets` |
# | 3 | Définir votre calcul fédéré | FedAvg (`federated.build_process`) |
# | 4 | Compiler votre calcul fédéré | fait par TFF, signature `process.next.type_signature` |
# | 5 | Entraîner votre modèle | `federated.train` : `initialize`, puis `next` à chaque tour |

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 1 min)
#
# - À dire : c'est le plan de la suite ; une section par étape.
# - Question à la salle : « Laquelle de ces étapes n'existe pas en
#   apprentissage centralisé ? »
# - Réponse attendue : aucune n'est totalement nouvelle, mais l'étape 2 (un
#   jeu **par client**) et l'étape 4 (compiler un calcul **placé**) sont
#   propres au fédéré.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Définir votre modèle
#
# « N'importe quel modèle que TensorFlow prend en charge. » Nous prenons le
# réseau convolutif (CNN) de McMahan et al. : deux couches de convolution
# 5 × 5 (32 puis 64 filtres), chacune suivie d'un *max-pooling* 2 × 2, une
# couche dense de 512 neurones, et 10 sorties (une par chiffre).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : presque tous les paramètres sont dans la couche dense de 512
#   neurones ; c'est ce qui circule à chaque tour.
# - Question à la salle : « Combien d'octets un téléphone envoie-t-il au
#   serveur à chaque tour ? »
# - Réponse attendue : la taille d'une copie du modèle, affichée sur la
#   diapositive suivante (4 octets par paramètre en `float32`), quelle que
#   soit la quantité de ses images.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le CNN couche par couche

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
modele = models.cnn(seed=SEED)
for couche in modele.layers:
    forme = str(couche.output_shape)
    n_param = integer(couche.count_params())
    print(f"{couche.name:14s} {forme:18s} {n_param:>9} param.")
print(f"Total : {integer(models.count_params(modele))} paramètres")
octets_modele = integer(models.model_bytes(modele))
print(f"Une copie du modèle (float32) : {octets_modele} octets")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une fonction qui fabrique le modèle
#
# Le modèle renvoie 10 **logits** (des scores, sans softmax). TFF a besoin
# d'une fonction sans argument qui fabrique un modèle neuf, avec sa perte,
# ses métriques et la forme d'un lot de données : c'est
# `federated.tff_model_fn("cnn")`, qui appelle
# `tff.learning.models.from_keras_model`. TFF l'appelle lui-même, plusieurs
# fois, pour construire les calculs des clients et du serveur.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
model_fn = federated.tff_model_fn("cnn")
print("Un lot attendu par le modèle :", federated.input_spec())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Définir vos données
#
# « Une collection d'ensembles de données ; chaque ensemble représente les
# données d'un client différent. » Pour TFF : une liste de
# `tf.data.Dataset`, un par téléphone. Chaque jeu mélange les images du
# client (graine fixe), les regroupe en lots de `B` images converties en
# réels dans [0, 1], et les répète `E` fois : c'est le travail local d'un
# tour. Les jeux non-IID se construisent de la même façon ; pour économiser
# la mémoire, on ne les créera qu'au moment de s'en servir.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : le `Dataset` décrit un calcul paresseux ; rien n'est copié tant
#   qu'on ne le parcourt pas.
# - Question à la salle : « Combien de pas de SGD un téléphone fait-il à
#   chaque tour ? »
# - Réponse attendue : (ses exemples × E) / B, affiché à la fin de la
#   diapositive suivante : 600 exemples, E = 1 et B = 20 donnent 30 pas en
#   mode complet.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un jeu par téléphone

# %% slideshow={"slide_type": "-"}
jeux_iid = federated.client_datasets(
    x_train, y_train, parts_iid, epochs=EPOQUES, batch_size=LOT, seed=SEED
)
print(f"{len(jeux_iid)} jeux de données IID, un par téléphone")
print("Un élément (un lot) :", jeux_iid[0].element_spec)
print(f"Lots par tour et par client : {len(parts_iid[0]) * EPOQUES // LOT}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le premier lot d'un téléphone non-IID

# %% slideshow={"slide_type": "-"}
telephone_0 = parts_non_iid[:1]
jeu_non_iid_0 = federated.client_datasets(
    x_train, y_train, telephone_0, epochs=EPOQUES, batch_size=LOT, seed=SEED
)[0]
images, etiquettes = next(iter(jeu_non_iid_0))
chiffres = sorted(set(etiquettes.numpy().tolist()))
print(f"Téléphone non-IID 0 : {images.shape[0]} images, chiffres {chiffres}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. Définir votre calcul fédéré
#
# Le calcul fédéré est **FedAvg** :
# `tff.learning.algorithms.build_weighted_fed_avg`, que
# `federated.build_process("fedavg")` appelle avec :
#
# - chez chaque client, un SGD de taux `η = LR` sur ses lots (étape
#   « entraînement local » du notebook 02) ;
# - au serveur, la moyenne des différences `w_k − w` **pondérée par le
#   nombre d'exemples**, appliquée avec un SGD de taux 1 : cela revient à
#   prendre la moyenne pondérée des modèles des clients.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : la construction prend quelques secondes, car TFF trace et
#   compile tout le calcul ; on ne la refait pas à chaque tour.
# - Question à la salle : « Pourquoi un SGD de taux 1 au serveur revient-il
#   à prendre la moyenne des modèles ? »
# - Réponse attendue : `w + 1 × moyenne(w_k − w) = moyenne(w_k)` quand les
#   poids de la moyenne somment à 1.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le processus d'apprentissage
#
# On obtient un *processus d'apprentissage* : deux calculs fédérés,
# `initialize` (créer l'état du serveur) et `next` (jouer un tour).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
debut = time.perf_counter()
process = federated.build_process(
    "fedavg",
    model="cnn",
    client_lr=LR,
    server_lr=1.0,
)
duree = number(time.perf_counter() - debut, 1)
print(f"Processus FedAvg construit en {duree} s")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Compiler votre calcul fédéré
#
# « Utilisez TFF pour compiler votre calcul fédéré en un graphe TensorFlow. »
# C'est déjà fait : en construisant le processus, TFF a **tracé** le modèle,
# le travail des clients et celui du serveur, et en a tiré des graphes
# TensorFlow, avec une **signature de type** qui dit ce qui vit où.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : lire la signature comme au notebook 05 ; seul `client_data`
#   est placé chez les clients.
# - Question à la salle : « Qu'est-ce qui, dans cette signature, garantit
#   que les images ne quittent pas les téléphones ? »
# - Réponse attendue : `client_data` est `{...}@CLIENTS` et aucun résultat
#   n'est de ce type : seuls `state` et `metrics`, agrégés, sont `@SERVER`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce qui vit où

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
signature = process.next.type_signature
initialize = process.initialize.type_signature
placements = [
    ("initialize — résultat", initialize.result.placement),
    ("next — paramètre « state »", signature.parameter.state.placement),
    ("next — paramètre « client_data »", signature.parameter.client_data),
    ("next — résultat « state »", signature.result.state.placement),
    ("next — résultat « metrics »", signature.result.metrics.placement),
]
for nom, valeur in placements:
    print(f"{nom:33s} : {valeur}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Lire la signature
#
# - `state` est placé `@SERVER` : l'état du serveur (les poids du modèle
#   global et ceux des optimiseurs) ;
# - `client_data` est `{<float32[?,28,28,1],int32[?]>*}@CLIENTS` : **chaque**
#   client (accolades) fournit une **séquence** (`*`) de lots
#   `(images, étiquettes)` de taille quelconque (`?`). Ces données ne
#   quittent pas les clients ;
# - le résultat contient le nouvel état (sur le serveur) et des métriques
#   agrégées (`metrics`, sur le serveur) : perte et exactitude moyennes des
#   clients pendant leur entraînement local.
#
# La signature complète est longue, car elle décrit chaque tableau de poids.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### La signature complète

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
print(signature)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 5. Entraîner votre modèle
#
# « Exécutez votre calcul fédéré sur les clients pour entraîner votre
# modèle. » `federated.train` fait la boucle classique :
#
# ```python
# state = process.initialize()
# for tour in range(TOURS):
#     clients = tirage_au_sort(CLIENTS_PAR_TOUR)                # 1. sélection
#     result = process.next(state, [jeux[k] for k in clients])  # 2 à 5
#     state = result.state
#     # puis : évaluer le modèle global sur le jeu de test
# ```
#
# et garde l'historique : exactitude, perte, durée et octets de chaque tour.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min, dont l'attente de l'entraînement)
#
# - À dire : en mode complet, chaque tour dure plusieurs secondes ; profiter
#   de l'attente pour commenter la barre de progression et l'exactitude.
# - Question à la salle : « À chaque tour, combien de téléphones travaillent,
#   et que font les autres ? »
# - Réponse attendue : `CLIENTS_PAR_TOUR` (10 sur 100 en mode complet, C =
#   0,1) ; les autres ne font rien pendant ce tour, comme des téléphones
#   éteints ou occupés.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### FedAvg sur les téléphones IID

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
ENTRAINEMENT = dict(  # réglages communs aux entraînements fédérés
    rounds=TOURS,
    clients_per_round=CLIENTS_PAR_TOUR,
    test_data=jeu_test,
    seed=SEED,
    model="cnn",
    progress=True,
)
hist_iid = federated.train(process, jeux_iid, **ENTRAINEMENT)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### L'historique, tour par tour

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
print(hist_iid.table(every=max(1, TOURS // 4)))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Évaluation du modèle global
#
# Sur les images de test, jamais vues pendant l'entraînement.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : l'évaluation se fait ici sur le serveur, avec un jeu de test
#   central ; en vrai, on n'en a pas toujours un (évaluation fédérée).
# - Question à la salle : « Les erreurs du modèle vous paraissent-elles
#   excusables ? »
# - Réponse attendue : en partie : beaucoup d'images mal reconnues sont
#   ambiguës même pour un humain (un 4 ouvert, un 7 barré) ; en mode rapide,
#   le modèle est encore loin d'être entraîné.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
modele_global = models.compile_for_eval(models.cnn())
modele_global.set_weights(hist_iid.final_weights)
perte, exactitude = modele_global.evaluate(jeu_test, verbose=0)
print(f"Exactitude en test : {percent(exactitude)} (perte {number(perte, 4)})")
atteint = hist_iid.rounds_to(OBJECTIF)
objectif = percent(OBJECTIF, 0)
if atteint is None:
    print(f"Objectif de {objectif} non atteint en {len(hist_iid)} tours.")
else:
    print(f"Objectif de {objectif} atteint au tour {atteint}.")
print(f"Durée des tours : {number(sum(hist_iid.column('seconds')), 0)} s")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les erreurs du modèle
#
# Quelques images mal reconnues ; au-dessus, le chiffre **prédit**.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
predits = np.argmax(modele_global.predict(jeu_test, verbose=0), axis=1)
erreurs = np.flatnonzero(predits != y_test)
print(f"{integer(len(erreurs))} erreurs sur {integer(len(y_test))} images")
n = min(10, max(1, len(erreurs)))
x_err, y_err = x_test[erreurs], predits[erreurs]
plots.digits_grid(x_err, y_err, clients=(0,), per_client=n)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## IID, non-IID ou centralisé ?
#
# Deux entraînements de comparaison, avec les mêmes réglages (E, B, η) :
#
# - **FedAvg non-IID** : le même processus, sur les téléphones à deux
#   chiffres ;
# - **centralisé** : toutes les images au même endroit, un SGD classique
#   (lots de `B`) qui traite, entre deux évaluations, **autant d'exemples**
#   qu'un tour fédéré (`CLIENTS_PAR_TOUR` clients × leurs exemples × `E`).
#   L'axe horizontal compte alors le même travail de calcul pour les trois
#   courbes.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 10 min, dont les deux entraînements)
#
# - À dire : à travail de calcul égal, l'écart entre les courbes mesure le
#   prix de la fédération, puis celui du non-IID.
# - Question à la salle : « Pourquoi le non-IID ralentit-il FedAvg, alors
#   que chaque image sert autant qu'en IID ? »
# - Réponse attendue : chaque téléphone tire le modèle vers ses deux
#   chiffres ; les mises à jour se contredisent et leur moyenne avance moins
#   droit (dérive des clients, notebook 07).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### FedAvg sur les téléphones non-IID

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
runtime.stop_all_workers()  # rend sa mémoire ; repart au calcul suivant
del jeux_iid  # les jeux IID ne servent plus
jeux_non_iid = federated.client_datasets(
    x_train, y_train, parts_non_iid, epochs=EPOQUES, batch_size=LOT, seed=SEED
)
hist_non_iid = federated.train(process, jeux_non_iid, **ENTRAINEMENT)
print(hist_non_iid.table(every=max(1, TOURS // 4)))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le centralisé, à travail égal

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
runtime.stop_all_workers()  # plus de calcul fédéré : on rend la mémoire
del jeux_non_iid
exemples_par_tour = CLIENTS_PAR_TOUR * len(parts_iid[0]) * EPOQUES
central = federated.centralized_rounds(
    x_train, y_train, TOURS, exemples_par_tour, jeu_test, batch_size=LOT, lr=LR
)
pas = central["steps_per_round"]
courbes = {"IID": hist_iid, "Non-IID": hist_non_iid, "Centralisé": central}
print(f"Centralisé : {pas} pas de SGD", end=" ")
print(f"({integer(exemples_par_tour)} exemples) par tour")
print(f"Exactitude en test finale : {percent(central['test_accuracy'][-1])}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exactitude en test : IID, non-IID, centralisé

# %% slideshow={"slide_type": "-"}
plots.training_curves(courbes, target=OBJECTIF, ax=plots.slide_axes())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les trois entraînements en chiffres

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
print(federated.comparison_table(courbes, target=OBJECTIF))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que montrent les courbes et le tableau
#
# - à travail égal, le **centralisé** progresse le plus vite : il fait tous
#   ses pas de SGD à la suite, alors que FedAvg moyenne des pas faits en
#   parallèle ; mais il exige de rassembler toutes les images ;
# - **FedAvg IID** s'en approche sans qu'aucune image ne quitte son
#   téléphone ;
# - **FedAvg non-IID** est nettement plus lent et plus irrégulier : chaque
#   téléphone tire le modèle vers ses deux chiffres. Le notebook
#   [07](07_non_iid_algorithmes.ipynb) cherche de meilleurs algorithmes pour
#   ce cas.
#
# Ces constats valent pour le mode complet. En mode rapide (échantillon,
# 3 tours), les chiffres sont bien plus bas.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Évaluation fédérée : la moyenne et les téléphones
#
# Jusqu'ici, le serveur évaluait le modèle sur un jeu de test **central**.
# En vrai, il n'en a souvent pas : ce sont les téléphones qui évaluent le
# modèle sur leurs propres images, et seules des sommes remontent
# (`federated.federated_evaluation`, c'est-à-dire
# `tff.learning.algorithms.build_fed_eval` de TFF).
#
# Chaque téléphone reçoit ici des images de test tirées comme les siennes
# (`partition.like` : mêmes chiffres, mêmes proportions). La simulation
# permet ce que le serveur ne voit pas : l'exactitude **de chaque
# téléphone**.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : l'exactitude agrégée est une moyenne pondérée par les exemples ;
#   elle dit combien d'images sont bien reconnues, pas combien de
#   téléphones sont bien servis.
# - Question à la salle : « Un modèle à 95 % en moyenne peut-il être
#   inutilisable pour certains utilisateurs ? »
# - Réponse attendue : oui : si leurs chiffres sont justement ceux que le
#   modèle confond, leur exactitude est bien plus basse ; l'histogramme des
#   téléphones non-IID le montre. C'est une question d'équité.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Chaque téléphone évalue le modèle global

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
modeles = {"IID": (hist_iid, parts_iid)}
modeles["Non-IID"] = (hist_non_iid, parts_non_iid)
evaluations = {}
for nom, (hist, parts) in modeles.items():
    tests = partition.like(y_train, parts, y_test, seed=SEED)  # test du client
    jeux_tests = federated.client_datasets(x_test, y_test, tests, batch_size=50)
    poids = hist.final_weights
    evaluations[nom] = federated.federated_evaluation(poids, jeux_tests)
    print(f"{nom} : {evaluations[nom]}")
runtime.stop_all_workers()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### L'exactitude de chaque téléphone

# %% slideshow={"slide_type": "-"}
plots.client_accuracies(evaluations, ax=plots.slide_axes(height=2.4))

# %% [markdown] slideshow={"slide_type": "fragment"}
# En non-IID, la moyenne (pointillés) cache des téléphones bien moins servis.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Les 5 étapes : **modèle** Keras (`tff_model_fn`) → **données**, un
#   `tf.data.Dataset` par client → **calcul fédéré** FedAvg
#   (`build_weighted_fed_avg`) → **compilation** par TFF (signature
#   `{...}@CLIENTS` → `...@SERVER`) → **entraînement** (`initialize`, puis
#   `next` à chaque tour).
# - Les images restent sur les « smartphones » ; seuls des poids circulent.
# - Avec des clients IID, FedAvg approche l'entraînement centralisé ; avec
#   des clients non-IID (deux chiffres par téléphone), il ralentit
#   nettement.
# - L'exactitude agrégée est une moyenne : l'évaluation fédérée, téléphone
#   par téléphone, montre qui reste à la traîne.
# - Les réglages qui comptent : clients par tour (C), époques locales (E),
#   taille des lots (B), taux d'apprentissage (η).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : faire citer les 5 étapes dans l'ordre, sans regarder.
# - Question à la salle : « Quel réglage changeriez-vous en premier pour
#   accélérer FedAvg non-IID ? »
# - Réponse attendue : pas de bonne réponse unique : plus de clients par
#   tour (C) lisse la moyenne, plus d'époques locales (E) ajoute du calcul
#   mais aussi de la dérive ; on mesure, comme au notebook 07.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# Le cahier [exercices/06_exemple_mnist_exercices.ipynb](exercices/06_exemple_mnist_exercices.ipynb)
# vérifie chaque réponse (`verifier.exercice`) ; les calculs durent quelques minutes.
#
# 1. **Plus de travail local.** ★ découverte · 15 min · calcul long (≈ 10 min).
#    FedAvg IID avec E = 5 : en combien de tours 97 %, pour combien d'octets ?
# 2. **Le 2NN.** ★★ application · 10 min · calcul long (≈ 3 min).
#    Le modèle « mlp » au lieu du CNN : exactitude, durée des tours, octets ?
# 3. **Dirichlet.** ★★★ approfondissement · 20 min · calcul long (≈ 6 min).
#    L'α à mi-chemin entre IID et tessons (variation totale) : où est sa courbe ?
#
# Solutions : [solutions/06_exemple_mnist_solutions.ipynb](solutions/06_exemple_mnist_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min en salle, le reste en autonomie)
#
# - À dire : chaque exercice demande un entraînement de plusieurs minutes ;
#   le lancer puis discuter pendant qu'il tourne.
# - Question à la salle : « Dans l'exercice 1, les octets échangés par tour
#   changent-ils avec E = 5 ? »
# - Réponse attendue : non, un tour échange toujours une copie du modèle
#   par client ; E = 5 ne change que le calcul local, et peut réduire le
#   nombre de tours, donc le total d'octets.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Une réponse par question (onglets Q1, Q2…), puis « Vérifier » : la
# correction et son explication s'affichent.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("06")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : chacun répond seul, puis on compare à deux ; on ne lit
#   l'explication qu'après avoir voté.
# - Question à la salle : « À travail de calcul égal, FedAvg sur des
#   téléphones IID va-t-il aussi vite que l'entraînement centralisé ? »
# - Réponse attendue : non, et c'est le piège : le centralisé enchaîne ses
#   pas de SGD, FedAvg moyenne des pas faits en parallèle ; la courbe
#   centralisée reste au-dessus, comme dans le tableau des trois
#   entraînements. Le prix du centralisé : rassembler toutes les images.
