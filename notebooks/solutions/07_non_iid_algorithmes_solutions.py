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
# # Solutions — 07 Données non-IID et algorithmes
#
# Solutions des exercices « À vous de jouer » du notebook
# [07_non_iid_algorithmes](../07_non_iid_algorithmes.ipynb). Essayez d'abord
# seul, dans le cahier
# [exercices/07_non_iid_algorithmes_exercices.ipynb](../exercices/07_non_iid_algorithmes_exercices.ipynb) !

# %% [markdown] tags=["exercice"] slideshow={"slide_type": "slide"}
# # Exercices — 07 Données non-IID et algorithmes
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : elle affiche « ✅ Correct ! » ou un
# indice. Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Le cours : [07_non_iid_algorithmes](../07_non_iid_algorithmes.ipynb) ;
# les solutions : [solutions/07_non_iid_algorithmes_solutions.ipynb](../solutions/07_non_iid_algorithmes_solutions.ipynb).

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
from fltutor import (
    data,
    federated,
    formatting,
    models,
    partition,
    plots,
    scratch,
    verifier,
    widgets,
)

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if QUICK:
    N_TRAIN, N_TEST = 6_000, 2_000
    NUM_CLIENTS, CLIENTS_PAR_TOUR, TOURS = 20, 5, 4
else:
    N_TRAIN, N_TEST = 60_000, 10_000
    NUM_CLIENTS, CLIENTS_PAR_TOUR, TOURS = 100, 10, 30
MODELE, LOT, LR, ALPHA_NON_IID = "mlp", 20, 0.1, 0.1
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
x_train, y_train = x_complet[:N_TRAIN], y_complet[:N_TRAIN]
x_test, y_test = x_test_complet[:N_TEST], y_test_complet[:N_TEST]
parts_non_iid = partition.dirichlet(y_train, NUM_CLIENTS, ALPHA_NON_IID, seed=SEED)
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : {'oui' if QUICK else 'non'}"
)


# %% slideshow={"slide_type": "-"}
def comparer(essais, epochs=5):
    """Un entraînement par réglage de `essais` (mêmes clients, E = `epochs`), et les courbes."""
    jeux = federated.client_datasets(
        x_train, y_train, parts_non_iid, epochs=epochs, batch_size=LOT, seed=SEED
    )
    historiques = {}
    for nom, reglage in essais.items():
        process = federated.build_process(model=MODELE, client_lr=LR, **reglage)
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
        finale = historiques[nom].final_accuracy
        print(f"{nom:<18} exactitude en test finale : {formatting.number(finale, 4)}")
    titre = f"FedAvg et FedProx, E = {epochs}, α = 0,1"
    display(plots.training_curves(historiques, title=titre))
    return historiques


def tour_local(parts, epochs, num=10, par_client=120):
    """Un tour de FedAvg à la main : les modèles locaux de `num` clients et leurs tailles.

    Tous partent du même modèle neuf et font E = `epochs` époques de SGD sur
    au plus `par_client` exemples (`scratch.local_train`).
    """
    parts = [p[:par_client] for p in parts[:num]]
    jeux = federated.client_datasets(
        x_train, y_train, parts, epochs=epochs, batch_size=LOT, seed=SEED
    )
    modele = models.mlp(seed=SEED)
    depart = modele.get_weights()
    locaux = [
        scratch.local_train(modele, scratch.broadcast(depart), jeu, LR) for jeu in jeux
    ]
    return [poids for poids, _ in locaux], [n for _, n in locaux]


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — le poids du rappel
# **★ découverte · 15 min · calcul long (≈ 5 min)**
#
# Sur la répartition non-IID (α = 0,1), avec E = 5 époques locales (la
# dérive y est plus forte), comparez FedAvg (μ = 0) et FedProx avec
# μ = 0,1 et μ = 1. Complétez le dictionnaire `essais` (nom de la courbe →
# réglages de `federated.build_process`, par exemple
# `dict(algorithm="fedprox", mu=...)`) ; `comparer` entraîne et trace.
# Puis mettez dans `reponse` la lettre du choix qui décrit vos courbes :

# %% slideshow={"slide_type": "-"}
verifier.choix("07-1")

