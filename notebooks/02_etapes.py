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
# # 02 — Le flux de travail : un tour fédéré pas à pas
#
# La diapositive « Le flux de travail de l'apprentissage collaboratif » montre
# un serveur, des appareils et des flèches. Ici, on **exécute** ce schéma,
# cellule par cellule : un tour de FedAvg (l'algorithme de McMahan et al.,
# 2017) en cinq étapes, en regardant à chaque étape ce que contiennent les
# poids du modèle et ce que vaut son exactitude. Puis on vérifie que
# TensorFlow Federated (TFF) calcule exactement la même chose.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - nommer et ordonner les cinq étapes d'un tour fédéré : **sélection**,
#   **diffusion** du modèle global, **entraînement local**, **envoi** des
#   mises à jour, **agrégation** ;
# - dire ce qui circule à chaque étape (des poids, jamais des images) et
#   combien d'octets cela représente ;
# - calculer à la main la moyenne pondérée de FedAvg et expliquer pourquoi on
#   pondère par le nombre d'exemples ;
# - vérifier qu'un tour de `tff.learning.algorithms.build_weighted_fed_avg`
#   donne le même modèle que le tour écrit à la main.
#
# **Durée** : 45 minutes.
#
# **Prérequis** : [01 — Définition](01_definition.ipynb) (centralisé ou
# fédéré) ; savoir ce qu'est une descente de gradient stochastique (SGD) et un
# modèle Keras.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import data, federated, models, partition, plots, scratch

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if not (tf.__version__.startswith("2.14.") and tff.__version__.startswith("0.87.")):
    print("Attention : ce cours est prévu pour TensorFlow 2.14 et TFF 0.87.")
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; "
    f"mode rapide : {'oui' if QUICK else 'non'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le flux de travail de l'apprentissage collaboratif
#
# Un entraînement fédéré est une suite de **tours** (*rounds*). Chaque tour
# compte cinq étapes :
#
# 1. **Sélection** : le serveur tire au sort quelques clients disponibles ;
# 2. **Diffusion** : il leur envoie le modèle global courant `w` ;
# 3. **Entraînement local** : chaque client améliore ce modèle sur ses propres
#    données, qui ne quittent jamais l'appareil ;
# 4. **Envoi des mises à jour** : chaque client renvoie son nouveau modèle
#    `w_k` (ou la différence `w_k − w`) et son nombre d'exemples `n_k` ;
# 5. **Agrégation** : le serveur remplace `w` par la moyenne des `w_k`,
#    pondérée par les `n_k`.

# %% slideshow={"slide_type": "subslide"}
plots.workflow_diagram()

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Préparer la simulation
#
# Nous simulons **100 smartphones** avec le jeu MNIST (60 000 chiffres
# manuscrits pour l'entraînement, 10 000 pour le test). Les vrais téléphones
# n'ont pas tous autant de photos : on donne à chaque client un nombre
# d'exemples différent (répartition `quantity_skew`, étiquettes tirées au
# hasard), pour que la **pondération** de l'agrégation se voie.
#
# Le modèle est le « 2NN » de McMahan et al. : deux couches cachées de 200
# neurones. Il est huit fois plus petit que le CNN du notebook 06, donc
# rapide à entraîner pendant la lecture.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()

NUM_CLIENTS = 100  # K : les smartphones
CLIENTS_PAR_TOUR = 5 if QUICK else 10  # m : les clients tirés au sort à chaque tour
EPOQUES = 1  # E : passages sur les données locales pendant un tour
LOT = 10  # B : taille des lots du SGD local
LR = 0.1  # η : taux d'apprentissage des clients

