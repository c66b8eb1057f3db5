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
# # 08 — Confidentialité : ce qui fuit, et comment le limiter
#
# « Une meilleure protection de la vie privée en conservant les données sur
# les appareils » : c'est le premier avantage du federated learning cité par
# la présentation, et « assurer la confidentialité et la sécurité des
# données » son premier défi. Les deux sont vrais : les données ne partent
# pas, mais les **mises à jour** partent, et elles parlent. Ce notebook
# montre une fuite, puis les deux parades de TFF : la **confidentialité
# différentielle** et l'**agrégation sécurisée**.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - expliquer pourquoi un gradient peut révéler une donnée d'entraînement,
#   et le montrer sur une image de MNIST ;
# - entraîner DP-FedAvg avec les agrégateurs de TFF (écrêtage fixe ou
#   adaptatif, bruit gaussien) ;
# - calculer le budget de confidentialité ε d'un entraînement avec
#   `dp_accounting`, et lire le compromis confidentialité / exactitude ;
# - expliquer l'agrégation sécurisée par masques deux à deux, et ce que
#   TFF en simule.
#
# **Durée** : 60 minutes.
#
# **Prérequis** : [06 — Exemple MNIST](06_exemple_mnist.ipynb) (FedAvg avec
# TFF) ; la notion de gradient.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import logging
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import data, federated, partition, plots, privacy, runtime

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if not (tf.__version__.startswith("2.14.") and tff.__version__.startswith("0.87.")):
    print("Attention : ce cours est prévu pour TensorFlow 2.14 et TFF 0.87.")

# Population de clients pour DP-FedAvg. La confidentialité différentielle
# demande beaucoup de clients par tour : le mode complet en simule 1 000.
if QUICK:
    N_TRAIN, N_TEST = 6_000, 2_000
    NUM_CLIENTS, CLIENTS_PAR_TOUR, TOURS = 100, 10, 8
else:
    N_TRAIN, N_TEST = 60_000, 10_000
    NUM_CLIENTS, CLIENTS_PAR_TOUR, TOURS = 1_000, 50, 40
MODELE = "mlp"
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : "
    f"{'oui' if QUICK else 'non'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Ce qui est partagé, ce qui peut fuir
#
# À chaque tour, un client envoie au serveur sa **mise à jour** : la
# différence entre son modèle local et le modèle global, ou (FedSGD) un
# gradient. Les images ne partent pas… mais une mise à jour est une
# fonction des images. Que peut en tirer un serveur curieux ?
#
# Prenons le modèle le plus simple, une régression softmax : une couche
# dense `logits = x·W + b` (784 × 10 poids). Pour **un** exemple `x`
# d'étiquette `y`, le gradient de l'entropie croisée vaut :
#
# - pour le biais : `∂L/∂b_c = p_c − y_c` ;
# - pour la colonne `c` des poids : `∂L/∂W_c = (p_c − y_c) · x`.
#
# Diviser la seconde par la première redonne **exactement** `x`.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
fuite = privacy.gradient_leakage(x_complet[0], y_complet[0], seed=SEED)
fuite_lot = privacy.gradient_leakage(x_complet[:8], y_complet[:8], seed=SEED)
print(f"Le client envoie {fuite.gradient_w.size + fuite.gradient_b.size} nombres.")
print(
    "Gradient du biais :",
    np.array2string(fuite.gradient_b, precision=3, suppress_small=True),
)
print(f"Étiquette devinée : {fuite.label_guess} (vraie : {y_complet[0]})")
print(f"Similarité cosinus image retrouvée / vraie image : {fuite.cosine:.4f}")
proches = [
    privacy.cosine_similarity(fuite_lot.reconstruction, im) for im in x_complet[:8]
]
print(
    f"Lot de 8 images : meilleure similarité avec une image du lot {max(proches):.2f}"
)

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, 3, figsize=(9, 3.4), layout="constrained")
plt.close(fig)
for ax, image, titre in zip(
    axes,
    [x_complet[0], fuite.reconstruction, fuite_lot.reconstruction],
    ["Image du client", "Retrouvée (1 exemple)", "Retrouvée (lot de 8)"],
):
    ax.imshow(image, cmap="gray_r")
    ax.set_title(titre)
    ax.set_xticks([])
    ax.set_yticks([])
