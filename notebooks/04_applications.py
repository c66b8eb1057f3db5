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
# # 04 — Les applications du federated learning
#
# Santé, maison connectée, automobile : les trois exemples de la
# présentation. Pour chacun : quelles données, pourquoi on ne peut pas les
# centraliser, qui sont les clients. Puis un vrai mini-laboratoire : quatre
# hôpitaux entraînent ensemble un modèle de diagnostic du cancer du sein,
# sans échanger un seul dossier de patient.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - décrire, pour la santé, la maison connectée et l'automobile, les données,
#   les clients et les raisons qui empêchent de centraliser ;
# - entraîner avec TFF un modèle Keras **quelconque** (ici une régression
#   logistique) sur des clients simulés ;
# - comparer honnêtement chaque hôpital seul, les hôpitaux fédérés et toutes
#   les données centralisées ;
# - reconnaître qu'un prétraitement (la standardisation) est lui aussi un
#   calcul fédéré.
#
# **Durée** : 40 minutes. **Prérequis** : [01 — Définition](01_definition.ipynb) ;
# exactitude et sensibilité d'un classifieur. Les calculs fédérés de TFF sont
# détaillés dans [05 — Bibliothèques](05_bibliotheques.ipynb) : ici, on les utilise.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : le notebook a deux temps, trois études de cas (10 min) puis un
#   mini-labo complet (25 min) ; le labo tourne en une minute environ.
# - Question à la salle : « Citez une donnée que vous n'accepteriez pas
#   d'envoyer à un serveur central. »
# - Réponse attendue : dossier médical, voix enregistrée chez soi,
#   position GPS, frappes au clavier — ce sont exactement nos trois cas.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os
import time

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import partition, plots, runtime
from fltutor.formatting import number, percent

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if not (tf.__version__.startswith("2.14.") and tff.__version__.startswith("0.87.")):
    print("Attention : ce cours est prévu pour TensorFlow 2.14 et TFF 0.87.")
