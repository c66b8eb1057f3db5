"""La ligne de commande du banc : `python -m bench mcmahan|overhead|memory`.

Aide et erreurs en français. Les expériences ne sont importées qu'une fois
choisies : `python -m bench --help` répond sans charger TensorFlow.
"""

from __future__ import annotations

import argparse
import pathlib
import re
import sys
from collections.abc import Sequence

from bench import DEFAULT_OUT, ROOT, log_with_time
from bench.paper import DEFAULT_ROWS

__all__ = ["build_parser", "main"]


_ARGPARSE_FR = [
    (r"the following arguments are required: ", "arguments obligatoires manquants : "),
    (r"invalid choice: ", "choix invalide : "),
    (r"\(choose from ", "(choisissez parmi "),
    (r"invalid int value: ", "valeur entière invalide : "),
    (r"invalid float value: ", "valeur décimale invalide : "),
    (r"unrecognized arguments: ", "arguments non reconnus : "),
    (r"expected one argument", "une valeur est attendue"),
    (r"^(argument [^:]+):", r"\1 :"),
]

_METAVARS = {
    "out": "DOSSIER",
    "rows": "LIGNES",
    "max_rounds": "N",
    "eval_every": "N",
    "seed": "GRAINE",
    "lr": "ETA",
    "clients": "K",
    "clients_per_round": "M",
    "subset": "N",
    "test_subset": "N",
    "target": "EXACTITUDE",
    "runs": "N",
    "examples": "N",
    "batch_size": "B",
    "notebooks": "NOMS",
    "nb_dir": "DOSSIER",
    "timeout": "SECONDES",
}


class _FrenchFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        if prefix is None:
            prefix = "utilisation : "
        return super().add_usage(usage, actions, groups, prefix)


