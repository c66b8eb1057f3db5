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
# # Solutions — 09 Communication
#
# Solutions des exercices « À vous de jouer » du notebook
# [09_communication](../09_communication.ipynb). Essayez d'abord seul !

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import logging
import os

import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import communication, data, federated, partition, plots

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
    return f"{octets / 1e6:,.2f} Mo".replace(",", " ").replace(".", ",")


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — le coût de l'objectif
#
# On refait l'expérience E / B du notebook (même processus, mêmes clients),
# puis on compte octets et pas de SGD jusqu'à l'objectif.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
process = federated.build_process("fedavg", model=MODELE, client_lr=0.1)
CONFIGS = {"FedSGD (E=1, B=∞)": (1, None), "E=1, B=10": (1, 10), "E=5, B=10": (5, 10)}
n_local = N_TRAIN // NUM_CLIENTS
par_client = communication.upload_bytes(MODELE)
for nom, (e, b) in CONFIGS.items():
    jeux = federated.client_datasets(
        x_train, y_train, parts, epochs=e, batch_size=b, seed=SEED
    )
    h = federated.train(
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
    tours = len(h)
    octets = tours * CLIENTS_PAR_TOUR * 2 * par_client
    assert octets == h.total_bytes
    pas = tours * CLIENTS_PAR_TOUR * e * -(-n_local // (b or n_local))
    etat = "atteint" if h.rounds_to_target else "NON atteint"
    print(
        f"{nom:<18} objectif {etat} après {tours} tours : {mo(octets)}, "
        f"{pas} pas de SGD au total"
    )

# %% [markdown] slideshow={"slide_type": "fragment"}
# E = 5, B = 10 est le plus économe en réseau (le moins de tours) mais fait
# le plus de calcul sur les appareils ; FedSGD fait très peu de calcul mais
# n'atteint pas l'objectif dans le budget de tours. Sur un téléphone, le
# réseau (et la batterie qu'il consomme) coûte en général plus cher que le
# calcul : d'où le choix de FedAvg.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — moins de bits

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
brut = communication.upload_bytes("cnn")
for bits in (2, 4, 8, 12):
    octets = communication.upload_bytes("cnn", compressed=True, bits=bits)
    facteur = f"{brut / octets:.1f}".replace(".", ",")
    print(f"{bits:>2} bits : montée du CNN {mo(octets)} ({facteur} fois moins)")

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
jeux_e1 = federated.client_datasets(
    x_train, y_train, parts, epochs=1, batch_size=10, seed=SEED
)
historiques = {}
logging.getLogger().setLevel(logging.ERROR)  # avertissement interne de TFF (2 bits)
for bits in (32, 2):
    agg = None if bits == 32 else communication.compression_aggregator(bits=bits)
    proc = (
        process
        if agg is None
        else federated.build_process(
            "fedavg", model=MODELE, client_lr=0.1, aggregator=agg
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
        f"{bits:>2} bits : exactitude finale {historiques[f'{bits} bits'].final_accuracy:.4f}"
    )
plots.training_curves(historiques, title="Quantifier les mises à jour sur 2 bits")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Avec 2 bits, chaque nombre ne peut prendre que 4 valeurs entre le minimum
# et le maximum de son tenseur… et pourtant l'exactitude tient presque
# (comparez les deux courbes et les exactitudes affichées). La raison :
# TFF arrondit **au hasard** (arrondi stochastique, `stochastic=True` dans
# l'encodeur) — vers le haut ou vers le bas avec les bonnes probabilités,
# si bien que l'erreur est nulle **en moyenne** et se compense entre
# clients et entre tours. Elle ajoute tout de même du bruit : il se voit
# davantage sur des entraînements longs, près de l'exactitude maximale.
# (Conséquence pratique : deux exécutions compressées ne donnent pas
# exactement les mêmes chiffres.)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — sur un vrai réseau

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
MONTEE, DESCENTE = 10e6, 50e6  # bits par seconde (4G)
descente = communication.upload_bytes("cnn") * 8 / DESCENTE
for compresse in (False, True):
    montee = communication.upload_bytes("cnn", compressed=compresse) * 8 / MONTEE
    nom = "compressé" if compresse else "32 bits  "
    print(
        f"CNN {nom} : {descente:.2f} s ↓ + {montee:.2f} s ↑ = {descente + montee:.2f} s "
        f"par tour ; {100 * (descente + montee) / 60:.1f} min pour 100 tours".replace(
            ".", ","
        )
    )

# %% [markdown] slideshow={"slide_type": "fragment"}
# La montée est la plus lente (les liaisons montantes sont plus lentes que
# les descendantes) : c'est elle qu'on compresse en priorité. Sur 100
# tours, la compression fait gagner plusieurs minutes de réseau par
# téléphone — et autant de batterie.