runtime.install()  # moteur TFF du cours : confiné à la machine, arrêté avec le noyau
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : {'oui' if QUICK else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Santé : diagnostiquer sans partager les dossiers
#
# *Diapositive : « Entraînement d'un modèle de diagnostic médical sur les
# données de patients provenant de différents hôpitaux ».*
#
# - **Les données** : imagerie (radiographies, IRM, lames), analyses,
#   dossiers médicaux.
# - **Pourquoi ne pas centraliser** : secret médical et RGPD (données
#   « sensibles ») ; transferts soumis à des autorisations longues, parfois
#   impossibles entre pays ; volumes énormes (imagerie).
# - **Les clients** : quelques hôpitaux ou laboratoires (2 à quelques
#   dizaines), fiables et bien équipés : le **cross-silo**, peu de clients,
#   tous présents à chaque tour.
# - **Exemples réels** : segmentation de tumeurs cérébrales (initiative FeTS,
#   2022), besoins en oxygène des patients COVID (étude EXAM, 2021).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min pour les trois cas et le tableau)
#
# - À dire : pour chaque cas, toujours les trois mêmes questions (données,
#   obstacle, clients) ; insister sur cross-silo contre cross-device.
# - Question à la salle : « Pourquoi, dans le cas des hôpitaux, tous les
#   clients peuvent-ils participer à chaque tour, et pas les téléphones ? »
# - Réponse attendue : quelques serveurs fiables, toujours allumés, contre
#   des millions d'appareils souvent éteints ou hors Wi-Fi ; le serveur n'en
#   tire qu'une petite fraction par tour.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Maison connectée : la voix reste à la maison
#
# *Diapositive : « Entraînement d'un modèle de reconnaissance vocale sur des
# données audio collectées à partir de différents appareils ».*
#
# - **Les données** : enregistrements audio (mot d'activation, commandes),
#   usages des objets connectés (thermostat, éclairage).
# - **Pourquoi ne pas centraliser** : la voix identifie la personne et est
#   captée au cœur du foyer ; tout envoyer coûte de la bande passante et la
#   confiance des utilisateurs.
# - **Les clients** : des millions d'enceintes et de téléphones, peu
#   puissants, souvent hors ligne : le **cross-device**, où le serveur ne tire
#   à chaque tour qu'une fraction des appareils disponibles.
# - **Exemples réels** : le mot suivant du clavier Gboard (Hard et al.,
#   2018) ; la détection du mot d'activation des assistants vocaux.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Automobile : des flottes qui apprennent en roulant
#
# *Diapositive : « Entraînement d'un modèle de conduite autonome sur des
# données collectées à partir de différents véhicules ».*
#
# - **Les données** : vidéos, nuages de points lidar, trajectoires, signaux
#   du véhicule.
# - **Pourquoi ne pas centraliser** : des volumes impossibles à téléverser ;
#   des données personnelles (position, visages, plaques) ; des secrets
#   industriels quand plusieurs constructeurs coopèrent.
# - **Les clients** : les véhicules (cross-device, connexion intermittente)
#   ou les centres de données des constructeurs (cross-silo).
# - **Particularité** : données très **non-IID** (un taxi parisien ne voit
#   pas les routes d'un tracteur breton) ; la sûreté impose de valider le
#   modèle global avant de le déployer.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Trois applications, un même schéma
#
# | | Santé | Maison connectée | Automobile |
# |---|---|---|---|
# | Données | images, analyses, dossiers | audio, usages | vidéo, lidar, trajectoires |
# | Obstacle à la centralisation | secret médical, RGPD | vie privée, bande passante | volume, vie privée, secret industriel |
# | Clients | quelques hôpitaux (cross-silo) | des millions d'appareils (cross-device) | véhicules ou constructeurs |
# | Difficulté principale | peu de clients, classes déséquilibrées | clients peu fiables, non-IID | volume, non-IID, sûreté |
#
# Passons à la pratique avec le cas le plus simple à simuler : la santé.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Mini-labo : quatre hôpitaux contre le cancer du sein
#
# Le jeu de données *Breast Cancer Wisconsin (Diagnostic)*, fourni avec
# scikit-learn (aucun téléchargement) : pour chaque tumeur, 30 mesures
# calculées sur l'image d'une ponction (rayon, texture, périmètre, aire…
# des noyaux cellulaires) et le diagnostic : **maligne** ou **bénigne**.
#
# On met de côté un **jeu de test commun** (30 % des tumeurs, tirées en
# gardant la proportion de malignes) : tous les modèles seront évalués dessus.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min jusqu'au modèle)
#
# - À dire : un vrai jeu médical, petit (569 tumeurs) ; le test commun est
#   la seule façon de comparer honnêtement des modèles entraînés ailleurs.
# - Question à la salle : « Pourquoi garder la même proportion de tumeurs
#   malignes dans le jeu de test (`stratify=y`) ? »
# - Réponse attendue : sinon le hasard du découpage change la difficulté du
#   test ; avec 171 tumeurs, quelques malignes de plus ou de moins suffisent
#   à fausser la sensibilité.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les données : 569 tumeurs, 30 mesures

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

cancer = load_breast_cancer()
X = cancer.data  # (569, 30), en float64
y = (cancer.target == 0).astype(np.int32)  # scikit-learn : 0 = maligne ; ici 1
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=SEED
)
print(f"{len(y)} tumeurs, {X.shape[1]} mesures, {percent(y.mean())} malignes")
print(f"Entraînement : {len(y_train)} tumeurs ; test commun : {len(y_test)}")
print("Exemples de mesures :", ", ".join(cancer.feature_names[:4]), "…")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Des hôpitaux différents
#
# Quatre établissements qui ne se ressemblent pas, comme dans la réalité.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
HOPITAUX = [  # (nom, patientes, part de tumeurs malignes)
    ("CHU", 150, 0.40),  # un grand CHU
    ("Centre anticancer", 60, 0.85),  # surtout des tumeurs malignes
    ("Hôpital de proximité", 80, 0.05),  # surtout des tumeurs bénignes
    ("Clinique", 25, 0.30),  # une petite clinique
]
noms, tailles, proportions = zip(*HOPITAUX)  # le reste : à personne
parts = partition.sites(y_train, tailles, proportions, seed=SEED)
for nom, idx in zip(noms, parts):
    malignes = percent(y_train[idx].mean(), 0)
    print(f"{nom:<22}{len(idx):>4} patientes, {malignes} malignes")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Standardiser : déjà un calcul fédéré
