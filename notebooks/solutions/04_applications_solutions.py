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
# # Solutions — 04 Les applications
#
# Solutions des exercices « À vous de jouer » du notebook
# [04_applications](../04_applications.ipynb). Essayez d'abord seul, dans le
# cahier [04_applications_exercices](../exercices/04_applications_exercices.ipynb) !
#
# Pour que ce notebook se suffise à lui-même, la première partie reconstruit
# le mini-labo des hôpitaux, sous forme de fonctions paramétrables.

# %% [markdown] slideshow={"slide_type": "slide"} tags=["exercice"]
# # Exercices — 04 Les applications
#
# Complétez chaque cellule marquée `...`, exécutez-la, puis exécutez la
# cellule de vérification en dessous : « ✅ Correct ! » ou un indice.
# Niveaux : ★ découverte, ★★ application, ★★★ approfondissement.
# Cours : [04_applications](../04_applications.ipynb) ; solutions :
# [04_applications_solutions](../solutions/04_applications_solutions.ipynb).
# La première partie reconstruit le mini-labo des hôpitaux en fonctions.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import formatting, partition, runtime, verifier

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
runtime.install()
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : {'oui' if QUICK else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le mini-labo, en fonctions
#
# Mêmes données, même découpage, mêmes réglages que dans le notebook 04. Pour
# aller vite, la standardisation utilise directement la moyenne et
# l'écart-type des tumeurs d'entraînement des hôpitaux (le notebook 04 montre
# qu'on obtient exactement les mêmes par un calcul fédéré).

# %% slideshow={"slide_type": "-"}
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split

cancer = load_breast_cancer()
X, y = cancer.data, (cancer.target == 0).astype(np.int32)  # 1 = maligne
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.3, stratify=y, random_state=SEED
)
HOPITAUX = [
    ("CHU", 150, 0.40),
    ("Centre anticancer", 60, 0.85),
    ("Hôpital de proximité", 80, 0.05),
    ("Clinique", 25, 0.30),
]
TOURS, TAILLE_LOT, TAUX = (10 if QUICK else 20), 16, 0.05
PERTE = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
FORME_DES_LOTS = (
    tf.TensorSpec(shape=(None, X.shape[1]), dtype=tf.float32),
    tf.TensorSpec(shape=(None,), dtype=tf.int32),
)


def repartit(hopitaux):
    """Indices des tumeurs d'entraînement de chaque hôpital (comme dans le notebook 04)."""
    _noms, tailles, proportions = zip(*hopitaux)
    return partition.sites(y_train, tailles, proportions, seed=SEED)


def regression_logistique():
    return tf.keras.Sequential(
        [
            tf.keras.layers.InputLayer(input_shape=(X.shape[1],)),
            tf.keras.layers.Dense(2),
        ]
    )


class Labo:
    """Les hôpitaux, leurs données standardisées, et les trois façons d'entraîner."""

    def __init__(self, hopitaux):
        self.noms = [nom for nom, _, _ in hopitaux]
        self.parts = repartit(hopitaux)
        reunies = X_train[np.concatenate(self.parts)]
        self.moyenne, self.ecart_type = reunies.mean(axis=0), reunies.std(axis=0)

    def standardise(self, x, stats=None):
        moyenne, ecart_type = (
            stats if stats is not None else (self.moyenne, self.ecart_type)
        )
        return ((x - moyenne) / ecart_type).astype(np.float32)

    def jeu(self, idx, graine, stats=None):
        ds = tf.data.Dataset.from_tensor_slices(
            (self.standardise(X_train[idx], stats), y_train[idx])
        )
        return ds.shuffle(len(idx), seed=graine).batch(TAILLE_LOT)

    def scores(self, modele, stats=None):
        prediction = np.argmax(modele(self.standardise(X_test, stats)).numpy(), axis=1)
        return {
            "exactitude": float(np.mean(prediction == y_test)),
            "sensibilité": float(np.mean(prediction[y_test == 1] == 1)),
        }

    def seul(self, k, stats_locales=False):
        """Hôpital k seul ; `stats_locales` : standardisé avec ses seules statistiques."""
        stats = None
        if stats_locales:
            locales = X_train[self.parts[k]]
            stats = (locales.mean(axis=0), locales.std(axis=0))
        tf.keras.utils.set_random_seed(SEED)
        modele = regression_logistique()
        modele.compile(optimizer=tf.keras.optimizers.SGD(TAUX), loss=PERTE)
        modele.fit(self.jeu(self.parts[k], SEED + k, stats), epochs=TOURS, verbose=0)
        return self.scores(modele, stats)

    def federe(
        self,
        ponderation=tff.learning.ClientWeighting.NUM_EXAMPLES,
        tours=TOURS,
        suivi=None,
    ):
        def model_fn():
            return tff.learning.models.from_keras_model(
                regression_logistique(), input_spec=FORME_DES_LOTS, loss=PERTE
            )

        tf.keras.utils.set_random_seed(SEED)
        fedavg = tff.learning.algorithms.build_weighted_fed_avg(
            model_fn,
            client_optimizer_fn=tff.learning.optimizers.build_sgdm(learning_rate=TAUX),
            server_optimizer_fn=tff.learning.optimizers.build_sgdm(learning_rate=1.0),
            client_weighting=ponderation,
        )
        jeux = [self.jeu(idx, SEED + k) for k, idx in enumerate(self.parts)]
        etat, modele = fedavg.initialize(), regression_logistique()
        for tour in range(1, tours + 1):
            etat = fedavg.next(etat, jeux).state
            if suivi is not None:
                fedavg.get_model_weights(etat).assign_weights_to(modele)
                suivi(tour, self.scores(modele))
        fedavg.get_model_weights(etat).assign_weights_to(modele)
        return self.scores(modele)


