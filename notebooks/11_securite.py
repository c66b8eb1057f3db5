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
# # 11 — Sécurité : clients malveillants et agrégations robustes
#
# « Assurer la confidentialité et la sécurité » : c'est le premier défi du
# federated learning cité par la présentation. Le notebook 08 protège les
# **clients** contre un serveur trop curieux ; ici, on protège le **modèle**
# contre des clients qui trichent.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : 08 protégeait les clients du serveur ; 11 protège le modèle
#   des clients. Le serveur ne peut rien vérifier : il ne voit que des
#   mises à jour. Plan : attaques, défenses, leur prix (non-IID), lien
#   avec la DP de 08.
# - Question à la salle : « Dans un hôpital participant, qui pourrait avoir
#   intérêt à fausser le modèle commun ? »
# - Réponse attendue : un concurrent, un employé malveillant, un appareil
#   piraté ; ou un client qui veut qu'une entrée précise (une porte
#   dérobée) soit toujours classée comme il l'entend.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le problème, et le plan
#
# Le serveur ne voit jamais les données des clients : il ne peut donc pas
# vérifier ce qu'ils envoient. Nous allons attaquer FedAvg, mesurer les
# dégâts, puis essayer des agrégations qui résistent — et mesurer ce
# qu'elles coûtent.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs
#
# À la fin de ce notebook, vous saurez :
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

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Durée et prérequis
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

# Messages C++ de TensorFlow (en anglais, sans conséquence ici, comme « Failed to
# detect the fetch node(s) ») : masqués. À régler avant d'importer TensorFlow.
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

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
# Les réglages communs des scénarios d'attaque (security.attack_scenarios).
ATTAQUES = dict(target=CIBLE, several=PLUSIEURS, boost=GAMMA, seed=SEED)
print(
    f"TensorFlow {tf.__version__}, TFF {tff.__version__} ; mode rapide : "
    f"{'oui' if QUICK else 'non'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le modèle de menace
#
# Un client malveillant contrôle **ses** données et **son** calcul, rien
# d'autre : il ne voit pas les autres clients et ne touche pas au serveur.
#
# | Attaque | Ce que fait le client malveillant | Son but |
# |---|---|---|
# | **Inversion d'étiquettes** | entraîne sur des étiquettes fausses (`y → 9 − y`) | dégrader le modèle |
# | **Porte dérobée** | ajoute un petit carré blanc (le *déclencheur*) à une partie de ses images, étiquetées « 0 » | faire répondre « 0 » dès que le carré apparaît |
# | **Remplacement de modèle** | pose la porte dérobée **et** multiplie sa mise à jour par γ = 10 | que sa mise à jour l'emporte sur la moyenne des autres |
#
# Le serveur ne peut agir qu'au moment où il **agrège** les mises à jour :
# c'est là que se placent les défenses.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : insister sur l'asymétrie avec 08. En 08, le serveur est
#   l'adversaire (il veut lire les données) ; ici, ce sont des clients (ils
#   veulent influencer le modèle). Les deux se combinent mal : l'agrégation
#   sécurisée de 08 cache au serveur les mises à jour qu'une défense
#   voudrait inspecter. La porte dérobée est la plus inquiétante :
#   l'exactitude reste bonne, rien ne l'annonce.
# - Question à la salle : « Pourquoi mettre le déclencheur en bas à droite
#   de l'image, et pas au centre ? »
# - Réponse attendue : les chiffres de MNIST n'ont jamais d'encre dans ce
#   coin ; les clients honnêtes n'y touchent pas, le déclencheur ne gêne
#   pas la lecture du chiffre et rien n'efface ce que l'attaquant y écrit.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Dix clients, et le déclencheur
#
# Chaque client a une part IID de MNIST. Le déclencheur : un carré de 4 × 4
# pixels blancs en bas à droite. Le client qui pose la porte dérobée le met
# sur la moitié de ses images, étiquetées « 0 » ; l'autre moitié reste
# honnête, pour que son modèle reste bon.

# %% slideshow={"slide_type": "-"}
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
n = NUM_CLIENTS * EXEMPLES_PAR_CLIENT
x, y = x_complet[:n], y_complet[:n]  # les exemples des 10 clients
test = (x_test_complet[:N_TEST], y_test_complet[:N_TEST])
parts_iid = partition.iid(y, NUM_CLIENTS, seed=SEED)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le même client, honnête puis malveillant

# %% slideshow={"slide_type": "-"}
security.trigger_examples(x, y, target=CIBLE, seed=SEED)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les attaques contre FedAvg
#
# Cinq scénarios : aucun client malveillant, l'inversion d'étiquettes par
# plusieurs clients, la porte dérobée posée par 1 puis par plusieurs
# clients, le remplacement de modèle par un seul. À chaque tour, on mesure
# l'**exactitude** sur des images de test propres et le **succès de la
# porte dérobée** : la part des images de test (hors « 0 ») qui, avec le
# carré, sont classées « 0 ».

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 10 min)
#
# - À dire : `attack_scenarios` fabrique les données des 10 clients pour
#   chaque scénario (ouvrez `fltutor/security.py` si la salle le demande).
#   Faire lire les deux figures ensemble : l'une montre ce que voit
#   l'équipe (l'exactitude), l'autre ce que veut l'attaquant.
# - Question à la salle : « Sur quelle figure verrait-on la porte dérobée
#   si l'on ne mesurait que l'exactitude habituelle ? »
# - Réponse attendue : sur aucune : l'exactitude propre ne bouge presque
#   pas ; seul le taux de succès, qu'il faut penser à mesurer, la révèle.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### FedAvg contre les cinq scénarios

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
scen_iid = security.attack_scenarios(x, y, parts_iid, **ATTAQUES)
res_iid = security.compare(["fedavg"], scen_iid, TOURS, test, seed=SEED)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exactitude et succès de la porte dérobée, tour par tour

