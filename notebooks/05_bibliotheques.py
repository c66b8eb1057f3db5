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

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import runtime

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
# Ces descriptions datent un peu : PySyft, en particulier, a complètement
# changé de nature. Voici l'état des lieux, vérifié à la rédaction de ce
# notebook (sources en bas de la diapositive suivante).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le tableau comparatif
#
# | | **TensorFlow Federated** | **PySyft** | **Flower** |
# |---|---|---|---|
# | Développé par | Google (dépôt `google-parfait/tensorflow-federated`) | La communauté OpenMined | Flower Labs (dépôt `flwrlabs/flower`), issu de travaux de l'université de Cambridge |
# | Cadre sous-jacent | TensorFlow / Keras | Aujourd'hui indépendant du framework ; PyTorch dans ses premières versions (≤ 0.5) | Indépendant : PyTorch, TensorFlow/Keras, JAX, scikit-learn… |
# | Simulation ou déploiement | **Simulation** et recherche (un seul poste ou plusieurs workers) ; pas d'outil public pour déployer sur des téléphones | Déploiement réel : le propriétaire des données exécute chez lui le code qu'il a approuvé | Les deux : moteur de simulation, et déploiement réel (serveur *SuperLink*, clients *SuperNode*) |
# | Outils de confidentialité | Confidentialité différentielle (avec TensorFlow Privacy), agrégation sécurisée, compression (`tff.aggregators`) | Approbation du code par le propriétaire, données fictives / privées séparées, exécution isolée, enclaves | Confidentialité différentielle (côté serveur et côté client), agrégation sécurisée SecAgg / SecAgg+ |
# | Maturité, maintenance | Dernière version **0.87.0** (17 septembre 2024) ; aucune depuis, d'après PyPI | Réécrit plusieurs fois ; **0.10.0** (« PySyft v2 ») en statut *Alpha* | Statut *Production/Stable* ; une version environ par mois (**1.42.0** sur PyPI) |
# | Versions de Python | 3.9 à 3.11 | 3.10 et plus | 3.11 et plus (1.42.0) |
#
# *Sources (consultées pour ce cours)* : page des versions de TFF
# (github.com/google-parfait/tensorflow-federated/releases, notes de 0.87.0 ;
# la 0.79.0 annonce le déménagement du dépôt vers `google-parfait`) ; métadonnées
# PyPI de `tensorflow-federated` 0.87.0 (`Requires-Python >=3.9,<3.12`), de
# `flwr` 1.42.0 (`Requires-Python >=3.11`, *Production/Stable*, modules
# `secaggplus_workflow`, `dp_fixed_clipping`, `localdp_mod`) et de `syft`
# 0.10.0 (*Alpha*, « privacy-preserving data science over file-based
# transports », `Requires-Python >=3.10`) ; tensorflow.org/federated/deployment
# (« the primary focus is on simulations ») ; README de OpenMined/PySyft.
# Ces chiffres bougent : vérifiez-les avec `pip index versions flwr`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Comment choisir ?
#
# - **Apprendre, faire de la recherche, simuler des milliers de clients avec
#   TensorFlow** : TFF. Son langage de types rend chaque échange explicite —
#   c'est pour cela que ce cours l'utilise. Mais il n'évolue plus : il exige
#   Python ≤ 3.11 et TensorFlow 2.14, d'où l'environnement figé du cours.
# - **Passer en production** (des hôpitaux, des usines, des téléphones réels),
#   ou travailler en PyTorch : Flower, activement maintenu, qui fait aussi de
#   la simulation.
# - **Analyser des données qu'on n'a pas le droit de voir** (un statisticien
#   soumet son code, le propriétaire l'approuve et l'exécute) : PySyft. Ce
#   n'est plus vraiment une bibliothèque d'apprentissage fédéré au sens de
#   FedAvg, mais de « science des données à distance ».
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Des types qui disent où vivent les données
#
# Un type fédéré = un type de valeur + un **placement** : `tff.CLIENTS` (sur
# les appareils) ou `tff.SERVER` (sur le serveur).

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
temperatures_type = tff.FederatedType(np.float32, tff.CLIENTS)
seuil_type = tff.FederatedType(np.float32, tff.SERVER)
modele_diffuse_type = tff.FederatedType(np.float32, tff.CLIENTS, all_equal=True)

