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
# - comparer honnêtement trois situations : chaque hôpital seul, les hôpitaux
#   fédérés, et toutes les données centralisées ;
# - reconnaître qu'un prétraitement (la standardisation) est lui aussi un
#   calcul fédéré.
#
# **Durée** : 40 minutes.
#
# **Prérequis** : [01 — Définition](01_definition.ipynb) ; les notions
# d'exactitude et de sensibilité d'un classifieur. Les calculs fédérés de TFF
# sont détaillés dans [05 — Bibliothèques](05_bibliotheques.ipynb) : ici, on
# les utilise.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

import matplotlib.pyplot as plt
import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import runtime

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
# - **Les données** : images (radiographies, IRM, lames d'anatomopathologie),
#   résultats d'analyses, dossiers médicaux.
# - **Pourquoi ne pas centraliser** : ce sont des données de santé, protégées
#   par le secret médical et, en Europe, par le RGPD (catégorie « sensible ») ;
#   les transférer demande des autorisations longues, parfois impossibles
#   entre pays. Les volumes (imagerie) sont énormes.
# - **Les clients** : quelques hôpitaux ou laboratoires (de 2 à quelques
#   dizaines), fiables et bien équipés. C'est le **cross-silo** : peu de
#   clients, tous présents à chaque tour.
# - **Exemples réels** : des dizaines d'établissements ont entraîné ensemble
#   des modèles de segmentation de tumeurs cérébrales (initiative FeTS, 2022)
#   ou de prédiction des besoins en oxygène des patients COVID (étude EXAM, 2021).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Maison connectée : la voix reste à la maison
#
# *Diapositive : « Entraînement d'un modèle de reconnaissance vocale sur des
# données audio collectées à partir de différents appareils ».*
#
# - **Les données** : enregistrements audio (mot d'activation, commandes),
#   usages des objets connectés (thermostat, éclairage).
# - **Pourquoi ne pas centraliser** : la voix est une donnée personnelle
#   (elle identifie la personne) captée au cœur du foyer ; envoyer chaque
#   enregistrement coûte de la bande passante et la confiance des
#   utilisateurs.
# - **Les clients** : des millions d'enceintes et de téléphones, peu
#   puissants, souvent éteints ou hors ligne. C'est le **cross-device** : à
#   chaque tour, le serveur ne tire qu'une petite fraction des appareils
#   disponibles (branchés, en Wi-Fi, inactifs).
# - **Exemples réels** : la prédiction du mot suivant du clavier Gboard de
#   Google (Hard et al., 2018) ; la détection du mot d'activation des
#   assistants vocaux.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Automobile : des flottes qui apprennent en roulant
#
# *Diapositive : « Entraînement d'un modèle de conduite autonome sur des
# données collectées à partir de différents véhicules ».*
#
# - **Les données** : vidéos des caméras, nuages de points lidar, trajectoires,
#   signaux du véhicule.
# - **Pourquoi ne pas centraliser** : des volumes impossibles à téléverser en
#   entier depuis chaque voiture ; des données personnelles (position,
#   visages et plaques des passants) ; des secrets industriels quand plusieurs
#   constructeurs coopèrent.
# - **Les clients** : les véhicules (cross-device, connexion intermittente),
#   ou les centres de données de plusieurs constructeurs (cross-silo).
# - **Particularité** : les données sont très **non-IID** (un taxi parisien ne
#   voit pas les routes d'un tracteur breton), et la sûreté impose de valider
#   le modèle global avant de le déployer.

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

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