fig.suptitle("Reconstruire une image à partir d'un gradient")
fig

# %% [markdown] slideshow={"slide_type": "fragment"}
# Avec un seul exemple, l'image est retrouvée exactement (similarité 1), et
# le seul coefficient négatif du gradient du biais donne même l'étiquette.
# Avec un lot de 8 images, on obtient un mélange flou : moyenner sur
# plusieurs exemples brouille la fuite, sans rien **garantir**. Pour les
# réseaux profonds, des attaques par optimisation (« Deep Leakage from
# Gradients », Zhu et al., 2019) reconstruisent aussi des images à partir
# de gradients de petits lots. D'où deux idées :
#
# 1. rendre chaque mise à jour **bruitée** et bornée : la confidentialité
#    différentielle ;
# 2. empêcher le serveur de voir les mises à jour **individuelles** :
#    l'agrégation sécurisée.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## La confidentialité différentielle (DP-FedAvg)
#
# Garantie visée : le modèle final doit être presque le même, qu'un client
# donné ait participé ou non. « Presque » se mesure par **ε** (et une petite
# probabilité d'échec **δ**) : ε petit (≈ 1) = garantie forte, ε ≈ 10 =
# garantie faible, ε = ∞ = aucune garantie.
#
# DP-FedAvg (McMahan et al., 2018) modifie seulement l'agrégation :
#
# 1. **écrêter** : chaque mise à jour est ramenée à une norme L2 au plus
#    `S` — aucun client ne peut peser plus que `S` ;
# 2. **bruiter** : le serveur ajoute à la somme un bruit gaussien d'écart
#    type `z × S` (`z` : le multiplicateur de bruit) ;
# 3. **moyenner** sans pondérer, sur `m` clients par tour.
#
# `S` peut être **fixe**, ou **adaptatif** : il suit alors un quantile des
# normes des mises à jour (la médiane par défaut) — on n'a pas à le deviner.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le budget ε
#
# ε dépend du bruit `z`, de la proportion `q = m / N` de clients tirés à
# chaque tour (être rarement tiré protège) et du nombre de tours `T` (chaque
# tour dépense un peu de budget). `privacy.epsilon` le calcule avec le
# comptable RDP de la bibliothèque `dp_accounting`, pour δ = N^-1,1.
#
# Ce calcul suppose un tirage **de Poisson** : à chaque tour, chaque client
# participe indépendamment avec la probabilité q, et le nombre de
# participants varie d'un tour à l'autre. Nos entraînements, eux, tirent
# **exactement** m clients, sans remise. L'ε affiché est donc celui d'un
# tirage de Poisson de même taux q : une approximation courante, pas une
# garantie démontrée pour notre tirage. (Le tirage sans remise a sa propre
# analyse, `dp_accounting.SampledWithoutReplacementDpEvent`, pour des
# voisins qui diffèrent d'un client **remplacé** plutôt qu'ajouté ou
# retiré.)

# %% slideshow={"slide_type": "-"}
BRUITS = (0.5, 1.0, 2.0)
print(f"N = {NUM_CLIENTS} clients, m = {CLIENTS_PAR_TOUR} par tour, T = {TOURS} tours")
print(f"δ = N^-1,1 = {privacy.default_delta(NUM_CLIENTS):.2e}")
for z in BRUITS:
    eps = privacy.epsilon(z, CLIENTS_PAR_TOUR, NUM_CLIENTS, TOURS)
    print(f"  bruit z = {z:<4g} → ε = {eps:.2f}")
