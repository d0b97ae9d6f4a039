"""PyInstaller run-time hook: programs the app starts get the user's library path.

The bootloader points LD_LIBRARY_PATH at the bundle (keeping the user's value in
LD_LIBRARY_PATH_ORIG) and every child inherits it, so host git, ssh, Docker
credential helpers and xdg-open would load the bundle's OpenSSL, zlib or GTK
instead of their own. The dynamic loader of this process read the variable when
it started, so putting the user's value back changes nothing here. A child that
is this bundle again (the warm service) must be started with
PYINSTALLER_RESET_ENVIRONMENT=1 (desktop/cli/client.py does): its bootloader
then sets the bundle's path up anew, instead of taking itself for a helper of
this process that inherited it. See PyInstaller's "Launching external programs
from the frozen application".
"""


def _restore_library_path() -> None:
    import os
    import sys

    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd", "sunos")):
        return
    original = os.environ.pop("LD_LIBRARY_PATH_ORIG", None)
    if original is not None:
        os.environ["LD_LIBRARY_PATH"] = original
    else:
        os.environ.pop("LD_LIBRARY_PATH", None)


_restore_library_path()
del _restore_library_path
