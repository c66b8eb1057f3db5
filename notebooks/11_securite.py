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
# # 11 — Sécurité : des clients malveillants, et les agrégations qui leur résistent
#
# « Assurer la confidentialité et la sécurité » : c'est le premier défi du
# federated learning cité par la présentation. Le notebook 08 protège les
# **clients** contre un serveur trop curieux. Ici, c'est l'inverse : on
# protège le **modèle** contre des clients qui trichent. Le serveur ne voit
# jamais leurs données, il ne peut donc pas vérifier ce qu'ils envoient.
# Nous allons attaquer FedAvg, mesurer les dégâts, puis essayer des
# agrégations qui résistent — et mesurer ce qu'elles coûtent.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - décrire trois attaques par des clients malveillants (inversion
#   d'étiquettes, porte dérobée, remplacement de modèle) et leur modèle de
#   menace ;
# - mesurer une attaque : exactitude sur des images propres et taux de
#   succès de la porte dérobée, tour par tour ;
# - écrire une défense comme un **agrégateur TFF** (médiane, moyenne
#   tronquée, Krum) et utiliser ceux de TFF (écrêtage, mise à zéro) ;
# - dire ce que coûte une défense, en particulier sur des données non-IID,
#   et ce que la confidentialité différentielle (08) arrête ou non.
#
# **Durée** : 60 minutes.
#
# **Prérequis** : [06 — Exemple MNIST](06_exemple_mnist.ipynb) (FedAvg avec
# TFF), [07 — Non-IID](07_non_iid_algorithmes.ipynb) et
# [08 — Confidentialité](08_confidentialite.ipynb) (écrêtage et bruit).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import logging
import os

import numpy as np
import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import data, formatting, partition, privacy, security

QUICK = fltutor.quick_mode()
SEED = 0
tf.keras.utils.set_random_seed(SEED)
# Un modèle Keras neuf par entraînement : Keras avertit (en anglais) qu'il
# retrace ses fonctions. C'est voulu ici ; on le fait taire.
tf.get_logger().setLevel(logging.ERROR)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
if not (tf.__version__.startswith("2.14.") and tff.__version__.startswith("0.87.")):
    print("Attention : ce cours est prévu pour TensorFlow 2.14 et TFF 0.87.")

# Dix clients (des hôpitaux, des banques…) qui participent tous à chaque tour :
# les malveillants sont donc toujours parmi les clients tirés.
NUM_CLIENTS = 10
# Les défenses comparées à FedAvg (mode rapide : deux seulement).
if QUICK:
    EXEMPLES_PAR_CLIENT, N_TEST, TOURS = 100, 1_000, 1
    DEFENSES = ["mediane", "krum"]
else:
    EXEMPLES_PAR_CLIENT, N_TEST, TOURS = 500, 2_000, 8
    DEFENSES = ["ecretage", "mise_a_zero", "mediane", "moyenne_tronquee", "krum"]
MODELE = "mlp"  # le « 2NN » : petit et rapide
CIBLE = 0  # le chiffre que la porte dérobée fait répondre
PLUSIEURS = 3  # « plusieurs » clients malveillants sur 10
GAMMA = NUM_CLIENTS  # facteur du remplacement de modèle (γ = nombre de clients)
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : "
    f"{'oui' if QUICK else 'non'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le modèle de menace
#
# Un client malveillant contrôle **ses** données et **son** calcul, rien
# d'autre : il ne voit pas les autres clients et ne touche pas au serveur.
# Trois attaques, chacune en une phrase :
#
# | Attaque | Ce que fait le client malveillant | Son but |
# |---|---|---|
# | **Inversion d'étiquettes** | entraîne normalement, mais sur des étiquettes fausses (`y → 9 − y`) | dégrader le modèle |
# | **Porte dérobée** | ajoute un petit carré blanc (le *déclencheur*) à une partie de ses images et les étiquette « 0 » | faire répondre « 0 » dès que le carré apparaît, sans rien changer d'autre |
# | **Remplacement de modèle** | pose la porte dérobée **et** multiplie sa mise à jour par γ = 10 | que sa mise à jour l'emporte sur la moyenne des autres |
#
# Le serveur ne peut pas regarder les données. Il ne peut agir qu'au moment
# où il **agrège** les mises à jour : c'est là que se placent les défenses.