#
# Les 30 mesures ont des échelles très différentes (une aire en centaines de
# µm², une régularité autour de 0,1) : on les **standardise**,
# `x ← (x − moyenne) / écart-type`. Mais la moyenne de *toutes* les
# patientes… qui ne sont pas au même endroit ?
#
# Chaque hôpital envoie trois résumés : son effectif `n`, la somme `Σx` et la
# somme des carrés `Σx²` de chaque mesure ; le serveur les additionne :
#
# $$\mu = \frac{\sum_k \Sigma x_k}{\sum_k n_k}, \qquad
#   \sigma^2 = \frac{\sum_k \Sigma x^2_k}{\sum_k n_k} - \mu^2 .$$

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les résumés locaux, additionnés par TFF

# %% slideshow={"slide_type": "-"}
MESURES = tff.TensorType(np.float64, (None, X.shape[1]))  # un hôpital


@tff.tensorflow.computation(MESURES)
def resumes_locaux(x):  # chez chaque hôpital
    n = tf.cast(tf.shape(x)[0], tf.float64)
    return n, tf.reduce_sum(x, axis=0), tf.reduce_sum(x * x, axis=0)


@tff.federated_computation(tff.FederatedType(MESURES, tff.CLIENTS))
def resumes_globaux(x):  # le serveur additionne les résumés
    return tff.federated_sum(tff.federated_map(resumes_locaux, x))


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### La moyenne et l'écart-type globaux

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
print("Signature :", resumes_globaux.type_signature)
n_total, somme, somme_carres = resumes_globaux([X_train[idx] for idx in parts])
moyenne = somme / n_total
ecart_type = np.sqrt(somme_carres / n_total - moyenne**2)

X_reunies = X_train[np.concatenate(parts)]  # vérification (impossible en vrai)
identique = np.allclose(moyenne, X_reunies.mean(axis=0)) and np.allclose(
    ecart_type, X_reunies.std(axis=0)
)
print(f"Patientes : {number(n_total, 0)}", end=" ; ")
print("identique au centralisé :", "oui" if identique else "non")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Deux précautions
#
# - Aucune mesure individuelle ne circule, mais les sommes en révèlent un peu
#   (un hôpital d'une seule patiente révélerait tout) : en production, on les
#   protégerait par l'agrégation sécurisée (notebook 08).
# - On calcule en `float64` : avec des aires de l'ordre de 1 000, les sommes
#   de carrés dépassent la précision du `float32`.
#
# Tous les modèles qui suivent utilisent cette standardisation commune, pour
# que la comparaison ne porte que sur les données d'entraînement. (Un hôpital
# vraiment seul n'aurait que ses propres statistiques : l'exercice 3 montre
# que ce détail compte.)

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min pour la standardisation)
#
# - À dire : c'est le plus petit calcul fédéré utile ; la signature montre
#   que les données restent `@CLIENTS` et que seules des sommes arrivent
#   `@SERVER`.
# - Question à la salle : « Peut-on calculer la médiane de chaque mesure de
#   la même façon, avec une simple somme de résumés ? »
# - Réponse attendue : non, la médiane ne se décompose pas en sommes ; il
#   faut des histogrammes ou un protocole itératif, qui révèlent davantage.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le modèle et les réglages communs
#
# Une **régression logistique** : une couche dense de 30 entrées vers 2
# *logits* (« bénigne », « maligne »). Tous les modèles font le même nombre
# de passages sur les données de chaque hôpital.

# %% slideshow={"slide_type": "-"}
TOURS = 10 if QUICK else 20  # tours fédérés = époques des modèles non fédérés
TAILLE_LOT = 16
TAUX = 0.05  # taux d'apprentissage du SGD


def regression_logistique():  # 30 mesures → 2 logits
    couche = tf.keras.layers.Dense(2, input_shape=(X.shape[1],))
    return tf.keras.Sequential([couche])


# %% [markdown] slideshow={"slide_type": "fragment"}
# Les petites fonctions de Keras classique (`standardise`, `jeu_de_donnees`,
# `scores`, `entraine_seul`, `affiche`) sont dans la cellule suivante,
# masquée dans le diaporama : lisez-la dans le notebook.

# %% slideshow={"slide_type": "skip"}
PERTE = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def standardise(x):
    """La standardisation commune, calculée par le calcul fédéré ci-dessus."""
    return ((x - moyenne) / ecart_type).astype(np.float32)


