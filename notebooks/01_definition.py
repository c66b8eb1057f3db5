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
# # 01 — C'est quoi le federated learning ?
#
# Une définition, une comparaison avec l'apprentissage centralisé, et une
# première démonstration en direct : trois « téléphones » qui apprennent
# ensemble à lire des chiffres manuscrits, sans jamais montrer leurs images.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - définir l'apprentissage fédéré et dire ce qui circule (et ce qui ne
#   circule pas) entre les clients et le serveur ;
# - comparer apprentissage centralisé et apprentissage fédéré ;
# - décrire un tour fédéré : diffusion, entraînement local, moyenne ;
# - lire les résultats d'une petite expérience : chaque client seul, le
#   modèle moyen, le modèle centralisé.
#
# **Durée** : 30 minutes.
#
# **Prérequis** : savoir ce qu'est un réseau de neurones entraîné par
# descente de gradient, et ce qu'est l'exactitude (*accuracy* : la part
# d'exemples bien classés) sur un jeu de test. Aucune connaissance de
# TensorFlow Federated n'est nécessaire.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

import numpy as np
import tensorflow as tf

import fltutor
from fltutor import data, federated, models, partition, plots, scratch

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if not tf.__version__.startswith("2.14."):
    print("Attention : ce cours est prévu pour TensorFlow 2.14.")
