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
# # 09 — Communication : compter les octets, les réduire
#
# La présentation promet une « réduction des communications réseau » : les
# données brutes ne voyagent plus. Mais le modèle, lui, voyage — à chaque
# tour, dans les deux sens, pour chaque client. Ce notebook compte ces
# octets, montre comment FedAvg échange du calcul local contre des tours de
# communication, et compresse les mises à jour avec les agrégateurs de TFF.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - calculer les octets échangés par tour (serveur → clients et clients →
#   serveur) à partir du modèle ;
# - comparer le coût d'envoyer les données brutes et celui d'envoyer des
#   mises à jour ;
# - expliquer le compromis de McMahan et al. : plus de calcul local (E, B)
#   pour moins de tours ;
# - compresser les mises à jour par quantification avec TFF, et mesurer le
#   gain en octets et l'effet sur l'exactitude.
#
# **Durée** : 45 minutes.
#
# **Prérequis** : [06 — Exemple MNIST](06_exemple_mnist.ipynb) (FedAvg, E,
# B, tours de communication).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import csv
import os
import pathlib

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import communication, data, federated, models, partition, plots

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if not (tf.__version__.startswith("2.14.") and tff.__version__.startswith("0.87.")):
    print("Attention : ce cours est prévu pour TensorFlow 2.14 et TFF 0.87.")

if QUICK:
    N_TRAIN, N_TEST = 6_000, 2_000
    NUM_CLIENTS, CLIENTS_PAR_TOUR, TOURS, OBJECTIF = 10, 5, 8, 0.88
else:
    N_TRAIN, N_TEST = 60_000, 10_000
    NUM_CLIENTS, CLIENTS_PAR_TOUR, TOURS, OBJECTIF = 100, 10, 30, 0.95
MODELE = "mlp"
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : "
    f"{'oui' if QUICK else 'non'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)


def mo(octets):
    """Octets → texte en mégaoctets (10⁶ octets), à la française."""
    return f"{octets / 1e6:,.2f} Mo".replace(",", " ").replace(".", ",")


def fr(x, decimales=1):
    """Un nombre à virgule, à la française."""
    return f"{x:.{decimales}f}".replace(".", ",")


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Combien d'octets par tour ?
#
# À chaque tour de FedAvg, avec m clients tirés :
#
# - **descente** (serveur → clients) : le modèle global, une copie par
#   client ;
# - **montée** (clients → serveur) : une mise à jour de même taille par
#   client.
#
# Un paramètre en `float32` pèse 4 octets : la taille d'une copie est
# 4 × (nombre de paramètres).

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
for nom in ("cnn", "mlp"):
    n_params = models.count_params(models.get(nom)())
    tour = communication.bytes_per_round(nom, clients_per_round=10)
    assert tour["down"] == federated.bytes_per_round(nom, 10)["down"]
    parametres = f"{n_params:,}".replace(",", " ")
    print(
        f"{nom.upper():>3} : {parametres:>9} paramètres → {mo(tour['per_client_down'])} "
        f"par copie ; un tour à 10 clients : {mo(tour['down'])} ↓ + {mo(tour['up'])} ↑"
    )
print(f"100 tours du CNN à 10 clients : {mo(100 * 2 * 10 * 6_653_480)} au total")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Données brutes ou mises à jour ?
#
# Un client de MNIST a 600 images de 28 × 28 octets. Combien coûterait-il
# d'envoyer ses données **une fois**, plutôt que des mises à jour à chaque
# tour ?

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
donnees = 600 * (28 * 28 + 1)  # images uint8 + une étiquette par image
print(f"Données brutes d'un client (600 images) : {mo(donnees)}, une seule fois")
for nom in ("mlp", "cnn"):
    par_tour = 2 * communication.upload_bytes(nom)  # descente + montée
    print(
        f"{nom.upper():>3} : {mo(par_tour)} par tour où le client participe, soit "
        f"{fr(par_tour / donnees)} fois ses données"
    )

