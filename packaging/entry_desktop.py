"""PyInstaller's script for the ``aicode-desktop`` executable (``desktop.ui.app:main``)."""

import sys

from desktop.ui.app import main

if __name__ == "__main__":
    sys.exit(main())
