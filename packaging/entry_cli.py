"""PyInstaller's script for the ``aicode`` executable (``desktop.cli.entry:main``)."""

import sys

from desktop.cli.entry import main

if __name__ == "__main__":
    sys.exit(main())