# %% slideshow={"slide_type": "-"}
security.curves(res_iid, "fedavg", title="FedAvg face aux attaques (IID)")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Lire les deux figures ensemble
#
# - L'inversion d'étiquettes se voit sur l'exactitude : c'est une attaque
#   bruyante.
# - La porte dérobée ne se voit **pas** sur l'exactitude propre, seulement
#   sur la seconde figure. Elle prend bien : les pixels du coin sont
#   toujours noirs chez les clients honnêtes, leurs mises à jour ne
#   touchent jamais les poids de ces pixels, et rien n'efface ce qu'y écrit
#   l'attaquant.
# - Le remplacement de modèle (γ = 10) pose la porte dérobée dès les
#   premiers tours, par un seul client, et l'exactitude propre ne bouge
#   presque pas.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Les défenses : agréger autrement
#
# FedAvg fait la **moyenne** : un seul client peut la tirer aussi loin qu'il
# veut. Les défenses changent l'agrégation, et seulement elle :
#
# - **écrêtage** (`tff.aggregators.clipping_factory`) : chaque mise à jour
#   ramenée à une norme maximale (adaptative : le quantile 0,8 des normes) ;
# - **mise à zéro** (`tff.aggregators.zeroing_factory`) : une mise à jour
#   bien trop grande est remplacée par zéro (seuil adaptatif) ;
# - **médiane**, coordonnée par coordonnée ;
# - **moyenne tronquée** (β = 0,2) : pour chaque poids, on retire les 20 %
#   de valeurs les plus basses et les plus hautes, puis on moyenne ;
# - **Krum** : on garde la seule mise à jour la plus proche de ses voisines.
#
# TFF fournit les deux premières ; les trois autres sont des agrégateurs TFF
# écrits dans `fltutor.security`.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min)
#
# - À dire : deux familles. Écrêtage et mise à zéro regardent la **taille**
#   d'une mise à jour ; médiane, moyenne tronquée et Krum regardent ses
#   **valeurs** par rapport aux autres. Dans TFF, une défense n'est qu'un
#   agrégateur : le reste de FedAvg ne change pas.
# - Question à la salle : « Sur l'essai à 10 clients, dont 3 envoient
#   1 000, que vaut la moyenne ? Et la médiane ? »
# - Réponse attendue : la moyenne vaut environ 300 (3 × 1 000 / 10) ; la
#   médiane reste parmi les valeurs honnêtes, car les 3 tricheurs ne sont
#   pas la majorité.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une défense est un agrégateur TFF
#
# TFF 0.87 n'a plus `federated_collect`. La médiane rassemble donc les mises
# à jour au serveur avec `tff.aggregators.federated_sample` (qui les garde
# toutes si l'échantillon est assez grand), puis les réduit avec un calcul
# TensorFlow (`tf.sort`, puis la valeur du milieu). `security.aggregate`
# fait un tour d'un agrégateur sur des vecteurs donnés.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Essai : 7 clients honnêtes, 3 qui envoient 1 000

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
rng = np.random.default_rng(SEED)
honnetes = list(rng.normal(size=(7, 3)).astype(np.float32))
envois = honnetes + [np.full(3, 1000.0, np.float32)] * 3
n = len(envois)
agregateurs = {
    "Moyenne (FedAvg)": tff.aggregators.UnweightedMeanFactory(),
    "Médiane": security.MedianFactory(max_clients=n),
    "Moyenne tronquée": security.TrimmedMeanFactory(beta=0.3, max_clients=n),
    "Krum": security.KrumFactory(num_malicious=3, max_clients=n),
}

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que répond chaque agrégateur

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
print(security.aggregation_table(agregateurs, envois, honest=honnetes))

