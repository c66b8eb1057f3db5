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
# # 07 — Données non-IID et algorithmes fédérés
#
# La présentation cite parmi les défis du federated learning la « gestion
# des données non indépendantes et non identiquement distribuées » et le
# « développement de meilleurs algorithmes et techniques d'optimisation ».
# Ce notebook relie les deux : on fabrique des clients plus ou moins
# différents, on **voit** leurs modèles locaux dériver, puis on compare
# FedAvg à trois autres algorithmes sur les mêmes données.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - régler le degré de non-IID d'une répartition avec le paramètre α de
#   Dirichlet, et le lire sur une carte de chaleur ;
# - mesurer la **dérive des clients** (*client drift*) : l'écart entre les
#   modèles locaux et le modèle global ;
# - expliquer ce que changent FedProx (terme proximal μ), FedAdam (Adam côté
#   serveur) et FedSGD par rapport à FedAvg, et les comparer ;
# - choisir le nombre d'époques locales E quand les données sont non-IID.
#
# **Durée** : 60 minutes.
#
# **Prérequis** : [06 — Exemple MNIST](06_exemple_mnist.ipynb) (FedAvg avec
# TFF, répartitions IID et « tessons »).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : on passe de « FedAvg marche » (06) à « pourquoi il peine en
#   non-IID, et que faire » ; tout tourne sur le petit modèle 2NN.
# - Question à la salle : « Au notebook 06, qu'est-ce qui distinguait la
#   courbe non-IID de la courbe IID ? »
# - Réponse attendue : elle montait plus lentement et plus irrégulièrement,
#   à travail égal.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff
from IPython.display import display

import fltutor
from fltutor import (
    data,
    federated,
    models,
    partition,
    plots,
    scratch,
    widgets,
)
from fltutor.formatting import number, percent, short

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if not (tf.__version__.startswith("2.14.") and tff.__version__.startswith("0.87.")):
    print("Attention : ce cours est prévu pour TensorFlow 2.14 et TFF 0.87.")

# Mode complet : tout MNIST, 100 clients, 10 par tour, 30 tours.
# Mode rapide : un échantillon, pour vérifier le notebook en quelques minutes.
if QUICK:
    N_TRAIN, N_TEST = 6_000, 2_000
    NUM_CLIENTS, CLIENTS_PAR_TOUR, TOURS = 20, 5, 5
else:
    N_TRAIN, N_TEST = 60_000, 10_000
    NUM_CLIENTS, CLIENTS_PAR_TOUR, TOURS = 100, 10, 30
MODELE = "mlp"  # le « 2NN » : 8 fois plus petit que le CNN, donc rapide
LOT = 20  # B
LR = 0.1  # η des clients
ALPHA_NON_IID = 0.1
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : "
    f"{'oui' if QUICK else 'non'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Non-IID : de quoi parle-t-on ?
#
# En apprentissage centralisé, on mélange les données : chaque lot
# ressemble à l'ensemble. En fédéré, chaque client garde **ses** données,
# et elles ne se ressemblent pas d'un client à l'autre :
#
# - **étiquettes** déséquilibrées : un téléphone voit surtout des « 1 » et
#   des « 7 » (c'est le cas étudié ici) ;
# - **caractéristiques** différentes : chacun son écriture, son micro, son
#   hôpital ;
# - **tailles** différentes : quelques clients très actifs, beaucoup de
#   clients presque muets.
#
# Pour régler le degré de non-IID, on tire les proportions des classes de
# chaque client dans une loi de **Dirichlet** de paramètre α : α grand ≈
# IID, α petit = chaque client n'a presque qu'une ou deux classes.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min pour le non-IID et les cartes)
#
# - À dire : les trois formes de non-IID existent ensemble en vrai ; ici on
#   n'en règle qu'une, les étiquettes, avec un seul bouton : α.
# - Question à la salle : « Donnez un exemple de non-IID par les
#   caractéristiques dans le cas des hôpitaux du notebook 04. »
# - Réponse attendue : des appareils d'imagerie différents d'un hôpital à
#   l'autre (réglages, constructeurs), ou des populations différentes
#   (âge, origine) : mêmes diagnostics, mesures différentes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les données et trois répartitions

# %% slideshow={"slide_type": "-"}
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
x_train, y_train = x_complet[:N_TRAIN], y_complet[:N_TRAIN]
x_test, y_test = x_test_complet[:N_TEST], y_test_complet[:N_TEST]

