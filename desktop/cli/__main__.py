"""``python -m desktop.cli``: the same as the ``aicode`` executable."""

import sys

from desktop.cli.entry import main

sys.exit(main())
