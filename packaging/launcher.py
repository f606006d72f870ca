"""The bundle's entry point: the same `counter-app` command as the installed package."""

import sys

from counter_app.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
