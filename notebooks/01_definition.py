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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : trente minutes pour une définition précise et une démonstration
#   qui tourne en direct ; tout le reste du cours s'appuie sur ce vocabulaire.
# - Question à la salle : « Si vos photos ne quittent pas votre téléphone,
#   comment un modèle commun peut-il apprendre de vos photos ? »
# - Réponse attendue : on envoie le modèle au téléphone, il s'entraîne sur
#   place, et seul le modèle modifié repart vers le serveur.

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
# **Durée** : 30 minutes. **Prérequis** : savoir ce qu'est un réseau de
# neurones entraîné par descente de gradient, et l'exactitude (*accuracy* :
# la part d'exemples bien classés) sur un jeu de test. Aucune connaissance
# de TensorFlow Federated n'est nécessaire.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import fltutor
from fltutor import data, federated, models, partition, plots, scratch
from fltutor.formatting import number, percent, percent_table

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
# %config InlineBackend.figure_formats = ["retina"]
plt.rcParams["figure.dpi"] = 60  # figures nettes, à la taille d'une diapositive
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
# - **plusieurs appareils ou clients** : téléphones, voitures, hôpitaux…
#   chacun a ses propres données ;
# - **former collaborativement un modèle** : à la fin, **un** modèle commun,
#   meilleur que ce que chacun aurait appris seul ;
# - **sans partager leurs données** : les exemples ne quittent jamais
#   l'appareil ; ce qui circule, ce sont des **paramètres de modèle**.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : lire la définition, puis la découper en trois idées ; insister
#   sur « ce qui circule » : des paramètres, jamais des exemples.
# - Question à la salle : « Un hôpital envoie la moyenne d'âge de ses
#   patients au serveur. Est-ce du federated learning ? »
# - Réponse attendue : non : il n'y a pas de modèle entraîné en commun, seulement
#   une statistique ; le fédéré entraîne un modèle chez chaque client puis
#   combine les modèles.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce qui circule, ce qui ne circule pas
#
# | Reste sur l'appareil | Circule sur le réseau |
# |---|---|
# | les données brutes (photos, messages, mesures) | le modèle global, du serveur vers les clients |
# | les calculs d'entraînement | les modèles (ou mises à jour) entraînés, des clients vers le serveur |
# | | éventuellement quelques nombres : nombre d'exemples, perte moyenne |
#
# Attention : « les données ne quittent pas l'appareil » ne veut pas dire
# « rien ne fuit ». Un modèle entraîné garde la trace de ses données ; le
# notebook [08](08_confidentialite.ipynb) montre ce qui peut fuir et comment
# s'en protéger.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### D'où vient le terme
#
# - Le terme vient de Google : McMahan et al., 2017, « Communication-Efficient
#   Learning of Deep Networks from Decentralized Data ».
# - Google l'a ensuite appliqué au clavier Gboard des téléphones Android,
#   pour prédire le mot suivant sans collecter ce que tapent les
#   utilisateurs (Hard et al., 2018, « Federated Learning for Mobile
#   Keyboard Prediction »).

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
# | Données d'entraînement | mélangées, bien réparties | inégales d'un client à l'autre (« non-IID ») |
# | Qualité du modèle | la référence | s'en approche, plus lentement |

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le fédéré a un coût : on le choisit quand centraliser est **impossible**.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : parcourir le tableau ligne par ligne ; la dernière ligne
#   annonce la démo : le centralisé reste la référence.
# - Question à la salle : « Donnez un cas où la centralisation est
#   interdite, pas seulement coûteuse. »
# - Réponse attendue : des dossiers médicaux de plusieurs hôpitaux (secret
#   médical, RGPD), des frappes au clavier, des données bancaires.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le flux de travail de l'apprentissage collaboratif

