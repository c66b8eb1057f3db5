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
# # 03 — Avantages et défis du federated learning
#
# La présentation annonce trois **avantages** (confidentialité, réduction des
# communications et de la latence, diversité des données) et trois **défis**
# (confidentialité et sécurité, données non-IID, meilleurs algorithmes). Ici,
# chacun est **mesuré** sur MNIST : octets échangés, exactitude d'un modèle
# appris sur un seul téléphone ou par toute la fédération, courbes
# d'apprentissage avec des données IID ou non-IID, et ce qu'une simple mise à
# jour trahit sur les données d'un client.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - expliquer ce que le federated learning protège, et ce qu'il ne protège pas ;
# - comparer les octets des données brutes et ceux des mises à jour du modèle,
#   et dire quand l'apprentissage fédéré économise vraiment du réseau ;
# - mesurer le gain de **diversité** : un modèle appris sur un seul client
#   face au modèle fédéré ;
# - reconnaître les effets des données **non-IID** sur l'entraînement ;
# - savoir dans quel notebook chaque défi est approfondi (07, 08, 09).
#
# **Durée** : 45 minutes.
#
# **Prérequis** : [02 — Le flux de travail](02_etapes.ipynb) (un tour de
# FedAvg pas à pas).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os
import time

import matplotlib.pyplot as plt
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

# Le « 2NN » de McMahan et al. : rapide, pour que les entraînements tiennent
# dans la séance. Le notebook 06 utilise le CNN.
MODELE = "mlp"
NUM_CLIENTS = 100
CLIENTS_PAR_TOUR = 10
TOURS = 5 if QUICK else 30
LR = 0.1
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; "
    f"mode rapide : {'oui' if QUICK else 'non'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les données et les clients
#
# MNIST réparti entre 100 smartphones de deux façons (voir le notebook 06
# pour les détails) :
#
# - **IID** : chaque téléphone reçoit 600 images tirées au hasard ; tous
#   ressemblent à l'ensemble ;
# - **non-IID** (les « tessons » de McMahan et al.) : les images sont triées
#   par chiffre, coupées en 200 tessons de 300, et chaque téléphone reçoit 2
#   tessons, donc en général **deux chiffres seulement**.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()
parts_iid = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
parts_non_iid = partition.shards(y_train, NUM_CLIENTS, shards_per_client=2, seed=SEED)
for nom, parts in [("IID", parts_iid), ("non-IID", parts_non_iid)]:
    chiffres = [sorted(set(y_train[parts[k]].tolist())) for k in range(3)]
    print(f"{nom:8s} : chiffres des clients 0, 1, 2 → {chiffres}")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les avantages
#
# La diapositive « Les avantages du Federated Learning » en cite trois :
#
# 1. **Confidentialité** : une meilleure protection de la vie privée, en
#    conservant les données sur les appareils ;
# 2. **Réduction des communications** réseau et des charges de calcul du
#    serveur, **latences** minimales ;
# 3. **Diversité** : une meilleure généralisation du modèle, grâce à la
#    diversité des sources de données locales.
#
# Mesurons chacun.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Avantage 1 — Confidentialité : les données restent sur l'appareil
#
# Comparons ce que le client 0 **garde** et ce qu'il **envoie** au serveur
# pendant un tour : d'un côté ses images et ses étiquettes, de l'autre des
# tableaux de poids du modèle (voir le notebook 02).

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
x0, y0 = x_train[parts_iid[0]], y_train[parts_iid[0]]
modele = models.get(MODELE)(seed=SEED)
print(f"Gardé sur le téléphone : images {x0.shape} ({x0.dtype}), étiquettes {y0.shape}")
print("Envoyé au serveur      :", [tuple(w.shape) for w in modele.get_weights()])
print("                         + le nombre d'exemples n_k =", len(y0))