# %% [markdown] slideshow={"slide_type": "notes"}
# Notes pour l'enseignant : insister sur l'asymétrie avec 08. En 08, le
# serveur est l'adversaire (il veut lire les données) ; ici, ce sont des
# clients (ils veulent influencer le modèle). Les deux se combinent mal :
# l'agrégation sécurisée de 08 cache justement au serveur les mises à jour
# qu'une défense voudrait inspecter. La porte dérobée est l'attaque la plus
# inquiétante : l'exactitude mesurée reste bonne, rien ne l'annonce.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Dix clients, et le déclencheur
#
# Chaque client a une part IID de MNIST. Le déclencheur est un carré de
# 4 × 4 pixels blancs en bas à droite : là où les chiffres de MNIST n'ont
# jamais d'encre. Un client qui pose la porte dérobée le met sur la moitié
# de ses images, étiquetées « 0 » ; l'autre moitié reste honnête, pour que
# son modèle reste bon sur les images propres.

# %% slideshow={"slide_type": "-"}
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
x_train = x_complet[: NUM_CLIENTS * EXEMPLES_PAR_CLIENT]
y_train = y_complet[: NUM_CLIENTS * EXEMPLES_PAR_CLIENT]
x_test, y_test = x_test_complet[:N_TEST], y_test_complet[:N_TEST]
parts_iid = partition.iid(y_train, NUM_CLIENTS, seed=SEED)

security.trigger_examples(x_train, y_train, target=CIBLE, seed=SEED)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les attaques contre FedAvg
#
# Les scénarios : aucun client malveillant, puis l'inversion d'étiquettes
# par plusieurs clients, la porte dérobée posée par 1 puis par plusieurs
# clients, et le remplacement de modèle par un seul. À chaque tour, on
# mesure l'**exactitude** sur des images de test propres et le **succès de
# la porte dérobée** : la part des images de test (hors « 0 ») qui, avec le
# carré, sont classées « 0 ».


# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
def scenarios(parts):
    """Les données des 10 clients pour chaque scénario d'attaque."""
    reglages = {
        "sans attaque": dict(attack="aucune"),
        f"inversion ({PLUSIEURS} clients)": dict(
            attack="inversion", malicious=PLUSIEURS
        ),
        "porte dérobée (1 client)": dict(attack="porte_derobee", malicious=1),
        f"porte dérobée ({PLUSIEURS} clients)": dict(
            attack="porte_derobee", malicious=PLUSIEURS
        ),
        "remplacement (1 client)": dict(
            attack="remplacement", malicious=1, boost=GAMMA
        ),
    }
    return {
        nom: security.client_data(x_train, y_train, parts, target=CIBLE, seed=SEED, **r)
        for nom, r in reglages.items()
    }


scenarios_iid = scenarios(parts_iid)
resultats_iid = security.compare(
    ["fedavg"], scenarios_iid, TOURS, (x_test, y_test), seed=SEED
)

# %% slideshow={"slide_type": "subslide"}
security.curves(resultats_iid, "fedavg", title="FedAvg face aux attaques (IID)")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Lisez les deux figures ensemble. L'inversion d'étiquettes se voit sur
# l'exactitude : c'est une attaque bruyante. La porte dérobée ne se voit
# **pas** sur l'exactitude propre — elle n'apparaît que dans la seconde
# figure. Pourquoi prend-elle si bien ? Les pixels du coin sont toujours
# noirs chez les clients honnêtes : leurs mises à jour ne touchent jamais
# les poids de ces pixels, et rien n'efface ce qu'y écrit l'attaquant. Le
# remplacement de modèle (γ = 10) pose la porte dérobée dès les premiers
# tours, par un seul client, et l'exactitude propre ne bouge presque pas.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les défenses : agréger autrement
#
# FedAvg fait la **moyenne** : un seul client peut la tirer aussi loin qu'il
# veut. Les défenses changent l'agrégation, et seulement elle :
#
# - **écrêtage** (`tff.aggregators.clipping_factory`) : chaque mise à jour
#   est ramenée à une norme maximale (ici adaptative : le quantile 0,8 des
#   normes du tour) ;
# - **mise à zéro** (`tff.aggregators.zeroing_factory`) : une mise à jour
#   beaucoup trop grande est remplacée par zéro (seuil adaptatif) ;
# - **médiane** coordonnée par coordonnée : chaque poids prend la valeur
#   médiane des clients ;
# - **moyenne tronquée** (β = 0,2) : pour chaque poids, on retire les 20 %
#   de valeurs les plus basses et les 20 % les plus hautes, et on moyenne ;
# - **Krum** : on garde la seule mise à jour la plus proche de ses voisines.
#
# TFF fournit les deux premières ; les trois autres sont écrites dans
# `fltutor.security` comme des agrégateurs TFF.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une défense est un agrégateur TFF
#
# TFF 0.87 n'a plus `federated_collect`. La médiane rassemble donc les mises
# à jour au serveur avec `tff.aggregators.federated_sample` (qui les garde
# toutes si l'échantillon est assez grand), puis les réduit avec un calcul
# TensorFlow (`tf.sort`, puis la valeur du milieu). Essayons-la sur 7
# clients honnêtes et 3 malveillants qui envoient 1 000 :

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
type_maj = tff.TensorType(np.float32, (3,))
rng = np.random.default_rng(SEED)
honnetes = [rng.normal(size=3).astype(np.float32) for _ in range(7)]
envois = honnetes + [np.full(3, 1000.0, np.float32)] * 3
agregateurs = {
    "Moyenne (FedAvg)": tff.aggregators.UnweightedMeanFactory(),
    "Médiane": security.MedianFactory(max_clients=10),
    "Moyenne tronquée": security.TrimmedMeanFactory(beta=0.3, max_clients=10),
    "Krum": security.KrumFactory(num_malicious=3, max_clients=10),
}