print("Exemple de référence : z = 1, 10 clients sur 100, 50 tours → ε = ", end="")
print(f"{privacy.epsilon(1.0, 10, 100, 50):.2f}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### DP-FedAvg avec TFF
#
# TFF fournit l'agrégateur : `tff.aggregators.DifferentiallyPrivateFactory`
# (`gaussian_fixed` ou `gaussian_adaptive`, que `tff.learning.dp_aggregator`
# enveloppe). `privacy.build_dp_process` le branche sur FedAvg, avec une
# moyenne **non pondérée** (sinon un client aux nombreux exemples pèserait
# plus que `S`). On compare :
#
# - FedAvg avec écrêtage mais sans bruit (`z = 0`, ε = ∞) ;
# - DP-FedAvg, écrêtage fixe `S = 1`, pour plusieurs bruits `z` ;
# - DP-FedAvg, écrêtage adaptatif, `z = 1`.
#
# Tout le notebook est reproductible (graines fixées)… sauf le **bruit** :
# TFF le tire d'une graine prise sur l'horloge du système, à dessein. Un
# bruit prévisible ne protège rien : qui connaît la graine peut le
# recalculer et le soustraire. Les exactitudes avec bruit varient donc de
# quelques points d'une exécution à l'autre ; sans bruit, elles sont
# identiques.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
x_train, y_train = x_complet[:N_TRAIN], y_complet[:N_TRAIN]
x_test, y_test = x_test_complet[:N_TEST], y_test_complet[:N_TEST]
parts = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
# Jusqu'à 1 000 clients : chaque jeu n'est fabriqué qu'au tour où son
# client est tiré (`lazy=True`), au lieu de garder tous les jeux en mémoire.
jeux = federated.client_datasets(
    x_train, y_train, parts, batch_size=20, seed=SEED, lazy=True
)

ESSAIS = {"sans bruit (ε = ∞)": dict(noise_multiplier=0.0, clipping="fixed")}
for z in (0.5, 2.0):
    ESSAIS[f"z = {z:g}, S fixe"] = dict(noise_multiplier=z, clipping="fixed")
ESSAIS["z = 1, S adaptatif"] = dict(noise_multiplier=1.0, clipping="adaptive")

historiques, epsilons = {}, {}
for nom, reglage in ESSAIS.items():
    process = privacy.build_dp_process(
        MODELE, clients_per_round=CLIENTS_PAR_TOUR, clip=1.0, **reglage
    )
    historiques[nom] = federated.train(
        process,
        jeux,
        rounds=TOURS,
        clients_per_round=CLIENTS_PAR_TOUR,
        test_data=(x_test, y_test),
        model=MODELE,
        seed=SEED,
        progress=False,
    )
    epsilons[nom] = privacy.epsilon(
        reglage["noise_multiplier"], CLIENTS_PAR_TOUR, NUM_CLIENTS, TOURS
    )
    print(
        f"{nom:<22} ε = {epsilons[nom]:>6.2f}   exactitude en test finale "
        f"{historiques[nom].final_accuracy:.4f}"
    )
    # Le worker TFF garde en cache chaque calcul fédéré qu'il a exécuté : on l'arrête
    # entre deux essais pour tenir dans 2 Gio (Binder). Il est relancé tout
    # seul au calcul suivant.
    runtime.stop_all_workers()

# %% slideshow={"slide_type": "subslide"}
plots.training_curves(historiques, title="DP-FedAvg : exactitude au fil des tours")

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
plt.close(fig)
fixes = [n for n in ESSAIS if "fixe" in n]
ax.plot(
    [epsilons[n] for n in fixes],
    [historiques[n].final_accuracy for n in fixes],
    marker="o",
    label="DP-FedAvg, S fixe",
)
for n in fixes:
    ax.annotate(n.split(",")[0], (epsilons[n], historiques[n].final_accuracy))
adaptatif = "z = 1, S adaptatif"
ax.plot(
    epsilons[adaptatif],
    historiques[adaptatif].final_accuracy,
    marker="s",
    linestyle="",
    label=adaptatif,
)
ax.axhline(
    historiques["sans bruit (ε = ∞)"].final_accuracy,
    color="gray",
    linestyle="--",
    label="sans bruit (ε = ∞)",
)
ax.set_xscale("log")
ax.set_xlabel("ε (plus petit = plus confidentiel)")
ax.set_ylabel("Exactitude en test finale")
ax.set_title(f"Confidentialité contre exactitude ({TOURS} tours)")
ax.grid(alpha=0.3)
ax.legend()
fig

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le compromis est là : moins d'ε (plus de bruit), moins d'exactitude —
# comparez les points au trait gris, l'entraînement sans bruit, et les
# valeurs imprimées plus haut (le bruit change un peu d'une exécution à
# l'autre).
#
# Le bruit ajouté à chaque coordonnée de la moyenne vaut `z × S / m` :
# tirer plus de clients par tour le réduit… mais pas en `1/m` à ε égal. Si
# la population N est fixée, chaque client est tiré plus souvent
# (q = m / N grandit) et il faut un `z` **plus grand** pour garder le même ε
# (exercice 1) ; dans cet exercice, `z` grandit moins vite que `m`, et le
# bruit sur la moyenne baisse quand même. Le bruit ne baisse en `1/m`, à ε
# égal, que si la population grandit avec `m` (q constant) : c'est le cas
# des déploiements réels (claviers de téléphones), qui tirent des
# **milliers** de clients par tour parmi des millions.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## L'agrégation sécurisée
#
# La confidentialité différentielle protège contre ce que révèle le
# **modèle**. L'agrégation sécurisée (Bonawitz et al., 2017) protège contre
# un serveur qui regarderait les mises à jour **individuelles** : il ne
# doit voir que leur somme.
#
# L'idée : chaque paire de clients (i, j) convient d'un masque aléatoire
# `r_ij`. Le client i envoie `x_i + r_ij`, le client j envoie `x_j − r_ij`.
# Chaque envoi ressemble à du bruit, mais dans la somme, les masques
# s'annulent. Pour que l'annulation soit **exacte**, on travaille sur des
# entiers modulo 2³² (valeurs codées en virgule fixe).

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
valeurs = np.array([[0.5, -1.25, 2.0], [1.5, 0.25, -0.5], [-0.75, 1.0, 0.125]])
res = privacy.secure_sum_masks(valeurs, seed=SEED)
for k in range(len(valeurs)):
    print(f"client {k} : valeur {valeurs[k]} → envoie {res.masked[k]}")
print("Somme des envois (modulo 2³²) :", res.masked_sum)
print("Somme décodée par le serveur  :", res.sum)
print("Vraie somme                   :", valeurs.sum(axis=0))
print(
    "Somme des masques (modulo 2³²) :", res.masks.astype(np.uint64).sum(axis=0) % 2**32
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Les envois sont des entiers qui n'ont rien à voir avec les valeurs, mais
# leur somme redonne exactement la somme des valeurs. Dans le vrai
# protocole, les masques viennent d'un échange de clés (Diffie-Hellman), et
# un partage de secret permet de finir le calcul si des clients décrochent
# en cours de tour (exercice 3).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### L'agrégateur sécurisé de TFF
#
# `tff.learning.secure_aggregator()` écrit FedAvg avec l'opérateur
# `tff.federated_secure_sum_bitwidth`. **Attention** : le moteur
# d'exécution local de TFF n'implémente pas de protocole cryptographique.
# Son contexte ordinaire refuse ce calcul (« Cannot embed a federated
# value ») ; son contexte « de test » remplace la somme sécurisée par une
# **somme ordinaire, en clair**. On vérifie ainsi que l'algorithme est
# correct, pas qu'il est secret : la vraie protection n'existe que dans un
# déploiement qui implémente le protocole. `privacy.simulated_secure_context()`
# installe ce contexte de test avec le moteur confiné du cours, puis
# l'arrête et remet le contexte habituel.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
niveau = tf.get_logger().level
tf.get_logger().setLevel(logging.CRITICAL)  # messages internes de TFF, sans intérêt ici
try:
    process_securise = federated.build_process(
        "fedavg", model=MODELE, aggregator=tff.learning.secure_aggregator()
    )
finally:
    tf.get_logger().setLevel(niveau)
with privacy.simulated_secure_context():
    historique_securise = federated.train(
        process_securise,
        jeux,
        rounds=3,
        clients_per_round=CLIENTS_PAR_TOUR,
        test_data=(x_test, y_test),
        model=MODELE,
        seed=SEED,
        progress=False,
    )
print(historique_securise.table())
print("Workers TFF encore actifs :", len(runtime.workers()))

# %% [markdown] slideshow={"slide_type": "fragment"}
# L'entraînement se déroule comme FedAvg : la somme (simulée) donne le
# même résultat qu'une somme ordinaire, aux arrondis près de la
# quantification sur des entiers qu'impose la somme sécurisée. Le contexte
# de test est refermé et son worker arrêté, comme le montre le compte
# ci-dessus ; le contexte habituel du cours est réinstallé, et relancera
# son propre worker au prochain calcul fédéré.
#
# (TFF propose aussi `tff.learning.ddp_secure_aggregator`, qui combine
# confidentialité différentielle distribuée et somme sécurisée ; dans cet
# environnement, il ne s'exécute qu'avec l'implémentation Python pure — et
# très lente — de `protobuf` : nous ne l'utilisons pas.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Les données restent sur les appareils, mais les **mises à jour**
#   peuvent les trahir : le gradient d'un exemple donne l'image exacte
#   pour une couche dense.
# - **DP-FedAvg** : écrêter chaque mise à jour (norme ≤ S, fixe ou
#   adaptative), ajouter un bruit gaussien `z × S`, moyenner sans pondérer.
# - **ε** se calcule (`dp_accounting`) à partir du bruit z, de la
#   proportion de clients tirés q = m/N et du nombre de tours T : plus de
#   bruit, moins de tours, une population plus grande → ε plus petit.
# - Moins d'ε = moins d'exactitude. Le bruit sur la moyenne vaut
#   `z × S / m` : plus de clients par tour le réduit (exercice 1), même si, à
#   population fixée, `z` doit grandir avec `m` pour garder le même ε.
# - Le calcul de ε suppose un tirage de Poisson ; tirer exactement m
#   clients par tour en est une approximation.
# - L'**agrégation sécurisée** (masques deux à deux) cache les mises à
#   jour individuelles au serveur ; TFF ne la **simule** qu'en local.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Régler le bruit.** Pour N = 1 000 clients et T = 100 tours, quel
#    multiplicateur de bruit z faut-il pour ε ≤ 2, avec m = 10, 50 puis
#    100 clients par tour ? (Essayez des valeurs de z avec
#    `privacy.epsilon`.)
# 2. **La taille du lot.** Avec `privacy.gradient_leakage`, mesurez la
#    meilleure similarité entre l'image retrouvée et les images du lot,
#    pour des lots de 1, 2, 4, 8 et 32 images. Que conclure sur FedSGD
#    avec un petit client ?
# 3. **Un client décroche.** Dans `secure_sum_masks`, supposez que le
#    client 2 ne renvoie jamais sa valeur masquée : que donne la somme des
#    deux autres ? Que faudrait-il au serveur pour s'en sortir ?
#
# Solutions : [solutions/08_confidentialite_solutions.ipynb](solutions/08_confidentialite_solutions.ipynb).
