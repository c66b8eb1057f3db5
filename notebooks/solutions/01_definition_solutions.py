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
# # Solutions — 01 C'est quoi le federated learning ?
#
# Solutions des exercices « À vous de jouer » du notebook
# [01_definition](../01_definition.ipynb). Essayez d'abord seul !

# %% [markdown] slideshow={"slide_type": "slide"} tags=["exercice"]
# # Exercices — 01 C'est quoi le federated learning ?
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : elle affiche « ✅ Correct ! » ou un
# indice. Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Le cours : [01_definition](../01_definition.ipynb) ; les solutions :
# [01_definition_solutions](../solutions/01_definition_solutions.ipynb).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

import numpy as np
import tensorflow as tf

import fltutor
from fltutor import (
    data,
    federated,
    formatting,
    models,
    partition,
    plots,
    scratch,
    verifier,
)

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
print(f"TensorFlow {tf.__version__} ; mode rapide : {'oui' if QUICK else 'non'}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les trois téléphones, en fonctions
#
# Mêmes données et mêmes réglages que dans le notebook 01 ; `fedavg` enchaîne
# les tours et renvoie l'exactitude du modèle moyen après chaque tour.

# %% slideshow={"slide_type": "-"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()
NB_TELEPHONES, PAR_TELEPHONE = 3, (200 if QUICK else 300)
TOURS, TAUX = (5 if QUICK else 10), 0.1
rng = np.random.default_rng(SEED)
echantillon = np.sort(
    rng.choice(len(y_train), NB_TELEPHONES * PAR_TELEPHONE, replace=False)
)
modele = models.mlp(seed=SEED)
evaluateur = models.mlp(seed=SEED)
images_test, _ = next(
    iter(federated.to_dataset(x_test, y_test, batch_size=len(y_test)))
)


def exactitude(poids):
    evaluateur.set_weights(poids)
    prediction = np.argmax(evaluateur(images_test, training=False).numpy(), axis=1)
    return float(np.mean(prediction == y_test))


def telephones(repartition):
    """Indices des images de chaque téléphone, selon `partition.shards` ou `partition.iid`."""
    if repartition == "shards":
        parts = partition.shards(
            y_train[echantillon], NB_TELEPHONES, shards_per_client=1, seed=SEED
        )
    else:
        parts = partition.iid(y_train[echantillon], NB_TELEPHONES, seed=SEED)
    return [echantillon[p] for p in parts]


def fedavg(parts, tours=TOURS, epoques=1, tricheur=None):
    """FedAvg à la main ; `tricheur(w)` remplace le modèle renvoyé par le téléphone 3."""
    jeux = federated.client_datasets(
        x_train, y_train, parts, epochs=epoques, batch_size=10, seed=SEED
    )
    w = models.mlp(seed=SEED).get_weights()
    courbe = []
    for _ in range(tours):
        resultats = [
            scratch.local_train(modele, scratch.broadcast(w), jeu, lr=TAUX)
            for jeu in jeux
        ]
        if tricheur is not None:
            resultats[-1] = (tricheur(resultats[-1][0]), resultats[-1][1])
        w = scratch.aggregate([p for p, _ in resultats], [n for _, n in resultats])
        courbe.append(exactitude(w))
    return courbe


non_iid = fedavg(telephones("shards"))
print(
    "Non-IID (notebook 01), exactitude par tour :",
    " ".join(formatting.percent(p, 1) for p in non_iid),
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — des téléphones qui se ressemblent
# **★ découverte · 10 min**
#
# Répartissez les images de l'échantillon en **IID** (chaque téléphone reçoit
# des chiffres de toutes les classes : `telephones("iid")` au lieu de
# `telephones("shards")`), puis relancez les tours avec `fedavg`. La
# vérification attend `parts_iid`, la liste des indices (dans `y_train`) de
# chaque téléphone. Le modèle moyen apprend-il plus vite qu'en non-IID ?

# %% slideshow={"slide_type": "-"} tags=["exercice"]
parts_iid = ...  # un tableau d'indices par téléphone, répartis en IID
iid = ...  # l'exactitude du modèle moyen après chaque tour (fedavg)

# %% slideshow={"slide_type": "-"} tags=["solution"]
parts_iid = telephones("iid")
comptes = partition.label_counts(y_train, parts_iid, num_classes=10)
print("Chiffres par téléphone (IID) :")
print(comptes)
iid = fedavg(parts_iid)
print("IID, exactitude par tour :", " ".join(formatting.percent(p, 1) for p in iid))
print(
    f"Après {TOURS} tours : IID {formatting.percent(iid[-1], 1)}, non-IID {formatting.percent(non_iid[-1], 1)}"
)

# %% slideshow={"slide_type": "-"}
verifier.exercice("01-1", parts_iid)

# %% slideshow={"slide_type": "subslide"} tags=["solution"]
tours = list(range(1, TOURS + 1))
plots.training_curves(
    {
        "IID (toutes les classes partout)": {"round": tours, "test_accuracy": iid},
        "Non-IID (des chiffres différents)": {"round": tours, "test_accuracy": non_iid},
    },
    title="Modèle moyen des trois téléphones",
)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Quand chaque téléphone voit toutes les classes, les trois modèles locaux
# tirent dans la même direction : leur moyenne progresse vite, presque comme
# un entraînement centralisé. Quand les téléphones ont des chiffres
# différents (non-IID), chacun tire le modèle vers ses classes et la moyenne
# progresse plus lentement. C'est **le** défi principal du federated learning
# (notebooks 03 et 07).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — plus de travail local
# **★★ application · 10 min**
#
# Sur les téléphones non-IID (`telephones("shards")`), faites faire
# **5 époques** à chaque téléphone par tour (`epoques=5` dans `fedavg`),
# avec moitié moins de tours (`moins_de_tours`). Comparez à `non_iid`
# (E = 1), puis choisissez la phrase juste parmi les choix ci-dessous :
# la vérification attend sa lettre dans `reponse` (par exemple `"a"`).

# %% slideshow={"slide_type": "-"}
verifier.choix("01-2")

# %% slideshow={"slide_type": "-"} tags=["exercice"]
moins_de_tours = max(1, TOURS // 2)
cinq_epoques = ...  # l'exactitude par tour avec E = 5 et moins_de_tours tours
reponse = ...  # la lettre du choix juste, entre guillemets

# %% slideshow={"slide_type": "-"} tags=["solution"]
moins_de_tours = max(1, TOURS // 2)
cinq_epoques = fedavg(telephones("shards"), tours=moins_de_tours, epoques=5)
print(
    f"E = 1, {TOURS} tours : {formatting.percent(non_iid[-1], 1)}  ({TOURS} allers-retours)"
)
print(
    f"E = 5, {moins_de_tours} tours : {formatting.percent(cinq_epoques[-1], 1)}  ({moins_de_tours} allers-retours)"
)
print(
    "Exactitude par tour avec E = 5 :",
    " ".join(formatting.percent(p, 1) for p in cinq_epoques),
)
verdict = "mieux" if cinq_epoques[-1] > non_iid[-1] else "moins bien"
print(f"Avec moitié moins d'allers-retours, E = 5 fait {verdict} que E = 1.")
reponse = (
    "b"  # moins d'allers-retours, mais la dérive des clients : pas forcément mieux
)

# %% slideshow={"slide_type": "-"}
verifier.exercice("01-2", reponse)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Plus de calcul local permet souvent d'économiser des communications : c'est
# l'idée même de FedAvg : pour leur CNN sur MNIST, McMahan et al. (2017,
# tableau 2) divisent par 34,8 au mieux le nombre de tours nécessaires en
# IID, et par 2,8 en non-IID (les gains proches de 100 concernent leur
# modèle de langage sur Shakespeare). Mais avec des données non-IID,
# chaque téléphone s'éloigne davantage du modèle commun pendant ses 5 époques
# (la **dérive des clients**) et la moyenne en souffre ; avec seulement
# quelques tours, le modèle moyen a aussi peu d'occasions de recombiner les
# connaissances. Le verdict, sur nos trois téléphones très différents, est
# affiché ci-dessus ; le notebook 09 mesure ce compromis en détail.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — un téléphone malveillant
# **★★★ approfondissement · 10 min**
#
# Au lieu de son modèle entraîné, le téléphone 3 renvoie des poids
# aléatoires environ 10 fois plus grands. Écrivez `tricheur(poids)` : elle
# reçoit la liste des tableaux de poids du modèle et renvoie une liste de
# tableaux **de mêmes formes**, tirés au hasard (`rng_attaque`) puis
# multipliés par 10. La vérification attend la fonction elle-même. Passez-la
# à `fedavg(..., tricheur=tricheur)` : que devient le modèle moyen ?

# %% slideshow={"slide_type": "-"} tags=["exercice"]
rng_attaque = np.random.default_rng(SEED)


def tricheur(poids):
    """Le modèle renvoyé par le téléphone 3 : mêmes formes, valeurs aléatoires × 10."""
    ...


attaque = ...  # l'exactitude par tour, avec le tricheur parmi les trois téléphones

# %% slideshow={"slide_type": "-"} tags=["solution"]
rng_attaque = np.random.default_rng(SEED)


def tricheur(poids):
    return [10.0 * rng_attaque.standard_normal(p.shape).astype(p.dtype) for p in poids]


attaque = fedavg(telephones("shards"), tricheur=tricheur)
print(
    f"Sans tricheur : {formatting.percent(non_iid[-1], 1)} ; avec un tricheur sur trois : {formatting.percent(attaque[-1], 1)}"
)
print(
    "Exactitude par tour avec le tricheur :",
    " ".join(formatting.percent(p, 1) for p in attaque),
)

# %% slideshow={"slide_type": "-"}
verifier.exercice("01-3", tricheur)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Un seul client sur trois suffit à ruiner le modèle : la moyenne n'a aucune
# défense contre une valeur aberrante, et le serveur ne peut pas vérifier le
# travail des clients (il ne voit pas leurs données). Les parades : des
# agrégations **robustes** (médiane, moyenne tronquée), borner la norme des
# mises à jour (*clipping*, aussi utilisé pour la confidentialité
# différentielle, notebook 08), et détecter les clients suspects.