ALPHAS = (100.0, 1.0, 0.1)
repartitions = {
    alpha: partition.dirichlet(y_train, NUM_CLIENTS, alpha, seed=SEED)
    for alpha in ALPHAS
}

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Mesurer l'hétérogénéité

# %% slideshow={"slide_type": "-"}
for alpha, parts in repartitions.items():
    h = partition.heterogeneity(y_train, parts)
    comptes = partition.label_counts(y_train, parts, num_classes=10)
    top2 = np.sort(comptes, axis=1)[:, -2:].sum(axis=1) / comptes.sum(axis=1)
    principales, emd = percent(top2.mean(), 0), number(h.mean_emd, 2)
    print(f"α = {short(alpha)} : 2 classes principales = {principales}")
    print(f"   variation {emd} ; {h.sizes_min} à {h.sizes_max} ex.")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Première ligne : la part moyenne des deux classes principales dans les
# exemples d'un client ; seconde ligne : la variation totale moyenne et les
# tailles extrêmes des clients.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Trois cartes de chaleur

# %% slideshow={"slide_type": "-"}
comptes = {
    f"Dirichlet α = {short(alpha)}": partition.label_counts(y_train, parts, 10)
    for alpha, parts in repartitions.items()
}
plots.label_heatmaps(comptes, annotate=False)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Lire les cartes
#
# À gauche (α = 100), chaque ligne est presque uniforme : c'est l'IID. Au
# milieu (α = 1), chaque client a ses classes préférées. À droite
# (α = 0,1), la plupart des clients sont dominés par une ou deux classes
# (les autres n'y ont que quelques exemples), et leurs tailles varient
# beaucoup.
#
# La **variation totale** mesure l'écart entre la répartition des chiffres
# d'un client et celle de tout MNIST (0 : la même ; 1 : aucun chiffre en
# commun). C'est la répartition α = 0,1 que nous utiliserons pour comparer
# les algorithmes.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## La dérive des clients
#
# Dans un tour de FedAvg, chaque client part du **même** modèle global et
# fait plusieurs pas de SGD sur **ses** données. S'il ne ressemble pas aux
# autres, il descend vers **son** optimum, pas vers l'optimum commun : c'est
# la **dérive des clients** (*client drift*). La moyenne de modèles partis
# dans des directions différentes est un mauvais compromis.
#
# Mesurons-la avec FedAvg écrit à la main (`fltutor.scratch`) : 10 clients
# partent du même modèle et s'entraînent E = 5 époques sur 120 exemples
# chacun. Pour chaque client, on compare sa mise à jour `w_k − w_0` à la
# mise à jour moyenne : même direction (cosinus proche de 1) ou pas ?

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min pour la dérive)
#
# - À dire : `scratch.client_drift` fait un tour de FedAvg à la main et
#   compare chaque mise à jour à leur moyenne ; ouvrir la fonction.
# - Question à la salle : « Que vaudrait le cosinus si tous les clients
#   avaient exactement les mêmes données ? »
# - Réponse attendue : 1 pour tous (mêmes mises à jour, égales à leur
#   moyenne), et une distance au modèle moyen nulle.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une fonction pour mesurer la dérive


# %% slideshow={"slide_type": "-"}
def derive(parts, epochs=5, num=10, par_client=120):
    """Cosinus et distances de dérive de `num` clients (voir scratch)."""
    parts = [p[:par_client] for p in parts[:num]]  # même calcul pour tous
    jeux = federated.client_datasets(
        x_train, y_train, parts, epochs=epochs, batch_size=LOT, seed=SEED
    )
    modele = models.mlp(seed=SEED)
    return scratch.client_drift(modele, modele.get_weights(), jeux, lr=LR)


# %% [markdown] slideshow={"slide_type": "fragment"}
# Pour chaque client : le cosinus entre sa mise à jour et la mise à jour
# moyenne, et la distance de son modèle au modèle moyen, relative à la
# taille de sa mise à jour.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### IID contre non-IID

# %% slideshow={"slide_type": "-"}
derives = {a: derive(repartitions[a]) for a in (100.0, ALPHA_NON_IID)}
for alpha, (cos, dist) in derives.items():
    c, d = cos.mean(), dist.mean()
    print(
        f"α = {short(alpha)} : cosinus moyen {number(c, 2)},",
        f"distance moyenne {number(d, 2)}",
    )
