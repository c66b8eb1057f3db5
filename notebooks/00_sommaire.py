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
# # L'apprentissage fédéré avec TensorFlow — sommaire du cours
#
# *Federated learning* : entraîner **ensemble** un modèle sur les données de
# milliers d'appareils, **sans que ces données quittent les appareils**.
#
# Ce cours suit la présentation « Federated Learning — TensorFlow » diapositive
# par diapositive, puis va plus loin : chaque idée est accompagnée d'une
# expérience que vous exécutez vous-même.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : le cours reprend la présentation diapositive par diapositive ;
#   chaque affirmation est vérifiée par une expérience que la salle exécute.
# - Question à la salle : « Citez une application de votre téléphone qui
#   apprend de vos habitudes. Où sont stockées les données qu'elle utilise ? »
# - Réponse attendue : le clavier (mot suivant), la galerie photo (visages),
#   l'assistant vocal ; les données sont sur le téléphone, et on voudrait
#   qu'elles y restent : c'est le point de départ du fédéré.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Objectifs, durée, prérequis
#
# **Objectifs** — à la fin de ce notebook, vous saurez :
#
# - vous repérer dans le cours et retrouver chaque diapositive dans les notebooks ;
# - utiliser le cours comme étudiant (JupyterLab, Binder) ou comme enseignant
#   (diaporama RISE, export HTML) ;
# - lancer le cours en **mode rapide** et **hors ligne** ;
# - vérifier que votre environnement (Python, TensorFlow, TFF) est prêt.
#
# **Durée** : 10 minutes.
#
# **Prérequis** : aucun. Savoir exécuter une cellule (`Maj+Entrée`) suffit.

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "skip"}
# Réglages du notebook (cellule masquée dans le diaporama).
import os
import platform

import numpy as np
import tensorflow_federated as tff

import fltutor
from fltutor import environment, runtime

