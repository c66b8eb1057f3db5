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
# # Solutions — 09 Communication
#
# Solutions des exercices « À vous de jouer » du notebook
# [09_communication](../09_communication.ipynb). Essayez d'abord seul,
# dans le cahier [09_communication_exercices](../exercices/09_communication_exercices.ipynb) !

# %% [markdown] tags=["exercice"] slideshow={"slide_type": "slide"}
# # Exercices — 09 Communication
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : « ✅ Correct ! » ou un indice.
# Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Cours : [09_communication](../09_communication.ipynb) ; solutions :
# [09_communication_solutions](../solutions/09_communication_solutions.ipynb).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os

import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import communication, data, federated, formatting, partition, verifier

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if QUICK:
    N_TRAIN, N_TEST = 6_000, 2_000
    NUM_CLIENTS, CLIENTS_PAR_TOUR, TOURS, OBJECTIF = 10, 5, 8, 0.88
else:
    N_TRAIN, N_TEST = 60_000, 10_000
    NUM_CLIENTS, CLIENTS_PAR_TOUR, TOURS, OBJECTIF = 100, 10, 30, 0.95
MODELE = "mlp"
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
x_train, y_train = x_complet[:N_TRAIN], y_complet[:N_TRAIN]
x_test, y_test = x_test_complet[:N_TEST], y_test_complet[:N_TEST]
parts = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : {'oui' if QUICK else 'non'}"
)


def mo(octets):
    return formatting.number(octets / 1e6, 2) + " Mo"


# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Le FedAvg du notebook (le « 2NN »), pour les exercices 1 et 2.
process = federated.build_process("fedavg", model=MODELE, client_lr=0.1)
jeux_e1 = federated.client_datasets(
    x_train, y_train, parts, epochs=1, batch_size=10, seed=SEED
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — moins de bits
# **★ découverte · 10 min · calcul long (≈ 2 min)**
#
# Combien d'octets monte un client pour le CNN quand sa mise à jour est
# quantifiée sur 2, 4, 8 ou 12 bits ? Utilisez
# `communication.upload_bytes("cnn", compressed=True, bits=...)` et
# comparez aux 32 bits de `brut`. Vérification : le dictionnaire
# `montee`, bits → octets.

# %% tags=["exercice"] slideshow={"slide_type": "-"}
brut = communication.upload_bytes("cnn")  # la montée du CNN en 32 bits (octets)
montee = {2: ..., 4: ..., 8: ..., 12: ...}  # bits → octets de la montée compressée

# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
brut = communication.upload_bytes("cnn")
montee = {
    bits: communication.upload_bytes("cnn", compressed=True, bits=bits)
    for bits in (2, 4, 8, 12)
}
for bits, octets in montee.items():
    facteur = formatting.number(brut / octets, 1)
    print(f"{bits:>2} bits : montée du CNN {mo(octets)} ({facteur} fois moins)")

# %% slideshow={"slide_type": "-"}
verifier.exercice("09-1", montee)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Et l'exactitude ?
#
# Sans vérification (≈ 2 min de calcul) : entraînez le « 2NN » sur
# `jeux_e1`, avec `process` (32 bits) puis avec un processus dont
# l'agrégateur quantifie sur 2 bits
# (`communication.compression_aggregator(bits=2)`), et comparez leurs
# exactitudes finales (`historique.final_accuracy`).

# %% tags=["exercice"] slideshow={"slide_type": "-"}
agregateur = ...  # l'agrégateur qui quantifie les mises à jour sur 2 bits
historiques = {"32 bits": ..., "2 bits": ...}  # federated.train(...) pour chacun

# %% tags=["solution", "nbval-ignore-output"] slideshow={"slide_type": "-"}
import logging

from fltutor import plots

historiques = {}
logging.getLogger().setLevel(logging.ERROR)  # avertissement interne de TFF (2 bits)
for bits in (32, 2):
    agregateur = None if bits == 32 else communication.compression_aggregator(bits=bits)
    proc = (
        process
        if agregateur is None
        else federated.build_process(
            "fedavg", model=MODELE, client_lr=0.1, aggregator=agregateur
        )
    )
    historiques[f"{bits} bits"] = federated.train(
        proc,
        jeux_e1,
        rounds=TOURS,
        clients_per_round=CLIENTS_PAR_TOUR,
        test_data=(x_test, y_test),
        model=MODELE,
        seed=SEED,
        progress=False,
    )
    print(
        f"{bits:>2} bits : exactitude finale {formatting.number(historiques[f'{bits} bits'].final_accuracy, 4)}"
    )
plots.training_curves(historiques, title="Quantifier les mises à jour sur 2 bits")

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# Avec 2 bits, chaque nombre ne peut prendre que 4 valeurs entre le minimum
# et le maximum de son tenseur… et pourtant l'exactitude tient, au bruit
# près d'une exécution à l'autre (comparez les deux courbes et les
# exactitudes affichées). La raison :
# TFF arrondit **au hasard** (arrondi stochastique, `stochastic=True` dans
# l'encodeur) — vers le haut ou vers le bas avec les bonnes probabilités,
# si bien que l'erreur est nulle **en moyenne** et se compense entre
# clients et entre tours. Elle ajoute tout de même du bruit : il se voit
# davantage sur des entraînements longs, près de l'exactitude maximale.
# (Conséquence pratique : deux exécutions compressées ne donnent pas
# exactement les mêmes chiffres.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — le coût de l'objectif
# **★★ application · 15 min · calcul long (≈ 3 min)**
#
# La cellule suivante refait l'expérience E / B du notebook
# (`communication.compare_local_work`). Écrivez
# `cout(tours, clients, epoques, lot, exemples, octets_maj)` → `(octets, pas)` :
# les octets échangés (descente + montée) et le nombre de pas de SGD de
# tous les clients (`lot=None` : B = ∞), puis appliquez-la à chaque
# réglage. Vérification : la fonction.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
CONFIGS = {"FedSGD (E=1, B=∞)": (1, None), "E=1, B=10": (1, 10), "E=5, B=10": (5, 10)}
historiques_eb = communication.compare_local_work(
    process,
    CONFIGS,
    x_train,
    y_train,
    parts,
    rounds=TOURS,
    clients_per_round=CLIENTS_PAR_TOUR,
    seed=SEED,
    test_data=(x_test, y_test),
    target_accuracy=OBJECTIF,
    model=MODELE,
    progress=False,
)
n_local = N_TRAIN // NUM_CLIENTS  # exemples par client
octets_maj = communication.upload_bytes(MODELE)  # une copie du modèle


# %% tags=["exercice"] slideshow={"slide_type": "-"}
def cout(tours, clients, epoques, lot, exemples, octets_maj):
    """(octets descente + montée, pas de SGD de tous les clients) ; lot=None : B = ∞."""
    ...


# Puis, pour chaque réglage (E, B) de CONFIGS, avec h = historiques_eb[nom] :
# cout(len(h), CLIENTS_PAR_TOUR, E, B, n_local, octets_maj)


# %% tags=["solution", "nbval-ignore-output"] slideshow={"slide_type": "-"}
import math


def cout(tours, clients, epoques, lot, exemples, octets_maj):
    """(octets descente + montée, pas de SGD de tous les clients) ; lot=None : B = ∞."""
    pas_par_epoque = math.ceil(exemples / (lot or exemples))
    return tours * clients * 2 * octets_maj, tours * clients * epoques * pas_par_epoque


for nom, (e, b) in CONFIGS.items():
    h = historiques_eb[nom]
    octets, pas = cout(len(h), CLIENTS_PAR_TOUR, e, b, n_local, octets_maj)
    assert octets == h.total_bytes  # le même compte que la mesure de l'historique
    etat = "atteint" if h.rounds_to_target else "NON atteint"
    print(
        f"{nom:<18} objectif {etat} après {len(h)} tours : {mo(octets)}, "
        f"{formatting.integer(pas)} pas de SGD au total"
    )

# %% slideshow={"slide_type": "-"}
verifier.exercice("09-2", cout)

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# E = 5, B = 10 est le plus économe en réseau (le moins de tours) mais fait
# le plus de calcul sur les appareils ; FedSGD fait très peu de calcul mais
# n'atteint pas l'objectif dans le budget de tours. Sur un téléphone, le
# réseau (et la batterie qu'il consomme) coûte en général plus cher que le
# calcul : d'où le choix de FedAvg.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — sur un vrai réseau
# **★★★ approfondissement · 15 min**
#
# Un téléphone en 4G reçoit le modèle à 50 Mbit/s et envoie sa mise à jour
# à 10 Mbit/s. Combien de secondes de réseau par tour (descente + montée)
# pour le CNN, sans puis avec compression (`compressed=True`, 8 bits) ?
# Et pour 100 tours ? Vérification : le dictionnaire `secondes`.

# %% tags=["exercice"] slideshow={"slide_type": "-"}
MONTEE, DESCENTE = 10e6, 50e6  # débits en bits par seconde (4G)
secondes = {"sans": ..., "avec": ...}  # secondes de réseau par tour, CNN

# %% tags=["solution", "nbval-check-output"] slideshow={"slide_type": "-"}
MONTEE, DESCENTE = 10e6, 50e6
descente = communication.upload_bytes("cnn") * 8 / DESCENTE  # 8 bits par octet
secondes = {}
for cle, compresse in (("sans", False), ("avec", True)):
    montee_s = communication.upload_bytes("cnn", compressed=compresse) * 8 / MONTEE
    secondes[cle] = descente + montee_s
    print(
        f"CNN {cle} compression : {formatting.number(descente, 2)} s ↓ + {formatting.number(montee_s, 2)} s ↑ = "
        f"{formatting.number(secondes[cle], 2)} s par tour ; "
        f"{formatting.number(100 * secondes[cle] / 60, 1)} min pour 100 tours"
    )

# %% slideshow={"slide_type": "-"}
verifier.exercice("09-3", secondes)

# %% [markdown] tags=["solution"] slideshow={"slide_type": "fragment"}
# La montée est la plus lente (les liaisons montantes sont plus lentes que
# les descendantes) : c'est elle qu'on compresse en priorité. Sur 100
# tours, la compression fait gagner plusieurs minutes de réseau par
# téléphone — et autant de batterie.
