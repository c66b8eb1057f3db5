"""fltutor — la boîte à outils du cours d'apprentissage fédéré.

Modules (chacun se lit indépendamment) :

- `fltutor.data`       : charger MNIST (fichiers locaux vérifiés ou téléchargement Keras) ;
- `fltutor.partition`  : répartir les exemples entre clients (IID, non-IID...) ;
- `fltutor.models`     : les modèles Keras du cours (CNN et « 2NN » de McMahan et al.) ;
- `fltutor.federated`  : les calculs fédérés avec TensorFlow Federated (les 5 étapes) ;
- `fltutor.scratch`    : FedAvg écrit à la main, sans TFF, pour comprendre ;
- `fltutor.plots`      : les graphiques (en français) ;
- `fltutor.widgets`    : les explorateurs interactifs (ipywidgets) ;
- `fltutor.privacy`    : confidentialité différentielle (DP-FedAvg, ε), fuites, agrégation sécurisée ;
- `fltutor.communication` : octets échangés par tour, compression des mises à jour ;
- `fltutor.security`   : clients malveillants (attaques) et agrégations qui leur résistent ;
- `fltutor.distributed` : répartir un tour sur plusieurs workers TFF ;
- `fltutor.runtime`    : le moteur d'exécution de TFF, confiné et arrêté proprement ;
- `fltutor.verifier`   : vérifier vos réponses aux exercices (`verifier.exercice("06-2", ...)`) ;
- `fltutor.quiz`       : le quiz de fin de notebook (`quiz.afficher("06")`) ;
- `fltutor.checks`     : vérifier les arguments (erreurs en français) ;
- `fltutor.environment` : vérifier que l'environnement du cours est prêt (notebook 00) ;
- `fltutor.formatting` : écrire les nombres à la française (`97,8 %`).

Le banc d'essai du cours est à part, à la racine : `python -m bench --help`.

Le sous-module est importé à la demande : `import fltutor` seul est léger.
"""

import os

from fltutor._tff_hook import quiet_grpc

__version__ = "0.1.0"

# Réglages de gRPC (utilisé par TFF) avant son import : voir `_tff_hook`.
quiet_grpc()


def quick_mode() -> bool:
    """Vrai si le mode rapide est demandé (variable d'environnement FLTUTOR_QUICK=1).

    Le mode rapide réduit le nombre de tours et de clients pour que tout le
    cours se valide en quelques minutes (tests, intégration continue).

    >>> import os
    >>> os.environ["FLTUTOR_QUICK"] = "1"
    >>> quick_mode()
    True
    """
    return os.environ.get("FLTUTOR_QUICK", "").strip().lower() in {
        "1",
        "true",
        "oui",
        "yes",
    }