# %% slideshow={"slide_type": "-"}
plots.digits_grid(
    x_train,
    y_train,
    parts_iid,
    clients=(0,),
    per_client=10,
    title="Ces images ne quittent jamais le téléphone du client 0",
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le serveur ne reçoit jamais une image. C'est un vrai progrès par rapport à
# l'envoi des photos vers un centre de calcul. Mais ce n'est **pas** une
# garantie de confidentialité : les poids envoyés sont calculés à partir des
# images, et ils en révèlent quelque chose. Nous le mesurerons dans les
# défis, plus bas.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Avantage 2 — Communications : données brutes ou mises à jour ?
#
# Combien d'octets circulent ? Une image MNIST fait 28 × 28 = 784 octets
# (`uint8`), plus 1 octet d'étiquette. Une mise à jour du modèle fait 4
# octets par paramètre (`float32`), **quel que soit le nombre d'images** du
# client (`federated.bytes_per_round`).

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
octets_client = x0.nbytes + y0.nbytes
octets_par_image = x_train[0].nbytes + y_train[:1].nbytes
print(f"Données brutes du client 0 : {len(y0)} images → {octets_client} octets")
for nom in ("mlp", "cnn"):
    une_maj = federated.bytes_per_round(nom, clients_per_round=1)["per_client"]
    print(
        f"Modèle « {nom} » : {une_maj} octets par mise à jour "
        f"= {une_maj / octets_client:.1f} fois les données du client ; "
        f"équilibre à {une_maj / octets_par_image:.0f} images"
    )

# %% [markdown] slideshow={"slide_type": "fragment"}
# Surprise : pour MNIST, **une seule** mise à jour pèse plus lourd que toutes
# les images du client, et il y en a une par tour (plus la diffusion du
# modèle dans l'autre sens). Le chiffre « équilibre » est le nombre d'images
# à partir duquel envoyer les données coûterait plus que d'envoyer une mise
# à jour. Traçons les deux coûts en fonction de la quantité de données du
# client.

# %% slideshow={"slide_type": "subslide"}
images_par_client = np.logspace(1, 6, 60)
fig, ax = plt.subplots(figsize=(8, 4.5))
plt.close(fig)
ax.plot(
    images_par_client,
    images_par_client * octets_par_image,
    label="envoyer les données brutes (une fois)",
    color="#d62728",
)
for nom, couleur in [("mlp", "#1f77b4"), ("cnn", "#2ca02c")]:
    une_maj = federated.bytes_per_round(nom, 1)["per_client"]
    ax.axhline(
        une_maj, color=couleur, linestyle="--", label=f"une mise à jour « {nom} »"
    )
ax.axvline(
    len(y0), color="gray", linestyle=":", label=f"un client MNIST ({len(y0)} images)"
)
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("Nombre d'images MNIST sur le téléphone")
ax.set_ylabel("Octets envoyés par le téléphone")
ax.set_title("Données brutes ou mise à jour du modèle : qui pèse le plus ?")
ax.grid(alpha=0.3, which="both")
ax.legend(fontsize=9)
fig

# %% [markdown] slideshow={"slide_type": "fragment"}
# Ce que disent les mesures :
#
# - la taille d'une mise à jour est **fixe** ; celle des données grandit avec
#   l'usage du téléphone (photos, enregistrements vocaux, frappes au clavier
#   produits chaque jour). L'apprentissage fédéré économise le réseau quand
#   les données sont volumineuses ou renouvelées sans cesse, et que le modèle
#   est petit ;
# - pour un petit jeu comme MNIST et de nombreux tours, il en fait
#   **circuler plus** : calculons le total d'un entraînement.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
tours_entrainement = 30  # un entraînement typique du notebook (mode complet)
octets_centralise = x_train.nbytes + y_train.nbytes
print(f"Centraliser MNIST : {octets_centralise / 1e6:.1f} Mo envoyés une fois")
for nom in ("mlp", "cnn"):
    par_tour = federated.bytes_per_round(nom, CLIENTS_PAR_TOUR)
    total = tours_entrainement * (par_tour["down"] + par_tour["up"])
    print(
        f"FedAvg « {nom} », {tours_entrainement} tours de {CLIENTS_PAR_TOUR} clients : "
        f"{total / 1e6:.1f} Mo (dans les deux sens)"
    )

# %% [markdown] slideshow={"slide_type": "fragment"}
# La communication est donc le **goulot d'étranglement** de l'apprentissage
# fédéré, surtout sur des liaisons mobiles lentes et asymétriques. Deux
# leviers : moins de tours (plus de calcul local par tour, c'est l'idée de
# FedAvg) et des mises à jour plus petites (quantification, parcimonie).
# C'est le sujet du notebook [09 — Communication](09_communication.ipynb).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Latence et charge du serveur
#
# Deux autres gains de la diapositive :
#
# - **latence** : prédire sur le téléphone, sans aller-retour sur le réseau,
#   n'est pas propre à l'apprentissage fédéré : un modèle entraîné de façon
#   centralisée peut aussi être installé sur l'appareil. Ce que le fédéré
#   change : le modèle est **déjà** sur l'appareil pendant l'entraînement,
#   et il peut s'y adapter à son utilisateur (personnalisation) sans que ses
#   données partent ;
# - **charge de calcul** : l'entraînement se fait sur les appareils ; le
#   serveur ne fait qu'une moyenne.
#
# Mesurons les deux temps sur cette machine (ils varient d'une machine à
# l'autre).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
image = federated.to_dataset(x_test[:1], y_test[:1], batch_size=1)
une_image = next(iter(image))[0]
modele(une_image)  # premier appel : construction du graphe, non chronométré
debut = time.perf_counter()
for _ in range(100):
    prediction = int(np.argmax(modele(une_image, training=False)))
print(
    f"Une prédiction sur l'appareil : {(time.perf_counter() - debut) / 100 * 1e3:.2f} ms"
)

jeu_client = federated.client_datasets(x_train, y_train, parts_iid[:1], seed=SEED)[0]
w0 = modele.get_weights()
debut = time.perf_counter()
w_local, _ = scratch.local_train(modele, w0, jeu_client, lr=LR)
temps_client = time.perf_counter() - debut
debut = time.perf_counter()
scratch.aggregate([w_local] * CLIENTS_PAR_TOUR, [600] * CLIENTS_PAR_TOUR)
temps_serveur = time.perf_counter() - debut
print(f"Travail d'un client (1 époque sur 600 images) : {temps_client:.2f} s")
print(
    f"Travail du serveur (moyenne de {CLIENTS_PAR_TOUR} modèles) : {temps_serveur:.3f} s"
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Avantage 3 — Diversité : un client seul ou toute la fédération ?
#
# Un téléphone seul a peu de données, et elles ne ressemblent pas forcément
# à celles des autres. Comparons sur les 10 000 images de test :
#
# - un modèle entraîné **sur le seul client 0**, dans le cas IID (600 images
#   variées) et dans le cas non-IID (600 images de deux chiffres) ;
# - le **modèle fédéré** FedAvg, entraîné sur les 100 clients sans
#   qu'aucune image ne quitte son téléphone, lui aussi dans les deux cas :
#   clients IID, et clients non-IID qui n'ont chacun que deux chiffres.
#
# Le client seul a droit à plusieurs passages (époques) sur ses données.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
EPOQUES_SEUL = 5 if QUICK else 20
seuls = {}
for nom, parts in [("IID", parts_iid), ("non-IID", parts_non_iid)]:
    idx = parts[0]
    res = federated.centralized_fit(
        x_train[idx],
        y_train[idx],
        epochs=EPOQUES_SEUL,
        batch_size=10,
        model=MODELE,
        lr=LR,
        seed=SEED,
    )
    seuls[nom] = res["model"]
    _, acc = federated.evaluate(res["model"], x_test, y_test, model=MODELE)
    print(
        f"Client 0 seul ({nom}, chiffres {sorted(set(y_train[idx].tolist()))}) : "
        f"exactitude en test {acc:.4f}"
    )

# %% [markdown] slideshow={"slide_type": "fragment"}
# Maintenant les modèles fédérés : `federated.build_process("fedavg")`, puis
# `federated.train`, qui tire au sort 10 clients par tour et évalue le modèle
# global sur le jeu de test après chaque tour. Même algorithme, mêmes
# réglages, même nombre de tours ; seule la répartition des données change.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
process = federated.build_process("fedavg", model=MODELE, client_lr=LR)
jeux_iid = federated.client_datasets(
    x_train, y_train, parts_iid, epochs=1, batch_size=10, seed=SEED
)
jeux_non_iid = federated.client_datasets(
    x_train, y_train, parts_non_iid, epochs=1, batch_size=10, seed=SEED
)
historiques = {}
for nom, jeux in [("IID", jeux_iid), ("non-IID", jeux_non_iid)]:
    historiques[nom] = federated.train(
        process,
        jeux,
        rounds=TOURS,
        clients_per_round=CLIENTS_PAR_TOUR,
        test_data=(x_test, y_test),
        seed=SEED,
        model=MODELE,
        progress=False,
    )
    print(f"{nom:8s}:", historiques[nom])
hist_iid, hist_non_iid = historiques["IID"], historiques["non-IID"]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Chiffre par chiffre
#
# L'exactitude moyenne cache l'essentiel : **quels chiffres** chaque modèle
# sait reconnaître.

# %% slideshow={"slide_type": "-"}
federes = {}
for nom, hist in [("IID", hist_iid), ("non-IID", hist_non_iid)]:
    federes[nom] = models.get(MODELE)()
    federes[nom].set_weights(hist.final_weights)


def exactitude_par_chiffre(m):
    """Part des images de test de chaque chiffre que le modèle `m` reconnaît."""
    predits = np.concatenate(
        [
            np.argmax(m(images, training=False), axis=1)
            for images, _ in federated.to_dataset(x_test, y_test, batch_size=1000)
        ]
    )
    return np.array([np.mean(predits[y_test == c] == c) for c in range(10)])


courbes = {}
for nom in ("non-IID", "IID"):
    courbes[f"client 0 seul ({nom})"] = exactitude_par_chiffre(seuls[nom])
    courbes[f"fédéré ({nom}, {TOURS} tours)"] = exactitude_par_chiffre(federes[nom])
fig, ax = plt.subplots(figsize=(10, 4))
plt.close(fig)
largeur = 0.2
for i, (nom, valeurs) in enumerate(courbes.items()):
    ax.bar(np.arange(10) + (i - 1.5) * largeur, valeurs, width=largeur, label=nom)
ax.set_xticks(range(10))
ax.set_xlabel("Chiffre")
ax.set_ylabel("Exactitude sur les images de test de ce chiffre")
ax.yaxis.set_major_formatter(plt.matplotlib.ticker.PercentFormatter(1.0))
ax.set_title("Ce que chaque modèle sait reconnaître")
ax.set_ylim(0, 1.25)
ax.legend(loc="upper center", ncol=2, fontsize=9)
fig

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "fragment"}
SEUIL = 0.5
for nom, v in courbes.items():
    print(
        f"{nom:28s} : exactitude moyenne par chiffre {v.mean():.4f} ; "
        f"chiffres reconnus à plus de {100 * SEUIL:.0f} % : {int((v > SEUIL).sum())} sur 10"
    )
for nom in ("non-IID", "IID"):
    seul = courbes[f"client 0 seul ({nom})"].mean()
    federe = courbes[f"fédéré ({nom}, {TOURS} tours)"].mean()
    verdict = "mieux" if federe > seul else "moins bien"
    print(f"→ {nom} : le modèle fédéré fait {verdict} que le client 0 seul.")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le client non-IID seul ne connaît que ses deux chiffres : pour les autres,
# il se trompe presque toujours. Le modèle fédéré sur ces mêmes clients
# non-IID reconnaît la plupart des chiffres, alors qu'aucun téléphone n'en
# a plus de deux : c'est l'avantage de **diversité**, obtenu sans
# centraliser une seule image. Il reste pourtant en dessous du modèle
# fédéré IID : des clients trop différents tirent le modèle chacun de son
# côté, c'est le défi 2 plus bas. Le client IID seul, lui, connaît tous les
# chiffres, mais n'a vu que 600 exemples.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les défis
#
# La diapositive « Défis et orientations futures » en cite trois :
#
# 1. **assurer la confidentialité et la sécurité** des données ;
# 2. gérer les données **non indépendantes et non identiquement
#    distribuées** (non-IID) ;
# 3. développer de **meilleurs algorithmes** et techniques d'optimisation.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Défi 1 — Une mise à jour trahit les données
#
# Le serveur ne voit pas les images, mais il voit la mise à jour de chaque
# client. Faisons le serveur curieux : un client non-IID s'entraîne (étape 3
# du notebook 02) et renvoie ses poids. Le serveur regarde seulement les 10
# **biais de la couche de sortie** (un par chiffre) : ceux qui ont le plus
# augmenté désignent les chiffres que le client possède.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
w_depart = models.get(MODELE)(seed=SEED).get_weights()
jeux_curieux = federated.client_datasets(x_train, y_train, parts_non_iid[:8], seed=SEED)
devines_justes = 0
for k, jeu in enumerate(jeux_curieux):
    w_k, _ = scratch.local_train(modele, w_depart, jeu, lr=LR)
    variation_biais = w_k[-1] - w_depart[-1]  # ce que le serveur voit
    devines = sorted(np.argsort(variation_biais)[-2:].tolist())
    vrais = sorted(set(y_train[parts_non_iid[k]].tolist()))
    devines_justes += devines == vrais
    print(
        f"client {k} : vrais chiffres {vrais} ; devinés d'après la mise à jour {devines}"
    )
print(f"Devinés exactement : {devines_justes} clients sur {len(jeux_curieux)}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Sans voir une seule image, le serveur apprend quels chiffres chaque client
# a écrits. Dans la vraie vie, ce serait « quels mots vous tapez » ou « de
# quelle maladie souffrent les patients de cet hôpital ». Des attaques plus
# fortes reconstruisent même des images à partir des gradients. Et la
# sécurité marche dans les deux sens : un client malveillant peut envoyer
# une mise à jour empoisonnée. Les parades contre un serveur trop curieux
# (confidentialité différentielle, agrégation sécurisée) sont le sujet du
# notebook [08 — Confidentialité](08_confidentialite.ipynb) ; celles contre
# les clients malveillants (agrégation robuste : médiane, moyenne tronquée,
# Krum, écrêtage), du notebook [11 — Sécurité](11_securite.ipynb).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Défi 2 — Les données non-IID
#
# Sur de vrais téléphones, chacun a ses habitudes : les données d'un client
# ne ressemblent pas à celles des autres. Comparons les étiquettes des 20
# premiers clients dans les deux répartitions.

# %% slideshow={"slide_type": "-"}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 5), layout="constrained")
plt.close(fig)
plots.label_heatmap(
    partition.label_counts(y_train, parts_iid[:20], num_classes=10), title="IID", ax=ax1
)
plots.label_heatmap(
    partition.label_counts(y_train, parts_non_iid[:20], num_classes=10),
    title="Non-IID (tessons)",
    ax=ax2,
)
fig

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
print("IID :", partition.heterogeneity(y_train, parts_iid))
print("Non-IID :", partition.heterogeneity(y_train, parts_non_iid))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### IID ou non-IID : les courbes d'apprentissage
#
# Les deux entraînements FedAvg de l'avantage 3, tour par tour : même
# algorithme, mêmes réglages, même nombre de tours ; seule la répartition
# des données change.

# %% slideshow={"slide_type": "-"}
plots.training_curves(
    {"FedAvg, IID": hist_iid, "FedAvg, non-IID (tessons)": hist_non_iid},
    title="Exactitude en test du modèle global : IID ou non-IID",
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Avec des clients non-IID, chaque téléphone tire le modèle vers **ses**
# chiffres : la moyenne progresse plus lentement et la courbe est plus
# irrégulière, selon les clients tirés au sort à chaque tour. C'est la
# **dérive des clients** (*client drift*).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Défi 3 — De meilleurs algorithmes : mesurer la dérive
#
# Pourquoi FedAvg souffre-t-il ? Partons du même modèle et entraînons
# localement 5 clients ; mesurons si leurs mises à jour `w_k − w` vont dans
# la même direction (similarité cosinus : 1 = même direction, 0 =
# directions sans rapport).


# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
def mises_a_jour(parts, clients):
    jeux = federated.client_datasets(
        x_train, y_train, [parts[k] for k in clients], seed=SEED
    )
    deltas = []
    for jeu in jeux:
        w_k, _ = scratch.local_train(modele, w_depart, jeu, lr=LR)
        deltas.append(np.concatenate([(a - b).ravel() for a, b in zip(w_k, w_depart)]))
    return deltas


def cosinus_moyen(deltas):
    unitaires = [d / np.linalg.norm(d) for d in deltas]
    paires = [
        float(unitaires[i] @ unitaires[j])
        for i in range(len(deltas))
        for j in range(i + 1, len(deltas))
    ]
    return np.mean(paires)


clients = range(5)
for nom, parts in [("IID", parts_iid), ("non-IID", parts_non_iid)]:
    print(
        f"{nom:8s} : similarité cosinus moyenne des mises à jour = {cosinus_moyen(mises_a_jour(parts, clients)):.3f}"
    )

# %% [markdown] slideshow={"slide_type": "fragment"}
# Des clients IID tirent dans des directions voisines : leur moyenne est une
# bonne direction. Des clients non-IID tirent chacun de leur côté : la
# moyenne les compense mal. D'où la recherche de **meilleurs algorithmes** :
#
# - **FedProx** retient chaque client près du modèle global ;
# - **FedAdam** et les autres optimiseurs côté serveur lissent les mises à
#   jour successives ;
# - moins de tours et des messages plus petits réduisent le coût du réseau.
#
# Le notebook [07 — Non-IID et algorithmes](07_non_iid_algorithmes.ipynb)
# les compare sur ces mêmes répartitions ; le notebook
# [09 — Communication](09_communication.ipynb) s'attaque au coût du réseau.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - **Confidentialité** : les images ne quittent pas l'appareil… mais les
#   mises à jour en révèlent beaucoup (ici, les chiffres du client). Il faut
#   des protections en plus → notebook 08.
# - **Communications** : une mise à jour a une taille fixe, celle du modèle.
#   L'apprentissage fédéré économise le réseau quand les données sont
#   volumineuses ou renouvelées et le modèle petit ; sur un petit jeu et
#   beaucoup de tours, il en consomme plus → notebook 09.
# - **Latence et charge** : prédire sur l'appareil n'est pas propre au
#   fédéré ; ce qu'il apporte, c'est un modèle déjà sur l'appareil, qui peut
#   s'adapter à son utilisateur sans envoyer ses données ; le serveur ne
#   fait qu'une moyenne.
# - **Diversité** : le modèle fédéré apprend de tous les clients ; même
#   quand chacun n'a que deux chiffres (non-IID), il reconnaît bien plus de
#   chiffres qu'un client seul, sans centraliser une image — mais moins bien
#   que la fédération IID.
# - **Non-IID et algorithmes** : des clients différents tirent le modèle
#   dans des directions différentes (dérive) ; FedAvg ralentit → notebook 07.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Le seuil de rentabilité.** Un téléphone prend des photos de 3 Mo.
#    Combien de photos faut-il pour que l'envoi des photos coûte plus cher
#    qu'une mise à jour du CNN ? Qu'un entraînement de 100 tours où ce
#    téléphone est tiré au sort un tour sur dix ?
# 2. **Diversité et Dirichlet.** Répartissez les données avec
#    `partition.dirichlet(y_train, 100, alpha)` pour `alpha = 0.1` puis
#    `alpha = 10`. Pour chaque valeur, comparez l'exactitude en test d'un modèle
#    entraîné sur le seul client 0 à celle du modèle fédéré.
# 3. **Le serveur curieux, plus tard.** Refaites l'attaque du défi 1 en
#    partant du modèle fédéré entraîné (`hist_iid.final_weights`) plutôt que
#    du modèle initial. Le serveur devine-t-il encore les chiffres des
#    clients ?
#
# Solutions : [solutions/03_avantages_defis_solutions.ipynb](solutions/03_avantages_defis_solutions.ipynb).
