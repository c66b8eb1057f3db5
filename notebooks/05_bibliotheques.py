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
# # 05 — Bibliothèques et frameworks du federated learning
#
# TensorFlow Federated, PySyft, Flower : qui les développe, à quoi ils
# servent, où ils en sont. Puis on apprend le **modèle de programmation de
# TFF**, la bibliothèque de ce cours, et on relie chacune des « 5 étapes pour
# fédérer avec TensorFlow » de la présentation à un appel de TFF.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - comparer TFF, PySyft et Flower et choisir selon votre besoin ;
# - lire un **type fédéré** comme `{float32}@CLIENTS` ;
# - écrire des calculs fédérés avec `tff.federated_computation` et les
#   opérateurs `federated_broadcast`, `federated_map`, `federated_mean`,
#   `federated_sum` ;
# - écrire FedAvg vous-même avec ces briques ;
# - associer chacune des 5 étapes de la présentation à un appel de TFF.
#
# **Durée** : 45 minutes.
#
# **Prérequis** : [01 — Définition](01_definition.ipynb) (le cycle
# diffusion → entraînement local → agrégation) ; un peu de TensorFlow
# (`tf.data.Dataset`, un modèle Keras).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : deux parties, un panorama des outils (10 min) puis le modèle
#   de programmation de TFF, jusqu'à écrire FedAvg à la main (30 min).
# - Question à la salle : « Qui a déjà utilisé TensorFlow ? PyTorch ? »
# - Réponse attendue : souvent plus de PyTorch ; c'est l'occasion de dire
#   que Flower accepte les deux, alors que TFF est lié à TensorFlow.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import runtime
from fltutor.formatting import integer, number, percent

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if not (tf.__version__.startswith("2.14.") and tff.__version__.startswith("0.87.")):
    print("Attention : ce cours est prévu pour TensorFlow 2.14 et TFF 0.87.")
