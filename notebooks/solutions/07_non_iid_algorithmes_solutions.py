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
# # Solutions — 07 Données non-IID et algorithmes
#
# Solutions des exercices « À vous de jouer » du notebook
# [07_non_iid_algorithmes](../07_non_iid_algorithmes.ipynb). Essayez d'abord
# seul !

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import data, federated, models, partition, plots, scratch, widgets

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

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — le poids du rappel
#
# E = 5 époques locales (la dérive est plus forte), FedAvg (μ = 0) contre
# FedProx avec μ = 0,1 et μ = 1. Le même processus FedProx sert pour tous
# les μ ? Non : μ fait partie du calcul fédéré, il faut un processus par μ.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
jeux_e5 = federated.client_datasets(
    x_train, y_train, parts_non_iid, epochs=5, batch_size=LOT, seed=SEED
)
essais = {"FedAvg (μ = 0)": dict(algorithm="fedavg")}
for mu in (0.1, 1.0):
    essais[f"FedProx (μ = {mu:g})".replace(".", ",")] = dict(algorithm="fedprox", mu=mu)
historiques = {}
for nom, reglage in essais.items():
    process = federated.build_process(model=MODELE, client_lr=LR, **reglage)
    historiques[nom] = federated.train(
        process,
        jeux_e5,
        rounds=TOURS,
        clients_per_round=CLIENTS_PAR_TOUR,
        test_data=(x_test, y_test),
        model=MODELE,
        seed=SEED,
        progress=False,
    )
    print(
        f"{nom:<18} exactitude en test finale : {historiques[nom].final_accuracy:.4f}"
    )
plots.training_curves(historiques, title="FedAvg et FedProx, E = 5, α = 0,1")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le terme proximal `μ/2·‖w − w_global‖²` tire chaque client vers le
# modèle global : avec μ = 1, les modèles locaux bougent moins, la dérive
# diminue… mais chaque client apprend aussi moins à chaque tour. Un μ trop
# grand revient à empêcher l'entraînement local (le modèle ne bouge presque
# plus) : il faut plus de tours. Le bon μ se choisit en mesurant, comme E.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — dérive et époques
#
# La fonction `derive` du notebook : pour chaque client, le cosinus entre sa
# mise à jour et la mise à jour moyenne (`scratch.client_drift`).


# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
def derive(parts, epochs=5, num=10, par_client=120):
    parts = [p[:par_client] for p in parts[:num]]
    jeux = federated.client_datasets(
        x_train, y_train, parts, epochs=epochs, batch_size=LOT, seed=SEED
    )
    modele = models.mlp(seed=SEED)
    cosinus, _ = scratch.client_drift(modele, modele.get_weights(), jeux, lr=LR)
    return float(np.mean(cosinus))


EPOQUES = (1, 2, 5)
repartitions = {
    "IID (α = 100)": partition.dirichlet(y_train, NUM_CLIENTS, 100.0, seed=SEED),
    "non-IID (α = 0,1)": parts_non_iid,
}
resultats = {
    nom: [derive(parts, epochs=e, num=6 if QUICK else 10) for e in EPOQUES]
    for nom, parts in repartitions.items()
}
for nom, valeurs in resultats.items():
    print(nom, ", ".join(f"E={e} : {v:.2f}" for e, v in zip(EPOQUES, valeurs)))

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
plt.close(fig)
for nom, valeurs in resultats.items():
    ax.plot(EPOQUES, valeurs, marker="o", label=nom)
ax.set_xlabel("Époques locales E")
ax.set_ylabel("Cosinus moyen avec la mise à jour moyenne")
ax.set_title("Alignement des mises à jour selon E")
ax.set_ylim(0, 1)
ax.grid(alpha=0.3)
ax.legend()
fig

# %% [markdown] slideshow={"slide_type": "fragment"}
# L'écart entre IID et non-IID est net pour chaque valeur de E : en
# non-IID, les mises à jour des clients sont beaucoup moins alignées.
# Lisez aussi l'évolution avec E dans le tableau : sur ce petit exemple
# (120 exemples par client, un modèle **neuf**), l'alignement ne se
# dégrade pas forcément avec E, car au début tous les clients apprennent
# des traits communs (les traits et les boucles des chiffres). La dérive
# due aux époques locales pèse surtout plus tard, quand le modèle global
# est déjà bon et que chaque client ne peut plus progresser qu'en se
# spécialisant. Pour le voir, refaites la mesure en partant des poids d'un
# entraînement avancé (`historique.final_weights`).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — tessons ou Dirichlet ?

# %% slideshow={"slide_type": "-"}
parts_tessons = partition.shards(y_train, NUM_CLIENTS, shards_per_client=2, seed=SEED)
print("Tessons :", partition.heterogeneity(y_train, parts_tessons))
print("Dirichlet α = 0,1 :", partition.heterogeneity(y_train, parts_non_iid))

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
lanceur = widgets.training_launcher(x_train, y_train, x_test, y_test, seed=SEED)
lanceur.num_clients.value = NUM_CLIENTS
lanceur.rounds.value = TOURS
lanceur.split.value = "shards"
lanceur.run()
lanceur.split.value = "dirichlet"
lanceur.alpha.value = 0.1
lanceur.run()
for nom, h in lanceur.histories.items():
    print(f"{nom} : exactitude en test finale {h.final_accuracy:.4f}")
lanceur

# %% [markdown] slideshow={"slide_type": "fragment"}
# Avec les tessons, chaque client n'a que **deux** chiffres, en quantités
# égales ; avec Dirichlet α = 0,1, les clients sont dominés par une ou deux
# classes mais gardent souvent quelques exemples des autres, et leurs
# tailles varient. Le résumé `heterogeneity` le montre (nombre moyen de
# classes par client, variation totale). Les tessons sont en général les plus
# difficiles : aucun client ne voit jamais les huit autres chiffres.
