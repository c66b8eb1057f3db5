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
# # Solutions — 02 Le flux de travail
#
# Solutions des exercices « À vous de jouer » du notebook
# [02_etapes](../02_etapes.ipynb). Essayez d'abord seul !

# %% [markdown] slideshow={"slide_type": "slide"} tags=["exercice"]
# # Exercices — 02 Le flux de travail
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : elle affiche « ✅ Correct ! » ou un
# indice. Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Le cours : [02_etapes](../02_etapes.ipynb) ; les solutions :
# [02_etapes_solutions](../solutions/02_etapes_solutions.ipynb).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
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
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; "
    f"mode rapide : {'oui' if QUICK else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le contexte du notebook 02
#
# Mêmes données, mêmes clients, même modèle initial et même tirage au sort
# que dans le notebook. `premier_tour` refait les étapes 2 à 5 pour une
# partition et un nombre d'époques donnés, et renvoie les modèles locaux.

# %% slideshow={"slide_type": "-"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()
NUM_CLIENTS = 100
CLIENTS_PAR_TOUR = 5 if QUICK else 10
LOT, LR = 10, 0.1

parts = partition.quantity_skew(y_train, NUM_CLIENTS, sigma=1.0, seed=SEED)
modele = models.mlp(seed=SEED)
w_global = modele.get_weights()
choisis = scratch.select_clients(
    NUM_CLIENTS, CLIENTS_PAR_TOUR, np.random.default_rng(SEED)
)
print("Clients tirés au sort :", choisis.tolist())


def exactitude(poids, x, y):
    return federated.evaluate(poids, x, y, model="mlp")[1]


def premier_tour(parts, epoques):
    """Étapes 2 à 5 pour les clients `choisis` : (poids locaux, n_k, tableau)."""
    tf.keras.utils.set_random_seed(SEED)
    poids, tailles, lignes = [], [], []
    for k in choisis:
        jeu = federated.client_datasets(
            x_train,
            y_train,
            [parts[k]],
            epochs=epoques,
            batch_size=LOT,
            seed=SEED + int(k),
        )[0]
        w_k, n_k = scratch.local_train(modele, scratch.broadcast(w_global), jeu, lr=LR)
        norme = np.sqrt(sum(np.sum((a - b) ** 2) for a, b in zip(w_k, w_global)))
        lignes.append(
            (
                k,
                len(parts[k]),
                exactitude(w_k, x_train[parts[k]], y_train[parts[k]]),
                exactitude(w_k, x_test, y_test),
                norme,
            )
        )
        poids.append(w_k)
        tailles.append(n_k)
    return poids, tailles, lignes


def afficher(lignes):
    print("client  exemples  exactitude locale  exactitude en test  ‖w_k − w‖")
    for k, n, locale, test, norme in lignes:
        print(
            f"{k:6d} {n:9d} {formatting.number(locale, 4):>18} {formatting.number(test, 4):>19} {formatting.number(norme, 3):>10}"
        )


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — plus de travail local (E = 5)
# **★ découverte · 10 min**
#
# Refaites le premier tour avec `E = 1` puis `E = 5` époques locales
# (`premier_tour(parts, epoques)`), affichez chaque tableau (`afficher`) et
# l'exactitude en test du modèle agrégé (`scratch.aggregate`). Comment
# évoluent `‖w_k − w‖`, les modèles locaux et le modèle agrégé ? Choisissez
# la phrase juste : la vérification attend sa lettre dans `reponse`.

# %% slideshow={"slide_type": "-"}
verifier.choix("02-1")

# %% slideshow={"slide_type": "-"} tags=["exercice"]
for epoques in (1, 5):
    print(f"E = {epoques}")
    ...  # le premier tour, son tableau, l'exactitude du modèle agrégé
reponse = ...  # la lettre du choix juste, entre guillemets

# %% tags=["nbval-ignore-output", "solution"] slideshow={"slide_type": "-"}
for epoques in (1, 5):
    print(f"E = {epoques}")
    poids, tailles, lignes = premier_tour(parts, epoques)
    afficher(lignes)
    w = scratch.aggregate(poids, tailles)
    print(
        f"→ modèle agrégé : exactitude en test {formatting.number(exactitude(w, x_test, y_test), 4)}\n"
    )
reponse = "c"  # des mises à jour plus grandes, de meilleurs modèles, en un tour

