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
# tour, dans les deux sens, pour chaque client.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : le fédéré ne supprime pas la communication, il la déplace :
#   des données (une fois) vers des modèles (à chaque tour). Plan : compter,
#   puis deux leviers (moins de tours, des mises à jour plus petites).
# - Question à la salle : « À votre avis, pour MNIST, qu'est-ce qui pèse le
#   plus : les 600 images d'un client, ou une copie du CNN du cours ? »
# - Réponse attendue : la copie du CNN (6,65 Mo contre moins de 0,5 Mo de
#   données) : la réponse surprend souvent, on la vérifie juste après.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le plan
#
# Ce notebook compte ces octets, montre comment FedAvg échange du calcul
# local contre des tours de communication, et compresse les mises à jour
# avec les agrégateurs de TFF.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs
#
# À la fin de ce notebook, vous saurez :
#
# - calculer les octets échangés par tour (serveur → clients et clients →
#   serveur) à partir du modèle ;
# - comparer le coût d'envoyer les données brutes et celui d'envoyer des
#   mises à jour ;
# - expliquer le compromis de McMahan et al. : plus de calcul local (E, B)
#   pour moins de tours ;
# - compresser les mises à jour par quantification avec TFF, et mesurer le
#   gain en octets et l'effet sur l'exactitude.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Durée et prérequis
#
# **Durée** : 45 minutes.
#
# **Prérequis** : [06 — Exemple MNIST](06_exemple_mnist.ipynb) (FedAvg, E,
# B, tours de communication).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
# %matplotlib inline
import os
import pathlib

# Messages C++ de TensorFlow (en anglais, sans conséquence ici, comme « Failed to
# detect the fetch node(s) ») : masqués. À régler avant d'importer TensorFlow.
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import tensorflow as tf
import tensorflow_federated as tff

import fltutor
from fltutor import communication, data, federated, formatting, models, partition, plots

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
    return formatting.number(octets / 1e6, 2) + " Mo"


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

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 8 min)
#
# - À dire : tout se déduit du nombre de paramètres (4 octets chacun). La
#   comparaison avec les données brutes est le point clé : le fédéré
#   protège les données, il n'économise pas toujours le réseau.
# - Question à la salle : « Pour quelles données le fédéré devient-il
#   économe en octets ? »
# - Réponse attendue : des données volumineuses (photos, voix, vidéo) avec
#   un petit modèle : les envoyer coûterait plus que quelques copies du
#   modèle.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le CNN et le « 2NN » du cours

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
for nom in ("cnn", "mlp"):
    n_params = formatting.integer(models.count_params(models.get(nom)()))
    tour = communication.bytes_per_round(nom, clients_per_round=10)
    copie, bas, haut = tour["per_client_down"], tour["down"], tour["up"]
    print(f"{nom.upper()} : {n_params} paramètres → {mo(copie)} par copie ;")
    print(f"      un tour à 10 clients : {mo(bas)} ↓ + {mo(haut)} ↑")
cnn = communication.bytes_per_round("cnn", clients_per_round=10)
total = mo(100 * (cnn["down"] + cnn["up"]))
print(f"100 tours du CNN à 10 clients : {total} au total")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Données brutes ou mises à jour ?
#
# Un client de MNIST a 600 images de 28 × 28 octets. Combien coûterait-il
# d'envoyer ses données **une fois**, plutôt que des mises à jour à chaque
# tour ?

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
donnees = 600 * (28 * 28 + 1)  # images uint8 + une étiquette par image
print(f"Données brutes d'un client (600 images) : {mo(donnees)}, une fois")
for nom in ("mlp", "cnn"):
    par_tour = 2 * communication.upload_bytes(nom)  # descente + montée
    fois = formatting.number(par_tour / donnees, 1)
    print(f"{nom.upper()} : {mo(par_tour)} par tour ({fois} × ses données)")