def ligne(nom, s):
    print(
        f"{nom:<34}{formatting.percent(s['exactitude'], 1):>11}{formatting.percent(s['sensibilité'], 1):>12}"
    )


print(f"{'Modèle':<34}{'exactitude':>11}{'sensibilité':>12}")
labo = Labo(HOPITAUX)
ligne("Fédéré (pondéré), notebook 04", labo.federe())

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 1 — une voix par hôpital
# **★ découverte · 10 min**
#
# Entraînez FedAvg avec la pondération uniforme (chaque hôpital pèse autant,
# quelle que soit sa taille) : `labo.federe(...)` accepte la pondération
# `tff.learning.ClientWeighting.UNIFORM`. Comparez ses scores au FedAvg
# pondéré par les effectifs, puis calculez la part de chaque hôpital dans la
# moyenne, dans les deux cas (`labo.parts[k]` : ses patientes). Donnez à la
# vérification le **nom** (un texte) de l'établissement qui gagne le plus de
# poids avec la pondération uniforme.

# %% tags=["exercice"] slideshow={"slide_type": "-"}
score_uniforme = ...  # les scores du FedAvg à pondération uniforme
part_ponderee = ...  # {nom: part de l'hôpital dans la moyenne pondérée}
part_uniforme = ...  # {nom: part de l'hôpital dans la moyenne uniforme}
etablissement = ...  # le nom de celui qui gagne le plus de poids

# %% tags=["solution"] slideshow={"slide_type": "-"}
score_uniforme = labo.federe(tff.learning.ClientWeighting.UNIFORM)
print(f"{'Modèle':<34}{'exactitude':>11}{'sensibilité':>12}")
ligne("Fédéré, pondéré par les effectifs", labo.federe())
ligne("Fédéré, pondération uniforme", score_uniforme)

tailles = {nom: len(idx) for nom, idx in zip(labo.noms, labo.parts)}
part_ponderee = {nom: n / sum(tailles.values()) for nom, n in tailles.items()}
part_uniforme = {nom: 1 / len(tailles) for nom in tailles}
gain = {nom: part_uniforme[nom] - part_ponderee[nom] for nom in tailles}
for nom in tailles:
    print(
        f"{nom:<22}{formatting.percent(part_ponderee[nom], 0):>6} → {formatting.percent(part_uniforme[nom], 0)}"
    )
etablissement = max(gain, key=gain.get)

# %% slideshow={"slide_type": "-"}
verifier.exercice("04-1", etablissement)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Avec la pondération uniforme, la petite clinique (25 patientes) pèse
# autant que le CHU (150) : le modèle moyen est tiré vers les établissements
# atypiques. Selon les données, cela améliore ou dégrade les scores sur le
# test commun (qui ressemble à la population globale) : comparez les deux
# lignes. La pondération par les effectifs optimise la performance
# « par patiente » ; la pondération uniforme, l'équité « par hôpital ».

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 2 — combien de tours ?
# **★★ application · 10 min**
#
# La cellule suivante évalue le modèle fédéré après **chaque** tour
# (`historique`, les exactitudes dans l'ordre des tours) et chaque hôpital
# seul. Écrivez `premier_tour(exactitudes, seuil)`, qui renvoie le premier
# tour (compté à partir de 1) où l'exactitude **dépasse** `seuil`, ou `None`
# s'il n'y en a pas ; utilisez-la pour le meilleur hôpital seul. La
# vérification reçoit la fonction `premier_tour` elle-même.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
seuls = [labo.seul(k)["exactitude"] for k in range(len(HOPITAUX))]
moyenne_seuls, meilleur_seul = float(np.mean(seuls)), max(seuls)
TOURS_MAX = 20 if QUICK else 40
historique = []
labo.federe(tours=TOURS_MAX, suivi=lambda tour, s: historique.append(s["exactitude"]))
print(
    f"Exactitude moyenne des hôpitaux seuls : {formatting.percent(moyenne_seuls, 1)} ; "
    f"meilleur : {formatting.percent(meilleur_seul, 1)}"
)
print("Exactitude du modèle fédéré, tour par tour :")
print("  " + " ".join(formatting.percent(a, 1) for a in historique))


# %% tags=["exercice"] slideshow={"slide_type": "-"}
def premier_tour(exactitudes, seuil):
    """Le premier tour (compté à partir de 1) où l'exactitude dépasse `seuil`, sinon None."""
    ...