# %% [markdown] slideshow={"slide_type": "fragment"}
# La moyenne est emportée par les envois géants ; les trois autres restent
# entre les valeurs honnêtes (`tests/test_security.py` compare médiane et
# moyenne tronquée à NumPy et SciPy).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Attaques × défenses (données IID)
#
# Les mêmes scénarios, avec chaque défense ; on lit ensuite l'exactitude
# propre et le succès de la porte dérobée au dernier tour.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
options = dict(seed=SEED, num_malicious=PLUSIEURS, log=None)
res_iid |= security.compare(DEFENSES, scen_iid, TOURS, test, **options)

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 10 min)
#
# - À dire : lire chaque tableau ligne par ligne contre FedAvg, puis la
#   colonne « sans attaque » : c'est le prix payé quand personne
#   n'attaque. En mode complet, l'entraînement de cette cellule prend
#   plusieurs minutes : lancer la cellule avant d'expliquer les défenses.
# - Question à la salle : « Pourquoi la moyenne tronquée à β = 0,2 laisse-
#   t-elle passer la porte dérobée posée par 3 clients, mais pas par 1 ? »
# - Réponse attendue : β = 0,2 sur 10 clients n'écarte que 2 valeurs de
#   chaque côté ; avec 3 attaquants, il en reste au moins un dans la
#   moyenne de chaque coordonnée.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exactitude propre au dernier tour (IID)