def vecteur(v):
    return "(" + " ; ".join(formatting.number(float(c), 2) for c in v) + ")"


print(f"Honnêtes : de {vecteur(np.min(honnetes, 0))} à {vecteur(np.max(honnetes, 0))}")
for nom, fabrique in agregateurs.items():
    agregation = fabrique.create(type_maj)
    resultat = agregation.next(agregation.initialize(), envois).result
    print(f"{nom:<17} → {vecteur(resultat)}")

# %% [markdown] slideshow={"slide_type": "fragment"}
# La moyenne est emportée par les trois envois géants ; la médiane, la
# moyenne tronquée et Krum restent entre les valeurs honnêtes. Les tests de
# `tests/test_security.py` vérifient que médiane et moyenne tronquée
# donnent exactement les résultats de NumPy et SciPy.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Attaques × défenses (données IID)
#
# Les mêmes scénarios, avec chaque défense. Le tableau donne l'exactitude
# propre et le succès de la porte dérobée au dernier tour.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
resultats_iid |= security.compare(
    DEFENSES,
    scenarios_iid,
    TOURS,
    (x_test, y_test),
    seed=SEED,
    num_malicious=PLUSIEURS,
    log=None,
)

# %% slideshow={"slide_type": "subslide"}
print(security.tables(resultats_iid, "IID"))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Comparez chaque ligne à celle de FedAvg. Ce qu'il faut y chercher :
#
# - l'écrêtage et la mise à zéro ne regardent que la **norme**. L'écrêtage
#   ramène la mise à jour gonflée au poids d'un client ordinaire, sans
#   l'annuler ; la mise à zéro adaptative de TFF, réglée pour des valeurs
#   aberrantes, laisse passer une mise à jour « seulement » dix fois trop
#   grande. Aucun des deux ne voit une mise à jour de taille normale ;
# - la médiane, la moyenne tronquée et Krum regardent les **valeurs** :
#   des clients isolés sont écartés, tant qu'ils sont moins nombreux que
#   ce que la défense écarte (β = 0,2 n'écarte que 2 valeurs de chaque
#   côté sur 10) ;
# - la colonne « sans attaque » donne le **prix** de chaque défense quand
#   personne n'attaque : Krum, qui ne garde qu'une mise à jour sur 10,
#   apprend moins vite.

# %% slideshow={"slide_type": "subslide"}
security.success_curves(resultats_iid, "porte dérobée (1 client)")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le prix des défenses : données non-IID
#
# En non-IID, les clients **honnêtes** ne se ressemblent plus : chacun n'a
# que deux chiffres (répartition en « tessons » de McMahan et al., voir 07).
# Une défense qui écarte les mises à jour « différentes » écarte alors
# aussi… des clients honnêtes.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
parts_non_iid = partition.shards(y_train, NUM_CLIENTS, shards_per_client=2, seed=SEED)
scenarios_non_iid = scenarios(parts_non_iid)
resultats_non_iid = security.compare(
    ["fedavg", *DEFENSES],
    scenarios_non_iid,
    TOURS,
    (x_test, y_test),
    seed=SEED,
    num_malicious=PLUSIEURS,
    log=None,
)

# %% slideshow={"slide_type": "subslide"}
print(security.tables(resultats_non_iid, "non-IID"))

