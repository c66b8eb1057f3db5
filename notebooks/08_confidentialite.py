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
# la présentation, et « assurer la confidentialité » son premier défi.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : les données ne partent pas, mais les mises à jour partent, et
#   elles parlent. Plan : une fuite démontrée, puis les deux parades de
#   TFF (confidentialité différentielle, agrégation sécurisée).
# - Question à la salle : « Si les images ne quittent jamais le téléphone,
#   qu'est-ce qu'un serveur curieux peut encore apprendre ? »
# - Réponse attendue : ce que contiennent les mises à jour (gradients ou
#   différences de poids), qui sont des fonctions des données : parfois
#   assez pour retrouver une image ou son étiquette.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le problème, et le plan
#
# Les données ne partent pas, mais les **mises à jour** partent, et elles
# parlent. Ce notebook montre une fuite, puis les deux parades de TFF : la
# **confidentialité différentielle** et l'**agrégation sécurisée**.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs
#
# À la fin de ce notebook, vous saurez :
#
# - expliquer pourquoi un gradient peut révéler une donnée d'entraînement,
#   et le montrer sur une image de MNIST ;
# - entraîner DP-FedAvg avec les agrégateurs de TFF (écrêtage fixe ou
#   adaptatif, bruit gaussien) ;
# - calculer le budget de confidentialité ε d'un entraînement avec
#   `dp_accounting`, et lire le compromis confidentialité / exactitude ;
# - expliquer l'agrégation sécurisée par masques deux à deux, et ce que
#   TFF en simule.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Durée et prérequis
#
# **Durée** : 60 minutes.
#
# **Prérequis** : [06 — Exemple MNIST](06_exemple_mnist.ipynb) (FedAvg avec
# TFF) ; la notion de gradient.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os

