"""`python -m lborg_provider install|docs|serve`: see `lborg_provider.cli`."""

import sys

from lborg_provider.cli import main

sys.exit(main())
