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

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import tensorflow_federated as tff
from IPython.display import display

import fltutor
from fltutor import data, federated, models, partition, plots, scratch, widgets

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

# %% slideshow={"slide_type": "subslide"}
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
x_train, y_train = x_complet[:N_TRAIN], y_complet[:N_TRAIN]
x_test, y_test = x_test_complet[:N_TEST], y_test_complet[:N_TEST]

ALPHAS = (100.0, 1.0, 0.1)
repartitions = {
    alpha: partition.dirichlet(y_train, NUM_CLIENTS, alpha, seed=SEED)
    for alpha in ALPHAS
}
for alpha, parts in repartitions.items():
    h = partition.heterogeneity(y_train, parts)
    comptes = partition.label_counts(y_train, parts, num_classes=10)
    top2 = (np.sort(comptes, axis=1)[:, -2:].sum(axis=1) / comptes.sum(axis=1)).mean()
    print(
        f"α = {alpha:>5g} : les 2 classes principales font {top2:.0%} des exemples "
        f"d'un client en moyenne ; variation totale moyenne {h.mean_emd:.2f} ; "
        f"tailles de {h.sizes_min} à {h.sizes_max} exemples"
    )

# %% slideshow={"slide_type": "subslide"}
fig, axes = plt.subplots(1, 3, figsize=(15, 5.5), layout="constrained")
plt.close(fig)
for ax, (alpha, parts) in zip(axes, repartitions.items()):
    plots.label_heatmap(
        partition.label_counts(y_train, parts, num_classes=10),
        title=f"Dirichlet α = {alpha:g}",
        ax=ax,
        annotate=False,
    )
fig

# %% [markdown] slideshow={"slide_type": "fragment"}
# À gauche (α = 100), chaque ligne est presque uniforme : c'est l'IID. Au
# milieu (α = 1), chaque client a ses classes préférées. À droite
# (α = 0,1), la plupart des clients sont dominés par une ou deux classes
# (les autres n'y ont que quelques exemples), et leurs
# tailles varient beaucoup. La **variation totale** mesure l'écart entre
# la répartition des chiffres d'un client et celle de tout MNIST (0 : la
# même ; 1 : aucun chiffre en commun).
# C'est cette répartition, α = 0,1, que nous
# utiliserons pour comparer les algorithmes.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## La dérive des clients
#
# Dans un tour de FedAvg, chaque client part du **même** modèle global et
# fait plusieurs pas de SGD sur **ses** données. Si ses données ne
# ressemblent pas à celles des autres, il descend vers **son** optimum, pas
# vers l'optimum commun : c'est la **dérive des clients** (*client drift*).
# La moyenne de modèles qui ont dérivé dans des directions différentes est
# un mauvais compromis.
#
# Mesurons-la avec FedAvg écrit à la main (`fltutor.scratch`) : 10 clients
# partent du même modèle et s'entraînent E = 5 époques sur 120 exemples
# chacun. Pour chaque client, on compare sa mise à jour `w_k − w_0` à la
# mise à jour moyenne : même direction (cosinus proche de 1) ou pas ?


# %% slideshow={"slide_type": "subslide"}
def derive(parts, epochs=5, num=10, par_client=120):
    """Dérive de `num` clients après `epochs` époques locales, partant du même modèle.

    Chaque client garde au plus `par_client` exemples (même quantité de calcul
    local pour tous). Renvoie, pour chaque client, la similarité cosinus entre
    sa mise à jour `w_k − w0` et la mise à jour moyenne (1 = même direction),
    et la distance de son modèle au modèle moyen, relative à la taille de sa
    mise à jour.
    """
    modele = models.mlp(seed=SEED)
    w0 = modele.get_weights()
    parts = [p[:par_client] for p in parts[:num]]
    jeux = federated.client_datasets(
        x_train, y_train, parts, epochs=epochs, batch_size=LOT, seed=SEED
    )
    locaux = [scratch.local_train(modele, w0, ds, lr=LR) for ds in jeux]
    moyen = scratch.aggregate([w for w, _ in locaux], [n for _, n in locaux])

    def aplatir(w):
        return np.concatenate([np.ravel(t) for t in w])

    depart, centre = aplatir(w0), aplatir(moyen)
    cosinus, distances = [], []
    for w, _ in locaux:
        maj = aplatir(w) - depart
        maj_moyenne = centre - depart
        cosinus.append(
            maj @ maj_moyenne / (np.linalg.norm(maj) * np.linalg.norm(maj_moyenne))
        )
        distances.append(np.linalg.norm(aplatir(w) - centre) / np.linalg.norm(maj))
    return np.array(cosinus), np.array(distances)


derives = {alpha: derive(repartitions[alpha]) for alpha in (100.0, ALPHA_NON_IID)}
for alpha, (cos, dist) in derives.items():
    print(
        f"α = {alpha:>5g} : cosinus moyen avec la mise à jour moyenne {cos.mean():.2f}, "
        f"distance au modèle moyen = {dist.mean():.2f} × la taille de la mise à jour"
    )

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
plt.close(fig)
largeur = 0.4
clients = np.arange(10)
for decalage, (alpha, (cos, _)) in zip((-largeur / 2, largeur / 2), derives.items()):
    nom = "IID (α = 100)" if alpha == 100.0 else f"non-IID (α = {alpha:g})"
    ax.bar(clients + decalage, cos, width=largeur, label=nom)
