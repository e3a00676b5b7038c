"""One exception class per way a bundle can be refused, each with a message fit for a person.

Every class derives from ``BundleError`` (a ``UserError``), so callers that only need to show the
message catch that one class; tests and the import code can tell the kinds apart.
"""

from __future__ import annotations

from app.core.errors import UserError


class BundleError(UserError):
    """A bundle cannot be written or read; nothing was changed."""


class NotABundleError(BundleError):
    """The file does not start with the bundle magic."""


class UnsupportedVersionError(BundleError):
    """The bundle uses a format version this program does not read."""


class TruncatedError(BundleError):
    """The file or its content ends before the declared end."""


class TrailingDataError(BundleError):
    """Bytes follow the declared end of the bundle."""


class HeaderError(BundleError):
    """The fixed header holds a value outside what the format allows."""


class KeyRequiredError(BundleError):
    """The bundle is encrypted and no institution key was given."""


class WrongKeyError(BundleError):
    """The bundle is encrypted to another institution's key."""


class TamperedError(BundleError):
    """An encrypted chunk fails authentication: damaged, altered, reordered or spliced."""


class SignatureError(BundleError):
    """The device signature over the manifest is missing or does not verify."""


class ManifestError(BundleError):
    """The manifest is malformed or disagrees with the bundle (counts, order, sizes, header)."""


class HashMismatchError(BundleError):
    """An entry's SHA-256 differs from the one the manifest lists."""


class UnsafeNameError(BundleError):
    """An entry name is not a safe relative path (``..``, absolute, backslash, NUL, ...)."""


class DuplicateEntryError(BundleError):
    """Two entries share a name (or names that clash on a case-insensitive disk)."""


class LimitError(BundleError):
    """A size or count limit is exceeded (entries, names, JSON, files, total)."""


class InvalidUtf8Error(BundleError):
    """A JSON entry is not valid UTF-8."""


class JsonError(BundleError):
    """A JSON entry is malformed, has duplicate keys, NaN/Infinity, floats or is not canonical."""


class JsonDepthError(JsonError):
    """A JSON entry is nested deeper than the limit."""


class BundleReadError(BundleError):
    """The bundle file cannot be read from disk."""


class BundleWriteError(BundleError):
    """The bundle cannot be written (bad input, a source that changed, a disk error)."""


class ExtractError(BundleError):
    """Files cannot be extracted safely to the chosen folder."""
