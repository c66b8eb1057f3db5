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

# %% [markdown] tags=["solution"] slideshow={"slide_type": "slide"}
# # Solutions — 08 Confidentialité
#
# Solutions des exercices « À vous de jouer » du notebook
# [08_confidentialite](../08_confidentialite.ipynb). Essayez d'abord seul,
# dans le cahier [08_confidentialite_exercices](../exercices/08_confidentialite_exercices.ipynb) !

# %% [markdown] tags=["exercice"] slideshow={"slide_type": "slide"}
# # Exercices — 08 Confidentialité
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : « ✅ Correct ! » ou un indice.
# Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Cours : [08_confidentialite](../08_confidentialite.ipynb) ; solutions :
# [08_confidentialite_solutions](../solutions/08_confidentialite_solutions.ipynb).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os

import numpy as np
import tensorflow as tf

import fltutor
from fltutor import data, formatting, privacy, verifier

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
(x_train, y_train), _ = data.load_mnist()
print(f"TensorFlow {tf.__version__} ; mode rapide : {'oui' if QUICK else 'non'}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — régler le bruit
# **★ découverte · 10 min**
#
# N = 1 000 clients, T = 100 tours. Pour m = 10, 50 puis 100 clients par
# tour, trouvez le plus petit multiplicateur de bruit z de la grille
# `GRILLE` qui donne ε ≤ 2 (`privacy.epsilon(z, m, N, T)` ; ε diminue
# quand z augmente). Vérification : le dictionnaire `bruit`, m → z.

# %% tags=["exercice"] slideshow={"slide_type": "-"}
N, T, CIBLE = 1_000, 100, 2.0
GRILLE = np.round(np.arange(0.3, 3.01, 0.1), 1)  # les z à essayer, croissants
# Pour chaque m : le plus petit z de GRILLE avec privacy.epsilon(z, m, N, T) ≤ CIBLE.
bruit = {10: ..., 50: ..., 100: ...}

# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
N, T, CIBLE = 1_000, 100, 2.0
GRILLE = np.round(np.arange(0.3, 3.01, 0.1), 1)
bruit = {}
for m in (10, 50, 100):
    for z in GRILLE:
        eps = privacy.epsilon(float(z), m, N, T)
        if eps <= CIBLE:
            bruit[m] = float(z)
            print(
                f"m = {m:>3} clients par tour : z = {formatting.number(z, 1)} suffit (ε = {formatting.number(eps, 2)})"
            )
            break
    else:
        print(f"m = {m:>3} : aucun z ≤ {formatting.short(GRILLE[-1])} ne suffit")

# %% slideshow={"slide_type": "-"}
verifier.exercice("08-1", bruit)

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Plus on tire de clients par tour, plus chacun est souvent tiré : il faut
# plus de bruit pour le même ε. Mais ce bruit est divisé par m dans la
# moyenne : le bruit **par coordonnée du modèle**, `z × S / m`, reste
# bien plus petit avec m = 100 qu'avec m = 10. Beaucoup de clients par
# tour, c'est ce qui rend DP-FedAvg utilisable.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — la taille du lot
# **★★ application · 10 min**
#
# Pour des lots des b premières images de MNIST (b = 1, 2, 4, 8, 32),
# reconstruisez une image à partir du gradient avec
# `privacy.gradient_leakage(x, y, seed=SEED)`, puis mesurez sa meilleure
# similarité (`privacy.cosine_similarity`) avec les images du lot.
# Vérification : la liste `meilleures`, une similarité par taille de lot.

# %% tags=["exercice"] slideshow={"slide_type": "-"}
TAILLES = (1, 2, 4, 8, 32)
meilleures = []
for b in TAILLES:
    images, etiquettes = x_train[:b], y_train[:b]  # le lot : les b premières images
    fuite = ...  # privacy.gradient_leakage sur ce lot
    meilleure = ...  # la plus grande similarité de fuite.reconstruction à une image
    meilleures.append(meilleure)

# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
TAILLES = (1, 2, 4, 8, 32)
meilleures = []
for b in TAILLES:
    images, etiquettes = x_train[:b], y_train[:b]
    fuite = privacy.gradient_leakage(images, etiquettes, seed=SEED)
    meilleure = max(
        privacy.cosine_similarity(fuite.reconstruction, im) for im in images
    )
    meilleures.append(meilleure)
    print(
        f"lot de {b:>2} images : meilleure similarité {formatting.number(meilleure, 3)}"
    )

# %% slideshow={"slide_type": "-"}
verifier.exercice("08-2", meilleures)

# %% tags=["solution"] slideshow={"slide_type": "-"}
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
plt.close(fig)
ax.plot(TAILLES, meilleures, marker="o")
ax.set_xscale("log", base=2)
ax.set_xlabel("Taille du lot (images)")
ax.set_ylabel("Similarité avec l'image la plus proche")
ax.set_title("Plus le lot est grand, plus la reconstruction est floue")
ax.grid(alpha=0.3)
fig

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Avec un seul exemple, la reconstruction est parfaite ; elle se brouille
# à mesure que le lot grandit. Mais un petit client qui fait FedSGD (un
# gradient sur tout son jeu) avec 1 ou 2 exemples livre ses images telles
# quelles : la taille du lot n'est pas une protection, seulement un
# facteur de chance. Seules la confidentialité différentielle (et
# l'agrégation sécurisée) donnent des garanties.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — un client décroche
# **★★★ approfondissement · 15 min**
#
# Les trois clients du notebook masquent leurs valeurs, mais le client 2 ne
# renvoie jamais la sienne. Écrivez `somme_presents(res, presents)` : la
# somme **décodée** des valeurs des clients de la liste `presents`, à
# partir des envois `res.masked` et des masques `res.masks` (entiers
# modulo 2³² ; `decoder` les ramène en réels). Vérification : la fonction.

# %% slideshow={"slide_type": "-"}
valeurs = np.array([[0.5, -1.25, 2.0], [1.5, 0.25, -0.5], [-0.75, 1.0, 0.125]])
res = privacy.secure_sum_masks(valeurs, seed=SEED)


def decoder(entiers, res):
    """Des entiers modulo 2³² (virgule fixe) ramenés en réels."""
    entiers = np.asarray(entiers, dtype=np.uint64) % 2**32
    return entiers.astype(np.uint32).view(np.int32) / res.scale


# Ce que le serveur décode s'il additionne seulement les envois 0 et 1 :
print(
    "Somme décodée telle quelle :",
    decoder(res.masked[:2].astype(np.uint64).sum(axis=0), res),
)


# %% tags=["exercice"] slideshow={"slide_type": "-"}
def somme_presents(res, presents):
    """La somme décodée des valeurs des clients `presents` (liste d'indices)."""
    ...


# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
def somme_presents(res, presents):
    """La somme décodée des valeurs des clients `presents` (liste d'indices)."""
    recus = res.masked[presents].astype(np.uint64).sum(axis=0)
    # Les masques partagés avec un absent ne sont plus compensés : on les retire.
    orphelins = res.masks[presents].astype(np.uint64).sum(axis=0) % 2**32
    return decoder(recus + 2**32 - orphelins, res)


print("Clients 0 et 1, masques retirés :", somme_presents(res, [0, 1]))
print("Ce qu'il fallait (valeurs 0 + 1) :", valeurs[:2].sum(axis=0))

# %% slideshow={"slide_type": "-"}
verifier.exercice("08-3", somme_presents)

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Sans le client 2, les masques `r_02` et `r_12` ne sont plus compensés :
# la somme est du bruit. Pour s'en sortir, le serveur doit retirer ces
# masques — donc les **reconstituer**. Dans le protocole de Bonawitz et
# al. (2017), chaque client partage à l'avance ses secrets de masque entre
# les autres (partage de secret de Shamir) : si un client décroche, une
# majorité des survivants permet au serveur de recalculer ses masques, et
# seulement les siens. Ici, on a triché en lisant `res.masks`.