def jeu_de_donnees(indices, graine):
    """Les tumeurs `indices` d'entraînement, standardisées, mélangées, en lots."""
    ds = tf.data.Dataset.from_tensor_slices(
        (standardise(X_train[indices]), y_train[indices])
    )
    return ds.shuffle(len(indices), seed=graine).batch(TAILLE_LOT)


def scores(modele):
    """Exactitude, sensibilité (malignes détectées), spécificité sur le test commun."""
    prediction = np.argmax(modele(standardise(X_test)).numpy(), axis=1)
    return {
        "exactitude": float(np.mean(prediction == y_test)),
        "sensibilité": float(np.mean(prediction[y_test == 1] == 1)),
        "spécificité": float(np.mean(prediction[y_test == 0] == 0)),
    }


def entraine_seul(indices, graine):
    """Entraînement Keras classique (sans fédération) sur les tumeurs `indices`."""
    tf.keras.utils.set_random_seed(SEED)
    modele = regression_logistique()
    modele.compile(optimizer=tf.keras.optimizers.SGD(TAUX), loss=PERTE)
    modele.fit(jeu_de_donnees(indices, graine), epochs=TOURS, verbose=0)
    return modele


def affiche(resultats):
    """Le tableau des scores, un modèle par ligne."""
    print(f"{'Modèle':<28}{'exactitude':>11}{'sensibilité':>12}{'spécificité':>12}")
    for nom, s in resultats.items():
        valeurs = [percent(s[m]) for m in ("exactitude", "sensibilité", "spécificité")]
        print(f"{nom:<28}{valeurs[0]:>11}{valeurs[1]:>12}{valeurs[2]:>12}")


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 1. Chaque hôpital seul
#
# Chaque établissement entraîne son modèle sur ses seules patientes.

# %% slideshow={"slide_type": "-"}
resultats = {}
for k, (nom, idx) in enumerate(zip(noms, parts)):
    resultats[f"{nom} seul"] = scores(entraine_seul(idx, graine=SEED + k))
affiche(resultats)

# %% [markdown] slideshow={"slide_type": "fragment"}
# La **sensibilité** est la part des tumeurs malignes reconnues (en manquer
# une est l'erreur la plus grave) ; la **spécificité**, la part des bénignes
# reconnues. Un hôpital qui voit peu de cancers, ou peu de patientes,
# apprend un modèle biaisé par *sa* population.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : lire le tableau ligne par ligne ; comparer la petite clinique
#   au CHU, puis la sensibilité et la spécificité du centre anticancer.
# - Question à la salle : « Le centre anticancer voit 85 % de tumeurs
#   malignes : quelle erreur son modèle seul risque-t-il de faire le plus ? »
# - Réponse attendue : prendre des tumeurs bénignes pour des malignes
#   (spécificité plus faible) ; inversement, l'hôpital de proximité risque
#   de manquer des cancers. La clinique, avec 25 patientes, est la plus
#   fragile.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 2. Les hôpitaux fédérés, avec TFF
#
# Les 5 étapes de la présentation, pour un modèle Keras quelconque :
#
# 1. **le modèle** : une fonction sans argument qui enveloppe la régression
#    logistique avec `tff.learning.models.from_keras_model` ;
# 2. **les données** : un `tf.data.Dataset` par hôpital ;
# 3. **le calcul fédéré** : FedAvg (`build_weighted_fed_avg`), un SGD local
#    de même taux, un serveur qui prend la moyenne pondérée (SGD de taux 1) ;
# 4. **la compilation** : faite par TFF à la construction ;
# 5. **l'entraînement** : `initialize`, puis `next` à chaque tour.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étapes 1 et 2 : les données et le modèle

# %% slideshow={"slide_type": "-"}
# un jeu de données par hôpital
jeux_hopitaux = [jeu_de_donnees(p, SEED + k) for k, p in enumerate(parts)]


def model_fn():  # le modèle Keras, enveloppé pour TFF
    return tff.learning.models.from_keras_model(
        regression_logistique(),
        input_spec=jeux_hopitaux[0].element_spec,  # la forme d'un lot
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.SparseCategoricalAccuracy()],
    )


# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étapes 3 et 4 : FedAvg, compilé par TFF

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
tf.keras.utils.set_random_seed(SEED)
fedavg = tff.learning.algorithms.build_weighted_fed_avg(
    model_fn,
    client_optimizer_fn=tff.learning.optimizers.build_sgdm(learning_rate=TAUX),
    server_optimizer_fn=tff.learning.optimizers.build_sgdm(learning_rate=1.0),
)
print("Données d'un tour :", fedavg.next.type_signature.parameter.client_data)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Chaque hôpital fournit une séquence de lots `<float32[?,30],int32[?]>` : 30
# mesures et un diagnostic par patiente. Les 4 hôpitaux participent à chaque
# tour (cross-silo).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Étape 5 : l'entraînement

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
etat, debut, suivi = fedavg.initialize(), time.perf_counter(), []
for tour in range(1, TOURS + 1):
    resultat = fedavg.next(etat, jeux_hopitaux)
    etat = resultat.state
    if tour == 1 or tour % (TOURS // 2) == 0:
        perte = resultat.metrics["client_work"]["train"]["loss"]
        suivi.append(f"  tour {tour:2d} : {number(perte, 4)}")
duree = number(time.perf_counter() - debut, 1)
print(f"{TOURS} tours en {duree} s ; perte des hôpitaux :", *suivi, sep="\n")
modele_federe = regression_logistique()
fedavg.get_model_weights(etat).assign_weights_to(modele_federe)
resultats["Fédéré (FedAvg, 4 hôpitaux)"] = scores(modele_federe)

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min pour les étapes 1 à 5)
#
# - À dire : montrer que `model_fn` construit un modèle **neuf** à chaque
#   appel ; TFF l'appelle lui-même pour tracer les calculs des clients et du
#   serveur.
# - Question à la salle : « Qu'est-ce qui circule entre un hôpital et le
#   serveur à chaque tour ? »
# - Réponse attendue : les poids du modèle (une matrice 30 × 2 et 2 biais) dans les
#   deux sens, et le nombre d'exemples pour la pondération ; jamais les
#   mesures des patientes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 3. Tout centralisé : la référence
#
# Le même modèle entraîné sur les tumeurs des quatre hôpitaux **réunies** —
# exactement ce que l'on ne peut pas faire en vrai. C'est le plafond que
# l'apprentissage fédéré cherche à atteindre.

# %% slideshow={"slide_type": "-"}
tous = np.concatenate(parts)
resultats["Centralisé (référence)"] = scores(entraine_seul(tous, SEED + 99))
affiche(resultats)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le bilan

# %% slideshow={"slide_type": "-"}
titre = "Cancer du sein, test commun : chaque hôpital seul, fédéré, centralisé"
plots.score_bars(resultats, titre, separator_after=len(HOPITAUX))

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 6 min pour le bilan)
#
# - À dire : l'axe vertical commence à 50 % ; à gauche du pointillé, les
#   hôpitaux seuls, à droite le fédéré et le centralisé.
# - Question à la salle : « Le fédéré n'atteint pas tout à fait le
#   centralisé : pourquoi, alors qu'il a vu les mêmes patientes ? »
# - Réponse attendue : les hôpitaux sont très différents (non-IID) ; la
#   moyenne des modèles locaux n'est pas le modèle appris sur les données
#   réunies (dérive des clients, notebook 07).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les chiffres du bilan