ax.set_xticks(clients)
ax.set_ylim(0, 1)
ax.set_xlabel("Client")
ax.set_ylabel("Cosinus avec la mise à jour moyenne")
ax.set_title("Dérive des clients après E = 5 époques locales")
ax.legend()
ax.grid(axis="y", alpha=0.3)
fig

# %% [markdown] slideshow={"slide_type": "fragment"}
# En IID, les mises à jour vont à peu près dans la même direction : les
# clients ont appris la même chose. En non-IID, chacun est parti de son
# côté (cosinus plus faible, distance au modèle moyen plus grande) : le
# modèle moyen n'est proche d'aucun d'eux. Les algorithmes qui suivent attaquent ce
# problème de deux façons : **retenir** les clients (FedProx), ou **mieux
# utiliser** la moyenne des mises à jour côté serveur (FedAdam).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quatre algorithmes
#
# | Algorithme | Travail d'un client | Travail du serveur |
# |---|---|---|
# | **FedSGD** | un gradient sur tout son jeu (E = 1, B = ∞) | un pas de SGD avec le gradient moyen |
# | **FedAvg** (McMahan et al., 2017) | E époques de SGD, lots de B | moyenne des modèles, pondérée par le nombre d'exemples |
# | **FedProx** (Li et al., 2020) | SGD sur `perte + μ/2·‖w − w_global‖²` | comme FedAvg |
# | **FedAdam** (Reddi et al., 2021) | comme FedAvg | applique la mise à jour moyenne avec **Adam** |
#
# FedSGD communique à chaque pas : simple, mais il faut beaucoup de tours.
# FedAvg fait beaucoup de calcul local par tour : peu de tours, mais de la
# dérive en non-IID. Le terme proximal de FedProx rappelle chaque client
# vers le modèle global (μ = 0 : FedAvg). FedAdam garde une mémoire des
# mises à jour passées côté serveur (moments d'Adam), ce qui lisse les
# directions contradictoires des clients.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### La même répartition non-IID pour tous
#
# α = 0,1, les mêmes clients tirés à chaque tour (même graine), le même
# modèle de départ. Seul l'algorithme change. Avec TFF, chacun n'est qu'un
# argument de `federated.build_process`.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
parts_non_iid = repartitions[ALPHA_NON_IID]
jeux_e1 = federated.client_datasets(
    x_train, y_train, parts_non_iid, epochs=1, batch_size=LOT, seed=SEED
)
jeux_fedsgd = federated.client_datasets(
    x_train, y_train, parts_non_iid, epochs=1, batch_size=None, seed=SEED
)
REGLAGES = {
    "FedSGD": dict(algorithm="fedsgd", jeux=jeux_fedsgd),
    "FedAvg": dict(algorithm="fedavg", jeux=jeux_e1),
    "FedProx (μ = 0,01)": dict(algorithm="fedprox", mu=0.01, jeux=jeux_e1),
    "FedAdam": dict(algorithm="fedadam", jeux=jeux_e1),
}
historiques, processes = {}, {}
for nom, reglage in REGLAGES.items():
    reglage = dict(reglage)
    jeux = reglage.pop("jeux")
    processes[nom] = federated.build_process(model=MODELE, client_lr=LR, **reglage)
    historiques[nom] = federated.train(
        processes[nom],
        jeux,
        rounds=TOURS,
        clients_per_round=CLIENTS_PAR_TOUR,
        test_data=(x_test, y_test),
        model=MODELE,
        seed=SEED,
        progress=False,
    )
    print(
        f"{nom:<20} exactitude en test finale : {historiques[nom].final_accuracy:.4f}"
    )