# Messages C++ de TensorFlow (en anglais, sans conséquence ici, comme « Failed to
# detect the fetch node(s) ») : masqués. À régler avant d'importer TensorFlow.
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import data, federated, formatting, partition, plots, privacy, runtime

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
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 12 min)
#
# - À dire : faire le calcul au tableau pour une couche dense ; la division
#   des deux gradients redonne l'image. Avec un lot, on obtient une moyenne
#   floue : c'est mieux, mais ce n'est pas une garantie.
# - Question à la salle : « Comment le serveur devine-t-il l'étiquette à
#   partir du seul gradient du biais ? »
# - Réponse attendue : `∂L/∂b_c = p_c − y_c` est négatif seulement pour la
#   vraie classe (p_c < 1) et positif pour toutes les autres : le seul
#   coefficient négatif désigne l'étiquette.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le gradient d'une couche dense
#
# Prenons le modèle le plus simple, une régression softmax : une couche
# dense `logits = x·W + b` (784 × 10 poids). Pour **un** exemple `x`
# d'étiquette `y`, le gradient de l'entropie croisée vaut :
#
# - pour le biais : `∂L/∂b_c = p_c − y_c` ;
# - pour la colonne `c` des poids : `∂L/∂W_c = (p_c − y_c) · x`.
#
# Diviser la seconde par la première redonne **exactement** `x`.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le gradient d'une seule image

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
fuite = privacy.gradient_leakage(x_complet[0], y_complet[0], seed=SEED)
taille = fuite.gradient_w.size + fuite.gradient_b.size
print(f"Le client envoie {formatting.integer(taille)} nombres.")
biais = " ; ".join(formatting.number(g, 3) for g in fuite.gradient_b)
print(f"Gradient du biais : {biais}")
print(f"Étiquette devinée : {fuite.label_guess} (vraie : {y_complet[0]})")
cosinus = formatting.number(fuite.cosine, 4)
print(f"Similarité cosinus image retrouvée / vraie image : {cosinus}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Et pour un lot de 8 images ?

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
lot, etiquettes = x_complet[:8], y_complet[:8]
fuite_lot = privacy.gradient_leakage(lot, etiquettes, seed=SEED)
rec = fuite_lot.reconstruction
proches = [privacy.cosine_similarity(rec, im) for im in lot]
meilleure = formatting.number(max(proches), 2)
print(f"Meilleure similarité avec une image du lot : {meilleure}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Reconstruire une image à partir d'un gradient

# %% slideshow={"slide_type": "-"}
images = {"Vraie": lot[0], "1 exemple": fuite.reconstruction, "Lot de 8": rec}
plots.image_row(images)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que montre la reconstruction
#
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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 15 min)
#
# - À dire : DP-FedAvg ne touche qu'à l'agrégation (écrêter, bruiter,
#   moyenner). ε se calcule, il ne se mesure pas : c'est une borne. Lancer
#   la cellule d'entraînement avant d'expliquer ε (plusieurs minutes en
#   mode complet). Le bruit de TFF n'est pas reproductible, à dessein.
# - Question à la salle : « Pourquoi la moyenne doit-elle être non
#   pondérée en DP-FedAvg ? »
# - Réponse attendue : sinon un client avec beaucoup d'exemples pèserait
#   plus que les autres et sa contribution ne serait plus bornée par `S` ;
#   le bruit, calibré sur `S`, ne le cacherait plus.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### DP-FedAvg en trois étapes
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### ε pour nos réglages

# %% slideshow={"slide_type": "-"}
delta = formatting.number(privacy.default_delta(NUM_CLIENTS), 5)
print(f"N = {NUM_CLIENTS}, m = {CLIENTS_PAR_TOUR}, T = {TOURS} ; δ = {delta}")
for z in (0.5, 1.0, 2.0):
    eps = privacy.epsilon(z, CLIENTS_PAR_TOUR, NUM_CLIENTS, TOURS)
    z, eps = formatting.number(z, 1), formatting.number(eps)
    print(f"  bruit z = {z} → ε = {eps}")
reference = formatting.number(privacy.epsilon(1.0, 10, 100, 50))
print(f"Référence : z = 1, 10 clients sur 100, 50 tours → ε = {reference}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une approximation : le tirage de Poisson
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un bruit qui n'est pas reproductible
#
# Tout le notebook est reproductible (graines fixées)… sauf le **bruit** :
# TFF le tire d'une graine prise sur l'horloge du système, à dessein. Un
# bruit prévisible ne protège rien : qui connaît la graine peut le
# recalculer et le soustraire. Les exactitudes avec bruit varient donc de
# quelques points d'une exécution à l'autre ; sans bruit, elles sont
# identiques.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les clients, et les réglages d'entraînement
#
# Jusqu'à 1 000 clients : chaque jeu n'est fabriqué qu'au tour où son
# client est tiré (`lazy=True`), au lieu de garder tous les jeux en mémoire.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
x_train, y_train = x_complet[:N_TRAIN], y_complet[:N_TRAIN]
test = (x_test_complet[:N_TEST], y_test_complet[:N_TEST])
parts = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
jeux = federated.client_datasets(
    x_train, y_train, parts, batch_size=20, seed=SEED, lazy=True
)
REGLAGES = dict(test_data=test, model=MODELE, seed=SEED, progress=False)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Quatre entraînements

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
SANS_BRUIT = "sans bruit (ε = ∞)"
ESSAIS = {
    SANS_BRUIT: dict(noise_multiplier=0.0, clipping="fixed"),
    "z = 0,5 (S fixe)": dict(noise_multiplier=0.5, clipping="fixed"),
    "z = 2 (S fixe)": dict(noise_multiplier=2.0, clipping="fixed"),
    "z = 1 (S adaptatif)": dict(noise_multiplier=1.0, clipping="adaptive"),
}
FIXES = {"DP-FedAvg, S fixe": ["z = 0,5 (S fixe)", "z = 2 (S fixe)"]}
historiques, epsilons = privacy.compare_dp(
    ESSAIS, jeux, TOURS, CLIENTS_PAR_TOUR, clip=1.0, **REGLAGES
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### L'exactitude au fil des tours

# %% slideshow={"slide_type": "-"}
ax = plots.new_figure(figsize=(8, 2.8)).add_subplot()
plots.training_curves(historiques, ax=ax, title="DP-FedAvg, tour par tour")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Confidentialité contre exactitude

# %% slideshow={"slide_type": "-"}
plots.privacy_tradeoff(epsilons, historiques, FIXES, reference=SANS_BRUIT)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le compromis, et le bruit sur la moyenne
#
# Moins d'ε (plus de bruit), moins d'exactitude : comparez les points au
# trait gris, l'entraînement sans bruit (le bruit change un peu d'une
# exécution à l'autre). Le bruit sur chaque coordonnée de la moyenne vaut
# `z × S / m` : tirer plus de clients par tour le réduit… mais pas en
# `1/m` à ε égal. À population N fixée, chaque client est tiré plus
# souvent (q = m / N grandit) et il faut un `z` **plus grand** pour garder
# le même ε (exercice 1) ; `z` y grandit moins vite que `m`, et le bruit
# baisse quand même. Il ne baisse en `1/m` que si la population grandit
# avec `m` (q constant) : c'est le cas des déploiements réels (claviers de
# téléphones), qui tirent des **milliers** de clients parmi des millions.

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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 12 min)
#
# - À dire : DP et agrégation sécurisée sont complémentaires : la première
#   protège contre ce que révèle le modèle, la seconde contre un serveur
#   qui regarde chaque envoi. Insister : TFF ne fait que **simuler** la
#   somme sécurisée en local ; aucune cryptographie ici.
# - Question à la salle : « Que se passe-t-il si un client tombe en panne
#   après que les autres ont ajouté leurs masques ? »
# - Réponse attendue : ses masques ne sont plus compensés, la somme est
#   fausse ; le vrai protocole partage les secrets des masques (Shamir)
#   pour que les survivants permettent au serveur de les retirer.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Trois clients, des masques deux à deux

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
valeurs = np.array([[0.5, -1.25, 2], [1.5, 0.25, -0.5], [-0.75, 1, 0.125]])
res = privacy.secure_sum_masks(valeurs, seed=SEED)
for k in range(len(valeurs)):
    print(f"client {k} : valeur {valeurs[k]} → envoie {res.masked[k]}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que reçoit le serveur

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
print("Somme des envois (modulo 2³²) :", res.masked_sum)
print("Somme décodée par le serveur  :", res.sum)
print("Vraie somme                   :", valeurs.sum(axis=0))
masques = res.masks.astype(np.uint64).sum(axis=0) % 2**32
print("Somme des masques (modulo 2³²) :", masques)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Les envois n'ont rien à voir avec les valeurs, mais leur somme redonne
# exactement celle des valeurs. Dans le vrai protocole, les masques viennent
# d'un échange de clés (Diffie-Hellman), et un partage de secret permet de
# finir si des clients décrochent en cours de tour (exercice 3).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### L'agrégateur sécurisé de TFF
#
# `tff.learning.secure_aggregator()` écrit FedAvg avec l'opérateur
# `tff.federated_secure_sum_bitwidth`. **Attention** : le moteur
# d'exécution local de TFF n'implémente pas de protocole cryptographique.
# Son contexte ordinaire refuse ce calcul (« Cannot embed a federated
# value ») ; son contexte « de test » remplace la somme sécurisée par une
# **somme ordinaire, en clair**. On vérifie ainsi que l'algorithme est
# correct, pas qu'il est secret. `privacy.simulated_secure_context()`
# installe ce contexte de test avec le moteur confiné du cours, puis
# l'arrête et remet le contexte habituel.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### FedAvg avec la somme sécurisée (simulée)

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
process_securise = privacy.build_secure_process(MODELE)
with privacy.simulated_secure_context():
    historique = federated.train(
        process_securise, jeux, 3, CLIENTS_PAR_TOUR, **REGLAGES
    )
print(historique.table())
print("Workers TFF encore actifs :", len(runtime.workers()))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que montre cet entraînement
#
# L'entraînement se déroule comme FedAvg : la somme (simulée) donne le
# même résultat qu'une somme ordinaire, aux arrondis près de la
# quantification sur des entiers qu'impose la somme sécurisée. Le contexte
# de test est refermé et son worker arrêté (le compte ci-dessus) ; le
# contexte habituel relancera son propre worker au prochain calcul fédéré.
#
# (TFF propose aussi `tff.learning.ddp_secure_aggregator`, qui combine
# confidentialité différentielle distribuée et somme sécurisée ; ici, il
# ne s'exécute qu'avec l'implémentation Python pure — et très lente — de
# `protobuf` : nous ne l'utilisons pas.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Les **mises à jour** peuvent trahir les données : le gradient d'un
#   exemple donne l'image exacte pour une couche dense.
# - **DP-FedAvg** : écrêter chaque mise à jour (norme ≤ S, fixe ou
#   adaptative), ajouter un bruit gaussien `z × S`, moyenner sans pondérer.
# - **ε** se calcule (`dp_accounting`) à partir de z, de q = m/N et de T :
#   plus de bruit, moins de tours, une population plus grande → ε plus petit.
# - Moins d'ε = moins d'exactitude. Le bruit sur la moyenne vaut
#   `z × S / m` : plus de clients par tour le réduit (exercice 1).
# - Le calcul de ε suppose un tirage de Poisson ; tirer exactement m
#   clients par tour en est une approximation.
# - L'**agrégation sécurisée** (masques deux à deux) cache les mises à
#   jour individuelles au serveur ; TFF ne la **simule** qu'en local.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : faire relier chaque point à la figure ou au calcul qui le
#   montre (reconstruction, courbe ε / exactitude, somme des masques).
# - Question à la salle : « DP ou agrégation sécurisée : laquelle protège
#   contre quelqu'un qui n'a accès qu'au modèle final publié ? »
# - Réponse attendue : la confidentialité différentielle ; l'agrégation
#   sécurisée ne cache que les envois individuels, pas ce que le modèle
#   final a retenu.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Régler le bruit** — ★ découverte · 10 min : le plus petit z qui
#    donne ε ≤ 2 pour N = 1 000, T = 100 et m = 10, 50 puis 100.
# 2. **La taille du lot** — ★★ application · 10 min : la similarité de
#    l'image reconstruite, pour des lots de 1 à 32 images.
# 3. **Un client décroche** — ★★★ approfondissement · 15 min : décoder la
#    somme masquée quand le client 2 ne renvoie rien.
#
# Cahier d'exercices, vérifiés automatiquement :
# [exercices/08_confidentialite_exercices.ipynb](exercices/08_confidentialite_exercices.ipynb).
#
# Solutions : [solutions/08_confidentialite_solutions.ipynb](solutions/08_confidentialite_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 15 min)
#
# - À dire : l'exercice 1 ne demande aucun entraînement (seulement
#   `privacy.epsilon`) : le faire tous ensemble ; les exercices 2 et 3 en
#   binômes.
# - Question à la salle : « Avant l'exercice 1 : faut-il plus ou moins de
#   bruit z quand on passe de 10 à 100 clients par tour, à N fixé ? »
# - Réponse attendue : plus de bruit : chaque client est tiré plus souvent
#   (q grandit), chaque tour dépense plus de budget ; mais le bruit sur la
#   moyenne, `z × S / m`, baisse quand même.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Dans chaque onglet, choisissez votre réponse, puis cliquez sur « Vérifier ».

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("08")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : chacun répond seul d'abord, puis on compare à deux ; on ne
#   corrige au tableau que les questions qui divisent la salle.
# - Question à la salle : « Pour le même ε, passer de 10 à 100 clients par
#   tour : le modèle est-il plus ou moins bruité ? »
# - Réponse attendue : moins bruité : z augmente un peu, mais le bruit sur
#   la moyenne, `z × S / m`, est divisé par m (exercice 1).