# %% tags=["solution"] slideshow={"slide_type": "-"}
def premier_tour(exactitudes, seuil):
    """Le premier tour (compté à partir de 1) où l'exactitude dépasse `seuil`, sinon None."""
    for tour, exactitude in enumerate(exactitudes, start=1):
        if exactitude > seuil:
            return tour
    return None


for seuil, texte in [
    (moyenne_seuls, "la moyenne des hôpitaux seuls"),
    (meilleur_seul, "le meilleur hôpital seul"),
]:
    tour = premier_tour(historique, seuil)
    print(
        f"Dépasse {texte} : "
        + (f"au tour {tour}" if tour else f"pas en {TOURS_MAX} tours")
    )

# %% slideshow={"slide_type": "-"}
verifier.exercice("04-2", premier_tour)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Le modèle fédéré dépasse vite un hôpital « moyen ». Dépasser le meilleur
# établissement seul, qui a beaucoup de patientes variées, est plus long,
# voire n'arrive pas : c'est la situation la plus défavorable au federated
# learning, et la raison pour laquelle on compare toujours aux clients seuls
# **et** au centralisé. Notez aussi que l'exactitude monte par paliers d'une
# tumeur du test : les petites variations d'un tour à l'autre ne sont pas
# significatives.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercice 3 — un hôpital sans cancers
# **★★★ approfondissement · 15 min**
#
# Construisez `sans_cancer`, la liste `HOPITAUX` où l'« Hôpital de
# proximité » a une proportion de tumeurs malignes de 0, puis
# `labo_sans = Labo(sans_cancer)`. Comparez, pour cet hôpital (`k`), la
# sensibilité de son modèle seul avec la standardisation commune
# (`labo_sans.seul(k)`), avec ses **propres** statistiques
# (`labo_sans.seul(k, stats_locales=True)`, comme s'il était vraiment seul)
# et celle du modèle fédéré (`labo_sans.federe()`). Pourquoi, seul et avec
# la standardisation commune, détecte-t-il encore des cancers ? Répondez par
# la **lettre** du bon choix.

# %% slideshow={"slide_type": "-"}
verifier.choix("04-3")

# %% tags=["exercice"] slideshow={"slide_type": "-"}
sans_cancer = ...  # comme HOPITAUX, avec 0.0 pour l'« Hôpital de proximité »
lettre_3 = ...  # « a », « b », « c » ou « d »

# %% tags=["solution"] slideshow={"slide_type": "-"}
sans_cancer = [
    (nom, n, 0.0 if nom == "Hôpital de proximité" else p) for nom, n, p in HOPITAUX
]
labo_sans = Labo(sans_cancer)
k = labo_sans.noms.index("Hôpital de proximité")
vues = int(y_train[labo_sans.parts[k]].sum())
commune = labo_sans.seul(k)
locale = labo_sans.seul(k, stats_locales=True)
print(f"Tumeurs malignes vues par l'hôpital de proximité : {vues}")
print(f"{'Modèle':<34}{'exactitude':>11}{'sensibilité':>12}")
ligne("Seul, statistiques communes", commune)
ligne("Seul, ses propres statistiques", locale)
ligne("Fédéré (4 hôpitaux)", labo_sans.federe())

# Les choix écartés par les mesures : a) il n'a vu aucun cancer ; b) même
# graine, seules les statistiques changent, et la sensibilité s'effondre ;
# c) tout prédire « maligne » donnerait l'exactitude de la part de malignes.
ecartes = {
    "a": vues == 0,
    "b": locale["sensibilité"] < commune["sensibilité"],
    "c": commune["exactitude"] > y_test.mean(),
}
lettre_3 = next(lettre for lettre in "abcd" if not ecartes.get(lettre, False))

# %% slideshow={"slide_type": "-"}
verifier.exercice("04-3", lettre_3)

# %% [markdown] slideshow={"slide_type": "fragment"} tags=["solution"]
# Deux surprises, qui méritent d'être comprises :
#
# - **Seul, avec la standardisation commune**, le modèle détecte encore la
#   plupart des cancers, alors qu'il n'en a jamais vu ! Il a appris une règle
#   linéaire, « plus les mesures sont petites (par rapport à la moyenne), plus
#   la tumeur est bénigne ». Or la moyenne commune a été calculée avec les
#   patientes de **tous** les hôpitaux, cancers compris : elle se situe entre
#   les tumeurs bénignes et les malignes (plus grosses), qui tombent donc du
#   « bon » côté de la règle. L'information venue des autres hôpitaux est
#   passée… par la simple statistique fédérée.
# - **Seul, avec ses propres statistiques** (la vraie situation d'un hôpital
#   isolé), l'origine est au centre de *ses* tumeurs bénignes : la règle ne
#   sait plus où placer la frontière et la sensibilité s'effondre. Son
#   exactitude peut rester trompeusement correcte, car la majorité des
#   tumeurs du test sont bénignes : c'est pourquoi on regarde la sensibilité.
#
# Le modèle **fédéré** a appris des cancers vus par les autres
# établissements ; l'hôpital de proximité en profite dès qu'il le
# télécharge. C'est l'un des arguments les plus forts du federated learning
# en santé : les maladies rares, que chaque établissement voit trop peu.