# %% slideshow={"slide_type": "-"}
print(security.results_table(res_iid, "test_accuracy"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Succès de la porte dérobée au dernier tour (IID)

# %% slideshow={"slide_type": "-"}
print(security.results_table(res_iid, "backdoor_success"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce qu'il faut chercher dans les tableaux
#
# - L'écrêtage et la mise à zéro ne regardent que la **norme**. L'écrêtage
#   ramène la mise à jour gonflée au poids d'un client ordinaire, sans
#   l'annuler ; la mise à zéro adaptative de TFF, réglée pour des valeurs
#   aberrantes, laisse passer une mise à jour « seulement » dix fois trop
#   grande. Aucun des deux ne voit une mise à jour de taille normale.
# - La médiane, la moyenne tronquée et Krum regardent les **valeurs** :
#   des clients isolés sont écartés, tant qu'ils sont moins nombreux que ce
#   que la défense écarte (β = 0,2 n'écarte que 2 valeurs de chaque côté).
# - La colonne « sans attaque » donne le **prix** de chaque défense quand
#   personne n'attaque : Krum, qui ne garde qu'une mise à jour sur 10,
#   apprend moins vite.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une porte dérobée (1 client), chaque défense

# %% slideshow={"slide_type": "-"}
security.success_curves(res_iid, "porte dérobée (1 client)", figsize=(8, 3))

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le prix des défenses : données non-IID
#
# En non-IID, les clients **honnêtes** ne se ressemblent plus : chacun n'a
# que deux chiffres (répartition en « tessons » de McMahan et al., voir 07).
# Une défense qui écarte les mises à jour « différentes » écarte alors
# aussi… des clients honnêtes.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
parts_non_iid = partition.shards(y, NUM_CLIENTS, 2, seed=SEED)  # 2 tessons
scen_non_iid = security.attack_scenarios(x, y, parts_non_iid, **ATTAQUES)
toutes = ["fedavg", *DEFENSES]
res_non_iid = security.compare(toutes, scen_non_iid, TOURS, test, **options)

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min)
#
# - À dire : comparer la colonne « sans attaque » des tableaux IID et
#   non-IID avant de regarder les attaques. Les défenses robustes supposent
#   que les honnêtes se ressemblent ; en non-IID, c'est faux.
# - Question à la salle : « Pourquoi Krum perd-il autant d'exactitude en
#   non-IID, même sans aucune attaque ? »
# - Réponse attendue : Krum ne garde qu'une mise à jour par tour, celle
#   d'un client qui n'a vu que deux chiffres : le modèle global n'apprend à
#   chaque tour que ces deux chiffres.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exactitude propre au dernier tour (non-IID)

# %% slideshow={"slide_type": "-"}
print(security.results_table(res_non_iid, "test_accuracy"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Succès de la porte dérobée au dernier tour (non-IID)

# %% slideshow={"slide_type": "-"}
print(security.results_table(res_non_iid, "backdoor_success"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que coûte le non-IID
#
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
# `S = 1` et un petit bruit, contre trois scénarios.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
BRUIT = 0.1
DP = dict(noise_multiplier=BRUIT, clip=1.0, seed=SEED, log=None)  # S = 1
inversion = f"inversion ({PLUSIEURS} clients)"
garder = ["sans attaque", inversion, "remplacement (1 client)"]
scen_dp = {s: scen_iid[s] for s in garder}
res_dp = security.select(res_iid, defences=["fedavg"], scenarios=garder)
res_dp |= security.compare(["dp"], scen_dp, TOURS, test, **DP)

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 7 min)
#
# - À dire : la même technique (écrêter puis bruiter) sert deux buts,
#   avec des réglages très différents. Ici le bruit est faible : la
#   défense vient surtout de l'écrêtage ; l'ε affiché ne protège plus
#   personne.
# - Question à la salle : « L'écrêtage à S = 1 arrête le remplacement de
#   modèle ; pourquoi n'arrête-t-il pas l'inversion d'étiquettes ? »
# - Réponse attendue : la mise à jour d'un client qui inverse ses
#   étiquettes a une taille normale, l'écrêtage ne la touche pas ; seule
#   sa direction est mauvaise, et la borne porte sur la taille.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Écrêtage + bruit : exactitude propre au dernier tour

# %% slideshow={"slide_type": "-"}
print(security.results_table(res_dp, "test_accuracy"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Écrêtage + bruit : succès de la porte dérobée au dernier tour

# %% slideshow={"slide_type": "-"}
print(security.results_table(res_dp, "backdoor_success"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le budget ε de cet entraînement

# %% slideshow={"slide_type": "-"}
eps = privacy.epsilon(BRUIT, NUM_CLIENTS, NUM_CLIENTS, TOURS)
delta = formatting.number(privacy.default_delta(NUM_CLIENTS), 3)
print(f"ε de cet entraînement (δ = {delta}) : {formatting.integer(eps)}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que l'écrêtage + bruit arrête, et ce qu'il laisse passer
#
# Il **arrête** une mise à jour gonflée (le remplacement de modèle), qui ne
# pèse pas plus qu'une autre. Il **n'arrête pas** des clients dont les
# mises à jour ont une taille normale mais une mauvaise direction
# (l'inversion d'étiquettes, une porte dérobée patiente) : la borne porte
# sur la taille, pas sur le sens. Et avec un bruit aussi faible sur 10
# clients, l'ε calculé ne garantit plus rien : la même technique sert deux
# buts, avec des réglages très différents.

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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : faire reformuler chaque point par la salle plutôt que le lire.
# - Question à la salle : « Vous déployez FedAvg chez 10 hôpitaux aux
#   patients très différents : choisiriez-vous Krum ? »
# - Réponse attendue : non : en non-IID, Krum écarte des hôpitaux honnêtes
#   et le modèle perd beaucoup d'exactitude ; mieux vaut un écrêtage (qui
#   borne l'influence de chacun) et mesurer le succès d'éventuelles portes
#   dérobées.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# Le cahier [exercices/11_securite_exercices.ipynb](exercices/11_securite_exercices.ipynb)
# vérifie chaque réponse (`verifier.exercice`) ; les calculs durent quelques minutes.
#
# 1. **Jusqu'où tient la médiane ?** ★ découverte · 15 min · calcul long (≈ 6 min).
#    De 1 à 5 inverseurs d'étiquettes sur 10 : quand la médiane cède-t-elle ?
# 2. **Un attaquant plus discret.** ★★ application · 20 min · calcul long (≈ 5 min).
#    Remplacement de modèle, γ = 2, 5, 10 : qui réagit, mise à zéro ou écrêtage ?
# 3. **Régler la moyenne tronquée.** ★★★ approfondissement · 20 min · calcul long (≈ 6 min).
#    β = 0,1, 0,2, 0,4 contre une porte dérobée à 3 clients : quel β, à quel prix ?
#
# Solutions : [solutions/11_securite_solutions.ipynb](solutions/11_securite_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 6 min)
#
# - À dire : chaque exercice relance des entraînements (quelques minutes
#   en mode complet) : les faire en binômes, un exercice par binôme, puis
#   mise en commun.
# - Question à la salle : « Avant de lancer l'exercice 1 : à partir de
#   combien d'inverseurs sur 10 la médiane devrait-elle céder ? »
# - Réponse attendue : vers 5 : la médiane résiste tant que les
#   malveillants sont moins de la moitié des clients.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Une réponse par question (onglets Q1, Q2…), puis « Vérifier » : la
# correction et son explication s'affichent.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("11")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : chacun répond seul, puis on compare à deux ; on ne lit
#   l'explication qu'après avoir voté.
# - Question à la salle : « Une porte dérobée posée par un seul client
#   fait-elle baisser l'exactitude propre du modèle ? »
# - Réponse attendue : presque pas, et c'est le piège : elle peut réussir
#   sans toucher l'exactitude propre ; on la mesure donc à part (taux de
#   succès de la porte dérobée), comme dans les tableaux du notebook.
