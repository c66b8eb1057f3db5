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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : la présentation affirme ; ici on mesure chaque affirmation, et
#   certaines mesures surprennent (les communications).
# - Question à la salle : « Le fédéré économise-t-il toujours du réseau par
#   rapport à l'envoi des données ? »
# - Réponse attendue : pas toujours : pour un petit jeu comme MNIST et beaucoup
#   de tours, il en consomme plus ; la mesure le montre plus bas.

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
# **Durée** : 45 minutes. **Prérequis** : [02 — Le flux de travail](02_etapes.ipynb)
# (un tour de FedAvg pas à pas).

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
from fltutor.formatting import integer, number

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
# %config InlineBackend.figure_formats = ["retina"]
plt.rcParams["figure.dpi"] = 60  # figures nettes, à la taille d'une diapositive
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
# MNIST réparti entre 100 smartphones de deux façons (détails : notebook 06) :
#
# - **IID** : chaque téléphone reçoit 600 images tirées au hasard ;
# - **non-IID** (les « tessons » de McMahan et al.) : images triées par
#   chiffre, coupées en 200 tessons de 300 ; 2 tessons par téléphone, donc
#   en général **deux chiffres seulement**.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les deux répartitions

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
(x_train, y_train), (x_test, y_test) = data.load_mnist()
parts_iid = partition.iid(y_train, NUM_CLIENTS, seed=SEED)
parts_non_iid = partition.shards(y_train, NUM_CLIENTS, 2, seed=SEED)
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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 15 min pour les trois avantages)
#
# - À dire : pour chaque avantage, une mesure, puis sa limite ; la
#   confidentialité sera nuancée par le défi 1.
# - Question à la salle : « Un téléphone a 600 images MNIST (785 octets
#   chacune). Qu'est-ce qui pèse le plus : ses images ou une mise à jour du
#   2NN (environ 200 000 paramètres) ? »
# - Réponse attendue : la mise à jour : environ 800 Ko contre 470 Ko de
#   données ; c'est la surprise de l'avantage 2.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Avantage 1 — Confidentialité : les données restent sur l'appareil
#
# Ce que le client 0 **garde**, et ce qu'il **envoie** au serveur à chaque tour :

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
x0, y0 = x_train[parts_iid[0]], y_train[parts_iid[0]]
modele = models.get(MODELE)(seed=SEED)
formes = [tuple(w.shape) for w in modele.get_weights()]
print(f"Gardé sur le téléphone : images {x0.shape} ({x0.dtype}), ", end="")
print(f"étiquettes {y0.shape}")
print("Envoyé au serveur      :", formes)
print("                         + le nombre d'exemples n_k =", len(y0))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les images du client 0

# %% slideshow={"slide_type": "-"}
titre = "Ces images ne quittent jamais le téléphone du client 0"
plots.digits_grid(x_train, y_train, parts_iid, (0,), per_client=10, title=titre)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Le serveur ne reçoit jamais une image : un vrai progrès par rapport à
# l'envoi des photos vers un centre de calcul. Mais ce n'est **pas** une
# garantie de confidentialité : les poids envoyés sont calculés à partir des
# images, et ils en révèlent quelque chose (défi 1, plus bas).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Avantage 2 — Communications : données brutes ou mises à jour ?
#
# Une image MNIST fait 28 × 28 = 784 octets (`uint8`), plus 1 octet
# d'étiquette. Une mise à jour du modèle fait 4 octets par paramètre
# (`float32`), **quel que soit le nombre d'images** du client
# (`federated.bytes_per_round`).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une mise à jour ou les données du client 0

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
octets_client = x0.nbytes + y0.nbytes
octets_par_image = x_train[0].nbytes + y_train[:1].nbytes
print(f"{'':24s}{'octets':>10}{'× données':>11}{'équilibre (images)':>20}")
print(f"{f'{len(y0)} images du client 0':24s}{integer(octets_client):>10}")
for nom in ("mlp", "cnn"):
    une_maj = federated.bytes_per_round(nom, clients_per_round=1)["per_client"]
    rapport, equilibre = une_maj / octets_client, une_maj / octets_par_image
    print(
        f"mise à jour {nom:12s}{integer(une_maj):>10}"
        f"{number(rapport, 1):>11}{number(equilibre, 0):>20}"
    )

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les deux coûts selon la quantité de données