QUICK = fltutor.quick_mode()
SEED = 0
np.random.seed(SEED)
IS_BINDER = "BINDER_SERVICE_HOST" in os.environ or "BINDER_REQUEST" in os.environ
print(f"fltutor {fltutor.__version__} — Python {platform.python_version()}")
print(
    f"Mode rapide : {'activé' if QUICK else 'désactivé'} ; Binder : {'oui' if IS_BINDER else 'non'}"
)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Le plan du cours
#
# Le sommaire des diapositives compte cinq parties : **01** Définition, les
# étapes, les avantages et défis, **04** les applications, **05** un exemple
# d'usage. Le cours les reprend dans le même ordre (notebooks 01 à 06), puis
# approfondit les défis (notebooks 07 à 11).
#
# | # | Notebook | Ce que vous y faites | Durée |
# |---|----------|----------------------|-------|
# | 00 | [Sommaire](00_sommaire.ipynb) | Se repérer, vérifier l'environnement | 10 min |
# | 01 | [C'est quoi le federated learning ?](01_definition.ipynb) | Définition, centralisé contre fédéré, trois « téléphones » | 30 min |
# | 02 | [Les étapes du federated learning](02_etapes.ipynb) | Un tour fédéré pas à pas, en cinq étapes | 45 min |
# | 03 | [Avantages et défis](03_avantages_defis.ipynb) | Confidentialité, communications, diversité ; non-IID, sécurité, algorithmes | 45 min |

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : les notebooks 01 à 06 suivent la présentation ; 07 à 11
#   mesurent ses « défis et orientations futures ». Chaque notebook finit par
#   « À retenir » et « À vous de jouer ».
# - Question à la salle : « Pourquoi consacrer un notebook entier (02) aux
#   seules étapes d'un tour ? »
# - Réponse attendue : tout le reste (non-IID, confidentialité,
#   communication, attaques) agit sur l'une de ces cinq étapes : il faut
#   savoir ce qui circule à chacune.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### La suite du plan : applications, bibliothèques, MNIST
#
# | # | Notebook | Ce que vous y faites | Durée |
# |---|----------|----------------------|-------|
# | 04 | [Les applications](04_applications.ipynb) | Santé, maison connectée, automobile ; mini-labo : des hôpitaux fédérés | 40 min |
# | 05 | [Bibliothèques et frameworks](05_bibliotheques.ipynb) | TFF, PySyft, Flower ; le modèle de programmation de TFF ; les 5 étapes | 45 min |
# | 06 | [Exemple d'usage : MNIST](06_exemple_mnist.ipynb) | Les 5 étapes avec TFF sur 70 000 chiffres manuscrits et 100 « smartphones » | 60 min |
#
# **Parcours conseillés** : découverte (01 → 04 → 05, environ 2 h) ; cours
# complet (00 → 11, environ 9 h) ; atelier pratique TFF (05 → 06 → 07).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Pour aller plus loin
#
# Les « défis et orientations futures » de la présentation, chacun mesuré :
#
# | # | Notebook | Ce que vous y faites | Durée |
# |---|----------|----------------------|-------|
# | 07 | [Données non-IID et algorithmes](07_non_iid_algorithmes.ipynb) | Dirichlet, dérive des clients, FedAvg / FedProx / FedAdam / FedSGD | 60 min |
# | 08 | [Confidentialité](08_confidentialite.ipynb) | Ce qui fuit d'une mise à jour, confidentialité différentielle (ε), agrégation sécurisée | 60 min |
# | 09 | [Communication](09_communication.ipynb) | Octets par tour, compromis époques/lots, compression | 45 min |
# | 10 | [Passage à l'échelle](10_passage_a_l_echelle.ipynb) | La même simulation répartie sur plusieurs workers TFF | 30 min |
# | 11 | [Sécurité](11_securite.ipynb) | Clients malveillants et agrégations qui leur résistent (médiane, Krum…) | 60 min |

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Exercices, solutions, glossaire
#
# - Chaque notebook se termine par « À retenir » et des exercices « À vous de
#   jouer » ; leurs solutions sont dans le dossier [`solutions/`](solutions/).
# - Le vocabulaire du cours (un mot français par idée, son équivalent
#   anglais) est dans le [glossaire](../docs/glossaire.md) : par exemple,
#   l'*accuracy* s'y appelle **exactitude**, jamais « précision ».
# - Notebook 11 en détail : inversion d'étiquettes, porte dérobée,
#   remplacement de modèle ; défenses par médiane, moyenne tronquée, Krum,
#   écrêtage et mise à zéro.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Des diapositives aux notebooks
#
# Chaque diapositive de la présentation et l'endroit du cours qui l'enseigne :
#
# | Diapositive | Notebook › section |
# |-------------|--------------------|
# | *Federated Learning — Tensorflow* (titre) | [00 Sommaire](00_sommaire.ipynb) |
# | *Sommaire* | [00 Sommaire](00_sommaire.ipynb) › Le plan du cours |
# | *C'est quoi le federated learning* | [01 Définition](01_definition.ipynb) › La définition |
# | *Le flux de travail de l'apprentissage collaboratif* | [01 Définition](01_definition.ipynb) › Centralisé ou fédéré ; [02 Étapes](02_etapes.ipynb) (un tour pas à pas) |

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : cette table sert à retrouver une diapositive de la présentation
#   d'origine ; on ne la lit pas en entier, on la garde comme index.
# - Question à la salle : « La diapositive sur le jeu MNIST apparaît deux
#   fois : pourquoi deux notebooks pour un seul exemple ? »
# - Réponse attendue : 06 fait l'exemple complet avec TFF ; 10 reprend la
#   même simulation répartie sur plusieurs workers (passage à l'échelle).

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Les avantages et les défis
#
# | Diapositive | Notebook › section |
# |-------------|--------------------|
# | *Les avantages du Federated Learning* (confidentialité, communications et latence, diversité) | [03 Avantages et défis](03_avantages_defis.ipynb) › Les avantages |
# | *Défis et orientations futures* (sécurité, non-IID, meilleurs algorithmes) | [03 Avantages et défis](03_avantages_defis.ipynb) › Les défis ; approfondis dans [07](07_non_iid_algorithmes.ipynb), [08](08_confidentialite.ipynb), [09](09_communication.ipynb), [11](11_securite.ipynb) |

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Applications, bibliothèques, exemple MNIST
#
# | Diapositive | Notebook › section |
# |-------------|--------------------|
# | *Applications du Federated Learning* : Healthcare, Smart Homes, Automotive | [04 Applications](04_applications.ipynb) › Santé, Maison connectée, Automobile ; mini-labo des hôpitaux |
# | *Libraries et Frameworks du FL* (TFF, PySyft, Flower) | [05 Bibliothèques](05_bibliotheques.ipynb) › Trois bibliothèques |
# | *Étapes pour fédérer avec TensorFlow* (les 5 étapes) | [05 Bibliothèques](05_bibliotheques.ipynb) › Les 5 étapes en appels TFF ; mises en œuvre dans [06 MNIST](06_exemple_mnist.ipynb) |
# | *Exemple d'usage : The MNIST Dataset* (70 000 images 28 × 28) | [06 Exemple MNIST](06_exemple_mnist.ipynb) ; aperçu dans [01](01_definition.ipynb) › Première démo |
# | *Exemple d'usage : The MNIST Dataset* (clients « smartphones », agrégation) | [06 Exemple MNIST](06_exemple_mnist.ipynb) ; passage à l'échelle dans [10](10_passage_a_l_echelle.ipynb) |

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Suivre le cours (étudiants)
#
# - **Sur votre machine** (Linux ou WSL2, Python 3.9 à 3.11) : dans le dossier
#   du cours, `make lab` installe tout (une seule fois) et ouvre ce sommaire
#   dans JupyterLab, en français.
# - **Sans rien installer** : le bouton *Binder* du fichier `README.md` ouvre
#   le cours dans votre navigateur. Binder limite la mémoire à 2 Gio (chaque
#   notebook tient dans cette limite) et **efface tout** à la fermeture :
#   téléchargez vos notebooks modifiés (clic droit › « Télécharger »).
# - **Exécuter** : `Maj+Entrée` exécute une cellule et passe à la suivante ;
#   menu « Exécuter » › « Exécuter toutes les cellules » pour tout le notebook.
#   Si quelque chose se bloque : menu « Noyau » › « Redémarrer le noyau ».
# - **Les exercices** : essayez d'abord seul ; la solution de chaque exercice
#   est dans `solutions/NN_nom_solutions.ipynb`.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : montrer `make lab` et le bouton Binder ; insister sur le mode
#   rapide pour la séance, et sur la copie locale de MNIST si la salle n'a
#   pas Internet.
# - Question à la salle : « Vous travaillez sur Binder et fermez l'onglet
#   pendant la pause. Que reste-t-il de votre travail ? »
# - Réponse attendue : rien ; Binder efface tout à la fermeture. Il faut
#   télécharger ses notebooks modifiés avant de partir.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Le mode rapide
#
# Les vraies expériences (des dizaines de tours fédérés sur 60 000 images)
# prennent plusieurs minutes. Pour un premier parcours, ou sur une petite
# machine, activez le **mode rapide** : moins de tours, moins de clients, des
# résultats moins bons mais obtenus en quelques secondes.
#
# ```bash
# FLTUTOR_QUICK=1 make lab
# ```
#
# Dans le code, `fltutor.quick_mode()` renvoie `True` en mode rapide ; chaque
# notebook en tire la variable `QUICK` dans sa première cellule. C'est aussi le
# mode des tests automatiques (`make test`) : chaque notebook y tourne en moins
# de 3 minutes.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Travailler hors ligne (MNIST)
#
# `fltutor.data.load_mnist()` cherche les quatre fichiers de MNIST
# (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
# `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, en `.gz` ou non) :
#
# 1. dans le dossier passé en argument : `load_mnist(data_dir="...")` ;
# 2. dans le dossier indiqué par la variable `FLTUTOR_DATA_DIR` ;
# 3. dans le dossier `data/mnist/` du cours.
#
# Sinon, il les télécharge (connexion nécessaire). Pour une salle sans
# Internet : copiez les fichiers une fois, puis
# `export FLTUTOR_DATA_DIR=/chemin/vers/mnist` avant `make lab`. Chaque
# fichier est vérifié (empreinte SHA-256) : un fichier abîmé donne une erreur
# claire, jamais des données fausses.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Présenter le cours (enseignants)
#
# Chaque cellule porte un **type de diapositive** (métadonnée RISE) : un titre
# `##` ouvre une diapositive, un titre `###` une sous-diapositive (on y
# descend avec la flèche ↓), les cellules de réglages sont masquées (*skip*)
# et les **notes pour l'enseignant** ne s'affichent que dans la vue de
# l'orateur (touche `S`).
#
# - **En direct dans JupyterLab** : ouvrez un notebook, puis `Alt+R` ou le
#   bouton « Diaporama RISE » de la barre d'outils. Les cellules restent
#   exécutables pendant la présentation (`Maj+Entrée`) : lancez les
#   expériences devant la classe. `Échap` puis `Alt+R` pour revenir au notebook.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : vous lisez ces notes dans la vue de l'orateur (touche `S`) ; la
#   salle ne les voit pas. Chaque section donne une durée, une question et
#   la réponse attendue.
# - Question à la salle : « Pourquoi présenter en mode rapide et garder les
#   chiffres du mode complet pour la discussion ? »
# - Réponse attendue : les entraînements complets durent plusieurs minutes ;
#   en direct on montre que le code tourne, les chiffres fiables viennent
#   d'une exécution complète faite à l'avance.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Diaporama HTML et réglages
#
# - **En HTML statique** (reveal.js, sans Python) : `make slides` exporte
#   chaque notebook dans `build/slides/` ; ouvrez le fichier `.slides.html`.
# - **Régler une cellule** : menu « Affichage » › « Barre latérale droite » ›
#   « Inspecteur de propriétés » › « Type de diapositive ». Pour modifier le
#   cours, éditez le fichier `.py` du notebook puis lancez `make sync`.
#
# Conseil : en classe, lancez le cours en mode rapide et gardez les chiffres du
# mode complet (déjà enregistrés dans les notebooks que vous avez exécutés la
# veille) pour la discussion.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Vérifier votre environnement
#
# `environment.report()` compare les versions installées à celles qu'attend
# le cours et charge les données MNIST (code : `fltutor/environment.py`).

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
pret = environment.report()

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 3 min)
#
# - À dire : exécuter la cellule en direct ; chaque ligne doit porter ✔.
#   En cas de ✘, la dernière ligne dit quoi faire (« make install », README).
# - Question à la salle : « Pourquoi le cours exige-t-il TensorFlow 2.14.x
#   exactement, et pas « la dernière version » ? »
# - Réponse attendue : TFF 0.87 est construit pour une version précise de
#   TensorFlow ; une autre version casse les calculs fédérés.

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Un tout premier calcul fédéré : le serveur n'apprend que la somme

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
runtime.install()  # le moteur TFF du cours, confiné à la boucle locale