cosinus = {
    "IID (α = 100)": derives[100.0][0],
    f"non-IID (α = {short(ALPHA_NON_IID)})": derives[ALPHA_NON_IID][0],
}

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### La dérive, client par client

# %% slideshow={"slide_type": "-"}
plots.drift_bars(cosinus, title="Dérive des clients après E = 5 époques")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que montre la dérive
#
# En IID, les mises à jour vont à peu près dans la même direction : les
# clients ont appris la même chose. En non-IID, chacun est parti de son
# côté (cosinus plus faible, distance au modèle moyen plus grande) : le
# modèle moyen n'est proche d'aucun d'eux. Les algorithmes qui suivent
# attaquent ce problème de deux façons : **retenir** les clients (FedProx),
# ou **mieux utiliser** la moyenne des mises à jour côté serveur (FedAdam).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quatre algorithmes
#
# | Algorithme | Travail d'un client | Travail du serveur |
# |---|---|---|
# | **FedSGD** | un gradient sur tout son jeu (E = 1, B = ∞) | un pas de SGD avec le gradient moyen |
# | **FedAvg** (McMahan et al., 2017) | E époques de SGD, lots de B | moyenne des modèles, pondérée par le nombre d'exemples |
# | **FedProx** (Li et al., 2020) | SGD sur `perte + μ/2·‖w − w_global‖²` | comme FedAvg |
# | **FedAdam** (Reddi et al., 2021) | comme FedAvg | applique la mise à jour moyenne avec **Adam** |

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 12 min pour les quatre algorithmes)
#
# - À dire : un seul argument de `build_process` change d'un algorithme à
#   l'autre ; les clients tirés et le modèle de départ sont les mêmes.
#   FedProx est FedAvg avec un SGD local « proximal » que `fltutor` écrit
#   lui-même (`federated.ProximalSGD`) : dans TFF 0.87,
#   `build_weighted_fed_prox` ajoute le terme proximal avec le mauvais
#   signe, ce qui éloigne les clients du modèle global (un test du dépôt le
#   montre). Bon exemple : vérifier une bibliothèque plutôt que la croire.
# - Question à la salle : « Que devient FedProx quand μ = 0 ? Et quand μ est
#   très grand ? »
# - Réponse attendue : μ = 0 redonne exactement FedAvg ; un μ très grand
#   empêche les clients de s'éloigner du modèle global, qui n'apprend
#   presque plus.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce qui les distingue
#
# - **FedSGD** communique à chaque pas : simple, mais il faut beaucoup de
#   tours.
# - **FedAvg** fait beaucoup de calcul local par tour : peu de tours, mais
#   de la dérive en non-IID.
# - Le terme proximal de **FedProx** rappelle chaque client vers le modèle
#   global (μ = 0 : FedAvg).
# - **FedAdam** garde une mémoire des mises à jour passées côté serveur
#   (moments d'Adam), ce qui lisse les directions contradictoires des
#   clients.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### La même répartition non-IID pour tous
#
# α = 0,1, les mêmes clients tirés à chaque tour (même graine), le même
# modèle de départ. Seul l'algorithme change : avec TFF, chacun n'est qu'un
# argument de `federated.build_process`. Les réglages communs
# (`ENTRAINEMENT` : tours, clients par tour, jeu de test, modèle, graine)
# sont dans une cellule masquée du diaporama.

# %% slideshow={"slide_type": "-"}
parts_non_iid = repartitions[ALPHA_NON_IID]
REGLAGES = {  # nom : (réglages du processus, taille des lots ; None = tout)
    "FedSGD": (dict(algorithm="fedsgd"), None),
    "FedAvg": (dict(algorithm="fedavg"), LOT),
    "FedProx (μ = 0,01)": (dict(algorithm="fedprox", mu=0.01), LOT),
    "FedAdam": (dict(algorithm="fedadam"), LOT),
}

