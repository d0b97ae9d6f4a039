"""The CLI imports the store on every start; SQLAlchemy must wait until a
database is opened."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_store_does_not_import_sqlalchemy() -> None:
    code = (
        "import sys\n"
        "import desktop.store\n"
        "from desktop.store import NotFound, AuditEntry\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'sqlalchemy'))\n"
        "desktop.store.Database\n"
        "print('sqlalchemy' in sys.modules, 'sqlalchemy.orm' in sys.modules)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    assert output == ["[]", "True False"]