runtime.install()  # moteur TFF du cours : confiné à la machine, arrêté avec le noyau
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : {'oui' if QUICK else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Trois bibliothèques
#
# La présentation cite trois outils pour « implémenter l'apprentissage
# collaboratif » :
#
# - **TensorFlow Federated (TFF)** : framework open source de Google, fondé
#   sur TensorFlow ;
# - **PySyft** : bibliothèque Python d'apprentissage préservant la
#   confidentialité, fondée sur **PyTorch** ;
# - **Flower** : framework Python open source pour construire des systèmes
#   fédérés.
#
# Ces descriptions datent un peu (PySyft a complètement changé de nature) :
# voici l'état des lieux, vérifié à la rédaction de ce notebook.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min pour les trois outils)
#
# - À dire : le tableau est une photographie datée ; montrer comment la
#   vérifier soi-même (`pip index versions flwr`, page des versions).
# - Question à la salle : « Votre hôpital veut entraîner un modèle PyTorch
#   avec trois partenaires réels, pas en simulation : quel outil ? »
# - Réponse attendue : Flower (indépendant du framework, déploiement réel
#   avec SuperLink / SuperNode, maintenu) ; TFF vise la simulation.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le tableau comparatif (1/2)
#
# | | **TensorFlow Federated** | **PySyft** | **Flower** |
# |---|---|---|---|
# | Développé par | Google (`google-parfait/tensorflow-federated`) | La communauté OpenMined | Flower Labs (`flwrlabs/flower`), issu de l'université de Cambridge |
# | Cadre sous-jacent | TensorFlow / Keras | Indépendant du framework (PyTorch jusqu'à la 0.5) | Indépendant : PyTorch, TensorFlow/Keras, JAX, scikit-learn… |
# | Simulation ou déploiement | **Simulation** et recherche (un poste ou plusieurs workers) ; pas d'outil public pour les téléphones | Déploiement réel : le propriétaire des données exécute chez lui le code qu'il a approuvé | Les deux : moteur de simulation, et déploiement réel (serveur *SuperLink*, clients *SuperNode*) |

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le tableau comparatif (2/2)
#
# | | **TensorFlow Federated** | **PySyft** | **Flower** |
# |---|---|---|---|
# | Outils de confidentialité | Confidentialité différentielle (avec TensorFlow Privacy), agrégation sécurisée, compression (`tff.aggregators`) | Approbation du code par le propriétaire, données fictives / privées séparées, exécution isolée, enclaves | Confidentialité différentielle (côté serveur et côté client), agrégation sécurisée SecAgg / SecAgg+ |
# | Maturité, maintenance | Dernière version **0.87.0** (17 septembre 2024) ; aucune depuis, d'après PyPI | Réécrit plusieurs fois ; **0.10.0** (« PySyft v2 ») en statut *Alpha* | Statut *Production/Stable* ; une version environ par mois (**1.42.0** sur PyPI) |
# | Versions de Python | 3.9 à 3.11 | 3.10 et plus | 3.11 et plus (1.42.0) |

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Sources du tableau
#
# Consultées pour ce cours :
#
# - page des versions de TFF (github.com/google-parfait/tensorflow-federated/releases,
#   notes de 0.87.0 ; la 0.79.0 annonce le déménagement du dépôt vers `google-parfait`) ;
# - métadonnées PyPI de `tensorflow-federated` 0.87.0 (`Requires-Python >=3.9,<3.12`),
#   de `flwr` 1.42.0 (`Requires-Python >=3.11`, *Production/Stable*, modules
#   `secaggplus_workflow`, `dp_fixed_clipping`, `localdp_mod`) et de `syft`
#   0.10.0 (*Alpha*, « privacy-preserving data science over file-based
#   transports », `Requires-Python >=3.10`) ;
# - tensorflow.org/federated/deployment (« the primary focus is on simulations ») ;
# - le README de OpenMined/PySyft.
#
# Ces chiffres bougent : vérifiez-les avec `pip index versions flwr`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Comment choisir ?
#
# - **Apprendre, chercher, simuler des milliers de clients avec TensorFlow** :
#   TFF. Ses types rendent chaque échange explicite — d'où son choix pour ce
#   cours. Mais il n'évolue plus (Python ≤ 3.11, TensorFlow 2.14) : d'où
#   l'environnement figé du cours.
# - **Passer en production** (hôpitaux, usines, vrais téléphones), ou
#   travailler en PyTorch : Flower, activement maintenu, qui simule aussi.
# - **Analyser des données qu'on n'a pas le droit de voir** (le propriétaire
#   approuve et exécute le code du statisticien) : PySyft, devenu un outil
#   de « science des données à distance » plus que de FedAvg.
#
# Les idées (FedAvg, non-IID, confidentialité différentielle, agrégation
# sécurisée) sont les mêmes partout : ce que vous apprenez avec TFF se
# transpose directement.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le modèle de programmation de TFF
#
# TFF a deux étages :
#
# - l'API **Federated Learning** (`tff.learning`) : des algorithmes prêts à
#   l'emploi (FedAvg, FedProx…) pour des modèles Keras — celle des notebooks
#   04 et 06 ;
# - le **Federated Core** (FC) : un petit langage pour écrire *n'importe quel*
#   calcul fédéré, avec des types qui disent **où** vit chaque donnée.
#
# Pour comprendre ce que fait `tff.learning`, commençons par le Federated Core.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 15 min pour les types et les opérateurs)
#
# - À dire : lire chaque signature à voix haute (« une valeur par client,
#   vers une valeur sur le serveur ») avant d'exécuter la cellule.
# - Question à la salle : « Quelle est la différence entre
#   `{float32}@CLIENTS` et `float32@CLIENTS` ? »
# - Réponse attendue : avec accolades, chaque client a sa propre valeur ;
#   sans accolades (`all_equal=True`), tous ont la même, par exemple le
#   modèle que le serveur vient de diffuser.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Des types qui disent où vivent les données
#
# Un type fédéré = un type de valeur + un **placement** : `tff.CLIENTS` (sur
# les appareils) ou `tff.SERVER` (sur le serveur).

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
temperatures_type = tff.FederatedType(np.float32, tff.CLIENTS)
seuil_type = tff.FederatedType(np.float32, tff.SERVER)
diffuse_type = tff.FederatedType(np.float32, tff.CLIENTS, all_equal=True)

print("Une valeur par client        :", temperatures_type)
print("Une valeur sur le serveur    :", seuil_type)
print("La même valeur chez chacun   :", diffuse_type)
t = temperatures_type
print("Composantes :", t.member, t.placement, t.all_equal)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Lire un type fédéré
#
# - `{float32}@CLIENTS` : **chaque** client a son propre réel (les accolades
#   disent « une valeur par client, toutes différentes ») — par exemple la
#   température mesurée par le thermostat de chaque maison connectée ;
# - `float32@SERVER` : un seul réel, sur le serveur ;
# - `float32@CLIENTS` (sans accolades, `all_equal=True`) : la **même** valeur
#   chez tous les clients, typiquement le modèle que le serveur vient de leur
#   envoyer.
#
# Le nombre de clients ne fait pas partie du type : le même calcul marche
# avec 3 ou 3 millions de clients.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un premier calcul fédéré : la moyenne
#
# `tff.federated_computation` déclare une fonction à l'argument typé. TFF
# exécute son corps une fois pour le *tracer* et en tire une description
# abstraite, indépendante de Python, qu'un moteur d'exécution (ici, la
# simulation locale ; ailleurs, de vrais appareils) saura jouer.


# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
@tff.federated_computation(tff.FederatedType(np.float32, tff.CLIENTS))
def temperature_moyenne(temperatures):
    # temperatures : {float32}@CLIENTS  →  résultat : float32@SERVER
    return tff.federated_mean(temperatures)


print("Signature :", temperature_moyenne.type_signature)
moyenne = temperature_moyenne([18.0, 21.0, 24.5])
print(f"Moyenne de 18, 21 et 24,5 °C : {number(moyenne, 4)}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le contrat, et `federated_sum`
#
# La signature `({float32}@CLIENTS -> float32@SERVER)` est le **contrat** :
# les températures restent chez les clients, seul leur résultat agrégé
# arrive au serveur. En simulation, on passe une liste Python : un élément par
# client. `tff.federated_sum` fonctionne de la même façon ; par exemple, pour
# compter les clients présents, chacun envoie `1` :


# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
@tff.federated_computation(tff.FederatedType(np.int32, tff.CLIENTS))
def nombre_de_clients(uns):
    return tff.federated_sum(uns)


print("Signature :", nombre_de_clients.type_signature)
print("Clients présents :", nombre_de_clients([1, 1, 1, 1, 1]))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Du serveur vers les clients : `federated_broadcast` et `federated_map`
#
# Quelle proportion des maisons dépasse une température de consigne fixée
# par le serveur ? Il faut les trois opérations de tout algorithme fédéré :
#
# 1. **diffuser** la consigne du serveur vers les clients
#    (`tff.federated_broadcast`) ;
# 2. **calculer localement** sur chaque client (`tff.federated_map`
#    applique une fonction TensorFlow à la valeur de chaque client) ;
# 3. **agréger** les résultats sur le serveur (`tff.federated_mean`).
#
# Le calcul local est une fonction TensorFlow ordinaire, déclarée avec
# `tff.tensorflow.computation` : elle ne connaît pas les placements.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le calcul local, non placé


# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
@tff.tensorflow.computation(np.float32, np.float32)
def depasse(temperature, seuil):
    return tf.cast(temperature > seuil, np.float32)  # 1.0 si oui, 0.0 sinon


print("Calcul local (TensorFlow) :", depasse.type_signature)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Pas de `@` dans cette signature : c'est un calcul **non placé**, qui tourne
# là où on l'envoie. On l'assemble maintenant dans un calcul fédéré. Les
# `print` placés *dans* le corps s'exécutent pendant le traçage : ils montrent
# le type de chaque valeur intermédiaire.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Diffuser, calculer, agréger


# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
@tff.federated_computation(
    tff.FederatedType(np.float32, tff.CLIENTS),
    tff.FederatedType(np.float32, tff.SERVER),
)
def part_au_dessus(temperatures, seuil):
    seuil_diffuse = tff.federated_broadcast(seuil)  # 1. diffusion
    print("  seuil diffusé              :", seuil_diffuse.type_signature)
    au_dessus = tff.federated_map(depasse, (temperatures, seuil_diffuse))  # 2.
    print("  résultat de chaque client  :", au_dessus.type_signature)
    return tff.federated_mean(au_dessus)  # 3. agrégation


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que disent les types

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
print("Signature :", part_au_dessus.type_signature)
part = part_au_dessus([18.0, 21.0, 24.5], 20.0)
print(f"Part des maisons au-dessus de 20 °C : {number(part, 4)}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le seuil passe de `float32@SERVER` à `float32@CLIENTS` (la même valeur
# chez tous), chaque client produit son propre `{float32}`, et seule la
# moyenne revient au serveur. Aucune température individuelle n'a quitté sa
# maison.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Des données locales : les séquences
#
# Un client a rarement une seule valeur : il a un **jeu de données**. TFF le
# type comme une séquence, notée `float32*` ; en Python, c'est un
# `tf.data.Dataset`. Calculons la moyenne locale de chaque client, puis la
# moyenne globale de deux façons : simple, et **pondérée** par le nombre
# d'exemples de chaque client.

# %% slideshow={"slide_type": "-"}
SEQUENCE = tff.SequenceType(np.float32)  # le jeu de données d'un client


@tff.tensorflow.computation(SEQUENCE)
def stats_locales(mesures):  # (moyenne locale, nombre de mesures)
    zero = (np.float32(0.0), np.float32(0.0))
    somme, n = mesures.reduce(zero, lambda acc, x: (acc[0] + x, acc[1] + 1.0))
    return somme / n, n


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Moyenne simple ou pondérée


# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
@tff.federated_computation(tff.FederatedType(SEQUENCE, tff.CLIENTS))
def moyennes(mesures):
    moyenne_locale, n = tff.federated_map(stats_locales, mesures)
    simple = tff.federated_mean(moyenne_locale)
    ponderee = tff.federated_mean(moyenne_locale, weight=n)
    return simple, ponderee


print("Calcul local  :", stats_locales.type_signature)
print("Calcul fédéré :", moyennes.type_signature)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Deux clients, quatre mesures et une

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
donnees = [[19.0, 20.0, 21.0, 20.0], [30.0]]  # 4 mesures, puis 1
releves = [tf.data.Dataset.from_tensor_slices(np.float32(d)) for d in donnees]
simple, ponderee = moyennes(releves)
toutes = np.concatenate(donnees).mean()
print(f"Moyenne simple des moyennes locales : {number(simple, 4)}")
print(f"Moyenne pondérée par les effectifs  : {number(ponderee, 4)}")
print(f"Moyenne de toutes les mesures       : {number(toutes, 4)}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# La moyenne **pondérée** retrouve exactement la moyenne de toutes les
# mesures, comme si on les avait centralisées ; la moyenne simple donne
# autant de poids au client qui n'a qu'une mesure qu'à celui qui en a
# quatre. C'est pour cela que FedAvg pondère la moyenne des modèles par le
# nombre d'exemples de chaque client.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min pour les séquences)
#
# - À dire : `reduce` parcourt le jeu de données du client sans le sortir
#   de TensorFlow ; c'est le squelette de tout entraînement local.
# - Question à la salle : « Avec la moyenne simple, quel client décide le
#   plus du résultat, et est-ce juste ? »
# - Réponse attendue : le client à une seule mesure (30 °C) pèse autant que
#   celui qui en a quatre ; le résultat s'éloigne de la vraie moyenne des
#   cinq mesures. La pondération par l'effectif corrige cela.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## FedAvg écrit avec le Federated Core
#
# Le plus petit modèle possible : une droite `y ≈ w·x`, un seul paramètre
# `w`. Trois clients ont des points `(x, y)` autour de `y = 3x` (avec du
# bruit), dans des plages de `x` différentes et en nombres différents.
#
# Un tour de FedAvg :
#
# 1. le serveur **diffuse** `w` ;
# 2. chaque client fait une passe de **descente de gradient** sur ses points :
#    `w ← w − η · 2(w·x − y)·x`, point par point ;
# 3. le serveur fait la **moyenne des `w` locaux, pondérée** par le nombre de
#    points.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 10 min pour FedAvg à la main)
#
# - À dire : on retrouve mot pour mot les trois briques précédentes ; seul
#   le calcul local change (une passe de SGD au lieu d'une comparaison).
# - Question à la salle : « Pourquoi `w` final n'est-il pas exactement
#   l'optimum centralisé, alors que chaque point a servi ? »
# - Réponse attendue : chaque client fait plusieurs pas vers **son** optimum
#   (données différentes) ; la moyenne de ces modèles n'est pas l'optimum
#   global — la dérive des clients.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Trois clients, trois plages de `x`

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
rng = np.random.default_rng(SEED)
clients_xy = []
for x_min, x_max, n in [(0.0, 1.0, 50), (1.0, 2.0, 20), (2.0, 4.0, 5)]:
    x = rng.uniform(x_min, x_max, n).astype(np.float32)
    y = (3.0 * x + rng.normal(0.0, 0.3, n)).astype(np.float32)
    clients_xy.append((x, y))
jeux_clients = [tf.data.Dataset.from_tensor_slices(xy) for xy in clients_xy]
for k, (x, _) in enumerate(clients_xy):
    print(
        f"client {k} : {len(x):2d} points,",
        f"x de {number(x.min(), 1)} à {number(x.max(), 1)}",
    )

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le travail d'un client : une passe de SGD

# %% slideshow={"slide_type": "-"}
ETA = 0.02  # taux d'apprentissage local η
POINTS = tff.SequenceType((np.float32, np.float32))  # les (x, y) d'un client


@tff.tensorflow.computation(POINTS, np.float32)
def entrainement_local(points, w):
    def pas_de_gradient(etat, point):  # w ← w − η · 2(w·x − y)·x
        w, n = etat
        x, y = point
        return w - ETA * 2.0 * (w * x - y) * x, n + 1.0

    return points.reduce((w, np.float32(0.0)), pas_de_gradient)  # (w local, n)


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un tour de FedAvg


# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
@tff.federated_computation(
    tff.FederatedType(np.float32, tff.SERVER),
    tff.FederatedType(POINTS, tff.CLIENTS),
)
def tour_fedavg(w, points):
    w_diffuse = tff.federated_broadcast(w)  # 1. diffusion ; 2. travail local
    w_locaux, n = tff.federated_map(entrainement_local, (points, w_diffuse))
    return tff.federated_mean(w_locaux, weight=n)  # 3. moyenne pondérée


print("Travail d'un client :", entrainement_local.type_signature)
print("Un tour de FedAvg   :", tour_fedavg.type_signature)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Entraînons
#
# Le type d'un tour résume l'apprentissage fédéré : le modèle vit sur le
# serveur (`float32@SERVER`), les données chez les clients
# (`{<float32,float32>*}@CLIENTS`), et un tour produit un nouveau modèle.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
w, suivi = np.float32(0.0), []
for _ in range(8):
    w = tour_fedavg(w, jeux_clients)
    suivi.append(number(w, 4))
print("w après chacun des 8 tours :", " ; ".join(suivi))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Comparer aux optima

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
# optimum des moindres carrés : données réunies, puis chaque client seul
x_tous = np.concatenate([x for x, _ in clients_xy])
y_tous = np.concatenate([y for _, y in clients_xy])
w_centralise = float((x_tous * y_tous).sum() / (x_tous**2).sum())
w_locaux = [float((x * y).sum() / (x**2).sum()) for x, y in clients_xy]
print(f"Optimum centralisé (données réunies) : w = {number(w_centralise, 4)}")
print("Optimum de chaque client :", ", ".join(number(v, 4) for v in w_locaux))

# %% [markdown] slideshow={"slide_type": "fragment"}
# En quelques tours, `w` s'approche de la pente 3 sans qu'aucun point
# n'ait quitté son client. Comparez la valeur finale à l'optimum centralisé :
# elles sont proches mais pas égales.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Déjà, la dérive des clients
#
# Avec plusieurs pas locaux, chaque client tire le modèle vers **son**
# optimum (affiché sur la dernière ligne) ; quand les données des clients
# diffèrent, la moyenne de ces modèles n'est pas tout à fait l'optimum
# global. C'est la **dérive des clients**, étudiée dans le notebook
# [07](07_non_iid_algorithmes.ipynb).
#
# `tff.learning.algorithms.build_weighted_fed_avg` fait exactement ceci, pour
# n'importe quel modèle Keras, avec un optimiseur et des métriques en plus.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les 5 étapes pour fédérer avec TensorFlow
#
# Les cinq étapes de la présentation, et la fonction de `fltutor` qui
# enveloppe chacune (déroulées sur MNIST dans le [06](06_exemple_mnist.ipynb)) :
#
# | # | Étape (diapositive) | Dans `fltutor` |
# |---|---|---|
# | 1 | Définir votre modèle (TensorFlow) | `models.mlp()` / `cnn()`, `federated.tff_model_fn("mlp")` |
# | 2 | Définir vos données : un jeu par client | `partition.iid(...)`, `federated.client_datasets(x, y, partition)` |
# | 3 | Définir votre calcul fédéré | `federated.build_process("fedavg", model="mlp")` |
# | 4 | Compiler votre calcul fédéré | (dans `build_process`) |
# | 5 | Entraîner votre modèle | `federated.train(process, jeux, rounds=...)` |

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min pour les 5 étapes)
#
# - À dire : `fltutor` ne cache rien ; chaque fonction tient en quelques
#   lignes qu'on peut ouvrir (`federated.build_process??`).
# - Question à la salle : « À quelle étape TFF transforme-t-il notre code
#   Python en graphes TensorFlow ? »
# - Réponse attendue : à l'étape 4, pendant la construction du processus
#   (`build_weighted_fed_avg`) : c'est le traçage ; on le voit dans
#   `process.next.type_signature`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les appels TFF derrière chaque étape
#
# 1. Un modèle Keras, puis `tff.learning.models.from_keras_model(modele,
#    loss=..., input_spec=..., metrics=...)` dans une fonction sans argument.
# 2. Une liste de `tf.data.Dataset`, un par client.
# 3. `tff.learning.algorithms.build_weighted_fed_avg(model_fn,
#    client_optimizer_fn=tff.learning.optimizers.build_sgdm(...),
#    server_optimizer_fn=...)` — ou votre propre `tff.federated_computation`,
#    comme ci-dessus.
# 4. Fait par TFF à la construction : traçage en graphes TensorFlow,
#    signature `process.next.type_signature`.
# 5. `state = process.initialize()`, puis
#    `result = process.next(state, donnees_clients)` à chaque tour.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étape 1 : le modèle
#
# Sur un petit échantillon de MNIST (3 clients), avec le modèle « 2NN » du
# cours, enveloppé pour TFF.

# %% slideshow={"slide_type": "-"}
from fltutor import data, federated, models, partition

(x_train, y_train), (x_test, y_test) = data.load_mnist()
NUM_CLIENTS, PAR_CLIENT = 3, (200 if QUICK else 600)

model_fn = federated.tff_model_fn("mlp")
n_params = integer(models.count_params(models.mlp()))
print(f"1. Modèle « 2NN » : {n_params} paramètres")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étape 2 : un `tf.data.Dataset` par client

# %% slideshow={"slide_type": "-"}
sous_ensemble = np.arange(NUM_CLIENTS * PAR_CLIENT)
parts = partition.iid(y_train[sous_ensemble], NUM_CLIENTS, seed=SEED)
jeux = federated.client_datasets(
    x_train, y_train, parts, epochs=1, batch_size=10, seed=SEED
)
print(f"2. {len(jeux)} clients de {[len(p) for p in parts]} exemples")
images, etiquettes = jeux[0].element_spec
print("   Un lot :", images.shape, images.dtype.name, etiquettes.shape)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étapes 3 et 4 : le calcul fédéré, compilé par TFF

# %% slideshow={"slide_type": "-"}
process = federated.build_process("fedavg", model="mlp", client_lr=0.1)
signature = process.next.type_signature
print("Données attendues par un tour :", signature.parameter.client_data)
print("État du serveur placé en      :", signature.parameter.state.placement)

# %% [markdown] slideshow={"slide_type": "fragment"}
# `{<float32[?,28,28,1],int32[?]>*}@CLIENTS` : chaque client fournit une
# séquence (`*`) de lots d'images 28 × 28 et d'étiquettes, de taille
# quelconque (`?`). La signature complète (`print(signature)`) décrit aussi
# l'état du serveur : les poids du modèle et ceux des optimiseurs.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étape 5 : entraîner
#
# `federated.train` enchaîne les tours (`process.next`) et évalue le modèle
# global après chacun.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
historique = federated.train(
    process,
    jeux,
    rounds=3 if QUICK else 10,
    clients_per_round=NUM_CLIENTS,
    test_data=(x_test, y_test),
    model="mlp",
    seed=SEED,
    progress=False,
)
acc = [percent(a) for a in historique.column("test_accuracy")]
print("Exactitude en test, tour après tour :", " ; ".join(acc))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Initialiser, puis répéter `next`
#
# Avec si peu de données et de tours, l'exactitude reste modeste : le
# notebook [06](06_exemple_mnist.ipynb) fait l'expérience complète (100
# clients, 60 000 images). Retenez la forme : **initialiser, puis répéter
# `next`**.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - **TFF** (Google, TensorFlow) : simulation et recherche, types fédérés
#   explicites ; figé en 0.87.0 (Python ≤ 3.11). **Flower** : indépendant du
#   framework, simulation et déploiement, maintenu. **PySyft** : science des
#   données à distance (approbation du code).
# - Un type fédéré dit **où** vit une valeur : `{float32}@CLIENTS` (une par
#   client), `float32@SERVER`, `float32@CLIENTS` (la même partout).
# - Tout algorithme fédéré combine **diffusion** (`federated_broadcast`),
#   **calcul local** (`federated_map`) et **agrégation** (`federated_mean`,
#   `federated_sum`) ; FedAvg = ces briques, moyenne **pondérée**.
# - Les 5 étapes : modèle Keras → un `tf.data.Dataset` par client →
#   `build_weighted_fed_avg` → compilation par TFF → `initialize` puis `next`.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : demander à un participant de réciter les trois briques.
# - Question à la salle : « Quel opérateur fédéré faut-il pour envoyer le
#   modèle global à tous les clients ? »
# - Réponse attendue : `tff.federated_broadcast`, qui transforme une valeur
#   `@SERVER` en la même valeur chez tous les clients (`T@CLIENTS`).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# Dans le cahier [exercices/05_bibliotheques_exercices.ipynb](exercices/05_bibliotheques_exercices.ipynb),
# chaque réponse est vérifiée aussitôt (« ✅ Correct ! » ou un indice).
#
# 1. **La maison la plus chaude** (★ découverte · 5 min) : un calcul fédéré
#    du maximum (`tff.federated_max`) ; que révèle-t-il d'un client ?
# 2. **Pondérer ou pas ?** (★★ application · 15 min) : moyenne pondérée ou
#    simple, laquelle approche l'optimum centralisé ?
# 3. **Une droite complète** (★★★ approfondissement · 25 min) : FedAvg « fait
#    main » pour `y ≈ w·x + b`, `(w, b)` diffusés ensemble.
#
# Solutions : [solutions/05_bibliotheques_solutions.ipynb](solutions/05_bibliotheques_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min en salle, le reste en autonomie)
#
# - À dire : l'exercice 1 se fait en trois lignes ; les exercices 2 et 3
#   reprennent `entrainement_local` et `tour_fedavg`.
# - Question à la salle : « Le maximum est-il plus ou moins indiscret que la
#   moyenne ? »
# - Réponse attendue : plus indiscret : il est la valeur exacte d'un client
#   (celui de la maison la plus chaude), alors que la moyenne mélange tout le
#   monde.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Dans chaque onglet, choisissez votre réponse, puis cliquez sur « Vérifier ».

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("05")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : le quiz se fait seul ou à deux ; chaque réponse est corrigée
#   avec son explication. Reprendre ensemble la question la plus ratée.
# - Question à la salle : « Après 8 tours, le FedAvg fait main retrouve-t-il
#   exactement l'optimum centralisé ? »
# - Réponse attendue : non : chaque client fait plusieurs pas vers son propre
#   optimum, et la moyenne de leurs modèles s'arrête un peu à côté (la dérive
#   des clients, notebook 07).