# %% slideshow={"slide_type": "-"}
plots.workflow_diagram()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un tour de FedAvg
#
# Un entraînement fédéré est une suite de **tours**. À chaque tour :
#
# 1. le serveur **tire au sort** quelques clients disponibles ;
# 2. il leur **envoie** le modèle global `w` ;
# 3. chaque client **s'entraîne** quelques époques sur ses données ;
# 4. il **renvoie** son modèle `w_k` — jamais ses données ;
# 5. le serveur fait la **moyenne pondérée** des modèles reçus (un client
#    qui a plus d'exemples compte davantage) : c'est le nouveau `w`.
#
# Cet algorithme s'appelle **FedAvg** (*Federated Averaging*). Le notebook
# [02](02_etapes.ipynb) détaille chaque étape.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : suivre les numéros du schéma ; seules les flèches 2 et 4
#   traversent le réseau, et elles portent des poids de modèle.
# - Question à la salle : « Pourquoi pondérer la moyenne par le nombre
#   d'exemples plutôt que faire une moyenne simple ? »
# - Réponse attendue : pour que chaque **exemple** compte autant : un client
#   de 10 images ne doit pas peser autant qu'un client de 1 000.

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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 10 min pour toute la démo)
#
# - À dire : exécuter les cellules en direct (mode rapide) ; trois
#   téléphones, quelques classes chacun, un seul modèle commun à la fin.
# - Question à la salle : « Chaque téléphone ne voit que trois ou quatre
#   chiffres. Que prédira son modèle devant un chiffre qu'il n'a jamais vu ? »
# - Réponse attendue : forcément l'un de **ses** chiffres : il ne peut pas
#   inventer une classe absente de ses données ; il se trompera donc
#   toujours sur les autres.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Trois téléphones, des chiffres différents

# %% slideshow={"slide_type": "-"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()
NB_TELEPHONES, PAR_TELEPHONE = 3, (200 if QUICK else 300)
rng = np.random.default_rng(SEED)
n = NB_TELEPHONES * PAR_TELEPHONE
echantillon = np.sort(rng.choice(len(y_train), n, replace=False))
tranches = partition.shards(y_train[echantillon], NB_TELEPHONES, 1, seed=SEED)
telephones = [echantillon[t] for t in tranches]  # indices dans MNIST
comptes = partition.label_counts(y_train, telephones, num_classes=10)
chiffres_de = [np.flatnonzero(c) for c in comptes]  # chiffres de chacun
for k, (idx, chiffres) in enumerate(zip(telephones, chiffres_de)):
    print(f"Téléphone {k + 1} : {len(idx)} images, chiffres", chiffres.tolist())

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que voit chaque téléphone

# %% slideshow={"slide_type": "-"}
titre = "Quelques images par téléphone (« Client 0 » = téléphone 1, etc.)"
plots.digits_grid(x_train, y_train, telephones, range(3), 10, title=titre)

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

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le modèle et la mesure

# %% slideshow={"slide_type": "-"}
jeux = federated.client_datasets(x_train, y_train, telephones, seed=SEED)
modele = models.mlp(seed=SEED)  # pour les calculs ; les poids voyagent à part
w_global = modele.get_weights()  # le modèle initial, tiré au hasard


def exactitude(poids, chiffres=range(10)):
    """Exactitude des poids sur les images de test des `chiffres` donnés."""
    garde = np.isin(y_test, chiffres)
    return federated.evaluate(poids, x_test[garde], y_test[garde], "mlp")[1]