# %% slideshow={"slide_type": "-"}
maj = {m: federated.bytes_per_round(m, 1)["per_client"] for m in ("mlp", "cnn")}
plots.raw_vs_update_bytes(octets_par_image, maj, client_images=len(y0))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que disent les mesures
#
# Pour MNIST, **une seule** mise à jour pèse plus lourd que toutes les images
# du client, et il y en a une par tour. « Équilibre » : le nombre d'images à
# partir duquel envoyer les données coûterait plus qu'une mise à jour.
#
# - la taille d'une mise à jour est **fixe** ; celle des données grandit avec
#   l'usage du téléphone (photos, enregistrements vocaux, frappes au clavier
#   produits chaque jour). L'apprentissage fédéré économise le réseau quand
#   les données sont volumineuses ou renouvelées sans cesse, et que le modèle
#   est petit ;
# - pour un petit jeu comme MNIST et de nombreux tours, il en fait
#   **circuler plus** : calculons le total d'un entraînement.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le total d'un entraînement

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
tours_entrainement = 30  # un entraînement typique du notebook (mode complet)
octets_centralise = x_train.nbytes + y_train.nbytes
print(f"Centraliser MNIST : {number(octets_centralise / 1e6, 1)} Mo, une fois")
for nom in ("mlp", "cnn"):
    par_tour = federated.bytes_per_round(nom, CLIENTS_PAR_TOUR)
    total = tours_entrainement * (par_tour["down"] + par_tour["up"])
    entrainement = f"{tours_entrainement} tours de {CLIENTS_PAR_TOUR} clients"
    print(f"FedAvg « {nom} », {entrainement} : ", end="")
    print(f"{number(total / 1e6, 1)} Mo (dans les deux sens)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le goulot d'étranglement
#
# La communication est donc le **goulot d'étranglement** de l'apprentissage
# fédéré, surtout sur des liaisons mobiles lentes et asymétriques. Deux
# leviers : moins de tours (plus de calcul local par tour, c'est l'idée de
# FedAvg) et des mises à jour plus petites (quantification, parcimonie).
# C'est le sujet du notebook [09 — Communication](09_communication.ipynb).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Latence et charge du serveur
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une prédiction sur l'appareil

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
image = federated.to_dataset(x_test[:1], y_test[:1], batch_size=1)
une_image = next(iter(image))[0]
modele(une_image)  # premier appel : construction du graphe, non chronométré
debut = time.perf_counter()
for _ in range(100):
    prediction = int(np.argmax(modele(une_image, training=False)))
duree_ms = (time.perf_counter() - debut) / 100 * 1e3
print(f"Une prédiction sur l'appareil : {number(duree_ms, 2)} ms")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le travail d'un client et celui du serveur

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
jeu_client = federated.client_datasets(x_train, y_train, parts_iid[:1])[0]
debut = time.perf_counter()
w_local, _ = scratch.local_train(modele, modele.get_weights(), jeu_client, LR)
temps_client = time.perf_counter() - debut
debut = time.perf_counter()
scratch.aggregate([w_local] * CLIENTS_PAR_TOUR, [600] * CLIENTS_PAR_TOUR)
temps_serveur = time.perf_counter() - debut
print(f"Client (1 époque sur 600 images) : {number(temps_client, 2)} s")
print(f"Serveur ({CLIENTS_PAR_TOUR} modèles moyennés) :", end=" ")
print(f"{number(temps_serveur, 3)} s")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Avantage 3 — Diversité : un client seul ou toute la fédération ?
#
# Un téléphone seul a peu de données, et elles ne ressemblent pas forcément
# à celles des autres. Comparons sur les 10 000 images de test :
#
# - un modèle entraîné **sur le seul client 0**, dans le cas IID (600 images
#   variées) et dans le cas non-IID (600 images de deux chiffres) ;
# - le **modèle fédéré** FedAvg, entraîné sur les 100 clients sans
#   qu'aucune image ne quitte son téléphone, lui aussi dans les deux cas.
#
# Le client seul a droit à plusieurs passages (époques) sur ses données.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min avec les entraînements)
#
# - À dire : lancer la cellule des modèles fédérés en avance (c'est la plus
#   longue) et commenter pendant ce temps le client seul.
# - Question à la salle : « Le client 0 non-IID n'a que deux chiffres. Que
#   vaudra son exactitude sur les dix chiffres du test ? »
# - Réponse attendue : environ 20 % au mieux : il ne reconnaît que ses deux
#   chiffres, soit un cinquième des images de test.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le client 0 seul

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
EPOQUES_SEUL = 5 if QUICK else 20
seuls = {}
for nom, parts in [("IID", parts_iid), ("non-IID", parts_non_iid)]:
    x_k, y_k = x_train[parts[0]], y_train[parts[0]]
    res = federated.centralized_fit(x_k, y_k, EPOQUES_SEUL, 10, MODELE, LR)
    seuls[nom] = res["model"]
    _, acc = federated.evaluate(res["model"], x_test, y_test, model=MODELE)
    chiffres = sorted(set(y_k.tolist()))
    print(f"Client 0 seul ({nom}, chiffres {chiffres}) :", number(acc, 4))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les modèles fédérés : mêmes réglages, autre répartition

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
process = federated.build_process("fedavg", model=MODELE, client_lr=LR)
reglages = dict(rounds=TOURS, clients_per_round=CLIENTS_PAR_TOUR, seed=SEED)
reglages |= dict(test_data=(x_test, y_test), model=MODELE, progress=False)
historiques = {}
for nom, parts in [("IID", parts_iid), ("non-IID", parts_non_iid)]:
    jeux = federated.client_datasets(x_train, y_train, parts, seed=SEED)
    historiques[nom] = federated.train(process, jeux, **reglages)
    print(f"{nom:8s}:", historiques[nom])
hist_iid, hist_non_iid = historiques["IID"], historiques["non-IID"]

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Chiffre par chiffre
#
# L'exactitude moyenne cache l'essentiel : **quels chiffres** chaque modèle
# sait reconnaître (`federated.class_accuracy`).

# %% slideshow={"slide_type": "-"}
courbes = {}
for nom in ("non-IID", "IID"):
    w_federe = historiques[nom].final_weights
    courbes[f"client 0 seul ({nom})"] = federated.class_accuracy(
        seuls[nom], x_test, y_test, MODELE
    )
    courbes[f"fédéré ({nom}, {TOURS} tours)"] = federated.class_accuracy(
        w_federe, x_test, y_test, MODELE
    )

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que chaque modèle sait reconnaître

# %% slideshow={"slide_type": "-"}
plots.class_accuracy_bars(courbes)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Combien de chiffres chaque modèle reconnaît

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
SEUIL = 0.5
print(f"{'modèle':27s}{'moyenne par chiffre':>20}{'chiffres > 50 %':>17}")
for nom, v in courbes.items():
    print(f"{nom:27s}{number(v.mean(), 4):>20}{int((v > SEUIL).sum()):14d}/10")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Mieux que le client seul ?

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
for nom in ("non-IID", "IID"):
    seul = courbes[f"client 0 seul ({nom})"].mean()
    federe = courbes[f"fédéré ({nom}, {TOURS} tours)"].mean()
    verdict = "mieux" if federe > seul else "moins bien"
    print(f"→ {nom} : le modèle fédéré fait {verdict} que le client 0 seul.")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### L'avantage de diversité
#
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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 12 min pour les trois défis)
#
# - À dire : chaque défi renvoie à un notebook d'approfondissement (07, 08,
#   09, 11) ; ici on se contente de le mettre en évidence.
# - Question à la salle : « Le serveur ne voit que la mise à jour d'un
#   client. Que peut-il en deviner ? »
# - Réponse attendue : beaucoup : ici, les chiffres que possède le client,
#   rien qu'avec les 10 biais de sortie ; des attaques plus fortes
#   reconstruisent même des images.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Défi 1 — Une mise à jour trahit les données
#
# Le serveur ne voit pas les images, mais il voit la mise à jour de chaque
# client. Faisons le serveur curieux : un client non-IID s'entraîne (étape 3
# du notebook 02) et renvoie ses poids. Le serveur regarde seulement les 10
# **biais de la couche de sortie** (un par chiffre) : ceux qui ont le plus
# augmenté désignent les chiffres que le client possède.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le serveur curieux regarde les biais

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
w_depart = models.get(MODELE)(seed=SEED).get_weights()
jeux_curieux = federated.client_datasets(x_train, y_train, parts_non_iid[:8])
vrais, devines = [], []
for k, jeu in enumerate(jeux_curieux):
    w_k, _ = scratch.local_train(modele, w_depart, jeu, lr=LR)
    variation_biais = w_k[-1] - w_depart[-1]  # ce que le serveur voit
    devines.append(sorted(np.argsort(variation_biais)[-2:].tolist()))
    vrais.append(sorted(set(y_train[parts_non_iid[k]].tolist())))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que devine le serveur (clients 0 à 7)

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
print("Vrais chiffres :", " ".join(map(str, vrais)))
print("Devinés        :", " ".join(map(str, devines)))
justes = sum(d == v for d, v in zip(devines, vrais))
print(f"Devinés exactement : {justes} clients sur {len(vrais)}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que le serveur apprend
#
# Sans voir une seule image, le serveur apprend quels chiffres chaque client
# a écrits. Dans la vraie vie, ce serait « quels mots vous tapez » ou « de
# quelle maladie souffrent les patients de cet hôpital ». Des attaques plus
# fortes reconstruisent même des images à partir des gradients. Et la
# sécurité marche dans les deux sens : un client malveillant peut envoyer
# une mise à jour empoisonnée.
#
# - Contre un serveur trop curieux (confidentialité différentielle,
#   agrégation sécurisée) : notebook [08 — Confidentialité](08_confidentialite.ipynb) ;
# - contre les clients malveillants (médiane, moyenne tronquée, Krum,
#   écrêtage) : notebook [11 — Sécurité](11_securite.ipynb).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Défi 2 — Les données non-IID
#
# Sur de vrais téléphones, chacun a ses habitudes : les données d'un client
# ne ressemblent pas à celles des autres. Comparons les étiquettes des 20
# premiers clients dans les deux répartitions.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les étiquettes des 20 premiers clients

# %% slideshow={"slide_type": "-"}
repartitions = {"IID": parts_iid, "Non-IID (tessons)": parts_non_iid}
fig = plots.new_figure(figsize=(10, 3))  # une figure, deux cartes côte à côte
for ax, (titre, parts) in zip(fig.subplots(1, 2), repartitions.items()):
    comptes = partition.label_counts(y_train, parts[:20], 10)
    plots.label_heatmap(comptes, title=titre, ax=ax)
fig

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : une ligne par client, une colonne par chiffre ; la couleur dit
#   combien d'exemples de ce chiffre le client possède.
# - Question à la salle : « Sur la carte non-IID, combien de cases sont
#   allumées par ligne, et pourquoi ? »
# - Réponse attendue : une ou deux : chaque client reçoit deux tessons d'un
#   seul chiffre chacun (parfois deux fois le même).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Mesurer l'hétérogénéité

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
print("IID :", partition.heterogeneity(y_train, parts_iid))
print("Non-IID :", partition.heterogeneity(y_train, parts_non_iid))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### IID ou non-IID : les courbes d'apprentissage

# %% slideshow={"slide_type": "-"}
series = {"FedAvg, IID": hist_iid, "FedAvg, non-IID (tessons)": hist_non_iid}
titre = "Les deux entraînements de l'avantage 3 : exactitude en test"
plots.training_curves(series, title=titre)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### La dérive des clients
#
# Avec des clients non-IID, chaque téléphone tire le modèle vers **ses**
# chiffres : la moyenne progresse plus lentement et la courbe est plus
# irrégulière, selon les clients tirés au sort à chaque tour. C'est la
# **dérive des clients** (*client drift*).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Défi 3 — De meilleurs algorithmes : mesurer la dérive
#
# Même modèle de départ, 5 clients : leurs mises à jour `w_k − w` vont-elles
# dans la même direction ? (`scratch.mean_cosine` : 1 = oui, 0 = sans rapport.)

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
for nom, parts in [("IID", parts_iid), ("non-IID", parts_non_iid)]:
    jeux = federated.client_datasets(x_train, y_train, parts[:5], seed=SEED)
    locaux = [scratch.local_train(modele, w_depart, j, LR)[0] for j in jeux]
    deltas = [scratch.flat_update(w_k, w_depart) for w_k in locaux]
    cosinus = scratch.mean_cosine(deltas)
    print(f"{nom:8s} : similarité cosinus moyenne des mises à jour", end=" ")
    print(number(cosinus, 3))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### D'où la recherche de meilleurs algorithmes
#
# Des clients IID tirent dans des directions voisines : leur moyenne est une
# bonne direction. Des clients non-IID tirent chacun de leur côté : la
# moyenne les compense mal.
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
#   mises à jour en révèlent beaucoup (ici, les chiffres du client) → 08.
# - **Communications** : une mise à jour a la taille fixe du modèle. Le
#   fédéré économise le réseau quand les données sont volumineuses ou
#   renouvelées et le modèle petit ; sinon il en consomme plus → 09.
# - **Latence et charge** : le modèle est déjà sur l'appareil et peut s'y
#   adapter sans envoyer de données ; le serveur ne fait qu'une moyenne.
# - **Diversité** : même quand chacun n'a que deux chiffres, le modèle
#   fédéré en reconnaît bien plus qu'un client seul — moins bien qu'en IID.
# - **Non-IID et algorithmes** : des clients différents tirent le modèle
#   dans des directions différentes (dérive) ; FedAvg ralentit → 07.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : chaque point renvoie à son notebook ; la communication et la
#   confidentialité sont les deux surprises du jour.
# - Question à la salle : « Citez une situation où le fédéré économise
#   vraiment du réseau. »
# - Réponse attendue : des données volumineuses ou renouvelées sans cesse
#   (photos, voix, frappes quotidiennes) avec un petit modèle.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# Dans le cahier [exercices/03_avantages_defis_exercices.ipynb](exercices/03_avantages_defis_exercices.ipynb),
# chaque réponse est vérifiée aussitôt (« ✅ Correct ! » ou un indice).
#
# 1. **Le seuil de rentabilité** (★ découverte · 10 min) : combien de
#    photos de 3 Mo coûtent plus qu'une mise à jour du CNN, qu'un entraînement ?
# 2. **Diversité et Dirichlet** (★★ application · 20 min · calcul long (≈ 4 min)) :
#    α = 0,1 ou 10, quand la fédération apporte-t-elle le plus au client 0 ?
# 3. **Le serveur curieux, plus tard**
#    (★★★ approfondissement · 15 min · calcul long (≈ 2 min)) :
#    deviner les chiffres en partant du modèle entraîné.
#
# Solutions : [solutions/03_avantages_defis_solutions.ipynb](solutions/03_avantages_defis_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 15 min d'exercices)
#
# - À dire : l'exercice 1 se fait sur papier avant de coder ; le 2 fait le
#   lien avec le notebook 07 ; chaque cellule de vérification dit tout de
#   suite si la réponse est juste.
# - Question à la salle : « Une mise à jour du CNN fait environ 6,6 Mo.
#   Combien de photos de 3 Mo pour l'égaler ? »
# - Réponse attendue : environ 2 à 3 photos : au-delà, envoyer les photos
#   coûte plus qu'une mise à jour.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Dans chaque onglet, choisissez votre réponse, puis cliquez sur « Vérifier ».

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("03")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : le quiz se fait seul ou à deux ; chaque réponse est corrigée
#   avec son explication. Reprendre ensemble la question la plus ratée.
# - Question à la salle : « Pour MNIST, l'apprentissage fédéré fait-il
#   économiser du réseau ? »
# - Réponse attendue : non : une mise à jour du CNN pèse bien plus que les
#   600 images d'un client, et il y en a une par tour ; le fédéré n'économise
#   le réseau que pour des données volumineuses ou renouvelées.