# %% [markdown] slideshow={"slide_type": "fragment"}
# Surprise : pour MNIST, un seul tour coûte plus que les données elles-mêmes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce qu'un client échange, tour après tour

# %% slideshow={"slide_type": "-"}
modeles = ("mlp", "cnn")
par_tour = {n.upper(): 2 * communication.upload_bytes(n) for n in modeles}
plots.cumulative_bytes(par_tour, once=donnees)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que le fédéré économise vraiment
#
# L'apprentissage fédéré ne réduit pas toujours les octets : il évite que
# les données **quittent** l'appareil (confidentialité, réglementation), et
# il devient économe quand les données sont volumineuses (photos, voix,
# vidéo) et le modèle petit. Le nombre de tours et la taille des mises à
# jour sont donc les deux leviers à surveiller — ce qui suit.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Moins de tours : le compromis de McMahan et al.
#
# Chaque client fait `u = E · n / B` pas de SGD par tour (n exemples,
# E époques, lots de B). FedSGD (E = 1, B = ∞) fait **un** pas par tour ;
# FedAvg en fait des dizaines. McMahan et al. (2017) montrent que plus de
# calcul local divise le nombre de tours — donc d'octets — nécessaires
# pour une exactitude donnée.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 15 min)
#
# - À dire : même nombre d'octets par tour, mais beaucoup moins de tours :
#   c'est l'argument central de FedAvg. Lancer l'expérience en direct avant
#   de commenter le banc (quelques minutes en mode complet).
# - Question à la salle : « Avec E = 5 et B = 10 sur 600 exemples, combien
#   de pas de SGD un client fait-il par tour ? »
# - Réponse attendue : u = 5 × 600 / 10 = 300 pas, contre 1 seul pour
#   FedSGD.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que dit l'article
#
# Pour leur CNN sur MNIST (objectif 99 %), le meilleur réglage (E = 20,
# B = 10) demande 34,8 fois moins de tours que FedSGD en IID, et 2,8 fois
# moins en non-IID (McMahan et al., 2017, tableau 2). Les gains proches de
# 100 (95,3 fois en non-IID, même tableau) concernent leur modèle de
# langage LSTM sur Shakespeare, pas MNIST.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les mesures du banc d'essai du cours (`make bench`)
#
# Les expériences de l'article refaites avec le CNN. « > N » : le budget
# de N tours du banc (des heures sur 2 cœurs) n'a pas suffi.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
banc = pathlib.Path("..") / "bench" / "results" / "mcmahan" / "results.csv"
print(communication.bench_summary(banc))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Une petite expérience en direct
#
# Même processus FedAvg, mêmes clients IID ; seuls E et B changent (ils ne
# modifient que les jeux de données des clients). E = 1, B = ∞ est
# exactement FedSGD. On compte les tours pour atteindre l'objectif, et les
# octets que cela représente.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
(x_complet, y_complet), (x_test_complet, y_test_complet) = data.load_mnist()
x, y = x_complet[:N_TRAIN], y_complet[:N_TRAIN]
test = (x_test_complet[:N_TEST], y_test_complet[:N_TEST])
parts = partition.iid(y, NUM_CLIENTS, seed=SEED)
process = federated.build_process("fedavg", model=MODELE, client_lr=0.1)
REGLAGES = dict(
    clients_per_round=CLIENTS_PAR_TOUR,
    test_data=test,
    model=MODELE,
    seed=SEED,
    progress=False,
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### FedSGD, puis de plus en plus de calcul local

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
CONFIGS = {
    "FedSGD (E=1, B=∞)": (1, None),
    "E=1, B=10": (1, 10),
    "E=5, B=10": (5, 10),
}
historiques_eb = communication.compare_local_work(
    process, CONFIGS, x, y, parts, TOURS, target_accuracy=OBJECTIF, **REGLAGES
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Plus de calcul local, moins de tours

# %% slideshow={"slide_type": "-"}
ax = plots.new_figure(figsize=(8, 2.8)).add_subplot()
plots.training_curves(historiques_eb, ax=ax, target=OBJECTIF)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que montre la figure
#
# FedSGD progresse d'un seul pas de gradient par tour : il lui faudrait des
# centaines de tours. Avec E = 5 et B = 10, l'objectif arrive en quelques
# tours : le même nombre d'octets par tour, mais beaucoup moins de tours.
# Le prix : plus de calcul sur les appareils, et plus de dérive si les
# données sont non-IID (notebook [07](07_non_iid_algorithmes.ipynb)).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Compresser les mises à jour
#
# Deuxième levier : réduire la taille de chaque mise à jour. TFF le fait
# dans l'**agrégateur** : `tff.aggregators.EncodedSumFactory.quantize_above_threshold`
# quantifie chaque tenseur de plus de 20 000 nombres sur 8 bits (entre son
# minimum et son maximum), au lieu de 32 ; les petits tenseurs (biais)
# partent tels quels. `tff.learning.compression_aggregator()` en est la
# version « clé en main » (avec en plus un écrêtage adaptatif).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 12 min)
#
# - À dire : la compression ne touche que la montée, et seulement les gros
#   tenseurs. L'arrondi stochastique de TFF est sans biais : les courbes se
#   superposent presque. À octets égaux, la version compressée est bien
#   plus avancée.
# - Question à la salle : « 32 bits → 8 bits : pourquoi gagne-t-on un peu
#   moins que 4 fois ? »
# - Réponse attendue : les petits tenseurs (biais) restent en 32 bits, et
#   TFF range 7 valeurs de 8 bits dans 2 entiers de 32 bits (28 bits
#   utilisés sur 32), plus le minimum et le maximum de chaque tenseur.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Combien d'octets gagne-t-on ?
#
# Compte tenseur par tenseur, vérifié par l'encodeur de TFF :

# %% tags=["nbval-check-output"] slideshow={"slide_type": "-"}
for nom in ("cnn", "mlp"):
    brut = communication.upload_bytes(nom)
    compresse = communication.upload_bytes(nom, compressed=True)
    gain = formatting.number(brut / compresse, 2)
    mesure = mo(communication.encoded_bytes(nom))
    print(f"{nom.upper()} : montée {mo(brut)} → {mo(compresse)} (÷ {gain})")
    print(f"      mesuré sur l'encodeur de TFF : {mesure}")
print("Tenseurs du CNN :", communication.tensor_sizes("cnn"))

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Pourquoi un peu moins que 4 fois ?
#
# « 32 → 8 bits » promet 4 fois moins d'octets. Mais les petits
# tenseurs restent en 32 bits, et TFF range les valeurs de 8 bits dans des
# entiers de 32 bits dont il n'utilise que 28 bits (7 valeurs pour 2
# entiers). La descente (le modèle global), elle, n'est pas compressée.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Et l'exactitude ?
#
# Même répartition, mêmes clients, E = 1, B = 10 : FedAvg ordinaire contre
# FedAvg avec l'agrégateur compressé de `communication.compression_aggregator()`,
# qui compte aussi, dans TFF, les octets réellement produits par les
# clients (mesure ajoutée avec `tff.aggregators.add_measurements`).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
jeux_e1 = federated.client_datasets(x, y, parts, batch_size=10, seed=SEED)
agregateur = communication.compression_aggregator()
process_8bits = federated.build_process(
    "fedavg", model=MODELE, client_lr=0.1, aggregator=agregateur
)
octets = communication.upload_bytes(MODELE, compressed=True)
compresse = federated.train(
    process_8bits, jeux_e1, TOURS, bytes_up_per_client=octets, **REGLAGES
)
ordinaire = federated.train(process, jeux_e1, TOURS, **REGLAGES)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### La mesure de TFF et notre compte
#
# La mesure de TFF (métriques « aggregator » de chaque tour) est gardée dans
# l'historique, à côté de notre compte à la main (`bytes_up`).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
cle = communication.BYTES_MEASUREMENT
mesures = [m[cle] for m in compresse.column("aggregator")]
m, premier = CLIENTS_PAR_TOUR, mo(mesures[0])
print(f"Octets envoyés par {m} clients, mesurés dans TFF : {premier}")
egales = "oui" if mesures == compresse.column("bytes_up") else "NON"
print("Mesure de TFF = compte à la main, à chaque tour :", egales)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### 32 bits contre 8 bits

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
comparaison = {
    "FedAvg (32 bits)": ordinaire,
    "FedAvg compressé (8 bits)": compresse,
}
for nom, h in comparaison.items():
    exactitude = formatting.percent(h.final_accuracy)
    montee = mo(sum(h.column("bytes_up")))
    print(f"{nom:<26} exactitude finale {exactitude} ; montée {montee}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exactitude selon les tours, et selon les octets

# %% slideshow={"slide_type": "-"}
plots.accuracy_and_bytes(comparaison)

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Ce que montrent les deux figures
#
# Les deux courbes de gauche se superposent presque : 8 bits suffisent
# pour des mises à jour (c'est le réglage par défaut de TFF, choisi pour ne
# pas dégrader la qualité). TFF arrondit au hasard (arrondi stochastique,
# sans biais) : deux exécutions de la version compressée diffèrent donc
# légèrement. À droite, à octets envoyés égaux, la version compressée est
# bien plus avancée. On peut aller plus loin : moins de bits (exercice 1),
# rotation aléatoire avant de quantifier
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
#   montée, pour une exactitude presque identique).
# - TFF compresse dans l'agrégateur (`EncodedSumFactory`,
#   `compression_aggregator`) et permet d'ajouter ses propres mesures
#   (`add_measurements`).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : résumer par les deux leviers et leur prix (calcul sur les
#   appareils, dérive en non-IID ; un peu de bruit de quantification).
# - Question à la salle : « Quel levier choisir pour des téléphones à la
#   batterie faible mais au réseau rapide ? »
# - Réponse attendue : plutôt peu de calcul local (E petit) et une
#   compression modérée : le calcul coûte plus cher que le réseau ici.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# 1. **Moins de bits** — ★ découverte · 10 min · calcul long (≈ 2 min) :
#    la montée du CNN sur 2 à 12 bits, puis le « 2NN » entraîné sur 2 bits.
# 2. **Le coût de l'objectif** — ★★ application · 15 min · calcul long
#    (≈ 3 min) : octets et pas de SGD jusqu'à l'objectif, pour chaque E, B.
# 3. **Sur un vrai réseau** — ★★★ approfondissement · 15 min : secondes de
#    réseau par tour en 4G, avec et sans compression.
#
# Cahier d'exercices, vérifiés automatiquement :
# [exercices/09_communication_exercices.ipynb](exercices/09_communication_exercices.ipynb).
#
# Solutions : [solutions/09_communication_solutions.ipynb](solutions/09_communication_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : l'exercice 3 se fait à la main (ou en trois lignes de
#   Python) ; le 1 demande un entraînement court, le 2 trois entraînements.
# - Question à la salle : « Pour l'exercice 3, qu'est-ce qui limite le
#   plus : la descente ou la montée ? »
# - Réponse attendue : la montée : le débit montant (10 Mbit/s) est cinq
#   fois plus faible que le descendant, pour des volumes égaux sans
#   compression.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Dans chaque onglet, choisissez votre réponse, puis cliquez sur « Vérifier ».

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("09")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : chacun répond seul d'abord, puis on compare à deux ; on ne
#   corrige au tableau que les questions qui divisent la salle.
# - Question à la salle : « Plus de calcul local (E = 5) : un tour coûte-t-il
#   plus d'octets ? »
# - Réponse attendue : non : un tour coûte toujours une copie du modèle en
#   descente et une en montée par client ; E et B ne changent que le nombre
#   de tours jusqu'à l'objectif, donc le total.