# %% slideshow={"slide_type": "subslide"}
plots.training_curves(
    historiques,
    title=f"Quatre algorithmes sur la même répartition non-IID (α = {ALPHA_NON_IID:g})",
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Lisez les courbes (les valeurs exactes dépendent du mode et de la
# graine) :
#
# - **FedSGD** progresse lentement : un seul pas de gradient par tour.
#   Pour le même nombre de tours — donc les mêmes octets échangés — les
#   algorithmes à plusieurs pas locaux vont beaucoup plus loin ;
# - **FedAvg** et **FedProx** avec un petit μ sont très proches : le terme
#   proximal ne pèse qu'avec plus d'époques locales ou un μ plus grand
#   (exercice 1) ;
# - **FedAdam** dépend beaucoup de son taux d'apprentissage serveur
#   (`server_lr`, 0,003 par défaut ici) ; comparez sa courbe à celle de
#   FedAvg : sa mémoire des tours passés (les moments d'Adam) amortit les
#   à-coups d'un tour à l'autre.
#
# Les courbes restent bruitées d'un tour à l'autre, car les clients tirés
# ne voient pas les mêmes chiffres.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Combien d'époques locales ?
#
# Plus d'époques locales E = plus de calcul par tour, donc, espère-t-on,
# moins de tours pour une exactitude donnée. Mais en non-IID, chaque client
# s'éloigne davantage vers ses propres chiffres : la dérive va-t-elle
# l'emporter ? Comparons E = 1 et E = 5 avec FedAvg (même processus TFF :
# E ne change que les jeux de données des clients).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
EPOQUES = (1, 5)
historiques_e = {"FedAvg, E = 1": historiques["FedAvg"]}
for e in EPOQUES[1:]:
    jeux_e = federated.client_datasets(
        x_train, y_train, parts_non_iid, epochs=e, batch_size=LOT, seed=SEED
    )
    historiques_e[f"FedAvg, E = {e}"] = federated.train(
        processes["FedAvg"],
        jeux_e,
        rounds=TOURS,
        clients_per_round=CLIENTS_PAR_TOUR,
        test_data=(x_test, y_test),
        model=MODELE,
        seed=SEED,
        progress=False,
    )
for nom, h in historiques_e.items():
    print(f"{nom} : exactitude en test finale {h.final_accuracy:.4f}")
finales = {nom: h.final_accuracy for nom, h in historiques_e.items()}
print(f"→ Après {TOURS} tours, le meilleur est {max(finales, key=finales.get)}.")
plots.training_curves(
    historiques_e, title=f"Effet du nombre d'époques locales (α = {ALPHA_NON_IID:g})"
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Sur cette répartition, le calcul local supplémentaire l'emporte sur la
# dérive : voyez le verdict et les deux courbes. McMahan et al. (2017,
# tableau 2) observent la même chose sur MNIST : plus de calcul local
# réduit le nombre de tours, même avec leur répartition non-IID
# « pathologique ». La dérive existe pourtant (nous l'avons mesurée plus
# haut) et limite le gain quand E devient très grand : sur leur modèle de
# langage (Shakespeare), un très grand E fait plafonner, voire diverger,
# l'entraînement, et ils conseillent de réduire le calcul local au fil des
# tours. Le bon réglage dépend des données — on le choisit en mesurant,
# comme ici.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de choisir les réglages
#
# Le lanceur règle un entraînement (algorithme, répartition, α, μ, E, B,
# η…) et le lance d'un clic ; les essais successifs restent sur la même
# figure. Ci-dessous, on lance ses réglages par défaut (FedAvg sur des
# données IID) : cliquez ensuite sur « Lancer l'entraînement » après avoir
# choisi « Dirichlet » avec α = 0,1, puis changez d'algorithme.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
lanceur = widgets.training_launcher(x_train, y_train, x_test, y_test, seed=SEED)
historique_lanceur = lanceur.run()  # comme un clic sur le bouton
display(lanceur)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Le non-IID est la règle en fédéré ; α de Dirichlet règle son intensité
#   (α grand ≈ IID, α = 0,1 : une ou deux classes par client).
# - En non-IID, les modèles locaux **dérivent** chacun vers leur optimum
#   (leurs mises à jour sont bien moins alignées qu'en IID) : leur moyenne
#   avance moins droit, et l'exactitude oscille d'un tour à l'autre selon
#   les clients tirés.
# - **FedSGD** : un pas par tour, beaucoup de tours. **FedAvg** : beaucoup
#   de calcul local, peu de tours, mais sensible à la dérive.
#   **FedProx** retient les clients près du modèle global (μ).
#   **FedAdam** applique la moyenne des mises à jour avec Adam côté serveur.
# - Plus d'époques locales E = plus de calcul par tour, moins de tours :
#   ici, même en non-IID, E = 5 fait mieux que E = 1. La dérive limite ce
#   gain quand E devient très grand (McMahan et al., 2017, sur
#   Shakespeare) : on règle E en mesurant.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Le poids du rappel.** Sur la même répartition (α = 0,1) avec E = 5
#    époques locales, comparez FedAvg et FedProx avec μ = 0,1 et μ = 1.
#    Un μ plus grand réduit-il la dérive ? Que se passe-t-il si μ est trop
#    grand ?
# 2. **Dérive et époques.** Avec la fonction `derive`, mesurez la distance
#    moyenne au modèle moyen pour E = 1, 2 et 5, en IID (α = 100) et en
#    non-IID (α = 0,1). Tracez les deux courbes.
# 3. **Tessons ou Dirichlet ?** Avec le lanceur (`lanceur.split.value`,
#    `lanceur.alpha.value`, puis `lanceur.run()`), comparez la répartition
#    « Tessons (McMahan) » et Dirichlet α = 0,1 avec FedAvg. Laquelle est la
#    plus difficile ? Utilisez `partition.heterogeneity` pour l'expliquer.
#
# Solutions : [solutions/07_non_iid_algorithmes_solutions.ipynb](solutions/07_non_iid_algorithmes_solutions.ipynb).
