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
# # Solutions — 08 Confidentialité
#
# Solutions des exercices « À vous de jouer » du notebook
# [08_confidentialite](../08_confidentialite.ipynb). Essayez d'abord seul !

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf

import fltutor
from fltutor import data, privacy

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
(x_train, y_train), _ = data.load_mnist()
print(f"TensorFlow {tf.__version__} ; mode rapide : {'oui' if QUICK else 'non'}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — régler le bruit
#
# ε diminue quand z augmente : on cherche le plus petit z de la grille qui
# donne ε ≤ 2.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
N, T, CIBLE = 1_000, 100, 2.0
GRILLE = np.round(np.arange(0.3, 3.01, 0.1), 1)
for m in (10, 50, 100):
    for z in GRILLE:
        eps = privacy.epsilon(float(z), m, N, T)
        if eps <= CIBLE:
            print(f"m = {m:>3} clients par tour : z = {z:.1f} suffit (ε = {eps:.2f})")
            break
    else:
        print(f"m = {m:>3} : aucun z ≤ {GRILLE[-1]} ne suffit")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Plus on tire de clients par tour, plus chacun est souvent tiré : il faut
# plus de bruit pour le même ε. Mais ce bruit est divisé par m dans la
# moyenne : le bruit **par coordonnée du modèle**, `z × S / m`, reste
# bien plus petit avec m = 100 qu'avec m = 10. Beaucoup de clients par
# tour, c'est ce qui rend DP-FedAvg utilisable.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — la taille du lot

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
TAILLES = (1, 2, 4, 8, 32)
meilleures = []
for b in TAILLES:
    fuite = privacy.gradient_leakage(x_train[:b], y_train[:b], seed=SEED)
    meilleure = max(
        privacy.cosine_similarity(fuite.reconstruction, im) for im in x_train[:b]
    )
    meilleures.append(meilleure)
    print(f"lot de {b:>2} images : meilleure similarité {meilleure:.3f}")

# %% slideshow={"slide_type": "-"}
fig, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
plt.close(fig)
ax.plot(TAILLES, meilleures, marker="o")
ax.set_xscale("log", base=2)
ax.set_xlabel("Taille du lot (images)")
ax.set_ylabel("Similarité avec l'image la plus proche")
ax.set_title("Plus le lot est grand, plus la reconstruction est floue")
ax.grid(alpha=0.3)
fig

# %% [markdown] slideshow={"slide_type": "fragment"}
# Avec un seul exemple, la reconstruction est parfaite ; elle se brouille
# à mesure que le lot grandit. Mais un petit client qui fait FedSGD (un
# gradient sur tout son jeu) avec 1 ou 2 exemples livre ses images telles
# quelles : la taille du lot n'est pas une protection, seulement un
# facteur de chance. Seules la confidentialité différentielle (et
# l'agrégation sécurisée) donnent des garanties.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — un client décroche

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
valeurs = np.array([[0.5, -1.25, 2.0], [1.5, 0.25, -0.5], [-0.75, 1.0, 0.125]])
res = privacy.secure_sum_masks(valeurs, seed=SEED)
recus = res.masked[:2].astype(np.uint64).sum(axis=0) % 2**32
decode = recus.astype(np.uint32).view(np.int32) / res.scale
print("Somme des clients 0 et 1 décodée :", decode)
print("Ce qu'il fallait (valeurs 0 + 1)  :", valeurs[:2].sum(axis=0))
reste = res.masks[:2].astype(np.uint64).sum(axis=0) % 2**32
print("Masques restés dans la somme      :", reste)
corrige = (recus + 2**32 - reste) % 2**32
print(
    "Après retrait de ces masques      :",
    corrige.astype(np.uint32).view(np.int32) / res.scale,
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Sans le client 2, les masques `r_02` et `r_12` ne sont plus compensés :
# la somme est du bruit. Pour s'en sortir, le serveur doit retirer ces
# masques — donc les **reconstituer**. Dans le protocole de Bonawitz et
# al. (2017), chaque client partage à l'avance ses secrets de masque entre
# les autres (partage de secret de Shamir) : si un client décroche, une
# majorité des survivants permet au serveur de recalculer ses masques, et
# seulement les siens. Ici, on a triché en lisant `res.masks`.