# %% tags=["exercice", "nbval-ignore-output"] slideshow={"slide_type": "-"}
essais = {
    "FedAvg (μ = 0)": dict(algorithm="fedavg"),
    # Ajoutez FedProx avec μ = 0,1 et avec μ = 1.
}
historiques = comparer(essais)
reponse = ...  # « a », « b », « c » ou « d »

# %% tags=["solution", "nbval-ignore-output"] slideshow={"slide_type": "-"}
# μ fait partie du calcul fédéré : un processus par μ (comparer en construit un
# par réglage).
essais = {"FedAvg (μ = 0)": dict(algorithm="fedavg")}
for mu in (0.1, 1.0):
    essais[f"FedProx (μ = {formatting.short(mu)})"] = dict(algorithm="fedprox", mu=mu)
historiques = comparer(essais)
reponse = "b"

# %% slideshow={"slide_type": "-"}
verifier.exercice("07-1", reponse)

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Le terme proximal `μ/2·‖w − w_global‖²` tire chaque client vers le
# modèle global : plus μ est grand, moins les modèles locaux s'éloignent
# (la dérive diminue)… mais moins chaque client apprend à chaque tour. Un μ
# trop grand revient à empêcher l'entraînement local : il faut alors plus
# de tours. Les exactitudes finales et les courbes disent lequel des deux
# effets l'emporte ici ; le bon μ se choisit en mesurant, comme E.
# (`fltutor` écrit lui-même ce SGD proximal, `federated.ProximalSGD` : dans
# TFF 0.87, `build_weighted_fed_prox` ajoute le terme avec le mauvais signe,
# et l'entraînement diverge dès μ = 0,1.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — tessons ou Dirichlet ?
# **★★ application · 15 min · calcul long (≈ 3 min)**
#
# Avec le lanceur (`lanceur.split.value` : `"shards"` ou `"dirichlet"`,
# `lanceur.alpha.value`, puis `lanceur.run()`), entraînez FedAvg sur la
# répartition « Tessons (McMahan) », puis sur Dirichlet α = 0,1.
# Décrivez les deux répartitions avec `partition.heterogeneity` (classes
# présentes par client, variation totale). Mettez dans `reponse` le nom de
# la plus difficile pour FedAvg : `"tessons"` ou `"dirichlet"`.

# %% tags=["exercice", "nbval-ignore-output"] slideshow={"slide_type": "-"}
parts_tessons = partition.shards(y_train, NUM_CLIENTS, shards_per_client=2, seed=SEED)
lanceur = widgets.training_launcher(
    x_train, y_train, x_test, y_test, seed=SEED, train_size=N_TRAIN
)
lanceur.num_clients.value = NUM_CLIENTS
lanceur.rounds.value = TOURS
# Lancez un essai sur les tessons, puis un sur Dirichlet α = 0,1,
# et comparez partition.heterogeneity(y_train, parts_tessons) et
# partition.heterogeneity(y_train, parts_non_iid).
...
reponse = ...  # "tessons" ou "dirichlet"
lanceur

# %% tags=["solution", "nbval-ignore-output"] slideshow={"slide_type": "-"}
parts_tessons = partition.shards(y_train, NUM_CLIENTS, shards_per_client=2, seed=SEED)
lanceur = widgets.training_launcher(
    x_train, y_train, x_test, y_test, seed=SEED, train_size=N_TRAIN
)
lanceur.num_clients.value = NUM_CLIENTS
lanceur.rounds.value = TOURS
lanceur.split.value = "shards"
finales = {"tessons": lanceur.run().final_accuracy}
lanceur.split.value = "dirichlet"
lanceur.alpha.value = 0.1
finales["dirichlet"] = lanceur.run().final_accuracy
mesures = {
    "tessons": partition.heterogeneity(y_train, parts_tessons),
    "dirichlet": partition.heterogeneity(y_train, parts_non_iid),
}
for nom, h in mesures.items():
    print(
        f"{nom} : exactitude finale {formatting.number(finales[nom], 4)} ; "
        f"{formatting.number(h.mean_classes_per_client, 1)} classes par client ; "
        f"variation totale {formatting.number(h.mean_emd, 3)}"
    )
# La plus difficile : celle dont les clients voient le moins de classes.
reponse = min(mesures, key=lambda nom: mesures[nom].mean_classes_per_client)
print(f"→ la plus difficile : {reponse}")
lanceur