# %% slideshow={"slide_type": "-"}
verifier.exercice("02-1", reponse)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Avec 5 époques, chaque client fait 5 fois plus de pas de SGD : ses mises à
# jour sont plus grandes, son modèle local est meilleur sur ses données et
# sur le test, et le modèle agrégé progresse davantage **en un seul tour**.
# C'est l'idée de FedAvg : plus de calcul local, moins de tours, donc moins
# de communication. La limite : si les données des clients diffèrent
# (non-IID), trop de pas locaux éloignent les modèles les uns des autres, et
# leur moyenne se dégrade (notebook 07).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — moyenne simple ou pondérée ?
# **★★ application · 10 min**
#
# La cellule suivante refait le premier tour (E = 1) : `poids` est la liste
# des modèles locaux (chacun une liste de tableaux, un par couche), `tailles`
# leurs `n_k`. Écrivez `moyenne_simple(poids_locaux)`, qui renvoie leur
# moyenne **non pondérée**, couche par couche (tous les `n_k` égaux à 1) ;
# la vérification attend la fonction elle-même. Comparez l'exactitude en test
# des deux moyennes : quel client est avantagé ?

# %% slideshow={"slide_type": "-"}
poids, tailles, _ = premier_tour(parts, 1)
w_pondere = scratch.aggregate(poids, tailles)
print("n_k des clients :", tailles)


# %% slideshow={"slide_type": "-"} tags=["exercice"]
def moyenne_simple(poids_locaux):
    """La moyenne non pondérée des modèles locaux, couche par couche."""
    ...


w_simple = ...  # la moyenne simple des modèles locaux `poids`


# %% tags=["nbval-ignore-output", "solution"] slideshow={"slide_type": "-"}
def moyenne_simple(poids_locaux):
    return scratch.aggregate(poids_locaux, [1] * len(poids_locaux))


w_simple = moyenne_simple(poids)
print(
    f"Moyenne pondérée par n_k : exactitude en test {formatting.number(exactitude(w_pondere, x_test, y_test), 4)}"
)
print(
    f"Moyenne simple           : exactitude en test {formatting.number(exactitude(w_simple, x_test, y_test), 4)}"
)

# %% slideshow={"slide_type": "-"}
verifier.exercice("02-2", moyenne_simple)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# La moyenne simple donne le même poids à chaque client, quelle que soit sa
# quantité de données : les **petits** clients sont avantagés, alors que
# leurs modèles, entraînés sur peu d'exemples (et avec peu de pas de SGD),
# sont les moins bons. La moyenne pondérée revient à donner le même poids à
# chaque **exemple** : c'est ce que ferait un entraînement centralisé.
# L'écart entre les deux exactitudes dépend des clients tirés : il grandit
# quand leurs tailles et leurs données diffèrent davantage.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — des clients qui ne voient que deux chiffres
# **★★★ approfondissement · 15 min**
#
# Répartissez les données entre les `NUM_CLIENTS` clients avec
# `partition.shards` (non-IID : deux tessons, donc environ deux chiffres,
# par client ; `seed=SEED`), puis refaites le premier tour sur cette
# répartition (`premier_tour`, `afficher`). La vérification attend
# `parts_non_iid`, la liste des indices (dans `y_train`) de chaque client.
# Que deviennent l'exactitude locale et l'exactitude en test des modèles
# locaux ? Et celle du modèle agrégé ?

# %% slideshow={"slide_type": "-"} tags=["exercice"]
parts_non_iid = ...  # un tableau d'indices par client, deux chiffres chacun
lignes_non_iid = ...  # le tableau du premier tour sur cette répartition

# %% slideshow={"slide_type": "-"} tags=["solution"]
parts_non_iid = partition.shards(y_train, NUM_CLIENTS, shards_per_client=2, seed=SEED)
for k in choisis:
    print(f"client {k:2d} : chiffres {sorted(set(y_train[parts_non_iid[k]].tolist()))}")

# %% tags=["nbval-ignore-output", "solution"] slideshow={"slide_type": "-"}
poids, tailles, lignes_non_iid = premier_tour(parts_non_iid, 1)
afficher(lignes_non_iid)
w = scratch.aggregate(poids, tailles)
print(
    f"→ modèle agrégé : exactitude en test {formatting.number(exactitude(w, x_test, y_test), 4)}"
)

# %% slideshow={"slide_type": "-"}
verifier.exercice("02-3", parts_non_iid)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Chaque modèle local devient très bon sur **ses** deux chiffres (exactitude
# locale élevée) mais ne reconnaît presque rien d'autre : son exactitude en test
# plafonne autour de la part de ses deux chiffres dans le test. La moyenne
# de ces modèles fait mieux que chacun, car elle combine les chiffres de
# tous les clients tirés, mais moins bien qu'avec des clients IID : les
# mises à jour tirent dans des directions différentes. C'est le défi des
# données non-IID (notebooks 03 et 07).
