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

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import data, federated, models, partition, plots, runtime, widgets

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

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
(x_train_complet, y_train_complet), (x_test_complet, y_test_complet) = data.load_mnist()
print(
    f"Entraînement : {x_train_complet.shape} {x_train_complet.dtype}, étiquettes {y_train_complet.shape}"
)
print(
    f"Test         : {x_test_complet.shape} {x_test_complet.dtype}, étiquettes {y_test_complet.shape}"
)
print(f"Total        : {len(x_train_complet) + len(x_test_complet)} images")
print(
    f"Mémoire des images : {(x_train_complet.nbytes + x_test_complet.nbytes) / 1e6:.1f} Mo"
)
print("Images par chiffre (entraînement) :", np.bincount(y_train_complet).tolist())

# %% slideshow={"slide_type": "subslide"}
plots.digits_grid(x_train_complet, y_train_complet, clients=(0, 1, 2), per_client=10)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Chaque image est un tableau 28 × 28 de niveaux de gris ; le chiffre
# attendu (l'étiquette) est écrit au-dessus. En mode rapide, on ne garde
# qu'un échantillon, pour aller vite :

# %% slideshow={"slide_type": "-"}
x_train, y_train = x_train_complet[:N_TRAIN], y_train_complet[:N_TRAIN]
x_test, y_test = x_test_complet[:N_TEST], y_test_complet[:N_TEST]
print(
    f"Utilisées ici : {len(x_train)} images d'entraînement, {len(x_test)} images de test"
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
#   en 200 tessons de même taille, et chaque téléphone reçoit 2 tessons :
#   la plupart des téléphones n'ont que **deux chiffres**. C'est un
#   déséquilibre des **étiquettes**, poussé à l'extrême pour mettre FedAvg
#   en difficulté : McMahan et al. la qualifient eux-mêmes de
#   « pathologique ». Elle ne modélise pas l'écriture de chacun : les
#   images d'un même chiffre sont réparties au hasard, sans lien avec leur
#   scripteur.

# %% slideshow={"slide_type": "subslide"}
parts_iid = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
parts_non_iid = partition.shards(y_train, NUM_CLIENTS, shards_per_client=2, seed=SEED)
print("IID —", partition.heterogeneity(y_train, parts_iid))
print("Non-IID —", partition.heterogeneity(y_train, parts_non_iid))

# %% slideshow={"slide_type": "subslide"}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 6), layout="constrained")
plt.close(fig)
plots.label_heatmap(
    partition.label_counts(y_train, parts_iid, num_classes=10),
    title="IID : chaque téléphone a tous les chiffres",
    ax=ax1,
)
plots.label_heatmap(
    partition.label_counts(y_train, parts_non_iid, num_classes=10),
    title="Non-IID : deux chiffres par téléphone",
    ax=ax2,
)
fig

# %% [markdown] slideshow={"slide_type": "fragment"}
# Une ligne par téléphone, une colonne par chiffre : à gauche, une teinte
# uniforme ; à droite, deux cases foncées par ligne. Voici les images de
# trois téléphones non-IID :

# %% slideshow={"slide_type": "-"}
plots.digits_grid(
    x_train,
    y_train,
    parts_non_iid,
    clients=(0, 1, 2),
    per_client=10,
    title="Trois téléphones non-IID",
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Explorez les répartitions
#
# Changez la répartition (IID, tessons, Dirichlet, déséquilibre de taille),
# le paramètre α de Dirichlet (petit α = très non-IID) ou le nombre de
# clients : la carte de chaleur et l'histogramme des tailles se redessinent,
# avec le résumé chiffré.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
explorateur = widgets.partition_explorer(y_train, num_clients=20, seed=SEED)
explorateur

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

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Définir votre modèle
#
# « N'importe quel modèle que TensorFlow prend en charge. » Nous prenons le
# réseau convolutif (CNN) de McMahan et al. : deux couches de convolution
# 5 × 5 (32 puis 64 filtres), chacune suivie d'un *max-pooling* 2 × 2, une
# couche dense de 512 neurones, et 10 sorties (une par chiffre).

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
modele = models.cnn(seed=SEED)
print(f"{'Couche':10s} {'Type':14s} {'Sortie':18s} {'Paramètres':>10s}")
for couche in modele.layers:
    print(
        f"{couche.name:10s} {type(couche).__name__:14s} "
        f"{str(couche.output_shape):18s} {couche.count_params():10d}"
    )
print(f"Total : {models.count_params(modele)} paramètres")
print(f"Taille d'une copie du modèle (float32) : {models.model_bytes(modele)} octets")

# %% [markdown] slideshow={"slide_type": "fragment"}
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

# %% slideshow={"slide_type": "subslide"}
jeux_iid = federated.client_datasets(
    x_train, y_train, parts_iid, epochs=EPOQUES, batch_size=LOT, seed=SEED
)
print(f"{len(jeux_iid)} jeux de données IID, un par téléphone")
print("Un élément (un lot) :", jeux_iid[0].element_spec)
jeu_non_iid_0 = federated.client_datasets(
    x_train, y_train, parts_non_iid[:1], epochs=EPOQUES, batch_size=LOT, seed=SEED
)[0]
images, etiquettes = next(iter(jeu_non_iid_0))
print(
    f"Premier lot du téléphone non-IID 0 : {images.shape[0]} images, étiquettes {sorted(set(etiquettes.numpy().tolist()))}"
)
print(f"Lots par tour et par client : {len(parts_iid[0]) * EPOQUES // LOT}")

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
#
# On obtient un *processus d'apprentissage* : deux calculs fédérés,
# `initialize` (créer l'état du serveur) et `next` (jouer un tour).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
debut = time.perf_counter()
process = federated.build_process("fedavg", model="cnn", client_lr=LR, server_lr=1.0)
print(f"Processus FedAvg construit en {time.perf_counter() - debut:.1f} s")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 4. Compiler votre calcul fédéré
#
# « Utilisez TFF pour compiler votre calcul fédéré en un graphe TensorFlow. »
# C'est déjà fait : en construisant le processus, TFF a **tracé** le modèle,
# le travail des clients et celui du serveur, et en a tiré des graphes
# TensorFlow, avec une **signature de type** qui dit ce qui vit où.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
signature = process.next.type_signature
placements = [
    ("initialize — résultat", process.initialize.type_signature.result.placement),
    ("next — paramètre « state »", signature.parameter.state.placement),
    ("next — paramètre « client_data »", signature.parameter.client_data),
    ("next — résultat « state »", signature.result.state.placement),
    ("next — résultat « metrics »", signature.result.metrics.placement),
]
for nom, valeur in placements:
    print(f"{nom:33s} : {valeur}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Lecture :
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
# La signature complète est longue, car elle décrit chaque tableau de poids :

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
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

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
hist_iid = federated.train(
    process,
    jeux_iid,
    rounds=TOURS,
    clients_per_round=CLIENTS_PAR_TOUR,
    test_data=jeu_test,
    seed=SEED,
    model="cnn",
    progress=True,
)
print(hist_iid.table())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Évaluation du modèle global
#
# Le modèle global final, évalué sur les images de test (jamais vues pendant
# l'entraînement : ni par les clients, ni par le serveur).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
modele_global = models.compile_for_eval(models.cnn())
modele_global.set_weights(hist_iid.final_weights)
perte, exactitude = modele_global.evaluate(jeu_test, verbose=0)
print(
    f"Exactitude en test du modèle global : {exactitude:.4f} sur {len(y_test)} images (perte {perte:.4f})"
)
exactitudes = hist_iid.column("test_accuracy")
atteint = next(
    (t for t, a in zip(hist_iid.column("round"), exactitudes) if a >= OBJECTIF), None
)
if atteint is None:
    print(f"Objectif de {OBJECTIF:.0%} non atteint en {len(hist_iid)} tours.")
else:
    print(f"Objectif de {OBJECTIF:.0%} atteint au tour {atteint}.")
print(f"Durée des tours : {sum(hist_iid.column('seconds')):.0f} s au total")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les erreurs du modèle
#
# Quelques images de test mal reconnues ; au-dessus, le chiffre **prédit**
# par le modèle global.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
predits = np.argmax(modele_global.predict(jeu_test, verbose=0), axis=1)
erreurs = np.flatnonzero(predits != y_test)
print(f"{len(erreurs)} erreurs sur {len(y_test)} images")
plots.digits_grid(
    x_test[erreurs],
    predits[erreurs],
    clients=(0,),
    per_client=min(10, max(1, len(erreurs))),
    title="Images mal reconnues (au-dessus : chiffre prédit)",
)

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

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
# Le moteur TFF (worker_binary) grossit au fil des tours : on l'arrête pour
# rendre sa mémoire ; il redémarre tout seul au calcul fédéré suivant.
runtime.stop_all_workers()
del jeux_iid  # les jeux IID ne servent plus : on libère leur mémoire
jeux_non_iid = federated.client_datasets(
    x_train, y_train, parts_non_iid, epochs=EPOQUES, batch_size=LOT, seed=SEED
)
hist_non_iid = federated.train(
    process,
    jeux_non_iid,
    rounds=TOURS,
    clients_per_round=CLIENTS_PAR_TOUR,
    test_data=jeu_test,
    seed=SEED,
    model="cnn",
    progress=True,
)
print(hist_non_iid.table())

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
runtime.stop_all_workers()  # plus de calcul fédéré : on rend la mémoire du moteur
del jeux_non_iid
exemples_par_tour = CLIENTS_PAR_TOUR * len(parts_iid[0]) * EPOQUES
pas_par_tour = exemples_par_tour // LOT
modele_central = models.compiled("cnn", lr=LR, seed=SEED)
flux = federated.to_dataset(
    x_train, y_train, batch_size=LOT, shuffle_seed=SEED
).repeat()
debut = time.perf_counter()
ajustement = modele_central.fit(
    flux,
    steps_per_epoch=pas_par_tour,
    epochs=TOURS,
    validation_data=jeu_test,
    verbose=0,
)
duree_centralise = time.perf_counter() - debut
central = {
    "round": list(range(1, TOURS + 1)),
    "test_accuracy": ajustement.history["val_accuracy"],
}
print(
    f"Centralisé : {pas_par_tour} pas de SGD ({exemples_par_tour} exemples) entre deux évaluations"
)
print(
    f"Exactitude en test finale : {central['test_accuracy'][-1]:.4f} ({duree_centralise:.0f} s)"
)

# %% slideshow={"slide_type": "subslide"}
plots.training_curves(
    {
        "FedAvg, IID": hist_iid,
        "FedAvg, non-IID (tessons)": hist_non_iid,
        "Centralisé (même nombre d'exemples)": central,
    },
    target=OBJECTIF,
    title="Exactitude sur le jeu de test : fédéré IID, non-IID, centralisé",
)


# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
def premier_tour(rounds, exactitudes):
    return next((t for t, a in zip(rounds, exactitudes) if a >= OBJECTIF), None)


lignes = [
    (
        "FedAvg IID",
        hist_iid.column("round"),
        hist_iid.column("test_accuracy"),
        sum(hist_iid.column("seconds")),
    ),
    (
        "FedAvg non-IID",
        hist_non_iid.column("round"),
        hist_non_iid.column("test_accuracy"),
        sum(hist_non_iid.column("seconds")),
    ),
    ("Centralisé", central["round"], central["test_accuracy"], duree_centralise),
]
print(
    f"{'Entraînement':16s} {'Exactitude finale':>17s} {'Meilleure':>10s} {'Tour ≥ ' + format(OBJECTIF, '.0%'):>10s} {'Durée (s)':>10s}"
)
for nom, rounds, exactitudes, duree in lignes:
    tour = premier_tour(rounds, exactitudes)
    print(
        f"{nom:16s} {exactitudes[-1]:17.4f} {max(exactitudes):10.4f} "
        f"{'—' if tour is None else tour:>10} {duree:10.0f}"
    )

# %% [markdown] slideshow={"slide_type": "fragment"}
# Ce que montrent les courbes et le tableau :
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
# Ces sorties sont celles du mode complet. En mode rapide (échantillon,
# 3 tours), les chiffres sont bien plus bas.

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
# - Les réglages qui comptent : clients par tour (C), époques locales (E),
#   taille des lots (B), taux d'apprentissage (η).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Plus de travail local.** Relancez FedAvg IID avec `E = 5` époques
#    locales (un nouveau `client_datasets(..., epochs=5)`). En combien de
#    tours atteignez-vous 97 % ? Et combien d'octets ont circulé ?
# 2. **Le 2NN.** Remplacez le CNN par le modèle « mlp » (`build_process(...,
#    model="mlp")`, `train(..., model="mlp")`). Comparez l'exactitude et la
#    durée des tours.
# 3. **Dirichlet.** Avec l'explorateur, trouvez un α de Dirichlet dont
#    la variation totale moyenne (l'écart à la distribution globale,
#    dernière ligne du résumé) est à mi-chemin entre celle de la
#    répartition IID et celle des tessons (affichées plus haut). Entraînez FedAvg sur cette répartition
#    (`partition.dirichlet`) : où se place sa courbe entre IID et tessons ?
#
# Solutions : [solutions/06_exemple_mnist_solutions.ipynb](solutions/06_exemple_mnist_solutions.ipynb).