parts = partition.quantity_skew(y_train, NUM_CLIENTS, sigma=1.0, seed=SEED)
tailles = np.array([len(p) for p in parts])
print(f"{NUM_CLIENTS} clients, {tailles.sum()} exemples au total")
print(
    f"Taille des clients : de {tailles.min()} à {tailles.max()} exemples "
    f"(médiane {int(np.median(tailles))})"
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le modèle global initial `w` : des poids tirés au hasard (avec une graine,
# pour que tout le notebook soit reproductible). Il n'a encore rien appris :
# son exactitude sur les 10 000 images de test est celle du hasard, environ une
# chance sur dix.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
modele = models.mlp(seed=SEED)  # un seul modèle Keras, réutilisé pour les calculs
w_global = modele.get_weights()  # le modèle global : une liste de tableaux numpy
print("Le modèle global w est une liste de tableaux :")
for poids, couche in zip(
    w_global, ["dense1", "dense1", "dense2", "dense2", "logits", "logits"]
):
    print(f"  {couche:6s} {str(poids.shape):12s} {poids.size:7d} nombres")
print(f"Total : {models.count_params(modele)} paramètres")


def exactitude(poids, x, y):
    """Exactitude (entre 0 et 1) du 2NN de poids `poids` sur les images (x, y)."""
    return federated.evaluate(poids, x, y, model="mlp")[1]


# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
exactitude_globale_avant = exactitude(w_global, x_test, y_test)
print(f"Exactitude en test du modèle global initial : {exactitude_globale_avant:.4f}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Étape 1 — Sélection
#
# Tous les téléphones ne sont pas disponibles en même temps (il faut qu'ils
# soient branchés, inactifs, sur le Wi-Fi). À chaque tour, le serveur tire au
# sort `m` clients parmi les `K` : c'est la fraction `C = m / K` de McMahan et
# al. `scratch.select_clients` fait ce tirage avec un générateur aléatoire à
# graine.

# %% slideshow={"slide_type": "subslide"}
plots.workflow_diagram(step=1)

# %% slideshow={"slide_type": "subslide"}
rng = np.random.default_rng(SEED)
choisis = scratch.select_clients(NUM_CLIENTS, CLIENTS_PAR_TOUR, rng)
print(
    f"Fraction de clients C = {CLIENTS_PAR_TOUR}/{NUM_CLIENTS} = {CLIENTS_PAR_TOUR / NUM_CLIENTS}"
)
print("Clients tirés au sort :", choisis.tolist())
print("Leurs nombres d'exemples n_k :", tailles[choisis].tolist())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Étape 2 — Diffusion du modèle global
#
# Le serveur envoie à chaque client tiré une **copie** du modèle global
# (`scratch.broadcast`). Tous reçoivent exactement les mêmes nombres. Ce qui
# circule : les paramètres du modèle, en `float32` (4 octets chacun).

# %% slideshow={"slide_type": "subslide"}
plots.workflow_diagram(step=2)

# %% slideshow={"slide_type": "subslide"}
copies = {k: scratch.broadcast(w_global) for k in choisis}
octets_modele = models.model_bytes(modele)
print(f"Octets envoyés à chaque client : {octets_modele}")
print(f"Octets envoyés pour ce tour    : {octets_modele * len(choisis)}")
identiques = all(
    all(np.array_equal(a, b) for a, b in zip(copie, w_global))
    for copie in copies.values()
)
print("Toutes les copies sont identiques au modèle global :", identiques)
print(
    "Biais de la couche de sortie reçus (un par chiffre) :",
    np.round(copies[choisis[0]][-1], 4).tolist(),
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Les 10 derniers nombres du modèle sont les **biais** de la couche de
# sortie : un par chiffre, de 0 à 9. Ils valent 0 au départ. Nous les
# suivrons pendant tout le tour, parce qu'ils sont faciles à lire.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Étape 3 — Entraînement local
#
# Chaque client fait, **sur son appareil**, `E` passages sur ses données en
# lots de `B` exemples, avec un pas de SGD par lot :
# `w_k ← w_k − η · ∇perte(w_k ; lot)`. C'est `scratch.local_train`.
#
# On mesure, pour chaque client :
#
# - son exactitude sur **ses propres données**, avant et après l'entraînement
#   local ;
# - l'exactitude de son modèle local sur le **jeu de test** commun (que le
#   client, lui, n'a pas : c'est notre regard de simulateur) ;
# - la norme de sa mise à jour `‖w_k − w‖` : de combien il a déplacé le
#   modèle.

# %% slideshow={"slide_type": "subslide"}
plots.workflow_diagram(step=3)


# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
def jeux_des_clients(indices):
    """Jeux d'entraînement (neufs) des clients `indices` : E époques, lots de B.

    Le client k mélange ses données avec la graine SEED + k : le même client
    voit toujours ses exemples dans le même ordre, ici comme dans TFF.
    """
    return [
        federated.client_datasets(
            x_train,
            y_train,
            [parts[k]],
            epochs=EPOQUES,
            batch_size=LOT,
            seed=SEED + int(k),
        )[0]
        for k in indices
    ]


tf.keras.utils.set_random_seed(SEED)
poids_locaux, exemples_vus, lignes = {}, {}, []
for k, jeu in zip(choisis, jeux_des_clients(choisis)):
    x_k, y_k = x_train[parts[k]], y_train[parts[k]]  # ne quittent pas le client
    avant = exactitude(copies[k], x_k, y_k)
    poids_locaux[k], exemples_vus[k] = scratch.local_train(
        modele, copies[k], jeu, lr=LR
    )
    apres = exactitude(poids_locaux[k], x_k, y_k)
    test = exactitude(poids_locaux[k], x_test, y_test)
    norme = np.sqrt(
        sum(np.sum((a - b) ** 2) for a, b in zip(poids_locaux[k], w_global))
    )
    lignes.append((k, exemples_vus[k], avant, apres, test, norme))

print("client   n_k   exactitude locale   exactitude en test   ‖w_k − w‖")
print("                 avant    après    (modèle local)")
for k, n, avant, apres, test, norme in lignes:
    print(f"{k:6d} {n:5d}   {avant:7.4f}  {apres:7.4f}{test:22.4f}{norme:12.3f}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Lisez le tableau : avant l'entraînement, chaque client a l'exactitude du
# modèle global (au hasard) ; après, son exactitude a nettement augmenté, sur
# ses propres données **et** sur le jeu de test, car ses étiquettes sont
# tirées au hasard comme celles du test. Les clients qui ont plus d'exemples font plus
# de pas de SGD (un par lot) : leur mise à jour est en général plus grande,
# et leur modèle meilleur. Comparez les lignes.

# %% slideshow={"slide_type": "subslide"}
print("Pas de SGD faits par chaque client (un par lot de B exemples) :")
for k in choisis:
    print(f"  client {k:2d} : {int(np.ceil(tailles[k] / LOT)) * EPOQUES} pas")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Étape 4 — Envoi des mises à jour
#
# Chaque client renvoie au serveur deux choses : ses nouveaux poids `w_k`
# (TFF envoie la différence `w_k − w`, c'est la même information) et son
# nombre d'exemples `n_k`. **Pas ses images.** La taille du message ne
# dépend pas du nombre d'exemples : le plus petit client envoie autant
# d'octets que le plus grand.

# %% slideshow={"slide_type": "subslide"}
plots.workflow_diagram(step=4)

# %% slideshow={"slide_type": "subslide"}
k0 = choisis[0]
message = [w_k - w for w_k, w in zip(poids_locaux[k0], w_global)]
print(
    f"Message du client {k0} : {len(message)} tableaux float32 + l'entier n_k = {exemples_vus[k0]}"
)
print("  formes :", [m.shape for m in message])
for k in choisis:
    print(
        f"  client {k:2d} : {tailles[k]:5d} images sur l'appareil "
        f"({x_train[parts[k]].nbytes:8d} octets) → envoie {octets_modele} octets"
    )

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
print("Biais de sortie renvoyés par chaque client (chiffres 0 à 9) :")
for k in choisis:
    print(f"  client {k:2d} :", " ".join(f"{b:+.3f}" for b in poids_locaux[k][-1]))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Partis tous des mêmes zéros, les clients ont déplacé leurs biais dans des
# directions voisines mais pas identiques : chacun a vu des images
# différentes.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Étape 5 — Agrégation
#
# Le serveur calcule la **moyenne des modèles, pondérée par le nombre
# d'exemples** (`scratch.aggregate`) :
#
# $$ w \leftarrow \sum_{k \in \text{choisis}} \frac{n_k}{n}\, w_k,
# \qquad n = \sum_{k \in \text{choisis}} n_k .$$
#
# Un client qui a dix fois plus d'exemples pèse dix fois plus. Après **un
# seul** pas de gradient (FedSGD), c'est exactement le pas qu'on aurait fait
# avec le gradient de tous les exemples réunis. Après plusieurs pas locaux
# (FedAvg), ce n'est plus vrai : chaque client a suivi sa propre trajectoire,
# et la moyenne des modèles n'est pas le modèle qu'on aurait entraîné sur
# les données réunies — seulement une approximation, d'autant moins bonne
# que les clients diffèrent.

# %% slideshow={"slide_type": "subslide"}
plots.workflow_diagram(step=5)

# %% slideshow={"slide_type": "subslide"}
n_k = [exemples_vus[k] for k in choisis]
n = sum(n_k)
print(f"n = {' + '.join(map(str, n_k))} = {n}")
print("Poids de chaque client n_k / n :", " ".join(f"{v / n:.3f}" for v in n_k))
w_nouveau = scratch.aggregate([poids_locaux[k] for k in choisis], n_k)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Vérifions la formule à la main sur les 10 biais de sortie, et comparons à
# une moyenne **simple** (sans pondération) :

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
biais_a_la_main = sum(nk / n * poids_locaux[k][-1] for nk, k in zip(n_k, choisis))
biais_moyenne_simple = np.mean([poids_locaux[k][-1] for k in choisis], axis=0)
print("Σ n_k/n · b_k (à la main) :", " ".join(f"{b:+.3f}" for b in biais_a_la_main))
print("scratch.aggregate         :", " ".join(f"{b:+.3f}" for b in w_nouveau[-1]))
print(
    "Moyenne simple (fausse)   :", " ".join(f"{b:+.3f}" for b in biais_moyenne_simple)
)
print(
    "Écart max. main / aggregate :",
    f"{np.max(np.abs(biais_a_la_main - w_nouveau[-1])):.1e}",
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le modèle global a-t-il progressé ?
#
# On évalue le nouveau modèle global sur les 10 000 images de test, et on le
# compare aux modèles locaux de l'étape 3.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
exactitude_globale_apres = exactitude(w_nouveau, x_test, y_test)
tests_locaux = [test for *_, test, _ in lignes]
print(
    f"Exactitude en test du modèle global, avant le tour : {exactitude_globale_avant:.4f}"
)
print(
    f"Exactitude en test du modèle global, après le tour : {exactitude_globale_apres:.4f}"
)
print(
    f"Modèles locaux : moyenne {np.mean(tests_locaux):.4f}, meilleur {max(tests_locaux):.4f}"
)
if exactitude_globale_apres > max(tests_locaux):
    print("→ La moyenne des modèles fait mieux que le meilleur des modèles locaux.")
else:
    print("→ La moyenne des modèles ne fait pas mieux que le meilleur modèle local.")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Moyenner des réseaux de neurones n'a rien d'évident : la moyenne de deux
# bons modèles peut être mauvaise. Ici cela marche parce que tous les
# clients sont **partis du même modèle** `w` et n'ont fait que quelques pas :
# leurs modèles restent proches, et leur moyenne combine ce que chacun a
# appris. C'est l'observation centrale de McMahan et al.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le même tour avec TensorFlow Federated
#
# `tff.learning.algorithms.build_weighted_fed_avg` (enveloppé par
# `federated.build_process("fedavg")`) fait les étapes 2 à 5 en un seul appel,
# `process.next(état, données_des_clients)` :
#
# - la **sélection** (étape 1) reste chez nous : c'est le choix de la liste
#   de jeux de données passée à `next` ;
# - la diffusion est un `tff.federated_broadcast`, l'entraînement local un
#   `tff.federated_map`, l'agrégation un `tff.federated_mean` pondéré ;
# - le serveur applique la moyenne des différences `w_k − w` avec un SGD de
#   taux 1, ce qui revient à remplacer `w` par la moyenne des `w_k`.
#
# On part du **même** modèle initial, avec les **mêmes** clients et les
# mêmes jeux de données (même ordre de lecture).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
process = federated.build_process("fedavg", model="mlp", client_lr=LR, server_lr=1.0)
etat = process.initialize()
etat = process.set_model_weights(
    etat, tff.learning.models.ModelWeights(trainable=list(w_global), non_trainable=[])
)
resultat = process.next(etat, jeux_des_clients(choisis))
w_tff = process.get_model_weights(resultat.state).trainable
print(
    "Exemples vus par TFF :",
    int(resultat.metrics["client_work"]["train"]["num_examples"]),
)
ecart = max(float(np.max(np.abs(a - b))) for a, b in zip(w_tff, w_nouveau))
print(f"Écart maximal entre les poids TFF et les poids « à la main » : {ecart:.2e}")

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
print("Mêmes formes :", [a.shape for a in w_tff] == [b.shape for b in w_nouveau])
print("Mêmes poids à 1e-5 près :", bool(ecart < 1e-5))
ecart_simple = float(np.max(np.abs(w_tff[-1] - biais_moyenne_simple)))
print("Et la moyenne simple ? Mêmes biais à 1e-5 près :", bool(ecart_simple < 1e-5))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Les deux calculs donnent le même modèle, aux erreurs d'arrondi près (les
# additions en `float32` ne se font pas dans le même ordre). La moyenne
# simple, elle, donne un autre modèle : TFF pondère bien par `n_k`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Et on recommence : quelques tours de plus
#
# Un entraînement fédéré enchaîne les tours : nouvelle sélection, nouvelle
# diffusion du modèle qu'on vient d'agréger, etc. `scratch.fedavg_round`
# regroupe les étapes 2 à 5 que nous venons de dérouler.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
TOURS = 3 if QUICK else 10
suivi = {
    "round": [0, 1],
    "test_accuracy": [exactitude_globale_avant, exactitude_globale_apres],
}
w = w_nouveau
for t in range(2, TOURS + 1):
    choisis_t = scratch.select_clients(NUM_CLIENTS, CLIENTS_PAR_TOUR, rng)  # 1
    w = scratch.fedavg_round(modele, w, jeux_des_clients(choisis_t), lr=LR)  # 2 à 5
    suivi["round"].append(t)
    suivi["test_accuracy"].append(exactitude(w, x_test, y_test))
    print(
        f"tour {t:2d} : clients {choisis_t.tolist()} → exactitude en test {suivi['test_accuracy'][-1]:.4f}"
    )

# %% slideshow={"slide_type": "subslide"}
plots.training_curves(
    {"FedAvg à la main (2NN)": suivi},
    title="Exactitude du modèle global, tour après tour",
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le tour 0 est le modèle initial. Le plus gros progrès vient du premier
# tour ; les suivants affinent. Le notebook [06](06_exemple_mnist.ipynb) fait
# l'entraînement complet avec TFF et le CNN, et le notebook
# [03](03_avantages_defis.ipynb) montre ce qui change quand les données des
# clients ne se ressemblent plus (non-IID).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Un tour fédéré = **sélection** → **diffusion** du modèle global →
#   **entraînement local** (E époques, lots de B, taux η) → **envoi** des
#   poids et de `n_k` → **agrégation** `w ← Σ (n_k/n) w_k`.
# - Seuls des **poids** circulent, dans les deux sens ; leur taille ne dépend
#   que du modèle, pas du nombre d'exemples du client.
# - La moyenne est **pondérée** par le nombre d'exemples : les clients qui
#   ont plus de données pèsent plus.
# - Moyenner des réseaux fonctionne parce que tous les clients partent du
#   même modèle global à chaque tour.
# - `build_weighted_fed_avg` de TFF fait exactement ce calcul (étapes 2 à 5) ;
#   la sélection, c'est la liste de clients passée à `process.next`.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Plus de travail local.** Refaites le premier tour avec `E = 5`
#    époques locales au lieu de 1. Comment évoluent la norme des mises à jour
#    `‖w_k − w‖`, l'exactitude des modèles locaux et celle du modèle agrégé ?
# 2. **Pondérer ou pas ?** Agrégez les modèles locaux du premier tour avec une
#    moyenne simple (tous les `n_k` égaux à 1). Comparez l'exactitude en test à
#    celle de la moyenne pondérée. Quel client est avantagé ?
# 3. **Un client qui ne voit que deux chiffres.** Répartissez les données
#    avec `partition.shards` (chaque client ne voit qu'environ deux chiffres,
#    non-IID) et refaites les étapes 1 à 5. Que deviennent l'exactitude
#    locale et l'exactitude en test des modèles locaux ? Et celle du modèle
#    agrégé ?
#
# Solutions : [solutions/02_etapes_solutions.ipynb](solutions/02_etapes_solutions.ipynb).
