"""`python -m relais.sidep_sim` runs the simulator CLI."""

import sys

from relais.sidep_sim.cli import main

sys.exit(main())
