"""PyInstaller's script for the ``aicode`` executable (``desktop.cli.client:main``)."""

import sys

from desktop.cli.client import main

if __name__ == "__main__":
    sys.exit(main())