class _FrenchParser(argparse.ArgumentParser):
    """`ArgumentParser` dont l'aide et les erreurs sont en français."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _FrenchFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "arguments"
        self._optionals.title = "options"

    def error(self, message):
        for pattern, french in _ARGPARSE_FR:
            message = re.sub(pattern, french, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog} : erreur : {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """L'analyseur de la ligne de commande (aide en français)."""
    parser = _FrenchParser(
        prog="python -m bench",
        description="Banc d'essai du cours d'apprentissage fédéré : reproduction de "
        "McMahan et al. (2017), coût d'un tour TFF, mémoire des notebooks.",
        add_help=False,
    )
    parser.add_argument(
        "-h", "--help", action="help", help="afficher cette aide et quitter"
    )
    sub = parser.add_subparsers(
        dest="experiment", metavar="EXPÉRIENCE", parser_class=_FrenchParser
    )
    sub.required = True

    def add_common(p):
        p.add_argument(
            "-h", "--help", action="help", help="afficher cette aide et quitter"
        )
        p.add_argument(
            "--out",
            type=pathlib.Path,
            default=DEFAULT_OUT,
            help="dossier des résultats (défaut : bench/results)",
        )

    p = sub.add_parser(
        "mcmahan",
        add_help=False,
        help="tours pour atteindre 99 %% (CNN) ou 97 %% (2NN), comme le tableau 2 de l'article",
    )
    add_common(p)
    p.add_argument(
        "--rows",
        default="all",
        help="lignes à lancer, séparées par des virgules (ex. fedsgd-iid,fedavg-e5-b10-noniid, "
        "fedadam-e5-b10-iid) ; « all » = toutes : " + ", ".join(DEFAULT_ROWS),
    )
    p.add_argument(
        "--max-rounds",
        type=int,
        default=300,
        help="nombre maximal de tours par ligne (défaut : 300)",
    )
    p.add_argument(
        "--model",
        choices=["cnn", "mlp"],
        default="cnn",
        help="cnn (objectif 99 %%) ou mlp, le « 2NN » (objectif 97 %%)",
    )
    p.add_argument(
        "--eval-every",
        type=int,
        default=1,
        help="évaluer le modèle global tous les N tours (défaut : 1)",
    )
    p.add_argument(
        "--seed",
        type=int,
        default=0,
        help="graine (partition, tirage des clients, initialisation)",
    )
    p.add_argument(
        "--lr",
        type=float,
        default=None,
        help="taux d'apprentissage η des clients (défaut : 0,1 pour toutes les lignes)",
    )
    p.add_argument(
        "--clients", type=int, default=100, help="nombre de clients K (défaut : 100)"
    )
    p.add_argument(
        "--clients-per-round",
        type=int,
        default=10,
        help="clients tirés par tour (défaut : 10, C = 0,1)",
    )
    p.add_argument(
        "--subset",
        type=int,
        default=None,
        help="ne garder que N exemples d'entraînement (essais rapides)",
    )
    p.add_argument(
        "--test-subset",
        type=int,
        default=None,
        help="ne garder que N exemples de test (essais rapides)",
    )
    p.add_argument(
        "--target",
        type=float,
        default=None,
        help="exactitude visée (défaut : 0,99 CNN, 0,97 2NN)",
    )
    p.add_argument(
        "--quiet", action="store_true", help="ne rien afficher pendant l'entraînement"
    )

    p = sub.add_parser(
        "overhead",
        add_help=False,
        help="coût d'un tour TFF comparé à Keras fit sur les mêmes exemples",
    )
    add_common(p)
    p.add_argument(
        "--runs", type=int, default=5, help="nombre de mesures (médiane ; défaut : 5)"
    )
    p.add_argument(
        "--clients", type=int, default=10, help="nombre de clients (défaut : 10)"
    )
    p.add_argument(
        "--examples", type=int, default=600, help="exemples par client (défaut : 600)"
    )
    p.add_argument(
        "--batch-size", type=int, default=10, help="taille des lots B (défaut : 10)"
    )
    p.add_argument(
        "--model", choices=["cnn", "mlp"], default="cnn", help="modèle (défaut : cnn)"
    )
    p.add_argument("--seed", type=int, default=0, help="graine")

    p = sub.add_parser(
        "memory",
        add_help=False,
        help="mémoire maximale de chaque notebook exécuté en mode complet",
    )
    add_common(p)
    p.add_argument(
        "--notebooks",
        default=None,
        help="notebooks à mesurer, séparés par des virgules (ex. 01_introduction) ; défaut : tous",
    )
    p.add_argument(
        "--nb-dir",
        type=pathlib.Path,
        default=ROOT / "notebooks",
        help="dossier des notebooks",
    )
    p.add_argument(
        "--timeout",
        type=int,
        default=3600,
        help="délai maximal par cellule, en secondes",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="mode rapide (FLTUTOR_QUICK=1) au lieu du mode complet",
    )
    for subparser in sub.choices.values():
        for action in subparser._actions:
            if (
                action.dest in _METAVARS
                and action.choices is None
                and action.nargs is None
            ):
                action.metavar = _METAVARS[action.dest]
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Point d'entrée de `python -m bench`."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.experiment == "mcmahan":
            from bench.mcmahan import _experiment_name, run_mcmahan
            from bench.paper import parse_rows

            run_mcmahan(
                parse_rows(args.rows),
                model=args.model,
                max_rounds=args.max_rounds,
                eval_every=args.eval_every,
                out=args.out,
                seed=args.seed,
                lr=args.lr,
                num_clients=args.clients,
                clients_per_round=args.clients_per_round,
                subset=args.subset,
                test_subset=args.test_subset,
                target=args.target,
                log=None if args.quiet else log_with_time,
            )
            table = args.out / _experiment_name(args.model) / "table.md"
        elif args.experiment == "overhead":
            from bench.overhead import run_overhead

            run_overhead(
                out=args.out,
                runs=args.runs,
                num_clients=args.clients,
                examples_per_client=args.examples,
                batch_size=args.batch_size,
                model=args.model,
                seed=args.seed,
                log=log_with_time,
            )
            table = args.out / "overhead" / "table.md"
        else:
            from bench.memory import run_memory

            run_memory(
                out=args.out,
                notebooks=args.notebooks,
                nb_dir=args.nb_dir,
                timeout=args.timeout,
                quick=args.quick,
                log=log_with_time,
            )
            table = args.out / "memory" / "table.md"
    except ValueError as exc:
        parser.exit(2, f"{parser.prog} : erreur : {exc}\n")
    if not getattr(args, "quiet", False):
        print(table.read_text(encoding="utf-8"))
    return 0