# %% slideshow={"slide_type": "skip"}
# Réglages communs aux entraînements fédérés (cellule masquée du diaporama).
ENTRAINEMENT = dict(
    rounds=TOURS,
    clients_per_round=CLIENTS_PAR_TOUR,
    test_data=(x_test, y_test),
    model=MODELE,
    seed=SEED,
    progress=False,
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Quatre entraînements

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
historiques, processes = {}, {}
for nom, (reglage, lot) in REGLAGES.items():
    jeux = federated.client_datasets(
        x_train, y_train, parts_non_iid, epochs=1, batch_size=lot, seed=SEED
    )
    process = federated.build_process(model=MODELE, client_lr=LR, **reglage)
    processes[nom] = process
    historiques[nom] = federated.train(process, jeux, **ENTRAINEMENT)
    finale = percent(historiques[nom].final_accuracy)
    print(f"{nom:<20} exactitude en test finale : {finale}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les courbes

# %% slideshow={"slide_type": "-"}
titre = f"Quatre algorithmes, même répartition (α = {short(ALPHA_NON_IID)})"
ax = plots.slide_axes(height=2.7)
plots.training_curves(historiques, title=titre, ax=ax)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Lire les courbes
#
# Les valeurs exactes dépendent du mode et de la graine :
#
# - **FedSGD** progresse lentement : un seul pas de gradient par tour. Pour
#   le même nombre de tours — donc les mêmes octets échangés — les
#   algorithmes à plusieurs pas locaux vont beaucoup plus loin ;
# - **FedAvg** et **FedProx** avec un petit μ sont très proches : le terme
#   proximal ne pèse qu'avec plus d'époques locales ou un μ plus grand
#   (exercice 1) ;
# - **FedAdam** dépend beaucoup de son taux serveur (`server_lr`, 0,003 par
#   défaut ici) ; sa mémoire des tours passés (les moments d'Adam) amortit
#   les à-coups d'un tour à l'autre.
#
# Les courbes restent bruitées : les clients tirés ne voient pas les mêmes
# chiffres d'un tour à l'autre.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Combien d'époques locales ?
#
# Plus d'époques locales E = plus de calcul par tour, donc, espère-t-on,
# moins de tours pour une exactitude donnée. Mais en non-IID, chaque client
# s'éloigne davantage vers ses propres chiffres : la dérive va-t-elle
# l'emporter ? Comparons E = 1 et E = 5 avec FedAvg (même processus TFF :
# E ne change que les jeux de données des clients).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min)
#
# - À dire : faire parier la salle avant d'exécuter ; le résultat surprend
#   souvent.
# - Question à la salle : « Avec E = 5, combien de fois plus de calcul
#   chaque client fait-il par tour, et combien d'octets de plus
#   envoie-t-il ? »
# - Réponse attendue : 5 fois plus de calcul, mais pas un octet de plus :
#   il envoie toujours une copie du modèle par tour.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### E = 1 contre E = 5

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
historiques_e = {"FedAvg, E = 1": historiques["FedAvg"]}
jeux_e5 = federated.client_datasets(
    x_train, y_train, parts_non_iid, epochs=5, batch_size=LOT, seed=SEED
)
historiques_e["FedAvg, E = 5"] = federated.train(
    processes["FedAvg"], jeux_e5, **ENTRAINEMENT
)
finales = {nom: h.final_accuracy for nom, h in historiques_e.items()}
for nom, finale in finales.items():
    print(f"{nom} : exactitude en test finale {percent(finale)}")
print(f"→ Après {TOURS} tours, meilleur : {max(finales, key=finales.get)}.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les deux courbes

# %% slideshow={"slide_type": "-"}
titre = f"Effet du nombre d'époques locales (α = {short(ALPHA_NON_IID)})"
ax = plots.slide_axes(height=2.7)
plots.training_curves(historiques_e, title=titre, ax=ax)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ici, le calcul local l'emporte
#
# Sur cette répartition, le calcul local supplémentaire l'emporte sur la
# dérive : voyez le verdict et les deux courbes. McMahan et al. (2017,
# tableau 2) observent la même chose sur MNIST, même avec leur répartition
# non-IID « pathologique ». La dérive existe pourtant (nous l'avons mesurée)
# et limite le gain quand E devient très grand : sur leur modèle de langage
# (Shakespeare), un très grand E fait plafonner, voire diverger,
# l'entraînement, et ils conseillent de réduire le calcul local au fil des
# tours. Le bon réglage dépend des données : on le choisit en mesurant,
# comme ici.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de choisir les réglages
#
# Le lanceur règle un entraînement (algorithme, répartition, α, μ, E, B,
# η…) et le lance d'un clic ; les essais successifs restent sur la même
# figure. Ci-dessous, on lance ses réglages par défaut (FedAvg sur des
# données IID) : cliquez ensuite sur « Lancer l'entraînement » après avoir
# choisi « Dirichlet » avec α = 0,1, puis changez d'algorithme.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 6 min de démonstration)
#
# - À dire : le lanceur n'est qu'une interface sur `build_process` et
#   `train` ; chaque clic relance un entraînement complet.
# - Question à la salle : « Quel réglage proposez-vous d'essayer pour
#   rapprocher le non-IID de l'IID ? »
# - Réponse attendue : plusieurs sont défendables : plus de clients par
#   tour, FedProx avec un μ modéré, FedAdam, ou un α plus grand (moins
#   non-IID) ; on vérifie sur la figure.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le lanceur

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
lanceur = widgets.training_launcher(x_train, y_train, x_test, y_test, seed=SEED)
historique_lanceur = lanceur.run()  # comme un clic sur le bouton
display(lanceur)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Le non-IID est la règle en fédéré ; α de Dirichlet règle son intensité
#   (α grand ≈ IID, α = 0,1 : une ou deux classes par client).
# - En non-IID, les modèles locaux **dérivent** chacun vers leur optimum
#   (mises à jour bien moins alignées qu'en IID) : leur moyenne avance moins
#   droit, et l'exactitude oscille selon les clients tirés.
# - **FedSGD** : un pas par tour, beaucoup de tours. **FedAvg** : beaucoup
#   de calcul local, peu de tours, mais sensible à la dérive. **FedProx**
#   retient les clients près du modèle global (μ). **FedAdam** applique la
#   moyenne des mises à jour avec Adam côté serveur.
# - Plus d'époques locales E = plus de calcul par tour, moins de tours :
#   ici, même en non-IID, E = 5 fait mieux que E = 1. La dérive limite ce
#   gain quand E devient très grand : on règle E en mesurant.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : relier chaque point à une figure du notebook.
# - Question à la salle : « Quel algorithme choisiriez-vous pour des
#   clients très non-IID qui ne peuvent communiquer que rarement ? »
# - Réponse attendue : pas FedSGD (un pas par communication) ; FedAvg ou
#   FedProx avec plusieurs époques locales, éventuellement FedAdam côté
#   serveur, en vérifiant la dérive.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# Le cahier [exercices/07_non_iid_algorithmes_exercices.ipynb](exercices/07_non_iid_algorithmes_exercices.ipynb)
# vérifie chaque réponse (`verifier.exercice`) ; les calculs durent quelques minutes.
#
# 1. **Le poids du rappel.** ★ découverte · 15 min · calcul long (≈ 5 min).
#    E = 5, α = 0,1 : FedAvg contre FedProx μ = 0,1 et μ = 1. Et si μ est trop grand ?
# 2. **Tessons ou Dirichlet ?** ★★ application · 15 min · calcul long (≈ 3 min).
#    Avec le lanceur et `partition.heterogeneity` : laquelle est la plus difficile ?
# 3. **Dérive et époques.** ★★★ approfondissement · 20 min · calcul long (≈ 2 min).
#    Écrivez la distance moyenne au modèle moyen ; mesurez-la pour E = 1, 2, 5.
#
# Solutions : [solutions/07_non_iid_algorithmes_solutions.ipynb](solutions/07_non_iid_algorithmes_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min en salle, le reste en autonomie)
#
# - À dire : l'exercice 3 refait à la main la mesure de `derive` (un tour
#   de FedAvg, `fltutor.scratch`) ; les exercices 1 et 2 demandent quelques
#   minutes d'entraînement.
# - Question à la salle : « Dans l'exercice 2, que vous attendez-vous à lire
#   dans `partition.heterogeneity` pour la répartition la plus difficile ? »
# - Réponse attendue : moins de classes présentes par client et une
#   variation totale moyenne plus grande.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Une réponse par question (onglets Q1, Q2…), puis « Vérifier » : la
# correction et son explication s'affichent.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("07")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : chacun répond seul, puis on compare à deux ; on ne lit
#   l'explication qu'après avoir voté.
# - Question à la salle : « En non-IID, passer de E = 1 à E = 5 époques
#   locales fait-il baisser l'exactitude, puisque la dérive augmente ? »
# - Réponse attendue : pas ici, et c'est le piège : la dérive existe (nous
#   l'avons mesurée), mais le calcul local supplémentaire l'emporte, E = 5
#   fait mieux que E = 1 après le même nombre de tours ; la dérive ne limite
#   le gain que quand E devient très grand.