# %% slideshow={"slide_type": "-"}
seuls = {n: s["exactitude"] for n, s in resultats.items() if "seul" in n}
federe = resultats["Fédéré (FedAvg, 4 hôpitaux)"]["exactitude"]
centralise = resultats["Centralisé (référence)"]["exactitude"]
pire, meilleur = min(seuls, key=seuls.get), max(seuls, key=seuls.get)
print(f"Hôpitaux seuls : de {percent(seuls[pire])} ({pire})")
print(f"                 à {percent(seuls[meilleur])} ({meilleur})")
print(f"Fédéré : {percent(federe)} ; centralisé : {percent(centralise)}")
print(f"Fédéré ≥ {meilleur} : {'oui' if federe >= seuls[meilleur] else 'non'}")
print(f"Poids d'une tumeur du test commun : {percent(1 / len(y_test), 2)}")
print(f"Nombres envoyés par hôpital/tour : {modele_federe.count_params()}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que montre l'expérience
#
# - Les modèles appris **seuls** dépendent fortement de la population de
#   chaque hôpital : les petits établissements et ceux dont la population est
#   atypique (beaucoup ou très peu de cancers) sont loin derrière.
# - Le modèle **fédéré** fait beaucoup mieux qu'eux, sans qu'aucun dossier ne
#   sorte de son hôpital. Il s'approche du **centralisé** sans l'atteindre :
#   avec des hôpitaux aussi différents (non-IID), la moyenne des modèles
#   locaux n'est pas tout à fait le modèle appris sur les données réunies
#   (la « dérive des clients », notebook [07](07_non_iid_algorithmes.ipynb)).
# - Le grand CHU, à la population équilibrée, fait presque aussi bien seul,
#   parfois mieux sur ce petit test (ligne « Fédéré ≥ … »).
#   Pourquoi participerait-il ? Pour un modèle qui marche aussi sur les
#   populations qu'il voit peu, et par réciprocité : les **incitations** à
#   participer sont un vrai sujet du federated learning.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### … et ce qu'elle ne montre pas
#
# - Le jeu de test est petit : **une** tumeur y pèse le poids affiché
#   ci-dessus ; l'écart entre deux modèles proches n'est donc pas
#   significatif. Une vraie étude répéterait l'expérience avec plusieurs
#   découpages et graines.
# - Seuls les poids du modèle (leur nombre est affiché ci-dessus) et les
#   résumés de la standardisation ont circulé. Ce qu'ils peuvent encore
#   révéler, et comment le limiter, est le sujet du notebook
#   [08](08_confidentialite.ipynb).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - **Santé** (cross-silo, quelques hôpitaux), **maison connectée** et
#   **automobile** (cross-device, des millions d'appareils) : le federated
#   learning sert quand les données sont sensibles, volumineuses ou
#   dispersées — souvent les trois.
# - TFF entraîne **n'importe quel modèle Keras** : il suffit de l'envelopper
#   avec `tff.learning.models.from_keras_model` dans une fonction sans argument.
# - La bonne comparaison : chaque client **seul**, **fédéré**, **centralisé**,
#   évalués sur le **même** jeu de test.
# - Le prétraitement aussi se fédère : une moyenne et un écart-type globaux
#   s'obtiennent par une somme fédérée de `(n, Σx, Σx²)`.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : faire reformuler chaque point par un participant.
# - Question à la salle : « Quelles sont les trois situations à comparer
#   avant d'affirmer qu'un modèle fédéré est bon ? »
# - Réponse attendue : chaque client seul, le fédéré, et le centralisé
#   (référence), tous évalués sur le même jeu de test.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# Dans le cahier [exercices/04_applications_exercices.ipynb](exercices/04_applications_exercices.ipynb),
# chaque réponse est vérifiée aussitôt (« ✅ Correct ! » ou un indice).
#
# 1. **Une voix par hôpital** (★ découverte · 10 min) : FedAvg à pondération
#    uniforme ; quel établissement y gagne le plus de poids ?
# 2. **Combien de tours ?** (★★ application · 10 min) : le premier tour où le
#    fédéré dépasse le meilleur hôpital seul.
# 3. **Un hôpital sans cancers** (★★★ approfondissement · 15 min) : sans
#    tumeur maligne, que devient sa sensibilité seul, et pourquoi ?
#
# Solutions : [solutions/04_applications_solutions.ipynb](solutions/04_applications_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min en salle, le reste en autonomie)
#
# - À dire : le cahier reconstruit le mini-labo en fonctions (`Labo`) ;
#   l'exercice 1 change un seul argument, l'exercice 3 un seul nombre dans
#   `HOPITAUX`.
# - Question à la salle : « Dans l'exercice 1, quel hôpital gagne du poids
#   avec la pondération uniforme ? »
# - Réponse attendue : la petite clinique (25 patientes), qui pèse alors
#   autant que le CHU (150) ; le modèle se rapproche de sa population.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Dans chaque onglet, choisissez votre réponse, puis cliquez sur « Vérifier ».

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("04")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : le quiz se fait seul ou à deux ; chaque réponse est corrigée
#   avec son explication. Reprendre ensemble la question la plus ratée.
# - Question à la salle : « Le CHU seul fait un peu mieux que le fédéré sur
#   le test commun : le fédéré est-il inutile ? »
# - Réponse attendue : non : l'écart tient à une ou deux tumeurs d'un petit
#   test, et le fédéré sert surtout les hôpitaux qui voient peu de patientes
#   ou une population atypique.