print(f"Modèle initial : {percent(exactitude(w_global))} (hasard : ≈ 10 %)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un tour en une fonction


# %% slideshow={"slide_type": "-"}
TAUX = 0.1  # taux d'apprentissage local


def un_tour(w_global):
    """Étapes 2 à 5 : (poids, exemples) de chaque téléphone, nouveau w."""
    resultats = [  # 2. diffusion, 3. entraînement local de chaque téléphone
        scratch.local_train(modele, scratch.broadcast(w_global), jeu, lr=TAUX)
        for jeu in jeux
    ]
    # 4. envoi des modèles, 5. moyenne pondérée par les nombres d'exemples
    poids, tailles = zip(*resultats)
    return resultats, scratch.aggregate(list(poids), list(tailles))


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le premier tour

# %% slideshow={"slide_type": "-"}
resultats, w_global = un_tour(w_global)
for k, (w_k, n_k) in enumerate(resultats):
    print(f"Téléphone {k + 1} ({n_k} ex.) : {percent(exactitude(w_k))}")
print(f"Modèle moyen (serveur) : {percent(exactitude(w_global))}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Chaque téléphone ne reconnaît que **ses** chiffres. La **moyenne** des trois
# modèles combine ce que chacun a appris, mais après un tour elle reste
# médiocre : les téléphones ont tiré le modèle dans des directions
# différentes. Recommençons, en repartant chaque fois du modèle moyen.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Plusieurs tours

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
TOURS = 5 if QUICK else 10
courbes = {f"Téléphone {k + 1}": [] for k in range(3)} | {"Modèle moyen": []}
for tour in range(1, TOURS + 1):
    if tour > 1:  # le tour 1 est fait ; on repart du modèle moyen
        resultats, w_global = un_tour(w_global)
    poids = [w_k for w_k, _ in resultats] + [w_global]
    for courbe, w in zip(courbes.values(), poids):
        courbe.append(exactitude(w))
for nom, valeurs in courbes.items():  # une colonne par tour
    print(f"{nom:<13}:", " ".join(f"{percent(v, 0):>4}" for v in valeurs))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les courbes

# %% slideshow={"slide_type": "-"}
series = {nom: {"test_accuracy": v} for nom, v in courbes.items()}
titre = "Exactitude sur les 10 chiffres : téléphones (après leur entraînement)"
plots.training_curves(series, title=titre + " et modèle moyen")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que montrent les courbes
#
# À chaque tour, chaque téléphone **spécialise** le modèle reçu vers ses
# chiffres (son exactitude sur l'ensemble du test retombe), puis la moyenne
# **recombine** les trois spécialisations. Le modèle moyen progresse de tour
# en tour, alors qu'aucun téléphone n'a jamais vu une image d'un autre.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : faire suivre une ligne de téléphone puis la ligne du modèle
#   moyen : les téléphones « retombent » à chaque tour, le modèle moyen monte.
# - Question à la salle : « Pourquoi l'exactitude d'un téléphone sur tout le
#   test retombe-t-elle après chaque entraînement local ? »
# - Réponse attendue : il réapprend ses seuls chiffres et oublie en partie
#   les autres (oubli catastrophique) ; la moyenne les lui rend au tour
#   suivant.

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

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Seul ou tout réuni : les entraînements


# %% slideshow={"slide_type": "-"}
def seul(jeu):
    """Autant d'époques que de tours fédérés, sur un seul jeu."""
    w = models.mlp(seed=SEED).get_weights()
    for _ in range(TOURS):
        w, _ = scratch.local_train(modele, w, jeu, lr=TAUX)
    return w


tous = np.concatenate(telephones)  # ce que le fédéré évite : tout centraliser
jeu_central = federated.to_dataset(x_train[tous], y_train[tous], 10, SEED)
w_seuls = [seul(jeu) for jeu in jeux]
w_central = seul(jeu_central)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le tableau

# %% slideshow={"slide_type": "-"}
modeles = {f"Téléphone {k + 1} seul": w for k, w in enumerate(w_seuls)}
modeles["Fédéré (modèle moyen)"] = w_global
modeles["Centralisé (tout réuni)"] = w_central
colonnes = {"tout le test": range(10)}  # puis les chiffres du téléphone k
colonnes |= {f"tél. {k + 1}": c for k, c in enumerate(chiffres_de)}
bilan = {
    nom: {col: exactitude(w, chiffres) for col, chiffres in colonnes.items()}
    for nom, w in modeles.items()
}
print(percent_table(bilan, first="Modèle"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Lire le tableau

# %% slideshow={"slide_type": "-"}
exact = [ligne["tout le test"] for ligne in bilan.values()]
federe, central = exact[-2], exact[-1]  # l'ordre des lignes du tableau
depasse = federe > max(exact[:-2])
print("Le fédéré dépasse chaque téléphone seul :", "oui" if depasse else "non")
ecart = number(100 * (central - federe), 1)
print(f"Écart entre centralisé et fédéré : {ecart} points")

# %% [markdown] slideshow={"slide_type": "fragment"}
# - **seul** : excellent sur ses chiffres, il plafonne sur tout le test ;
# - **fédéré** : il reconnaît les dix chiffres, un peu moins bien qu'un
#   spécialiste sur ses chiffres (la *personnalisation* vise les deux) ;
# - **centralisé** : il reste devant ; moyenner des modèles spécialisés
#   apprend moins bien que tout voir mélangé. Réduire cet écart : notebooks
#   [03](03_avantages_defis.ipynb) et [07](07_non_iid_algorithmes.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 4 min)
#
# - À dire : lire le tableau ligne par ligne : seul, fédéré, centralisé ;
#   les colonnes « chiffres du tél. k » montrent la spécialisation.
# - Question à la salle : « Le téléphone 1 seul bat le modèle fédéré sur ses
#   propres chiffres. Pourquoi son utilisateur devrait-il quand même
#   participer ? »
# - Réponse attendue : demain il écrira d'autres chiffres : seul le modèle
#   fédéré les reconnaît ; on peut ensuite personnaliser le modèle fédéré
#   sur le téléphone pour avoir les deux.

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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : faire reformuler la définition par la salle avant d'afficher
#   les points.
# - Question à la salle : « Qu'est-ce qui circule entre un téléphone et le
#   serveur pendant un tour, dans chaque sens ? »
# - Réponse attendue : vers le téléphone, le modèle global ; vers le
#   serveur, le modèle entraîné (ou sa différence) et le nombre d'exemples ;
#   jamais les images.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# Cahier d'exercices : [exercices/01_definition_exercices.ipynb](exercices/01_definition_exercices.ipynb)
# (chaque réponse y est vérifiée aussitôt).
#
# 1. **Des téléphones qui se ressemblent** (★ découverte · 10 min) : refaites
#    les tours avec `partition.iid` au lieu de `partition.shards`.
# 2. **Plus de travail local** (★★ application · 10 min) : 5 époques par
#    tour, moitié moins de tours ; moins de communications, pour quel résultat ?
# 3. **Un téléphone malveillant** (★★★ approfondissement · 10 min) : le
#    téléphone 3 renvoie des poids aléatoires × 10 ; que devient la moyenne ?
#
# Solutions : [solutions/01_definition_solutions.ipynb](solutions/01_definition_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 10 min d'exercices)
#
# - À dire : l'exercice 3 annonce le notebook 11 (sécurité) ; laisser la
#   salle prédire avant d'exécuter.
# - Question à la salle : « Un seul téléphone sur trois envoie n'importe
#   quoi : le modèle moyen résiste-t-il ? »
# - Réponse attendue : non : la moyenne n'a aucune protection, un seul
#   client peut la tirer aussi loin qu'il veut (d'où la médiane, Krum…).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Dans chaque onglet, choisissez votre réponse, puis cliquez sur « Vérifier ».

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("01")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : laisser une minute par question, puis corriger ensemble ;
#   l'explication s'affiche après « Vérifier ».
# - Question à la salle : « Sur ses propres chiffres, qui gagne : le
#   téléphone seul ou le modèle fédéré ? »
# - Réponse attendue : le téléphone seul (voir le bilan) ; le fédéré gagne
#   sur l'ensemble du test. La salle répond souvent « le fédéré, partout ».
