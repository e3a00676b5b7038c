"""The records layer of a sync bundle: which records a bundle holds and what their names are.
The container below it is ``app.core.bundles`` (docs/bundle-format.md, "Records bundles").
A site kit is a bundle of another kind (``KIT_KIND``; its records are ``kits``'s)."""

from __future__ import annotations

KIND = "proctor-desk-records"
KIT_KIND = "proctor-desk-site-kit"
RECORDS_VERSION = 1
SESSION_RECORD = "session.json"
DEVICE_RECORD = "device.json"
EVIDENCE_RECORD = "evidence.json"
INCIDENT_PREFIX = "incidents/"
AUDIT_PREFIX = "audit/"
EVIDENCE_PREFIX = "evidence/"
REPORT_PREFIX = "reports/"  # signed PDFs that exist on the laptop, given to the export
REPORTS_DIR = "reports"  # where the institution keeps them: <data>/reports/<session>/<bundle>/
AUDIT_PER_RECORD = 5000  # keeps each audit record far below the per-record size limit
# Incident versions travel in groups: one record per version made the manifest (10,000
# entries, each checked) and the per-record checks most of the cost of a large bundle.
INCIDENTS_PER_RECORD = 200
GROUP_BYTES = 8 * 1024 * 1024  # a group closes before its text passes this (record limit 16 MiB)
MODES = ("full", "incremental")


def incidents_name(index: int) -> str:
    return f"{INCIDENT_PREFIX}{index:06d}.json"


def audit_name(index: int) -> str:
    return f"{AUDIT_PREFIX}{index:06d}.json"


def evidence_name(sha256: str) -> str:
    return f"{EVIDENCE_PREFIX}{sha256}"


def report_name(file_name: str) -> str:
    return f"{REPORT_PREFIX}{file_name}"
