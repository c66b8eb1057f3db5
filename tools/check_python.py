"""Vérifie que l'interpréteur Python convient au cours (3.9, 3.10 ou 3.11).

Ce script ne dépend de rien : il tourne avec n'importe quel Python 3, avant
toute installation. Il s'arrête avec un message en français sinon.
"""

import platform
import sys

SUPPORTED = ((3, 9), (3, 10), (3, 11))


def main() -> int:
    version = sys.version_info[:2]
    if version not in SUPPORTED:
        found = "%d.%d" % version
        print(
            "\nErreur : Python %s n'est pas pris en charge par ce cours.\n"
            "TensorFlow Federated 0.87 (la dernière version) ne fonctionne qu'avec "
            "Python 3.9, 3.10 ou 3.11.\n"
            "Que faire : installez Python 3.11 (par exemple avec pyenv, conda ou "
            "le gestionnaire de paquets de votre système), puis relancez en "
            "indiquant l'interpréteur :\n"
            "    make PYTHON=python3.11 lab\n"
            "ou utilisez Binder (lien dans le README).\n" % found,
            file=sys.stderr,
        )
        return 1
    machine = platform.machine().lower()
    if sys.platform != "linux" or machine not in ("x86_64", "amd64"):
        print(
            "\nErreur : TensorFlow Federated 0.87 n'est publié que pour Linux x86_64 "
            "(système détecté : %s %s).\n"
            "Que faire : utilisez Binder (lien dans le README), WSL2 sous Windows, "
            "ou une machine Linux x86_64.\n" % (sys.platform, machine),
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
