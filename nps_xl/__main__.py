"""``python -m nps_xl``: the ``nps-xl`` command."""

import sys

from nps_xl.cli import main

if __name__ == "__main__":
    sys.exit(main())
