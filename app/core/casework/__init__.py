"""The institution's casework (Art. 16–20): a case per person per session, opened at import,
moved on by recorded, append-only steps (``steps``), under optimistic locking (``cases``).
See ``docs/casework.md``. No Qt here."""