print("Une valeur par client        :", temperatures_type)
print("Une valeur sur le serveur    :", seuil_type)
print("La même valeur chez chacun   :", modele_diffuse_type)
print(
    "Composantes :",
    temperatures_type.member,
    temperatures_type.placement,
    temperatures_type.all_equal,
)

# %% [markdown] slideshow={"slide_type": "fragment"}
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
# `tff.federated_computation` déclare une fonction dont l'argument est typé.
# Son corps n'est **pas** exécuté comme du Python ordinaire : TFF l'exécute une
# fois pour le *tracer*, et en tire une description abstraite du calcul,
# indépendante de Python, qu'un moteur d'exécution (ici, la simulation locale ;
# ailleurs, de vrais appareils) saura jouer.


# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
@tff.federated_computation(tff.FederatedType(np.float32, tff.CLIENTS))
def temperature_moyenne(temperatures):
    # temperatures : {float32}@CLIENTS  →  résultat : float32@SERVER
    return tff.federated_mean(temperatures)


print("Signature :", temperature_moyenne.type_signature)
print(
    "Moyenne de 18, 21 et 24,5 °C :", f"{temperature_moyenne([18.0, 21.0, 24.5]):.4f}"
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# La signature `({float32}@CLIENTS -> float32@SERVER)` est le **contrat** :
# les températures restent chez les clients, seul leur résultat agrégé
# arrive au serveur. En simulation, on passe une liste Python : un élément par
# client.
#
# `tff.federated_sum` fonctionne de la même façon ; par exemple, pour compter
# les clients présents, chacun envoie `1` :


# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
@tff.federated_computation(tff.FederatedType(np.int32, tff.CLIENTS))
def nombre_de_clients(uns):
    return tff.federated_sum(uns)


print("Signature :", nombre_de_clients.type_signature)
print("Clients présents :", nombre_de_clients([1, 1, 1, 1, 1]))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Du serveur vers les clients : `federated_broadcast` et `federated_map`
#
# Question : quelle proportion des maisons dépasse une température de
# consigne fixée par le serveur ? Il faut trois opérations, celles de tout
# algorithme fédéré :
#
# 1. **diffuser** la consigne du serveur vers les clients
#    (`tff.federated_broadcast`) ;
# 2. **calculer localement** sur chaque client (`tff.federated_map`
#    applique une fonction TensorFlow à la valeur de chaque client) ;
# 3. **agréger** les résultats sur le serveur (`tff.federated_mean`).
#
# Le calcul local est une fonction TensorFlow ordinaire, déclarée avec
# `tff.tensorflow.computation` : elle ne connaît pas les placements.


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


# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
@tff.federated_computation(
    tff.FederatedType(np.float32, tff.CLIENTS),
    tff.FederatedType(np.float32, tff.SERVER),
)
def part_au_dessus(temperatures, seuil):
    seuil_chez_clients = tff.federated_broadcast(seuil)  # 1. diffusion
    print("  seuil diffusé              :", seuil_chez_clients.type_signature)
    au_dessus = tff.federated_map(
        depasse, (temperatures, seuil_chez_clients)
    )  # 2. local
    print("  résultat de chaque client  :", au_dessus.type_signature)
    return tff.federated_mean(au_dessus)  # 3. agrégation


print("Signature :", part_au_dessus.type_signature)
print(
    "Part des maisons au-dessus de 20 °C :",
    f"{part_au_dessus([18.0, 21.0, 24.5], 20.0):.4f}",
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Lisez les types : le seuil passe de `float32@SERVER` à `float32@CLIENTS`
# (la même valeur chez tous), chaque client produit son propre `{float32}`,
# et seule la moyenne revient au serveur. Aucune température individuelle
# n'a quitté sa maison.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Des données locales : les séquences
#
# Un client a rarement une seule valeur : il a un **jeu de données**. TFF le
# type comme une séquence, notée `float32*` ; en Python, c'est un
# `tf.data.Dataset`. Calculons la moyenne locale de chaque client, puis la
# moyenne globale de deux façons : simple, et **pondérée** par le nombre
# d'exemples de chaque client.


# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
@tff.tensorflow.computation(tff.SequenceType(np.float32))
def stats_locales(mesures):
    somme, n = mesures.reduce(
        (np.float32(0.0), np.float32(0.0)), lambda acc, x: (acc[0] + x, acc[1] + 1.0)
    )
    return somme / n, n  # (moyenne locale, nombre de mesures)


@tff.federated_computation(tff.FederatedType(tff.SequenceType(np.float32), tff.CLIENTS))
def moyennes(mesures):
    moyenne_locale, n = tff.federated_map(stats_locales, mesures)
    simple = tff.federated_mean(moyenne_locale)
    ponderee = tff.federated_mean(moyenne_locale, weight=n)
    return simple, ponderee


print("Calcul local  :", stats_locales.type_signature)
print("Calcul fédéré :", moyennes.type_signature)
donnees = [np.array([19.0, 20.0, 21.0, 20.0], np.float32), np.array([30.0], np.float32)]
simple, ponderee = moyennes([tf.data.Dataset.from_tensor_slices(d) for d in donnees])
print(f"Moyenne simple des moyennes locales : {simple:.4f}")
print(f"Moyenne pondérée par les effectifs  : {ponderee:.4f}")
print(f"Moyenne de toutes les mesures       : {np.concatenate(donnees).mean():.4f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# La moyenne **pondérée** par le nombre d'exemples retrouve exactement la
# moyenne de toutes les mesures, comme si on les avait centralisées. La
# moyenne simple donne autant de poids au client qui n'a qu'une mesure qu'à
# celui qui en a quatre. C'est pour cela que FedAvg pondère la moyenne des
# modèles par le nombre d'exemples de chaque client.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## FedAvg écrit avec le Federated Core
#
# Avec ces trois briques, on peut écrire FedAvg. Prenons le plus petit modèle
# possible : une droite `y ≈ w·x`, un seul paramètre `w`. Trois clients ont
# des points `(x, y)` (autour de `y = 3x`, avec du bruit), dans des plages de
# `x` différentes et en nombres différents.
#
# Un tour de FedAvg :
#
# 1. le serveur **diffuse** `w` ;
# 2. chaque client fait une passe de **descente de gradient** sur ses points :
#    `w ← w − η · 2(w·x − y)·x`, point par point ;
# 3. le serveur fait la **moyenne des `w` locaux, pondérée** par le nombre de
#    points.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
rng = np.random.default_rng(SEED)
clients_xy = []
for x_min, x_max, n in [(0.0, 1.0, 50), (1.0, 2.0, 20), (2.0, 4.0, 5)]:
    x = rng.uniform(x_min, x_max, n).astype(np.float32)
    y = (3.0 * x + rng.normal(0.0, 0.3, n)).astype(np.float32)
    clients_xy.append((x, y))
jeux_clients = [tf.data.Dataset.from_tensor_slices(xy) for xy in clients_xy]
for k, (x, _) in enumerate(clients_xy):
    print(f"client {k} : {len(x):2d} points, x entre {x.min():.2f} et {x.max():.2f}")

ETA = 0.02  # taux d'apprentissage local η


@tff.tensorflow.computation(tff.SequenceType((np.float32, np.float32)), np.float32)
def entrainement_local(points, w):
    def pas_de_gradient(etat, point):
        w, n = etat
        x, y = point
        return w - ETA * 2.0 * (w * x - y) * x, n + 1.0

    return points.reduce(
        (w, np.float32(0.0)), pas_de_gradient
    )  # (w local, nb de points)


@tff.federated_computation(
    tff.FederatedType(np.float32, tff.SERVER),
    tff.FederatedType(tff.SequenceType((np.float32, np.float32)), tff.CLIENTS),
)
def tour_fedavg(w, points):
    w_chez_clients = tff.federated_broadcast(w)  # 1. diffusion
    w_locaux, n = tff.federated_map(entrainement_local, (points, w_chez_clients))  # 2.
    return tff.federated_mean(w_locaux, weight=n)  # 3. moyenne pondérée


print("Travail d'un client :", entrainement_local.type_signature)
print("Un tour de FedAvg   :", tour_fedavg.type_signature)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le type d'un tour, `(<w=float32@SERVER,points={<float32,float32>*}@CLIENTS>
# -> float32@SERVER)`, résume l'apprentissage fédéré : le modèle vit sur le
# serveur, les données vivent chez les clients, et un tour produit un nouveau
# modèle sur le serveur. Entraînons :

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
w = np.float32(0.0)
for tour in range(1, 9):
    w = tour_fedavg(w, jeux_clients)
    print(f"tour {tour} : w = {w:.4f}")

x_tous = np.concatenate([x for x, _ in clients_xy])
y_tous = np.concatenate([y for _, y in clients_xy])
w_centralise = float((x_tous * y_tous).sum() / (x_tous**2).sum())  # moindres carrés
w_locaux = [float((x * y).sum() / (x**2).sum()) for x, y in clients_xy]
print(f"Optimum centralisé (toutes les données réunies) : w = {w_centralise:.4f}")
print("Optimum de chaque client seul :", ", ".join(f"{v:.4f}" for v in w_locaux))

# %% [markdown] slideshow={"slide_type": "fragment"}
# En quelques tours, `w` s'approche de la pente 3 sans qu'aucun point
# n'ait quitté son client. Comparez la valeur finale à l'optimum centralisé
# affiché : elles sont proches mais pas égales. Avec plusieurs pas locaux,
# chaque client tire le modèle vers **son** optimum (affiché sur la dernière
# ligne) ; quand les données des clients diffèrent, la moyenne de ces
# modèles n'est pas tout à fait l'optimum global. C'est la **dérive des
# clients**, étudiée dans le notebook [07](07_non_iid_algorithmes.ipynb).
#
# `tff.learning.algorithms.build_weighted_fed_avg` fait exactement ceci, pour
# n'importe quel modèle Keras, avec un optimiseur et des métriques en plus.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les 5 étapes pour fédérer avec TensorFlow
#
# La présentation résume le travail en cinq étapes. Voici l'appel TFF qui
# correspond à chacune, et la fonction du paquet `fltutor` qui l'enveloppe
# (le notebook [06](06_exemple_mnist.ipynb) les déroule sur MNIST) :
#
# | # | Étape (diapositive) | Appel TFF | Dans `fltutor` |
# |---|---|---|---|
# | 1 | Définir votre modèle (TensorFlow) | un modèle Keras, puis `tff.learning.models.from_keras_model(modele, loss=..., input_spec=..., metrics=...)` dans une fonction sans argument | `fltutor.models.mlp()` / `cnn()`, `fltutor.federated.tff_model_fn("mlp")` |
# | 2 | Définir vos données : un jeu par client | une liste de `tf.data.Dataset`, un par client | `fltutor.partition.iid(...)`, `fltutor.federated.client_datasets(x, y, partition)` |
# | 3 | Définir votre calcul fédéré | `tff.learning.algorithms.build_weighted_fed_avg(model_fn, client_optimizer_fn=tff.learning.optimizers.build_sgdm(...), server_optimizer_fn=...)` — ou votre propre `tff.federated_computation`, comme ci-dessus | `fltutor.federated.build_process("fedavg", model="mlp")` |
# | 4 | Compiler votre calcul fédéré | fait par TFF à la construction : traçage en graphes TensorFlow, signature `process.next.type_signature` | (dans `build_process`) |
# | 5 | Entraîner votre modèle | `state = process.initialize()`, puis `result = process.next(state, donnees_clients)` à chaque tour | `fltutor.federated.train(process, jeux, rounds=...)` |

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les 5 étapes en code
#
# Sur un petit échantillon de MNIST (3 clients), avec le modèle « 2NN » du
# cours. Chaque ligne est une étape.

# %% slideshow={"slide_type": "-"}
from fltutor import data, federated, models, partition

(x_train, y_train), (x_test, y_test) = data.load_mnist()
NUM_CLIENTS, PAR_CLIENT = 3, (200 if QUICK else 600)
sous_ensemble = np.arange(NUM_CLIENTS * PAR_CLIENT)

# Étape 1 — le modèle : un modèle Keras, enveloppé pour TFF.
model_fn = federated.tff_model_fn("mlp")
print(
    f"1. Modèle « 2NN » : {models.count_params(models.mlp()):,} paramètres".replace(
        ",", " "
    )
)

# Étape 2 — les données : un tf.data.Dataset par client.
parts = partition.iid(y_train[sous_ensemble], NUM_CLIENTS, seed=SEED)
jeux = federated.client_datasets(
    x_train, y_train, parts, epochs=1, batch_size=10, seed=SEED
)
print(
    f"2. {len(jeux)} clients de {[len(p) for p in parts]} exemples ; un lot :",
    jeux[0].element_spec,
)

# Étapes 3 et 4 — le calcul fédéré, compilé par TFF à sa construction.
process = federated.build_process("fedavg", model="mlp", client_lr=0.1)
signature = process.next.type_signature
print("3-4. Données attendues par un tour :", signature.parameter.client_data)
print("     État du serveur placé en       :", signature.parameter.state.placement)

# %% [markdown] slideshow={"slide_type": "fragment"}
# `{<float32[?,28,28,1],int32[?]>*}@CLIENTS` : chaque client fournit une
# séquence (`*`) de lots d'images 28 × 28 et d'étiquettes, de taille
# quelconque (`?`). La signature complète (`print(signature)`) décrit aussi
# l'état du serveur : les poids du modèle et ceux des optimiseurs.
#
# Étape 5 : on enchaîne les tours (`process.next`), ici avec la boucle de
# `fltutor.federated.train`, qui évalue le modèle global sur le jeu de test
# après chaque tour.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
# Étape 5 — entraîner : quelques tours fédérés.
TOURS = 3 if QUICK else 10
historique = federated.train(
    process,
    jeux,
    rounds=TOURS,
    clients_per_round=NUM_CLIENTS,
    test_data=(x_test, y_test),
    model="mlp",
    seed=SEED,
    progress=False,
)
print(historique.table())

# %% [markdown] slideshow={"slide_type": "fragment"}
# Avec si peu de données et de tours, l'exactitude reste modeste : le
# notebook [06](06_exemple_mnist.ipynb) fait l'expérience complète (100
# clients, 60 000 images). Retenez la forme : **initialiser, puis répéter
# `next`**.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - **TFF** (Google, TensorFlow) : simulation et recherche, types fédérés
#   explicites ; figé en 0.87.0 (Python ≤ 3.11). **Flower** : indépendant du
#   framework, simulation et déploiement, activement maintenu. **PySyft** :
#   devenu un outil de science des données à distance (approbation du code).
# - Un type fédéré dit **où** vit une valeur : `{float32}@CLIENTS` (une par
#   client), `float32@SERVER`, `float32@CLIENTS` (la même partout).
# - Tout algorithme fédéré combine **diffusion** (`federated_broadcast`),
#   **calcul local** (`federated_map` d'un `tff.tensorflow.computation`) et
#   **agrégation** (`federated_mean`, `federated_sum`).
# - FedAvg = ces trois briques, avec une moyenne **pondérée** par le nombre
#   d'exemples.
# - Les 5 étapes : modèle Keras → un `tf.data.Dataset` par client →
#   `build_weighted_fed_avg` → compilation par TFF → `initialize` puis `next`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **La maison la plus chaude.** Écrivez un calcul fédéré qui renvoie au
#    serveur la température **maximale** des clients (`tff.federated_max`).
#    Affichez sa signature. Que révèle ce calcul sur un client, comparé à la
#    moyenne ?
# 2. **Pondérer ou pas ?** Créez trois clients dont les `x` sont tous entre
#    0 et 2, avec 50, 20 et 5 points ; les deux premiers suivent `y = 3x`, le
#    petit dernier `y = 5x`. Comparez après 8 tours `tour_fedavg` (moyenne
#    pondérée) et une variante avec une moyenne simple
#    (`tff.federated_mean(w_locaux)`). Laquelle approche l'optimum centralisé ?
# 3. **Une droite complète.** Étendez le FedAvg « fait main » au modèle
#    `y ≈ w·x + b` (deux paramètres, diffusés ensemble sous forme de couple).
#    Générez des points autour de `y = 3x + 1` et vérifiez que `(w, b)`
#    s'approche de `(3, 1)`.
#
# Solutions : [solutions/05_bibliotheques_solutions.ipynb](solutions/05_bibliotheques_solutions.ipynb).
