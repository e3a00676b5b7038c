"""The operating system's key store, through ``keyring``: Windows Credential Locker, the macOS
Keychain, the Secret Service (GNOME Keyring, KWallet) on Linux.

Only those backends are used. ``keyring``'s others keep secrets in plain or weakly encrypted
files (``keyrings.alt``), or fail on every call; a secret there would lie beside the files it is
meant to protect, so they count as "no key store" and the app falls back to its key passphrase.

Only the platform's own backend is imported, and on Linux only where a D-Bus session exists:
finding backends through ``keyring``'s entry points imports all of them (about 0.1 s).
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any

SERVICE = "Proctor Desk"
DISABLE_ENV = "PROCTOR_DESK_NO_KEY_STORE"  # "1": never use the OS key store (shared accounts)


class KeyStoreUnavailable(Exception):
    """The key store refused or failed a call (locked, removed, no permission)."""


def _allowed_classes() -> tuple[type[Any], ...]:
    classes: list[type[Any]] = []
    try:
        if sys.platform == "win32":
            from keyring.backends.Windows import WinVaultKeyring

            classes.append(WinVaultKeyring)
        elif sys.platform == "darwin":
            from keyring.backends.macOS import Keyring as MacKeyring

            classes.append(MacKeyring)
        else:
            from keyring.backends.SecretService import Keyring as SecretServiceKeyring

            classes.append(SecretServiceKeyring)
    except ImportError:
        pass
    return tuple(classes)


def acceptable(backend: Any) -> bool:
    """Whether ``backend`` keeps secrets in the operating system's store (and works)."""
    allowed = _allowed_classes()
    if not allowed or not isinstance(backend, allowed):
        return False
    try:
        return float(type(backend).priority) > 0  # raises or is 0 where the service is absent
    except Exception:  # each backend says "absent" in its own way
        return False


def _platform_backend() -> Any | None:
    if os.environ.get(DISABLE_ENV) == "1":
        return None
    if sys.platform.startswith("linux") and not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        return None  # the Secret Service lives on the session bus
    for cls in _allowed_classes():
        try:
            backend = cls()
        except Exception:
            continue
        if acceptable(backend):
            return backend
    return None


_override: list[Any] = []  # tests put a backend here (``use_backend``)


def use_backend(backend: Any | None) -> None:
    """Use ``backend`` instead of the platform's (``None``: back to the platform's)."""
    _override.clear()
    if backend is not None:
        _override.append(backend)


def backend() -> Any | None:
    """The key store in use, or ``None`` when this computer has none the app accepts."""
    if _override:
        chosen = _override[0]
        return chosen if acceptable(chosen) else None
    return _platform_backend()


def get(account: str) -> str | None:
    store = backend()
    if store is None:
        return None
    try:
        value = store.get_password(SERVICE, account)
    except Exception as exc:
        raise KeyStoreUnavailable(str(exc) or type(exc).__name__) from None
    return value if isinstance(value, str) else None


def put(account: str, secret: str) -> bool:
    """Store ``secret``; whether it was stored (``False``: there is no key store)."""
    store = backend()
    if store is None:
        return False
    try:
        store.set_password(SERVICE, account, secret)
    except Exception:  # a store that refuses is as good as none
        return False
    return True


def delete(account: str) -> None:
    store = backend()
    if store is None:
        return
    with contextlib.suppress(Exception):  # already gone is fine
        store.delete_password(SERVICE, account)
