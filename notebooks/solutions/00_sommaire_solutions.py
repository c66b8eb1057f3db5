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

# %% [markdown] slideshow={"slide_type": "slide"}
# # Solutions — 00 Sommaire
#
# Solutions des exercices « À vous de jouer » du notebook
# [00_sommaire](../00_sommaire.ipynb). Essayez d'abord seul !

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

import numpy as np

import fltutor

QUICK = fltutor.quick_mode()
SEED = 0
np.random.seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
print(f"Mode rapide : {'activé' if QUICK else 'désactivé'}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — le mode rapide
#
# `fltutor.quick_mode()` relit la variable d'environnement à **chaque** appel.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
saved = os.environ.get("FLTUTOR_QUICK")
for value in ["1", "0"]:
    os.environ["FLTUTOR_QUICK"] = value
    print(f"FLTUTOR_QUICK={value} → quick_mode() = {fltutor.quick_mode()}")
# On remet la valeur d'origine pour ne pas perturber la suite.
if saved is None:
    del os.environ["FLTUTOR_QUICK"]
else:
    os.environ["FLTUTOR_QUICK"] = saved

# %% [markdown] slideshow={"slide_type": "fragment"}
# La fonction suit la variable, mais chaque notebook lit `QUICK` **une seule
# fois**, dans sa première cellule : changer la variable en cours de route ne
# change pas les réglages déjà calculés. En la fixant avant `make lab`
# (`FLTUTOR_QUICK=1 make lab`), tous les noyaux lancés par JupyterLab en
# héritent dès le départ.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — les classes de MNIST

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
from fltutor.data import load_mnist

(x_train, y_train), (x_test, y_test) = load_mnist()
counts = np.bincount(y_train, minlength=10)
for digit, count in enumerate(counts):
    print(f"chiffre {digit} : {count:5d} images ({count / len(y_train):.1%})")
print(f"plus rare / plus fréquent : {counts.min() / counts.max():.2f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Les classes sont à peu près équilibrées (le rapport entre la plus rare et
# la plus fréquente est affiché ci-dessus). Dans un
# vrai déploiement fédéré, **chaque client** a en revanche une répartition très
# déséquilibrée : c'est le problème « non-IID » des notebooks 03 et 07.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — une moyenne fédérée

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
import tensorflow_federated as tff

from fltutor import runtime

runtime.install()


@tff.federated_computation(tff.FederatedType(np.float32, tff.CLIENTS))
def moyenne(values):
    return tff.federated_mean(values)


print("Signature :", moyenne.type_signature)
print("Moyenne de [1, 2, 3, 6] :", moyenne([1.0, 2.0, 3.0, 6.0]))

# %% [markdown] slideshow={"slide_type": "fragment"}
# La signature `({float32}@CLIENTS -> float32@SERVER)` : un réel par client en
# entrée, un seul réel, sur le serveur, en sortie. Le serveur connaît la
# moyenne, pas les valeurs individuelles… du moins en apparence : le notebook
# 08 montre ce qui peut encore fuir, et comment l'empêcher.