cancer = load_breast_cancer()
X = cancer.data  # (569, 30), en float64
y = (cancer.target == 0).astype(
    np.int32
)  # dans scikit-learn, 0 = maligne : on met 1 = maligne
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=SEED
)
print(f"{len(y)} tumeurs, {X.shape[1]} mesures chacune, {y.mean():.1%} de malignes")
print(f"Entraînement : {len(y_train)} tumeurs ; test commun : {len(y_test)} tumeurs")
print("Exemples de mesures :", ", ".join(cancer.feature_names[:4]), "…")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Des hôpitaux différents
#
# On répartit les tumeurs d'entraînement entre quatre établissements qui ne
# se ressemblent pas, comme dans la réalité : un grand CHU, un centre de lutte
# contre le cancer (qui voit surtout des tumeurs malignes), un hôpital de
# proximité (qui voit surtout des tumeurs bénignes) et une petite clinique.
# Le reste des tumeurs d'entraînement n'est utilisé par personne.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
HOPITAUX = [  # (nom, nombre de patientes, proportion de tumeurs malignes)
    ("CHU", 150, 0.40),
    ("Centre anticancer", 60, 0.85),
    ("Hôpital de proximité", 80, 0.05),
    ("Clinique", 25, 0.30),
]
rng = np.random.default_rng(SEED)
malignes = rng.permutation(np.flatnonzero(y_train == 1))
benignes = rng.permutation(np.flatnonzero(y_train == 0))
parts, i_mal, i_ben = [], 0, 0
for _nom, n, part_malignes in HOPITAUX:
    n_mal = int(round(n * part_malignes))
    indices = np.concatenate(
        [malignes[i_mal : i_mal + n_mal], benignes[i_ben : i_ben + n - n_mal]]
    )
    parts.append(rng.permutation(indices))
    i_mal, i_ben = i_mal + n_mal, i_ben + n - n_mal

print(f"{'Hôpital':<22}{'patientes':>10}{'malignes':>10}")
for (nom, _, _), idx in zip(HOPITAUX, parts):
    print(f"{nom:<22}{len(idx):>10}{y_train[idx].mean():>10.0%}")
print(f"{'Total':<22}{sum(len(p) for p in parts):>10}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Standardiser : déjà un calcul fédéré
#
# Les 30 mesures ont des échelles très différentes (une aire en centaines de
# µm², une régularité autour de 0,1) : on les **standardise**,
# `x ← (x − moyenne) / écart-type`, pour que la descente de gradient
# fonctionne. Mais quelle moyenne ? Celle de *toutes* les patientes… qui ne
# sont pas au même endroit.
#
# Calculer une moyenne globale est **déjà un calcul fédéré** : chaque hôpital
# envoie trois résumés, son effectif `n`, la somme `Σx` et la somme des carrés
# `Σx²` de chaque mesure ; le serveur les additionne et en déduit
#
# $$\mu = \frac{\sum_k \Sigma x_k}{\sum_k n_k}, \qquad
#   \sigma^2 = \frac{\sum_k \Sigma x^2_k}{\sum_k n_k} - \mu^2 .$$
#
# Aucune mesure individuelle ne circule, mais les sommes en révèlent un peu
# (un hôpital d'une seule patiente révélerait tout) : en production, on les
# protégerait par l'agrégation sécurisée (notebook 08).

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
MESURES = tff.TensorType(np.float64, (None, X.shape[1]))  # les tumeurs d'un hôpital


@tff.tensorflow.computation(MESURES)
def resumes_locaux(x):
    n = tf.cast(tf.shape(x)[0], tf.float64)
    return n, tf.reduce_sum(x, axis=0), tf.reduce_sum(x * x, axis=0)


@tff.federated_computation(tff.FederatedType(MESURES, tff.CLIENTS))
def resumes_globaux(x):
    return tff.federated_sum(tff.federated_map(resumes_locaux, x))


print("Signature :", resumes_globaux.type_signature)
n_total, somme, somme_carres = resumes_globaux([X_train[idx] for idx in parts])
moyenne = somme / n_total
ecart_type = np.sqrt(somme_carres / n_total - moyenne**2)

# Vérification (impossible en vrai : il faudrait réunir les données).
X_reunies = X_train[np.concatenate(parts)]
print(f"Patientes comptées : {n_total:.0f}")
print(
    "Identique au calcul centralisé :",
    np.allclose(moyenne, X_reunies.mean(axis=0))
    and np.allclose(ecart_type, X_reunies.std(axis=0)),
)


def standardise(x):
    return ((x - moyenne) / ecart_type).astype(np.float32)


# %% [markdown] slideshow={"slide_type": "fragment"}
# On calcule en `float64` : avec des aires de l'ordre de 1 000, les sommes de
# carrés dépassent la précision du `float32`. Tous les modèles qui suivent
# utilisent cette standardisation commune, pour que la comparaison ne porte
# que sur les données d'entraînement. (Un hôpital vraiment seul n'aurait que
# ses propres statistiques : l'exercice 1 montre que ce détail compte.)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le modèle et les réglages communs
#
# Une **régression logistique** : une couche dense de 30 entrées vers 2 sorties
# (les *logits* « bénigne » et « maligne », comme les modèles MNIST du cours).
# Tous les modèles font le même nombre de passages sur les données de chaque
# hôpital.

# %% slideshow={"slide_type": "-"}
TOURS = 10 if QUICK else 20  # tours fédérés = époques des modèles non fédérés
TAILLE_LOT = 16
TAUX = 0.05  # taux d'apprentissage du SGD
PERTE = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)


