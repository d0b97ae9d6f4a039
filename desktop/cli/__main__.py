"""``python -m desktop.cli``: the same as the ``aicode`` executable."""

import sys

from desktop.cli.client import main

sys.exit(main())
