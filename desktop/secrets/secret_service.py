"""Direct Secret Service checks over D-Bus (Linux), via secretstorage.

keyring's own Secret Service backend leaks its D-Bus socket when the
collection is locked, and cannot say which daemon answers; both are done
here on a connection we close ourselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import closing, contextmanager
from typing import TYPE_CHECKING

from desktop.secrets.errors import KeyringUnavailable, keyring_errors

if TYPE_CHECKING:
    from jeepney.io.blocking import DBusConnection

# Bus names each implementation owns besides org.freedesktop.secrets.
_PROVIDERS = (
    ("org.gnome.keyring", "GNOME Keyring"),
    ("org.kde.kwalletd6", "KWallet"),
    ("org.kde.kwalletd5", "KWallet"),
    ("org.keepassxc.KeePassXC.MainWindow", "KeePassXC"),
)


def ensure_unlocked(collection_path: str | None = None) -> None:
    """Raise KeyringUnavailable unless the collection is reachable and unlocked.

    A locked collection is unlocked first, which on a desktop shows the
    keyring's own password prompt.
    """
    import secretstorage

    with _connection() as conn:
        if not secretstorage.check_service_availability(conn):
            raise KeyringUnavailable("no Secret Service daemon is running on the session bus")
        if collection_path:
            collection = secretstorage.Collection(conn, collection_path)
        else:
            collection = secretstorage.get_default_collection(conn)
        if collection.is_locked():
            collection.unlock()
            if collection.is_locked():
                raise KeyringUnavailable("the Secret Service keyring is locked; unlock it")


def provider_name() -> str:
    """Which program provides the Secret Service, e.g. "GNOME Keyring"."""
    from jeepney import DBus

    with _connection() as conn:
        for bus_name, label in _PROVIDERS:
            if conn.send_and_get_reply(DBus().NameHasOwner(bus_name)).body[0]:
                return label
    return "unknown daemon"


@contextmanager
def _connection() -> Iterator[DBusConnection]:
    import secretstorage

    with keyring_errors():
        conn = secretstorage.dbus_init()
        with closing(conn):
            yield conn


def close_connection_on_failure(backend: object) -> None:
    """Make keyring's Secret Service ``backend`` close its D-Bus connection when
    finding the collection fails.

    keyring's ``get_preferred_collection`` opens a connection and hands it to
    the caller inside the collection, but drops it unclosed whenever it raises
    (a missing collection, the daemon gone, or the collection locked between
    our check and the call), so a long-running app leaks a socket on every
    such failure. The same steps, closing on failure, replace it on the
    instance (keyring owns the class); doing it twice changes nothing.
    """
    if getattr(backend, "_aicode_closes_connections", False):
        return

    def get_preferred_collection():  # noqa: ANN202 - keyring's signature
        import secretstorage
        from keyring.errors import InitError, KeyringLocked

        conn = secretstorage.dbus_init()
        try:
            path = getattr(backend, "preferred_collection", None)
            try:
                if path:
                    collection = secretstorage.Collection(conn, path)
                else:
                    collection = secretstorage.get_default_collection(conn)
            except secretstorage.exceptions.SecretStorageException as exc:
                raise InitError(f"Failed to create the collection: {exc}.") from exc
            if collection.is_locked():
                collection.unlock()
                if collection.is_locked():
                    raise KeyringLocked("Failed to unlock the collection!")
        except BaseException:
            conn.close()
            raise
        return collection

    backend.get_preferred_collection = get_preferred_collection  # type: ignore[attr-defined]
    backend._aicode_closes_connections = True  # type: ignore[attr-defined]