@tff.federated_computation(tff.FederatedType(np.int32, tff.CLIENTS))
def total(values):
    return tff.federated_sum(values)


result = total([1, 2, 3])
print(f"{'✔' if result == 6 else '✘'} Somme des 3 clients [1, 2, 3] = {result}")
print(f"Type du calcul : {total.type_signature}")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### Lire la signature
#
# Trois clients gardent chacun un nombre. La signature `({int32}@CLIENTS -> int32@SERVER)` se lit : « un entier
# **sur chaque client** en entrée, un entier **sur le serveur** en sortie ».
# Les accolades : chaque client a sa propre valeur ([05](05_bibliotheques.ipynb)).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 2 min)
#
# - À dire : `federated_sum` est la plus petite agrégation possible ; FedAvg
#   fera la même chose avec des poids de modèle au lieu d'entiers.
# - Question à la salle : « Dans la signature, où vit le résultat ? Un
#   client peut-il le lire ? »
# - Réponse attendue : `int32@SERVER` : il vit sur le serveur ; les clients
#   ne le reçoivent que si le serveur le leur diffuse (`federated_broadcast`).

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À retenir
#
# - Le cours suit les diapositives : **01** définition, **02** étapes,
#   **03** avantages et défis, **04** applications, **05** bibliothèques et
#   les 5 étapes TFF, **06** l'exemple MNIST ; **07 à 11** approfondissent
#   les défis (non-IID, confidentialité, communication, passage à l'échelle,
#   sécurité).
# - `make lab` pour travailler, Binder pour essayer sans installer ;
#   `FLTUTOR_QUICK=1` pour des exécutions courtes ; `FLTUTOR_DATA_DIR` pour
#   MNIST hors ligne.
# - Enseignants : `Alt+R` (RISE) pour présenter en direct, `make slides` pour
#   un diaporama HTML.
# - Un calcul fédéré a un **type** qui dit où vivent les données :
#   `@CLIENTS` ou `@SERVER`.

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 1 min)
#
# - À dire : relire les quatre points ; la suite commence par la définition
#   (01).
# - Question à la salle : « Quelle variable régler pour que le cours tourne
#   sans Internet ? »
# - Réponse attendue : `FLTUTOR_DATA_DIR`, le dossier des quatre fichiers
#   MNIST copiés à l'avance.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## À vous de jouer
#
# Cahier d'exercices : [exercices/00_sommaire_exercices.ipynb](exercices/00_sommaire_exercices.ipynb)
# (chaque réponse y est vérifiée aussitôt).
#
# 1. **Le mode rapide** (★ découverte · 5 min) : ce que renvoie
#    `fltutor.quick_mode()` quand `FLTUTOR_QUICK` vaut `"1"`, puis `"0"`.
# 2. **Les classes de MNIST** (★★ application · 5 min) : le nombre d'images
#    de chaque chiffre du jeu d'entraînement (`np.bincount`).
# 3. **Une moyenne fédérée** (★★★ approfondissement · 10 min) : sur le
#    modèle de `total`, un calcul qui renvoie au serveur la moyenne des
#    valeurs des clients (`np.float32`).
#
# Solutions : [solutions/00_sommaire_solutions.ipynb](solutions/00_sommaire_solutions.ipynb).

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 10 min d'exercices)
#
# - À dire : l'exercice 1 montre que `quick_mode()` relit la variable à
#   chaque appel ; les exercices 2 et 3 préparent 03 (déséquilibre) et 05
#   (types fédérés).
# - Question à la salle : « Quelle signature attendez-vous pour la
#   moyenne ? »
# - Réponse attendue : `({float32}@CLIENTS -> float32@SERVER)`, la même forme
#   que la somme, avec des réels.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Quiz
#
# Dans chaque onglet, choisissez votre réponse, puis cliquez sur « Vérifier ».

# %% tags=["nbval-ignore-output"] slideshow={"slide_type": "-"}
from fltutor import quiz

quiz.afficher("00")

# %% [markdown] slideshow={"slide_type": "notes"}
# **Notes pour l'enseignant** (≈ 5 min)
#
# - À dire : laisser une minute par question, puis corriger ensemble ;
#   l'explication s'affiche après « Vérifier ».
# - Question à la salle : « On met `FLTUTOR_QUICK=0` au milieu d'un notebook
#   lancé en mode rapide : la suite tourne-t-elle en mode complet ? »
# - Réponse attendue : non : `QUICK` a été lu une fois, dans la première
#   cellule ; seuls les nouveaux appels à `quick_mode()` voient le
#   changement. Il faut régler la variable avant de lancer JupyterLab.
