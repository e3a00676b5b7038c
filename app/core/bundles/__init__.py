"""Sync bundles: one signed (and, for kit sessions, encrypted) file carrying a device's records
and evidence to the institution. Format: docs/bundle-format.md.

Write with ``write_bundle``; read with ``open_bundle`` (everything verified, or a
``BundleError`` subclass); show facts with ``inspect_bundle``.
"""

from __future__ import annotations

from app.core.bundles.bundle import VerifiedBundle, open_bundle
from app.core.bundles.errors import (
    BundleError,
    BundleReadError,
    BundleWriteError,
    DuplicateEntryError,
    ExtractError,
    HashMismatchError,
    HeaderError,
    InvalidUtf8Error,
    JsonDepthError,
    JsonError,
    KeyRequiredError,
    LimitError,
    ManifestError,
    NotABundleError,
    SignatureError,
    TamperedError,
    TrailingDataError,
    TruncatedError,
    UnsafeNameError,
    UnsupportedVersionError,
    WrongKeyError,
)
from app.core.bundles.inspection import BundleInspection, inspect_bundle
from app.core.bundles.limits import Limits
from app.core.bundles.manifest import EntryInfo
from app.core.bundles.receipt import BundleReceipt
from app.core.bundles.writer import DEFAULT_CHUNK_SIZE, write_bundle

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "BundleError",
    "BundleInspection",
    "BundleReadError",
    "BundleReceipt",
    "BundleWriteError",
    "DuplicateEntryError",
    "EntryInfo",
    "ExtractError",
    "HashMismatchError",
    "HeaderError",
    "InvalidUtf8Error",
    "JsonDepthError",
    "JsonError",
    "KeyRequiredError",
    "LimitError",
    "Limits",
    "ManifestError",
    "NotABundleError",
    "SignatureError",
    "TamperedError",
    "TrailingDataError",
    "TruncatedError",
    "UnsafeNameError",
    "UnsupportedVersionError",
    "VerifiedBundle",
    "WrongKeyError",
    "inspect_bundle",
    "open_bundle",
    "write_bundle",
]
