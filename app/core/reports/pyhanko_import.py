"""The one place pyHanko is first imported, with cryptography's DSA deprecation silenced.

cryptography 51 deprecates DSA and warns when a module reads its DSA classes; pyHanko's CMS
signer imports ``DSAPrivateKey`` at load time (for type checks only: we sign with ECDSA P-256
and never meet a DSA key). The warning is therefore noise for our users, and the CLI must not
print it on every ``report``. It is silenced only for that one category and message, only while
pyHanko's modules load, so any other warning — and the same warning raised by our own code —
still surfaces. Every module that needs pyHanko calls :func:`load_pyhanko` first.
"""

from __future__ import annotations

import importlib
import logging
import warnings

_LOADED = False

# pyHanko's modules whose import reads cryptography's DSA names (signers → pdf_cms).
_MODULES = (
    "pyhanko.sign",
    "pyhanko.sign.signers",
    "pyhanko.sign.validation",
    "pyhanko.pdf_utils.incremental_writer",
    "pyhanko.pdf_utils.reader",
)


def load_pyhanko() -> None:
    """Import pyHanko's signing and validation modules once, without the DSA warning."""
    global _LOADED
    if _LOADED:
        return
    from cryptography.utils import CryptographyDeprecationWarning

    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=r"DSA is deprecated",
            category=CryptographyDeprecationWarning,
            module=r"pyhanko\.",
        )
        for name in _MODULES:
            importlib.import_module(name)
    # pyHanko logs every certificate path it cannot build, with a traceback; our verdicts say
    # it in a line. A handler here keeps Python's last-resort handler from printing them on
    # stderr (an archive import checks PDFs it may not trust); the log file still gets them.
    for logger in ("pyhanko", "pyhanko_certvalidator"):
        logging.getLogger(logger).addHandler(logging.NullHandler())
    _LOADED = True
