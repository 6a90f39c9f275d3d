"""`python -m lborg_provider install|docs|serve`: see `lborg_provider.tools.cli`."""

import sys

from lborg_provider.tools.cli import main

sys.exit(main())