def regression_logistique():
    return tf.keras.Sequential(
        [
            tf.keras.layers.InputLayer(input_shape=(X.shape[1],)),
            tf.keras.layers.Dense(2),
        ]
    )


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


print(f"{TOURS} passages sur les données, lots de {TAILLE_LOT}, taux {TAUX}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 1. Chaque hôpital seul
#
# Sans coopération, chaque établissement entraîne son modèle sur ses seules
# patientes. On les évalue tous sur le même jeu de test.

# %% slideshow={"slide_type": "-"}
resultats = {}
for k, ((nom, _, _), idx) in enumerate(zip(HOPITAUX, parts)):
    resultats[f"{nom} seul"] = scores(entraine_seul(idx, graine=SEED + k))


def affiche(resultats):
    print(f"{'Modèle':<28}{'exactitude':>11}{'sensibilité':>12}{'spécificité':>12}")
    for nom, s in resultats.items():
        print(
            f"{nom:<28}{s['exactitude']:>11.1%}{s['sensibilité']:>12.1%}{s['spécificité']:>12.1%}"
        )


affiche(resultats)

# %% [markdown] slideshow={"slide_type": "fragment"}
# La **sensibilité** est la part des tumeurs malignes reconnues comme telles
# (une tumeur maligne manquée est l'erreur la plus grave) ; la **spécificité**,
# la part des bénignes reconnues comme bénignes. Regardez les écarts entre
# établissements : un hôpital qui voit peu de cancers, ou peu de patientes,
# apprend un modèle biaisé par *sa* population.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 2. Les hôpitaux fédérés, avec TFF
#
# Les 5 étapes de la présentation, pour un modèle Keras quelconque :
#
# 1. **le modèle** : une fonction sans argument qui construit la régression
#    logistique et l'enveloppe avec `tff.learning.models.from_keras_model`
#    (perte, métrique, forme d'un lot) ;
# 2. **les données** : un `tf.data.Dataset` par hôpital ;
# 3. **le calcul fédéré** : FedAvg, `build_weighted_fed_avg`, avec un SGD
#    local de même taux que ci-dessus et un serveur qui remplace le modèle par
#    la moyenne pondérée (SGD de taux 1) ;
# 4. **la compilation** : faite par TFF à la construction ;
# 5. **l'entraînement** : `initialize`, puis `next` à chaque tour.

# %% tags=["nbval-check-output"] slideshow={"slide_type": "subslide"}
FORME_DES_LOTS = (
    tf.TensorSpec(shape=(None, X.shape[1]), dtype=tf.float32),
    tf.TensorSpec(shape=(None,), dtype=tf.int32),
)


def model_fn():  # étape 1
    return tff.learning.models.from_keras_model(
        regression_logistique(),
        input_spec=FORME_DES_LOTS,
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[tf.keras.metrics.SparseCategoricalAccuracy()],
    )


jeux_hopitaux = [
    jeu_de_donnees(idx, graine=SEED + k) for k, idx in enumerate(parts)
]  # étape 2

tf.keras.utils.set_random_seed(SEED)
fedavg = tff.learning.algorithms.build_weighted_fed_avg(  # étapes 3 et 4
    model_fn,
    client_optimizer_fn=tff.learning.optimizers.build_sgdm(learning_rate=TAUX),
    server_optimizer_fn=tff.learning.optimizers.build_sgdm(learning_rate=1.0),
)
print("Données d'un tour :", fedavg.next.type_signature.parameter.client_data)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Chaque hôpital fournit une séquence de lots `<float32[?,30],int32[?]>` : 30
# mesures et un diagnostic par patiente. Les 4 hôpitaux participent à chaque
# tour (cross-silo).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
import time

etat = fedavg.initialize()  # étape 5
debut = time.perf_counter()
for tour in range(1, TOURS + 1):
    resultat = fedavg.next(etat, jeux_hopitaux)
    etat = resultat.state
    entrainement = resultat.metrics["client_work"]["train"]
    if tour == 1 or tour % 5 == 0:
        print(
            f"tour {tour:2d} : perte moyenne chez les hôpitaux {entrainement['loss']:.4f}"
        )
print(f"{TOURS} tours en {time.perf_counter() - debut:.1f} s")

modele_federe = regression_logistique()
fedavg.get_model_weights(etat).assign_weights_to(modele_federe)
resultats["Fédéré (FedAvg, 4 hôpitaux)"] = scores(modele_federe)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 3. Tout centralisé : la référence
#
# Le même modèle entraîné sur les tumeurs des quatre hôpitaux **réunies** —
# exactement ce que l'on ne peut pas faire en vrai. C'est le plafond que
# l'apprentissage fédéré cherche à atteindre.

# %% slideshow={"slide_type": "-"}
tous = np.concatenate(parts)
resultats["Centralisé (référence)"] = scores(entraine_seul(tous, graine=SEED + 99))
affiche(resultats)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le bilan
#
# La figure résume le tableau ci-dessus (évaluation sur les mêmes tumeurs de
# test pour tous).


# %% slideshow={"slide_type": "-"}
def trace_bilan(resultats):
    noms = list(resultats)
    mesures = ["exactitude", "sensibilité", "spécificité"]
    couleurs = ["#4C72B0", "#C44E52", "#8C8C8C"]
    fig = plt.figure(figsize=(10, 4.8), layout="constrained")
    plt.close(fig)  # pyplot l'oublie : la figure s'affiche une seule fois, en sortie
    ax = fig.add_subplot()
    largeur = 0.26
    positions = np.arange(len(noms))
    for j, (mesure, couleur) in enumerate(zip(mesures, couleurs)):
        valeurs = [100 * resultats[nom][mesure] for nom in noms]
        barres = ax.bar(
            positions + (j - 1) * largeur,
            valeurs,
            largeur,
            label=mesure.capitalize(),
            color=couleur,
        )
        if mesure == "exactitude":
            ax.bar_label(barres, fmt="%.0f", fontsize=8, padding=2)
    ax.set_xticks(
        positions,
        [nom.replace(" (", "\n(").replace(" seul", "\nseul") for nom in noms],
        fontsize=9,
    )
    ax.set_ylim(50, 108)
    ax.set_ylabel("Score sur le test commun (%, axe à partir de 50)")
    ax.set_title(
        "Diagnostic du cancer du sein : chaque hôpital seul, fédéré, centralisé"
    )
    ax.axvline(len(HOPITAUX) - 0.5, color="black", linewidth=0.8, linestyle=":")
    ax.legend(loc="upper left", ncol=3, fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    return fig


trace_bilan(resultats)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que montre l'expérience (et ce qu'elle ne montre pas)

# %% slideshow={"slide_type": "-"}
seuls = {nom: s for nom, s in resultats.items() if nom.endswith("seul")}
meilleur_seul = max(seuls, key=lambda nom: seuls[nom]["exactitude"])
pire_seul = min(seuls, key=lambda nom: seuls[nom]["exactitude"])
federe = resultats["Fédéré (FedAvg, 4 hôpitaux)"]["exactitude"]
centralise = resultats["Centralisé (référence)"]["exactitude"]
print(
    f"Hôpitaux seuls : de {seuls[pire_seul]['exactitude']:.1%} ({pire_seul})"
    f" à {seuls[meilleur_seul]['exactitude']:.1%} ({meilleur_seul})"
)
moyenne_seuls = np.mean([s["exactitude"] for s in seuls.values()])
print(f"Moyenne des hôpitaux seuls : {moyenne_seuls:.1%}")
print(
    f"Fédéré : {federe:.1%} ({100 * (federe - moyenne_seuls):+.1f} points) ; centralisé : {centralise:.1%}"
)
print(
    f"Le fédéré fait au moins aussi bien que chaque hôpital seul : {'oui' if federe >= max(s['exactitude'] for s in seuls.values()) else 'non'}"
)
print(f"Écart entre fédéré et centralisé : {100 * (centralise - federe):+.1f} points")
print(f"Une tumeur du test commun pèse {100 / len(y_test):.2f} point de pourcentage")
print(
    f"Nombres envoyés par chaque hôpital à chaque tour : {modele_federe.count_params()}"
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# - Les modèles appris **seuls** dépendent fortement de la population de
#   chaque hôpital : les petits établissements et ceux dont la population est
#   atypique (beaucoup ou très peu de cancers) sont loin derrière.
# - Le modèle **fédéré** fait beaucoup mieux qu'eux, sans qu'aucun dossier ne
#   sorte de son hôpital. Il s'approche du **centralisé** sans l'atteindre :
#   avec des hôpitaux aussi différents (données non-IID), la moyenne des
#   modèles locaux n'est pas tout à fait le modèle appris sur les données
#   réunies (la « dérive des clients », notebook [07](07_non_iid_algorithmes.ipynb)).
# - Le grand CHU, à la population équilibrée, fait presque aussi bien seul,
#   parfois mieux sur ce petit test (voir la ligne « au moins aussi bien »).
#   Pourquoi participerait-il ? Pour un modèle qui marche aussi sur les
#   populations qu'il voit peu, et par réciprocité : la question des
#   **incitations** à participer est un vrai sujet du federated learning.
# - Prudence : le jeu de test est petit, **une** tumeur y pèse le poids
#   affiché ci-dessus ; avec si peu de données, l'écart entre deux modèles
#   proches n'est pas significatif. Une vraie étude
#   répéterait l'expérience avec plusieurs découpages et graines.
# - Seuls les poids du modèle (leur nombre est affiché ci-dessus) et les
#   résumés de la standardisation ont circulé. Ce qu'ils peuvent encore révéler, et comment
#   le limiter, est le sujet du notebook [08](08_confidentialite.ipynb).

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

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Un hôpital sans cancers.** Mettez la proportion de tumeurs malignes de
#    l'« Hôpital de proximité » à 0 et relancez. Que devient la sensibilité de
#    son modèle seul ? Et s'il standardisait ses mesures avec ses **propres**
#    moyennes et écarts-types, comme il le ferait vraiment seul ? Comparez au
#    modèle fédéré.
# 2. **Une voix par hôpital.** Construisez FedAvg avec
#    `client_weighting=tff.learning.ClientWeighting.UNIFORM` (chaque hôpital
#    pèse autant, quelle que soit sa taille). Comparez au FedAvg pondéré.
# 3. **Combien de tours ?** Évaluez le modèle fédéré après **chaque** tour et
#    trouvez le premier tour où son exactitude dépasse celle du meilleur
#    hôpital seul.
#
# Solutions : [solutions/04_applications_solutions.ipynb](solutions/04_applications_solutions.ipynb).
