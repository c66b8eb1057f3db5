"""`python -m bench` : la ligne de commande du banc d'essai."""

import sys

from bench.cli import main

sys.exit(main())