# %% [markdown] slideshow={"slide_type": "fragment"}
# Surprise : pour MNIST, un seul tour coûte plus que les données elles-mêmes.
# L'apprentissage fédéré ne réduit pas toujours les octets : il évite que
# les données **quittent** l'appareil (confidentialité, réglementation), et
# il devient économe quand les données sont volumineuses (photos, voix,
# vidéo) et le modèle petit. Le nombre de tours et la taille des mises à
# jour sont donc les deux leviers à surveiller — ce qui suit.

# %% slideshow={"slide_type": "subslide"}
fig, ax = plt.subplots(figsize=(8, 3.5), layout="constrained")
plt.close(fig)
tours = np.arange(0, 51)
ax.axhline(
    donnees / 1e6, color="gray", linestyle="--", label="données brutes (une fois)"
)
for nom in ("mlp", "cnn"):
    ax.plot(tours, tours * 2 * communication.upload_bytes(nom) / 1e6, label=nom.upper())
ax.set_yscale("symlog", linthresh=1)
ax.set_xlabel("Tours auxquels le client participe")
ax.set_ylabel("Octets échangés (Mo)")
ax.set_title("Ce qu'un client échange, selon le nombre de tours")
ax.grid(alpha=0.3)
ax.legend()
fig

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Moins de tours : le compromis de McMahan et al.
#
# Chaque client fait `u = E · n / B` pas de SGD par tour (n exemples,
# E époques, lots de B). FedSGD (E = 1, B = ∞) fait **un** pas par tour ;
# FedAvg en fait des dizaines. McMahan et al. (2017) montrent que plus de
# calcul local divise le nombre de tours — donc d'octets — nécessaires
# pour une exactitude donnée. Pour leur CNN sur MNIST (objectif 99 %), le
# meilleur réglage (E = 20, B = 10) demande 34,8 fois moins de tours que
# FedSGD en IID, et 2,8 fois moins en non-IID (McMahan et al., 2017,
# tableau 2). Les gains proches de 100 (95,3 fois en non-IID, même
# tableau) concernent leur modèle de langage LSTM sur Shakespeare, pas
# MNIST.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les mesures du banc d'essai du cours
#
# Le banc d'essai (`make bench`) refait les expériences de l'article avec le
# CNN, jusqu'à 99 % d'exactitude. S'il a déjà tourné, ses résultats sont
# dans `bench/results/mcmahan/results.csv` :

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
RESULTATS_BANC = pathlib.Path("..") / "bench" / "results" / "mcmahan" / "results.csv"
if RESULTATS_BANC.is_file():
    with open(RESULTATS_BANC, encoding="utf-8") as f:
        lignes = list(csv.DictReader(f))
    print(f"{len(lignes)} expérience(s) du banc ({RESULTATS_BANC.name}) :")
    for r in lignes:
        atteint = (
            f"{r['rounds_to_target']} tours"
            if r["reached"] == "1"
            else f"non atteint en {r['rounds_done']} tours"
        )
        print(
            f"  {r['algorithm']:<7} E={r['epochs']:<2} B={r['batch_size']:<4} "
            f"{r['partition']:<8} objectif {float(r['target']):.0%} : {atteint} "
            f"(article : {r['paper_rounds'] or '—'})"
        )
else:
    print("Pas encore de résultats du banc : lancez « make bench » (plusieurs heures).")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une petite expérience en direct
#
# Même processus FedAvg, mêmes clients IID ; seuls E et B changent (ils ne
# modifient que les jeux de données des clients). E = 1, B = ∞ est
# exactement FedSGD. On compte les tours pour atteindre l'objectif, et les
# octets que cela représente.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
x_train, y_train = x_complet[:N_TRAIN], y_complet[:N_TRAIN]
x_test, y_test = x_test_complet[:N_TEST], y_test_complet[:N_TEST]
parts = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
process = federated.build_process("fedavg", model=MODELE, client_lr=0.1)

CONFIGS = {"FedSGD (E=1, B=∞)": (1, None), "E=1, B=10": (1, 10), "E=5, B=10": (5, 10)}
historiques_eb = {}
for nom, (e, b) in CONFIGS.items():
    jeux = federated.client_datasets(
        x_train, y_train, parts, epochs=e, batch_size=b, seed=SEED
    )
    historiques_eb[nom] = federated.train(
        process,
        jeux,
        rounds=TOURS,
        clients_per_round=CLIENTS_PAR_TOUR,
        test_data=(x_test, y_test),
        target_accuracy=OBJECTIF,
        model=MODELE,
        seed=SEED,
        progress=False,
    )