print(f"TensorFlow {tf.__version__} ; mode rapide : {'oui' if QUICK else 'non'}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## La définition
#
# > Le **federated learning** est une technique d'apprentissage automatique
# > qui permet à plusieurs appareils ou clients de **former collaborativement
# > un modèle** sans **partager leurs données** avec un serveur central.
#
# Trois idées dans cette phrase :
#
# - **plusieurs appareils ou clients** : des téléphones, des voitures, des
#   hôpitaux… chacun possède ses propres données ;
# - **former collaborativement un modèle** : à la fin, il y a **un** modèle
#   commun, meilleur que ce que chacun aurait appris seul ;
# - **sans partager leurs données** : les exemples d'entraînement ne quittent
#   jamais l'appareil. Ce qui circule, ce sont des **paramètres de modèle**.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce qui circule, ce qui ne circule pas
#
# | Reste sur l'appareil | Circule sur le réseau |
# |---|---|
# | les données brutes (photos, messages, mesures) | le modèle global, du serveur vers les clients |
# | les calculs d'entraînement | les modèles (ou mises à jour) entraînés, des clients vers le serveur |
# | | éventuellement quelques nombres : nombre d'exemples, perte moyenne |
#
# Le terme vient de Google (McMahan et al., 2017, « Communication-Efficient
# Learning of Deep Networks from Decentralized Data »). Google l'a ensuite
# appliqué au clavier Gboard des téléphones Android, pour prédire le mot
# suivant sans collecter ce que tapent les utilisateurs (Hard et al., 2018,
# « Federated Learning for Mobile Keyboard Prediction »).
#
# Attention : « les données ne quittent pas l'appareil » ne veut pas dire
# « rien ne fuit ». Un modèle entraîné garde la trace de ses données ; le
# notebook [08](08_confidentialite.ipynb) montre ce qui peut fuir et comment
# s'en protéger.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Centralisé ou fédéré ?
#
# | | Apprentissage **centralisé** | Apprentissage **fédéré** |
# |---|---|---|
# | Où sont les données ? | toutes copiées sur un serveur | chacune reste chez son client |
# | Qui entraîne ? | le serveur | les clients, chacun sur ses données |
# | Ce qui circule | les données (une fois, mais toutes) | le modèle, à chaque tour, dans les deux sens |
# | Rôle du serveur | tout | coordonner et faire la moyenne |
# | Confidentialité | le serveur voit tout | le serveur ne voit que des modèles |
# | Données d'entraînement | mélangées, bien réparties | inégales et déséquilibrées d'un client à l'autre (« non-IID ») |
# | Qualité du modèle | la référence | s'en approche, plus lentement |
#
# Le fédéré n'est pas « gratuit » : il demande plusieurs allers-retours et
# supporte mal des clients très différents. On le choisit quand la
# centralisation est **impossible ou interdite**.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le flux de travail de l'apprentissage collaboratif
#
# Un entraînement fédéré est une suite de **tours**. À chaque tour :

# %% slideshow={"slide_type": "-"}
plots.workflow_diagram()

# %% [markdown] slideshow={"slide_type": "fragment"}
# 1. le serveur **tire au sort** quelques clients disponibles ;
# 2. il leur **envoie** le modèle global `w` ;
# 3. chaque client **s'entraîne** quelques époques sur ses données ;
# 4. il **renvoie** son modèle `w_k` — jamais ses données ;
# 5. le serveur fait la **moyenne pondérée** des modèles reçus (un client
#    qui a plus d'exemples compte davantage) : c'est le nouveau `w`.
#
# Cet algorithme s'appelle **FedAvg** (*Federated Averaging*). Le notebook
# [02](02_etapes.ipynb) détaille chaque étape.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Première démo : trois téléphones
#
# Trois téléphones ont chacun quelques centaines de chiffres manuscrits
# (tirés de MNIST), mais **pas les mêmes chiffres** : chacun ne voit que
# quelques classes. C'est la situation typique du fédéré : chaque utilisateur
# a ses habitudes, aucun n'a une vue d'ensemble.
#
# On répartit les images avec `fltutor.partition.shards` : les exemples sont
# triés par chiffre puis découpés en **tessons**, un tesson par téléphone.

# %% slideshow={"slide_type": "subslide"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()
NB_TELEPHONES = 3
PAR_TELEPHONE = 200 if QUICK else 300

rng = np.random.default_rng(SEED)
echantillon = np.sort(
    rng.choice(len(y_train), NB_TELEPHONES * PAR_TELEPHONE, replace=False)
)
tranches = partition.shards(
    y_train[echantillon], NB_TELEPHONES, shards_per_client=1, seed=SEED
)
telephones = [echantillon[t] for t in tranches]  # indices dans le jeu d'entraînement
comptes = partition.label_counts(y_train, telephones, num_classes=10)

chiffres_de = []
for k, idx in enumerate(telephones):
    chiffres = np.flatnonzero(comptes[k])
    chiffres_de.append(chiffres)
    print(
        f"Téléphone {k + 1} : {len(idx)} images, chiffres {', '.join(map(str, chiffres))}"
    )

# %% slideshow={"slide_type": "subslide"}
plots.digits_grid(
    x_train,
    y_train,
    telephones,
    clients=range(NB_TELEPHONES),
    per_client=10,
    title="Quelques images de chaque téléphone (la ligne « Client 0 » est le téléphone 1, etc.)",
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un tour, pas à pas
#
# Le modèle est le réseau « 2NN » du cours (`fltutor.models.mlp()` : deux
# couches cachées de 200 neurones). Le fédéré « à la main » est dans
# `fltutor.scratch`, une fonction par étape :
#
# - `broadcast(w)` : le serveur envoie une **copie** du modèle global ;
# - `local_train(modele, w, donnees, lr)` : le téléphone fait une époque de
#   descente de gradient sur **ses** images et renvoie ses nouveaux poids ;
# - `aggregate(poids, tailles)` : le serveur fait la moyenne pondérée.
#
# On mesure l'exactitude de chaque modèle sur les **10 000** images de test
# de MNIST, qui contiennent les dix chiffres.

# %% slideshow={"slide_type": "-"}
TAUX = 0.1  # taux d'apprentissage local
jeux = federated.client_datasets(
    x_train, y_train, telephones, epochs=1, batch_size=10, seed=SEED
)
modele = models.mlp(seed=SEED)  # sert aux calculs ; les poids voyagent à part
evaluateur = models.mlp(seed=SEED)
# Tout le jeu de test en un seul lot (images float32 dans [0, 1], forme (N, 28, 28, 1)).
images_test, _ = next(
    iter(federated.to_dataset(x_test, y_test, batch_size=len(y_test)))
)


def exactitude(poids, chiffres=None):
    """Exactitude des poids sur le test (ou sur les seuls `chiffres` donnés)."""
    evaluateur.set_weights(poids)
    prediction = np.argmax(evaluateur(images_test, training=False).numpy(), axis=1)
    garde = slice(None) if chiffres is None else np.isin(y_test, chiffres)
    return float(np.mean(prediction[garde] == y_test[garde]))


w_global = modele.get_weights()  # le modèle initial, tiré au hasard
print(
    f"Modèle initial : exactitude {exactitude(w_global):.1%} (le hasard : environ 10 %)"
)

# 2. diffusion, 3. entraînement local sur chaque téléphone
resultats = [
    scratch.local_train(modele, scratch.broadcast(w_global), jeu, lr=TAUX)
    for jeu in jeux
]
exactitudes_locales = [exactitude(w_k) for w_k, _ in resultats]
for k, ((_, n_k), p) in enumerate(zip(resultats, exactitudes_locales)):
    print(
        f"Téléphone {k + 1} après son entraînement ({n_k} exemples) : exactitude {p:.1%}"
    )

# 4. envoi des modèles, 5. moyenne pondérée
w_global = scratch.aggregate([w for w, _ in resultats], [n for _, n in resultats])
print(
    f"Modèle moyen (serveur)                         : exactitude {exactitude(w_global):.1%}"
)

# On garde les exactitudes de ce premier tour pour la suite.
courbes = {
    f"Téléphone {k + 1}, après son entraînement local": [p]
    for k, p in enumerate(exactitudes_locales)
}
courbes["Modèle moyen (serveur)"] = [exactitude(w_global)]

# %% [markdown] slideshow={"slide_type": "fragment"}
# Chaque téléphone ne reconnaît que **ses** chiffres : sur l'ensemble du test,
# son exactitude reste faible. La **moyenne** de leurs trois modèles combine ce
# que chacun a appris, mais après un seul tour elle peut encore être
# médiocre (comparez les lignes) : partis du même modèle, les trois
# téléphones l'ont tiré dans des directions différentes. Recommençons, en
# repartant à chaque fois du modèle moyen, qui est renvoyé aux téléphones.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Plusieurs tours

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
TOURS = 5 if QUICK else 10
NOMS = list(courbes)


def affiche_tour(tour):
    locales = " / ".join(f"{courbes[nom][tour - 1]:.1%}" for nom in NOMS[:-1])
    print(
        f"tour {tour:2d} : téléphones {locales} ; modèle moyen {courbes[NOMS[-1]][tour - 1]:.1%}"
    )


affiche_tour(1)  # le tour fait pas à pas ci-dessus
for tour in range(2, TOURS + 1):  # on repart à chaque fois du modèle moyen
    resultats = [
        scratch.local_train(modele, scratch.broadcast(w_global), jeu, lr=TAUX)
        for jeu in jeux
    ]
    w_global = scratch.aggregate([w for w, _ in resultats], [n for _, n in resultats])
    for nom, (w_k, _) in zip(NOMS, resultats):
        courbes[nom].append(exactitude(w_k))
    courbes[NOMS[-1]].append(exactitude(w_global))
    affiche_tour(tour)

# %% slideshow={"slide_type": "subslide"}
plots.training_curves(
    {
        nom: {"round": list(range(1, TOURS + 1)), "test_accuracy": v}
        for nom, v in courbes.items()
    },
    title="Trois téléphones et leur modèle moyen : exactitude sur les 10 chiffres",
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# À chaque tour, chaque téléphone **spécialise** le modèle reçu vers ses
# chiffres (son exactitude sur l'ensemble du test retombe), puis la moyenne
# **recombine** les trois spécialisations. Le modèle moyen progresse de tour
# en tour, alors qu'aucun téléphone n'a jamais vu une image d'un autre.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le bilan : seul, fédéré, centralisé
#
# Comparons trois situations, avec le même nombre de passages sur les
# données :
#
# - **chaque téléphone seul**, qui s'entraîne sur ses images sans jamais
#   coopérer ;
# - le **modèle fédéré** obtenu ci-dessus ;
# - un modèle **centralisé**, entraîné sur les images des trois téléphones
#   réunies — ce que le fédéré cherche justement à éviter.
#
# On mesure l'exactitude sur tout le test, et sur les seuls chiffres que
# chaque téléphone connaît.

# %% slideshow={"slide_type": "-"}
print(
    f"{'Modèle':<28}{'tout le test':>13}"
    + "".join(f"{'chiffres du tél. ' + str(k + 1):>21}" for k in range(NB_TELEPHONES))
)


def ligne(nom, poids):
    """Affiche une ligne du tableau ; renvoie l'exactitude sur tout le test."""
    total = exactitude(poids)
    cases = "".join(
        f"{exactitude(poids, chiffres_de[k]):>21.1%}" for k in range(NB_TELEPHONES)
    )
    print(f"{nom:<28}{total:>13.1%}" + cases)
    return total


exactitude_seuls = []
for k, jeu in enumerate(jeux):
    w_seul = models.mlp(seed=SEED).get_weights()
    for _ in range(TOURS):  # autant d'époques que de tours fédérés
        w_seul, _ = scratch.local_train(modele, w_seul, jeu, lr=TAUX)
    exactitude_seuls.append(ligne(f"Téléphone {k + 1} seul", w_seul))

exactitude_federe = ligne("Fédéré (modèle moyen)", w_global)

reunies = np.concatenate(telephones)
jeu_central = federated.to_dataset(
    x_train[reunies], y_train[reunies], batch_size=10, shuffle_seed=SEED
)
w_central = models.mlp(seed=SEED).get_weights()
for _ in range(TOURS):
    w_central, _ = scratch.local_train(modele, w_central, jeu_central, lr=TAUX)
exactitude_central = ligne("Centralisé (tout réuni)", w_central)

print()
print(
    "Le fédéré dépasse chaque téléphone seul :",
    "oui" if exactitude_federe > max(exactitude_seuls) else "non",
)
print(
    f"Écart entre centralisé et fédéré : {100 * (exactitude_central - exactitude_federe):.1f} points"
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Lisez le tableau ligne par ligne :
#
# - un téléphone **seul** excelle sur ses propres chiffres, mais ne sait rien
#   des autres : sur tout le test, il plafonne ;
# - le modèle **fédéré** reconnaît les dix chiffres. Sur les chiffres d'un
#   téléphone donné, il est un peu moins bon que le modèle spécialisé de ce
#   téléphone : c'est le prix de la généralité (la *personnalisation* cherche à
#   avoir les deux) ;
# - le modèle **centralisé** reste devant : à nombre de passages égal, la
#   moyenne de modèles spécialisés apprend moins bien qu'un modèle qui voit
#   toutes les images mélangées. Réduire cet écart est le sujet des
#   notebooks [03](03_avantages_defis.ipynb) et [07](07_non_iid_algorithmes.ipynb).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - **Federated learning** : plusieurs clients entraînent **ensemble** un
#   modèle ; leurs données restent chez eux, seuls des **modèles** circulent.
# - Un tour de **FedAvg** : tirage des clients, **diffusion** du modèle,
#   **entraînement local**, **envoi** des modèles, **moyenne pondérée** par
#   le nombre d'exemples.
# - Chaque client seul ne connaît que ses données ; le modèle fédéré combine
#   les connaissances de tous, sans voir une seule de leurs données.
# - Le centralisé reste la référence : le fédéré s'en approche quand la
#   centralisation est impossible, au prix de plus de tours.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Des téléphones qui se ressemblent.** Remplacez `partition.shards` par
#    `partition.iid` (chaque téléphone reçoit des chiffres de toutes les
#    classes) et relancez les tours. Le modèle moyen apprend-il plus vite ?
# 2. **Plus de travail local.** Faites faire **5 époques** à chaque téléphone
#    par tour (`epochs=5` dans `federated.client_datasets`), avec moitié moins
#    de tours. Comparez l'exactitude du modèle moyen : moins de
#    communications, mais pour quel résultat ?
# 3. **Un téléphone malveillant.** Au lieu de son modèle entraîné, le
#    téléphone 3 renvoie des poids aléatoires multipliés par 10. Que devient
#    le modèle moyen ? Qu'est-ce que cela dit de la moyenne comme règle
#    d'agrégation ?
#
# Solutions : [solutions/01_definition_solutions.ipynb](solutions/01_definition_solutions.ipynb).
