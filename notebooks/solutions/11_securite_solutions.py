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

# %% [markdown] slideshow={"slide_type": "slide"} tags=["solution"]
# # Solutions — 11 Sécurité
#
# Solutions des exercices « À vous de jouer » du notebook
# [11_securite](../11_securite.ipynb). Essayez d'abord seul !

# %% [markdown] slideshow={"slide_type": "slide"} tags=["exercice"]
# # Exercices — 11 Sécurité
#
# Exécutez chaque expérience, complétez la cellule marquée `...`, puis
# exécutez la cellule de vérification en dessous : elle affiche « ✅ Correct ! »
# ou un indice. Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Le cours : [11_securite](../11_securite.ipynb) ; les solutions :
# [11_securite_solutions](../solutions/11_securite_solutions.ipynb).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import logging
import os

import tensorflow as tf

import fltutor
from fltutor import data, formatting, partition, plots, security, verifier

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
tf.get_logger().setLevel(logging.ERROR)  # Keras avertit qu'il retrace : voulu ici
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
NUM_CLIENTS = 10
if QUICK:
    EXEMPLES_PAR_CLIENT, N_TEST, TOURS = 100, 1_000, 1
else:
    EXEMPLES_PAR_CLIENT, N_TEST, TOURS = 500, 2_000, 8
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
x_train = x_complet[: NUM_CLIENTS * EXEMPLES_PAR_CLIENT]
y_train = y_complet[: NUM_CLIENTS * EXEMPLES_PAR_CLIENT]
test = (x_test_complet[:N_TEST], y_test_complet[:N_TEST])
parts = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
print(f"TensorFlow {tf.__version__} ; mode rapide : {'oui' if QUICK else 'non'}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — jusqu'où tient la médiane ?
# **★ découverte · 15 min · calcul long (≈ 6 min)**
#
# En IID, le nombre de clients qui inversent leurs étiquettes passe de 1 à
# 5 (sur 10) ; l'expérience ci-dessous compare FedAvg et la médiane.
# La vérification attend `cede`, le nombre d'attaquants (sur 10) à partir
# duquel la médiane cède. Pourquoi ce nombre ?

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
NOMBRES = (1, 2, 3, 4, 5)
scenarios = {
    f"{f} sur 10": security.client_data(
        x_train, y_train, parts, attack="inversion", malicious=f, seed=SEED
    )
    for f in NOMBRES
}
res1 = security.compare(
    ["fedavg", "mediane"], scenarios, TOURS, test, seed=SEED, log=None
)
print("Exactitude propre, clients qui inversent leurs étiquettes :")
print(security.results_table(res1))

# %% slideshow={"slide_type": "-"}
plots.training_curves(
    {
        security.DEFENCE_NAMES[d]: {
            "round": list(NOMBRES),
            "test_accuracy": [res1[(d, s)].final_accuracy for s in scenarios],
        }
        for d in ("fedavg", "mediane")
    },
    title="Inversion d'étiquettes : exactitude selon le nombre d'attaquants",
).axes[0].set_xlabel("Clients malveillants (sur 10)")

# %% slideshow={"slide_type": "-"} tags=["exercice"]
cede = ...  # le nombre d'attaquants (sur 10) à partir duquel la médiane cède

# %% slideshow={"slide_type": "-"} tags=["solution"]
# La médiane de chaque poids reste encadrée par des valeurs honnêtes tant
# que les honnêtes sont majoritaires : elle cède au premier nombre
# d'attaquants qui leur ôte la majorité.
cede = min(f for f in NOMBRES if f >= NUM_CLIENTS - f)
print(f"La médiane cède à {cede} attaquants sur {NUM_CLIENTS}.")

# %% slideshow={"slide_type": "-"}
verifier.exercice("11-1", cede)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Tant que les malveillants sont moins de la moitié, la médiane de chaque
# poids est encadrée par des valeurs honnêtes. À 5 sur 10, il n'y a plus
# de majorité honnête : rien ne garantit plus que la médiane tombe entre
# deux valeurs honnêtes. Remarquez aussi que l'inversion `y → 9 − y` est
# symétrique : à 5 contre 5, rien ne permet plus de dire quelle étiquette
# est la bonne, quelle que soit l'agrégation.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — un attaquant plus discret
# **★★ application · 20 min · calcul long (≈ 5 min)**
#
# Un client remplace son modèle en gonflant sa mise à jour d'un facteur
# γ = 2, 5 puis 10. L'expérience ci-dessous compte, pour la mise à zéro et
# l'écrêtage adaptatifs, les mises à jour touchées
# (`hist.rounds[-1]["aggregator"]`). Contre quelle valeur de γ chacune
# réagit-elle ? Choisissez la phrase juste : la vérification attend sa
# lettre dans `reponse`.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
GAMMAS = (2.0, 5.0, 10.0)
scenarios2 = {
    f"γ = {g:g}": security.client_data(
        x_train, y_train, parts, attack="remplacement", malicious=1, boost=g, seed=SEED
    )
    for g in GAMMAS
}
res2 = security.compare(
    ["mise_a_zero", "ecretage"], scenarios2, TOURS, test, seed=SEED, log=None
)
for (d, s), h in res2.items():
    mesures = [r["aggregator"] for r in h.rounds]
    cle = "zeroed_count" if d == "mise_a_zero" else "clipped_count"
    touches = sum(m[cle] for m in mesures)
    print(
        f"{security.DEFENCE_NAMES[d]:<12} {s:<8} : {touches} mise(s) à jour "
        f"{'mises à zéro' if d == 'mise_a_zero' else 'écrêtées'} en {TOURS} tour{'s' if TOURS > 1 else ''} ; "
        f"porte dérobée {formatting.percent(h.rounds[-1]['backdoor_success'])}"
    )

# %% slideshow={"slide_type": "-"}
verifier.choix("11-2")

# %% slideshow={"slide_type": "-"} tags=["exercice"]
reponse = ...  # la lettre du choix juste, entre guillemets

# %% slideshow={"slide_type": "-"} tags=["solution"]
reponse = "c"  # l'écrêtage touche la mise à jour gonflée, la mise à zéro jamais

# %% slideshow={"slide_type": "-"}
verifier.exercice("11-2", reponse)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# La mise à zéro adaptative de TFF vise les mises à jour **aberrantes**
# (des valeurs corrompues, des milliers de fois trop grandes) : son seuil,
# le double du quantile 0,98 des normes plus 1, laisse passer une mise à
# jour seulement quelques fois plus grande que les autres. L'écrêtage
# adaptatif, lui, ramène à chaque tour les normes au-dessus du quantile 0,8
# à ce quantile : il touche la mise à jour gonflée quel que soit γ (et
# aussi, à chaque tour, quelques clients honnêtes — d'où le compte). La
# porte dérobée qu'elle contient garde alors le poids d'un client
# ordinaire : comparez son succès à celui de « porte dérobée (1 client) »
# dans le notebook.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — régler la moyenne tronquée
# **★★★ approfondissement · 20 min · calcul long (≈ 6 min)**
#
# Contre la porte dérobée posée par 3 clients sur 10, l'expérience
# ci-dessous compare β = 0,1, 0,2 et 0,4, avec et sans attaque. La
# vérification attend `beta`, le β à choisir (un nombre entre 0 et 0,5).
# Que coûte-t-il ?

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
scenarios3 = {
    "sans attaque": security.client_data(x_train, y_train, parts, seed=SEED),
    "porte dérobée (3 clients)": security.client_data(
        x_train, y_train, parts, attack="porte_derobee", malicious=3, seed=SEED
    ),
}
for beta in (0.1, 0.2, 0.4):
    res3 = security.compare(
        ["moyenne_tronquee"], scenarios3, TOURS, test, seed=SEED, beta=beta, log=None
    )
    ligne = ", ".join(
        f"{s} : exactitude {formatting.percent(h.final_accuracy)}, porte dérobée "
        f"{formatting.percent(h.rounds[-1]['backdoor_success'])}"
        for (_, s), h in res3.items()
    )
    print(f"β = {formatting.number(beta, 1)} → {ligne}")

# %% slideshow={"slide_type": "-"} tags=["exercice"]
beta = ...  # le β de la moyenne tronquée contre 3 attaquants sur 10

# %% slideshow={"slide_type": "-"} tags=["solution"]
# β retire ⌊n β⌋ valeurs de chaque côté : le plus petit β essayé qui en
# retire au moins autant qu'il y a d'attaquants.
ATTAQUANTS = 3
beta = min(b for b in (0.1, 0.2, 0.4) if int(NUM_CLIENTS * b + 1e-9) >= ATTAQUANTS)
print(
    f"β = {formatting.number(beta, 1)} retire {int(NUM_CLIENTS * beta + 1e-9)} valeurs de chaque côté."
)

# %% slideshow={"slide_type": "-"}
verifier.exercice("11-3", beta)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Avec 10 clients, β retire `⌊10 β⌋` valeurs de chaque côté : β = 0,1 en
# retire 1, trop peu contre 3 attaquants ; β = 0,4 en retire 4, et la
# moyenne tronquée devient presque la médiane. Il faut β × n au moins égal
# au nombre d'attaquants que l'on veut tolérer. Au-delà, on jette de
# l'information honnête : presque rien en IID (la colonne « sans
# attaque »), beaucoup plus en non-IID (voir le tableau non-IID du
# notebook, où médiane et moyenne tronquée perdent de l'exactitude).
