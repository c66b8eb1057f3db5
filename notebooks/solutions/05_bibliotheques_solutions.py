# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
#   rise:
#     scroll: true
#     transition: none
# ---

# %% [markdown] slideshow={"slide_type": "slide"} tags=["solution"]
# # Solutions — 05 Bibliothèques et frameworks
#
# Solutions des exercices « À vous de jouer » du notebook
# [05_bibliotheques](../05_bibliotheques.ipynb). Essayez d'abord seul, dans
# le cahier [05_bibliotheques_exercices](../exercices/05_bibliotheques_exercices.ipynb) !

# %% [markdown] slideshow={"slide_type": "slide"} tags=["exercice"]
# # Exercices — 05 Bibliothèques et frameworks
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : « ✅ Correct ! » ou un indice.
# Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Cours : [05_bibliotheques](../05_bibliotheques.ipynb) ; solutions :
# [05_bibliotheques_solutions](../solutions/05_bibliotheques_solutions.ipynb).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import formatting, runtime, verifier

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
runtime.install()
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : {'oui' if QUICK else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — la maison la plus chaude
# **★ découverte · 5 min**
#
# Écrivez `temperature_max`, un calcul fédéré (sur le modèle de la moyenne du
# notebook) qui reçoit la température de chaque client
# (`{float32}@CLIENTS`) et renvoie au serveur la plus grande
# (`tff.federated_max`). Affichez sa signature. La vérification reçoit le
# calcul `temperature_max` lui-même. Que révèle-t-il sur un client, comparé
# à la moyenne ?

# %% tags=["exercice"] slideshow={"slide_type": "-"}
# Remplacez la ligne ci-dessous par une fonction décorée par
# @tff.federated_computation(tff.FederatedType(np.float32, tff.CLIENTS))
temperature_max = ...


# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
@tff.federated_computation(tff.FederatedType(np.float32, tff.CLIENTS))
def temperature_max(temperatures):
    return tff.federated_max(temperatures)


print("Signature :", temperature_max.type_signature)
print(
    "Maximum de 18, 21 et 24,5 °C :",
    formatting.short(temperature_max([18.0, 21.0, 24.5])),
)

# %% slideshow={"slide_type": "-"}
verifier.exercice("05-1", temperature_max)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# La signature est la même que celle de la moyenne,
# `({float32}@CLIENTS -> float32@SERVER)`, mais le résultat est **la valeur
# exacte d'un client** : le serveur apprend la mesure d'une maison précise.
# Une moyenne sur beaucoup de clients dilue chaque contribution ; un maximum
# (ou un minimum) la révèle telle quelle. Le type dit *où* vont les données,
# pas *combien* elles révèlent : c'est le sujet du notebook 08.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — pondérer ou pas ?
# **★★ application · 15 min**
#
# Trois clients, des `x` dans la même plage, des effectifs très différents
# (50, 20 et 5 points), et un petit client qui ne suit pas la même pente que
# les autres (`y = 5x` au lieu de `y = 3x`). Complétez `fabrique_tour` : un
# tour de FedAvg à moyenne pondérée par `n` si `pondere`, à moyenne simple
# sinon. Faites 8 tours de chacun depuis `w = 0`, comparez à l'optimum
# centralisé `Σxy / Σx²` (les 75 points réunis), et donnez à la vérification
# le texte « pondérée » ou « simple » : la moyenne la plus proche.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
rng = np.random.default_rng(SEED)
clients_xy = []
for n, pente in [(50, 3.0), (20, 3.0), (5, 5.0)]:
    x = rng.uniform(0.0, 2.0, n).astype(np.float32)
    y = (pente * x + rng.normal(0.0, 0.3, n)).astype(np.float32)
    clients_xy.append((x, y))
jeux_clients = [tf.data.Dataset.from_tensor_slices(xy) for xy in clients_xy]
x_tous = np.concatenate([x for x, _ in clients_xy])
y_tous = np.concatenate([y for _, y in clients_xy])
ETA = 0.02


@tff.tensorflow.computation(tff.SequenceType((np.float32, np.float32)), np.float32)
def entrainement_local(points, w):
    def pas_de_gradient(etat, point):
        w, n = etat
        x, y = point
        return w - ETA * 2.0 * (w * x - y) * x, n + 1.0

    return points.reduce((w, np.float32(0.0)), pas_de_gradient)


print("Travail d'un client :", entrainement_local.type_signature)


# %% tags=["exercice"] slideshow={"slide_type": "-"}
def fabrique_tour(pondere):
    @tff.federated_computation(
        tff.FederatedType(np.float32, tff.SERVER),
        tff.FederatedType(tff.SequenceType((np.float32, np.float32)), tff.CLIENTS),
    )
    def tour(w, points):
        w_locaux, n = tff.federated_map(
            entrainement_local, (points, tff.federated_broadcast(w))
        )
        # la moyenne pondérée par n si `pondere`, la moyenne simple sinon
        ...

    return tour


resultats = ...  # {True: w après 8 tours pondérés, False: w après 8 tours simples}
w_centralise = ...  # l'optimum centralisé, Σxy / Σx² sur les 75 points
la_plus_proche = ...  # « pondérée » ou « simple »


# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
def fabrique_tour(pondere):
    @tff.federated_computation(
        tff.FederatedType(np.float32, tff.SERVER),
        tff.FederatedType(tff.SequenceType((np.float32, np.float32)), tff.CLIENTS),
    )
    def tour(w, points):
        w_locaux, n = tff.federated_map(
            entrainement_local, (points, tff.federated_broadcast(w))
        )
        if pondere:
            return tff.federated_mean(w_locaux, weight=n)
        return tff.federated_mean(w_locaux)

    return tour


resultats = {}
for pondere in (True, False):
    tour = fabrique_tour(pondere)
    w = np.float32(0.0)
    for _ in range(8):
        w = tour(w, jeux_clients)
    resultats[pondere] = float(w)
w_centralise = float((x_tous * y_tous).sum() / (x_tous**2).sum())
print(f"moyenne pondérée : w = {formatting.number(resultats[True], 3)} après 8 tours")
print(f"moyenne simple   : w = {formatting.number(resultats[False], 3)} après 8 tours")
print(
    f"optimum centralisé (75 points réunis) : w = {formatting.number(w_centralise, 3)}"
)
pondere_gagne = min(resultats, key=lambda k: abs(resultats[k] - w_centralise))
la_plus_proche = "pondérée" if pondere_gagne else "simple"
print("La plus proche de l'optimum centralisé :", la_plus_proche)

# %% slideshow={"slide_type": "-"}
verifier.exercice("05-2", la_plus_proche)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Avec la moyenne simple, le client aux 5 points pèse autant que celui aux 50
# points : le modèle est tiré vers **sa** pente. La moyenne pondérée par le
# nombre d'exemples donne à chaque *point* le même poids, comme
# l'entraînement centralisé : c'est pourquoi FedAvg l'utilise. Elle n'est pas
# toujours souhaitable pour autant : elle donne peu de voix aux petits
# clients, au détriment de l'**équité** entre clients (un modèle qui marche
# mal pour eux).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — une droite complète `y ≈ w·x + b`
# **★★★ approfondissement · 25 min**
#
# Étendez le FedAvg « fait main » au modèle `y ≈ w·x + b`. Le couple
# `(w, b)` voyage comme **une seule** valeur fédérée de type
# `<float32,float32>` : `federated_broadcast` et `federated_mean` acceptent
# n'importe quelle structure. Complétez la fabrique (le pas local η en
# paramètre), faites 60 tours avec η = 0,02 depuis `(0, 0)` sur les points
# ci-dessous (autour de `y = 3x + 1`), et donnez à la vérification le couple
# `(w_appris, b_appris)` obtenu.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
rng = np.random.default_rng(SEED)
clients_xyb = []
for x_min, x_max, n in [(0.0, 1.0, 50), (1.0, 2.0, 20), (2.0, 4.0, 5)]:
    x = rng.uniform(x_min, x_max, n).astype(np.float32)
    y = (3.0 * x + 1.0 + rng.normal(0.0, 0.3, n)).astype(np.float32)
    clients_xyb.append((x, y))
jeux_b = [tf.data.Dataset.from_tensor_slices(xy) for xy in clients_xyb]
PARAMS = (np.float32, np.float32)  # (w, b)
x_tous = np.concatenate([x for x, _ in clients_xyb])
y_tous = np.concatenate([y for _, y in clients_xyb])
w_c, b_c = np.polyfit(x_tous, y_tous, 1)
print(
    f"moindres carrés centralisés : w = {formatting.number(w_c, 3)}, b = {formatting.number(b_c, 3)}"
)


# %% tags=["exercice"] slideshow={"slide_type": "-"}
def fabrique_tour_wb(eta):
    @tff.tensorflow.computation(tff.SequenceType((np.float32, np.float32)), PARAMS)
    def entrainement_local_wb(points, params):
        # un pas de gradient par point, sur w ET b ; renvoyer ((w, b), n)
        ...

    @tff.federated_computation(
        tff.FederatedType(PARAMS, tff.SERVER),
        tff.FederatedType(tff.SequenceType((np.float32, np.float32)), tff.CLIENTS),
    )
    def tour_wb(params, points):
        # diffusion, calcul local, moyenne pondérée par n
        ...

    return tour_wb


w_appris, b_appris = ..., ...  # après 60 tours de η = 0,02, depuis (0, 0)


# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
def fabrique_tour_wb(eta):
    @tff.tensorflow.computation(tff.SequenceType((np.float32, np.float32)), PARAMS)
    def entrainement_local_wb(points, params):
        def pas(etat, point):
            w, b, n = etat
            x, y = point
            erreur = w * x + b - y
            return w - eta * 2.0 * erreur * x, b - eta * 2.0 * erreur, n + 1.0

        w, b = params
        w, b, n = points.reduce((w, b, np.float32(0.0)), pas)
        return (w, b), n

    @tff.federated_computation(
        tff.FederatedType(PARAMS, tff.SERVER),
        tff.FederatedType(tff.SequenceType((np.float32, np.float32)), tff.CLIENTS),
    )
    def tour_wb(params, points):
        params_locaux, n = tff.federated_map(
            entrainement_local_wb, (points, tff.federated_broadcast(params))
        )
        return tff.federated_mean(params_locaux, weight=n)

    return tour_wb


print("Signature :", fabrique_tour_wb(0.02).type_signature)
finaux = {}
for eta, tours in [(0.02, 60), (0.005, 200)]:
    tour_wb = fabrique_tour_wb(eta)
    params = (np.float32(0.0), np.float32(0.0))
    for _ in range(tours):
        params = tour_wb(params, jeux_b)
    finaux[eta] = (float(params[0]), float(params[1]))
    ecart = abs(params[0] - w_c) + abs(params[1] - b_c)
    print(
        f"η = {formatting.short(eta):<5} ({tours} tours) : w = {formatting.number(params[0], 3)}, b = {formatting.number(params[1], 3)}"
        f"  (écart à l'optimum centralisé : {formatting.number(ecart, 3)})"
    )
w_appris, b_appris = finaux[0.02]

# %% slideshow={"slide_type": "-"}
verifier.exercice("05-3", (w_appris, b_appris))

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# `(w, b)` s'approche bien de `(3, 1)`, mais s'arrête un peu à côté de
# l'optimum centralisé : c'est encore la **dérive des clients**. Chaque
# client fait plusieurs pas vers *son* optimum (les clients n'ont pas les
# mêmes `x`), et la moyenne de ces modèles n'est pas l'optimum de l'ensemble.
# Avec un pas local plus petit, l'écart diminue (comparez les deux lignes),
# au prix de davantage de tours, donc de communications. FedProx (notebook
# 07) attaque ce compromis autrement.
