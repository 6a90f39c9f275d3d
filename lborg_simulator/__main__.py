import sys

from lborg_simulator.cli import main

sys.exit(main())
