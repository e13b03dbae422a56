"""``python -m game`` runs the ``ingavi`` command."""

import sys

from game.cli import main

sys.exit(main())
