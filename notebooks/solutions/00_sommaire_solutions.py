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
# # Solutions — 00 Sommaire
#
# Solutions des exercices « À vous de jouer » du notebook
# [00_sommaire](../00_sommaire.ipynb). Essayez d'abord seul !

# %% [markdown] slideshow={"slide_type": "slide"} tags=["exercice"]
# # Exercices — 00 Sommaire
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : elle affiche « ✅ Correct ! » ou un
# indice. Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Le cours : [00_sommaire](../00_sommaire.ipynb) ; les solutions :
# [00_sommaire_solutions](../solutions/00_sommaire_solutions.ipynb).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

import numpy as np
import tensorflow_federated as tff

import fltutor
from fltutor import formatting, runtime, verifier
from fltutor.data import load_mnist

QUICK = fltutor.quick_mode()
SEED = 0
np.random.seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
(x_train, y_train), (x_test, y_test) = load_mnist()
runtime.install()  # le moteur TFF du cours, confiné à la boucle locale
print(f"Mode rapide : {'activé' if QUICK else 'désactivé'}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — le mode rapide
# **★ découverte · 5 min**
#
# Réglez `os.environ["FLTUTOR_QUICK"]` à `"1"`, puis à `"0"`, et notez chaque
# fois ce que renvoie `fltutor.quick_mode()`. La vérification attend le
# dictionnaire `vu` : `{"1": ..., "0": ...}`, un booléen pour chaque réglage.
# Pourquoi vaut-il mieux régler cette variable **avant** d'ouvrir JupyterLab ?

# %% slideshow={"slide_type": "-"} tags=["exercice"]
saved = os.environ.get("FLTUTOR_QUICK")
vu = {}
for value in ["1", "0"]:
    os.environ["FLTUTOR_QUICK"] = value
    vu[value] = ...  # ce que renvoie la fonction avec ce réglage
# On remet la valeur d'origine pour ne pas perturber la suite.
if saved is None:
    del os.environ["FLTUTOR_QUICK"]
else:
    os.environ["FLTUTOR_QUICK"] = saved

# %% slideshow={"slide_type": "-"} tags=["solution"]
saved = os.environ.get("FLTUTOR_QUICK")
vu = {}
for value in ["1", "0"]:
    os.environ["FLTUTOR_QUICK"] = value
    vu[value] = fltutor.quick_mode()
    print(f"FLTUTOR_QUICK={value} → quick_mode() = {vu[value]}")
# On remet la valeur d'origine pour ne pas perturber la suite.
if saved is None:
    del os.environ["FLTUTOR_QUICK"]
else:
    os.environ["FLTUTOR_QUICK"] = saved

# %% slideshow={"slide_type": "-"}
verifier.exercice("00-1", vu)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# La fonction suit la variable, mais chaque notebook lit `QUICK` **une seule
# fois**, dans sa première cellule : changer la variable en cours de route ne
# change pas les réglages déjà calculés. En la fixant avant `make lab`
# (`FLTUTOR_QUICK=1 make lab`), tous les noyaux lancés par JupyterLab en
# héritent dès le départ.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — les classes de MNIST
# **★★ application · 5 min**
#
# Comptez combien d'images de chaque chiffre (0 à 9) contient le jeu
# d'**entraînement** `y_train`. La vérification attend `comptes`, une suite de
# 10 nombres : l'élément `i` est le nombre d'images du chiffre `i`. Les
# classes sont-elles équilibrées ?

# %% slideshow={"slide_type": "-"} tags=["exercice"]
comptes = ...  # comptes[i] : le nombre d'images du chiffre i dans y_train

# %% slideshow={"slide_type": "-"} tags=["solution"]
comptes = np.bincount(y_train, minlength=10)
for digit, count in enumerate(comptes):
    print(
        f"chiffre {digit} : {count:5d} images ({formatting.percent(count / len(y_train), 1)})"
    )
print(
    f"plus rare / plus fréquent : {formatting.number(comptes.min() / comptes.max(), 2)}"
)

# %% slideshow={"slide_type": "-"}
verifier.exercice("00-2", comptes)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Les classes sont à peu près équilibrées (le rapport entre la plus rare et
# la plus fréquente est affiché ci-dessus). Dans un
# vrai déploiement fédéré, **chaque client** a en revanche une répartition très
# déséquilibrée : c'est le problème « non-IID » des notebooks 03 et 07.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — une moyenne fédérée
# **★★★ approfondissement · 10 min**
#
# Sur le modèle de `total` (notebook 00, « Un tout premier calcul fédéré »),
# écrivez un calcul fédéré `moyenne` : une valeur `np.float32` par client en
# entrée, la **moyenne** de ces valeurs au serveur en sortie. La vérification
# attend le calcul lui-même (la fonction décorée, sans l'appeler) et
# l'essaie sur quelques valeurs. Quelle est sa signature ?

# %% slideshow={"slide_type": "-"} tags=["exercice"]
# Définissez ici le calcul fédéré `moyenne` (décoré, comme `total`).
moyenne = ...


# %% slideshow={"slide_type": "-"} tags=["solution"]
@tff.federated_computation(tff.FederatedType(np.float32, tff.CLIENTS))
def moyenne(values):
    return tff.federated_mean(values)


print("Signature :", moyenne.type_signature)
print("Moyenne de 1, 2, 3 et 6 :", formatting.short(moyenne([1.0, 2.0, 3.0, 6.0])))

# %% slideshow={"slide_type": "-"}
verifier.exercice("00-3", moyenne)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# La signature `({float32}@CLIENTS -> float32@SERVER)` : un réel par client en
# entrée, un seul réel, sur le serveur, en sortie. Le serveur connaît la
# moyenne, pas les valeurs individuelles… du moins en apparence : le notebook
# 08 montre ce qui peut encore fuir, et comment l'empêcher.