n_local = N_TRAIN // NUM_CLIENTS
for nom, h in historiques_eb.items():
    e, b = CONFIGS[nom]
    u = e * n_local / (b or n_local)
    if h.rounds_to_target is None:
        bilan = f"objectif non atteint en {len(h)} tours ({mo(h.total_bytes)} échangés)"
    else:
        bilan = f"objectif atteint au tour {h.rounds_to_target}, {mo(h.total_bytes)} échangés"
    print(f"{nom:<18} u = {u:>4.0f} pas par tour : {bilan}")

# %% slideshow={"slide_type": "subslide"}
plots.training_curves(
    historiques_eb, target=OBJECTIF, title="Plus de calcul local, moins de tours"
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# FedSGD progresse d'un seul pas de gradient par tour : il lui faudrait des
# centaines de tours. Avec E = 5 et B = 10, chaque client fait des
# dizaines de pas, et l'objectif arrive en quelques tours : le même nombre
# d'octets par tour, mais beaucoup moins de tours. Le prix : plus de calcul
# sur les appareils, et plus de dérive si les données sont non-IID
# (notebook [07](07_non_iid_algorithmes.ipynb)).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Compresser les mises à jour
#
# Deuxième levier : réduire la taille de chaque mise à jour. TFF le fait
# dans l'**agrégateur** : `tff.aggregators.EncodedSumFactory.quantize_above_threshold`
# quantifie chaque tenseur de plus de 20 000 nombres sur 8 bits (entre son
# minimum et son maximum), au lieu de 32 ; les petits tenseurs (biais)
# partent tels quels. `tff.learning.compression_aggregator()` en est la
# version « clé en main » (avec en plus un écrêtage adaptatif).
#
# Combien d'octets gagne-t-on ? On compte tenseur par tenseur, et on
# vérifie en faisant tourner l'encodeur de TFF :

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
for nom in ("cnn", "mlp"):
    brut = communication.upload_bytes(nom)
    compresse = communication.upload_bytes(nom, compressed=True)
    mesure = communication.encoded_bytes(nom)
    print(
        f"{nom.upper():>3} : montée par client {mo(brut)} → {mo(compresse)} compressée "
        f"({fr(brut / compresse, 2)} fois moins) ; mesuré sur l'encodeur de TFF : {mo(mesure)}"
    )
print("Tenseurs du CNN :", communication.tensor_sizes("cnn"))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Un peu moins que les 4 fois promises par « 32 → 8 bits » : les petits
# tenseurs restent en 32 bits, et TFF range les valeurs de 8 bits dans des
# entiers de 32 bits dont il n'utilise que 28 bits (7 valeurs pour 2
# entiers), pour que chaque entier se sérialise sur 4 octets. La descente
# (le modèle global), elle, n'est pas compressée.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Et l'exactitude ?
#
# Même répartition, mêmes clients, E = 1, B = 10 : FedAvg ordinaire contre
# FedAvg avec l'agrégateur compressé de `communication.compression_aggregator()`,
# qui compte aussi, dans TFF, les octets réellement produits par les
# clients (mesure ajoutée avec `tff.aggregators.add_measurements`).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
process_compresse = federated.build_process(
    "fedavg",
    model=MODELE,
    client_lr=0.1,
    aggregator=communication.compression_aggregator(),
)
jeux_e1 = federated.client_datasets(
    x_train, y_train, parts, epochs=1, batch_size=10, seed=SEED
)
historique_compresse = federated.train(
    process_compresse,
    jeux_e1,
    rounds=TOURS,
    clients_per_round=CLIENTS_PAR_TOUR,
    test_data=(x_test, y_test),
    model=MODELE,
    seed=SEED,
    progress=False,
    bytes_up_per_client=communication.upload_bytes(MODELE, compressed=True),
)
# La mesure de TFF (métriques « aggregator » de chaque tour) est gardée
# dans l'historique, à côté de notre compte à la main (`bytes_up`).
mesures = historique_compresse.column("aggregator")
mesure = mesures[0][communication.BYTES_MEASUREMENT]
print(f"Octets envoyés par {CLIENTS_PAR_TOUR} clients, mesurés dans TFF : {mo(mesure)}")
egales = all(
    m[communication.BYTES_MEASUREMENT] == r["bytes_up"]
    for m, r in zip(mesures, historique_compresse.rounds)
)
print("Mesure de TFF = compte à la main, à chaque tour :", "oui" if egales else "NON")

ordinaire = federated.train(  # le même FedAvg sans compression, sans s'arrêter
    process,
    jeux_e1,
    rounds=TOURS,
    clients_per_round=CLIENTS_PAR_TOUR,
    test_data=(x_test, y_test),
    model=MODELE,
    seed=SEED,
    progress=False,
)
comparaison = {
    "FedAvg (32 bits)": ordinaire,
    "FedAvg compressé (8 bits)": historique_compresse,
}
for nom, h in comparaison.items():
    print(
        f"{nom:<26} exactitude finale {h.final_accuracy:.4f} ; montée totale "
        f"{mo(sum(r['bytes_up'] for r in h.rounds))} en {len(h)} tours"
    )

# %% slideshow={"slide_type": "subslide"}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
plt.close(fig)
plots.training_curves(comparaison, ax=ax1, title="Exactitude au fil des tours")
for nom, h in comparaison.items():
    montee = np.cumsum([r["bytes_up"] for r in h.rounds]) / 1e6
    ax2.plot(montee, h.column("test_accuracy"), marker="o", markersize=4, label=nom)
ax2.set_xlabel("Octets envoyés par les clients, cumulés (Mo)")
ax2.set_ylabel("Exactitude sur le jeu de test")
ax2.set_title("Exactitude selon les octets envoyés")
ax2.grid(alpha=0.3)
ax2.legend()
fig

# %% [markdown] slideshow={"slide_type": "fragment"}
# Les deux courbes de gauche se superposent presque : 8 bits suffisent
# pour des mises à jour (c'est le réglage par défaut de TFF, choisi pour ne
# pas dégrader la qualité). TFF arrondit au hasard (arrondi stochastique,
# sans biais) : deux exécutions de la version compressée diffèrent donc
# légèrement. À droite, à octets envoyés égaux, la version
# compressée est bien plus avancée. On peut aller plus loin : moins de
# bits (exercice 2), rotation aléatoire avant de quantifier
# (`tff.aggregators.HadamardTransformFactory`), ou ne faire participer
# qu'une partie des clients.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Un tour coûte `m × taille du modèle` en descente et autant en montée :
#   4 octets par paramètre, pour chaque copie du modèle.
# - Pour de petites données comme MNIST, les mises à jour pèsent plus que
#   les données : le fédéré protège les données, il n'économise pas
#   forcément le réseau.
# - Deux leviers : **moins de tours** (plus de calcul local E, B — le
#   compromis de McMahan et al.) et **des mises à jour plus petites**
#   (quantification 8 bits : un peu moins de 4 fois moins d'octets en
#   montée ; comparez plus haut l'exactitude avec et sans compression).
# - TFF compresse dans l'agrégateur (`EncodedSumFactory`,
#   `compression_aggregator`) et permet d'ajouter ses propres mesures
#   (`add_measurements`).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Le coût de l'objectif.** À partir de l'expérience E / B ci-dessus,
#    calculez pour chaque réglage les octets totaux (descente + montée)
#    échangés jusqu'à l'objectif, et le nombre de pas de SGD faits par
#    l'ensemble des clients. Lequel est le plus économe en réseau ? en
#    calcul ?
# 2. **Moins de bits.** Comptez la montée du CNN avec 2, 4, 8 et 12 bits
#    (`communication.upload_bytes(..., bits=...)`), puis entraînez le
#    « 2NN » avec `communication.compression_aggregator(bits=2)`. La
#    exactitude tient-elle ?
# 3. **Sur un vrai réseau.** Un téléphone en 4G envoie à 10 Mbit/s et
#    reçoit à 50 Mbit/s. Combien de secondes de réseau par tour pour le
#    CNN, avec et sans compression ? Et pour 100 tours ?
#
# Solutions : [solutions/09_communication_solutions.ipynb](solutions/09_communication_solutions.ipynb).