# %% [markdown] slideshow={"slide_type": "fragment"}
# Regardez d'abord la colonne « sans attaque » et comparez-la au tableau
# IID : Krum, qui ne garde qu'**un** client par tour, n'apprend à chaque
# tour que les deux chiffres de ce client ; la médiane et la moyenne
# tronquée perdent aussi beaucoup d'exactitude. Les portes dérobées, elles,
# passent plus facilement qu'en IID. Une défense robuste suppose que les
# honnêtes se ressemblent : c'est faux en non-IID, où un client
# malveillant se cache parmi des clients honnêtes tous différents.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le lien avec 08 : écrêtage + bruit
#
# DP-FedAvg (08) écrête chaque mise à jour à une norme `S` puis ajoute un
# bruit gaussien : **aucun** client ne peut peser plus que `S` dans la
# somme. C'est aussi une défense (Sun et al., 2019, « Can you really
# backdoor federated learning? ») : essayons l'agrégateur de 08, avec
# `S = 1` et un petit bruit.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "subslide"}
BRUIT = 0.1
scenarios_dp = {
    s: scenarios_iid[s]
    for s in [
        "sans attaque",
        f"inversion ({PLUSIEURS} clients)",
        "remplacement (1 client)",
    ]
}
resultats_dp = {(d, s): h for (d, s), h in resultats_iid.items() if d == "fedavg"}
resultats_dp |= security.compare(
    ["dp"],
    scenarios_dp,
    TOURS,
    (x_test, y_test),
    seed=SEED,
    noise_multiplier=BRUIT,
    clip=1.0,
    log=None,
)
resultats_dp = {k: h for k, h in resultats_dp.items() if k[1] in scenarios_dp}

# %% slideshow={"slide_type": "subslide"}
print(
    security.tables(
        resultats_dp, f"IID, bruit z = {formatting.number(BRUIT, 1)}, S = 1"
    )
)
eps = privacy.epsilon(BRUIT, NUM_CLIENTS, NUM_CLIENTS, TOURS)
delta = privacy.default_delta(NUM_CLIENTS)
print(
    f"\nε de cet entraînement (δ = {formatting.number(delta, 3)}) : {formatting.integer(eps)}"
)

# %% [markdown] slideshow={"slide_type": "fragment"}
# Ce que l'écrêtage + bruit **arrête** : une mise à jour gonflée (le
# remplacement de modèle) ne pèse pas plus qu'une autre. Ce qu'il
# **n'arrête pas** : des clients dont les mises à jour ont une taille
# normale mais une mauvaise direction (l'inversion d'étiquettes, une porte
# dérobée patiente) — la borne porte sur la taille, pas sur le sens. Et avec
# un bruit aussi faible sur 10 clients, l'ε calculé ne garantit plus rien :
# la même technique sert deux buts, avec des réglages très différents.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Le serveur ne voit pas les données : un client peut **empoisonner** le
#   modèle par ses données (inversion d'étiquettes, porte dérobée) ou par
#   sa mise à jour (remplacement de modèle, γ × la mise à jour).
# - La porte dérobée est discrète : l'exactitude propre ne la révèle pas ;
#   il faut mesurer son succès.
# - Les défenses changent l'**agrégation** : écrêtage et mise à zéro (TFF)
#   bornent la taille ; médiane, moyenne tronquée et Krum écartent les
#   valeurs isolées. Dans TFF, ce sont des agrégateurs comme les autres.
# - Aucune défense n'est gratuite : elles coûtent de l'exactitude, surtout
#   en **non-IID**, où un client honnête ressemble à un client malveillant.
# - L'écrêtage + bruit de DP borne l'influence de chacun, mais n'arrête pas
#   une attaque de taille normale.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Jusqu'où tient la médiane ?** En IID, faites passer le nombre de
#    clients qui inversent leurs étiquettes de 1 à 5 (sur 10) et comparez
#    FedAvg et la médiane. À partir de combien la médiane cède-t-elle ?
#    Pourquoi ce nombre ?
# 2. **Un attaquant plus discret.** Le remplacement de modèle avec γ = 2,
#    5 puis 10 : contre quelle valeur de γ la mise à zéro (seuil adaptatif)
#    réagit-elle ? Et l'écrêtage ? Regardez `hist.rounds[-1]["aggregator"]`
#    (nombre de clients écrêtés ou mis à zéro).
# 3. **Régler la moyenne tronquée.** Contre la porte dérobée posée par 3
#    clients, comparez β = 0,1, 0,2 et 0,4, avec et sans attaque. Quel β
#    choisir, et que coûte-t-il ?
#
# Solutions : [solutions/11_securite_solutions.ipynb](solutions/11_securite_solutions.ipynb).
