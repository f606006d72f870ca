"""The bundle's entry point: the same `counter-app` command as the installed package."""

import multiprocessing
import sys

from counter_app.cli.main import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the closing-time backup runs in a spawned child of the bundle
    sys.exit(main())