# %% slideshow={"slide_type": "-"}
verifier.exercice("07-2", reponse)

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Avec les tessons, chaque client n'a que **deux** chiffres (un peu plus en
# mode rapide, quand un tesson déborde sur le chiffre suivant), en quantités
# égales ; avec Dirichlet α = 0,1, les clients sont dominés par une ou deux
# classes mais gardent souvent quelques exemples des autres, et leurs
# tailles varient. Le résumé `heterogeneity` le montre (moins de classes par
# client, variation totale plus grande pour les tessons), et l'exactitude
# finale suit en général : aucun client des tessons ne voit jamais les huit
# autres chiffres.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — dérive et époques
# **★★★ approfondissement · 20 min · calcul long (≈ 2 min)**
#
# Écrivez `distance_moyenne(modeles_locaux, tailles)` : `modeles_locaux` est
# une liste de modèles (chacun une liste de tableaux numpy, comme
# `get_weights()`), `tailles` le nombre d'exemples de chaque client. Le
# modèle moyen est leur moyenne pondérée par `tailles` (comme
# `scratch.aggregate`) ; la fonction renvoie la moyenne, sur les clients, de
# la distance euclidienne ‖w_k − w_moyen‖ (tous les tenseurs d'un modèle mis
# bout à bout). La vérification l'essaie sur de petits modèles fabriqués.
# Ensuite, dans une nouvelle cellule, mesurez cette distance pour E = 1, 2
# et 5, en IID (α = 100) et en non-IID (α = 0,1) : `tour_local(parts, E)`
# renvoie les modèles locaux et leurs tailles après un tour. Tracez les
# deux courbes.


# %% tags=["exercice"] slideshow={"slide_type": "-"}
def distance_moyenne(modeles_locaux, tailles):
    """Distance euclidienne moyenne des modèles locaux au modèle moyen (pondéré)."""
    ...


# %% tags=["solution"] slideshow={"slide_type": "-"}
def distance_moyenne(modeles_locaux, tailles):
    """Distance euclidienne moyenne des modèles locaux au modèle moyen (pondéré)."""
    moyen = scratch.aggregate(modeles_locaux, tailles)

    def a_plat(modele):
        return np.concatenate([np.ravel(np.asarray(t, np.float64)) for t in modele])

    centre = a_plat(moyen)
    return float(np.mean([np.linalg.norm(a_plat(m) - centre) for m in modeles_locaux]))


# %% slideshow={"slide_type": "-"}
verifier.exercice("07-3", distance_moyenne)

# %% tags=["solution", "nbval-ignore-output"] slideshow={"slide_type": "subslide"}
EPOQUES = (1, 2, 5)
repartitions = {
    "IID (α = 100)": partition.dirichlet(y_train, NUM_CLIENTS, 100.0, seed=SEED),
    "non-IID (α = 0,1)": parts_non_iid,
}
resultats = {
    nom: [
        distance_moyenne(*tour_local(parts, e, num=6 if QUICK else 10)) for e in EPOQUES
    ]
    for nom, parts in repartitions.items()
}
for nom, valeurs in resultats.items():
    print(
        nom,
        " ; ".join(
            f"E = {e} : {formatting.number(v, 2)}" for e, v in zip(EPOQUES, valeurs)
        ),
    )

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
plt.close(fig)
for nom, valeurs in resultats.items():
    ax.plot(EPOQUES, valeurs, marker="o", label=nom)
ax.set_xlabel("Époques locales E")
ax.set_ylabel("Distance moyenne au modèle moyen")
ax.set_title("Dérive des modèles locaux selon E")
ax.set_ylim(bottom=0)
ax.grid(alpha=0.3)
ax.legend()
fig

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# La distance au modèle moyen grandit avec E dans les deux cas : plus de
# pas locaux, des modèles qui s'écartent davantage de leur point de départ
# commun. À E égal, les clients non-IID sont plus loin du modèle moyen que
# les clients IID (comparez les lignes) : chacun descend vers **ses**
# chiffres. Une partie de la distance vient seulement de la longueur des
# pas, qui grandit aussi en IID ; c'est l'écart entre les deux courbes qui
# mesure la dérive due au non-IID. Ici, le modèle est **neuf** et chaque
# client n'a que 120 exemples : au début, tous apprennent des traits
# communs. Pour voir la dérive plus tard dans l'entraînement, repartez des
# poids d'un entraînement avancé (`historique.final_weights`).
