"""Shared by the transcription tests: a paper record as its JSON file gives it, a scan of the
form, and the site head (the demo's staff have the demo PIN)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.core.demo.seed import DEMO_PIN, DemoSession
from app.core.records.service import Workspace

HEAD_PIN = DEMO_PIN
# A one-page PDF: what a scanner writes, reduced to what the evidence store needs to hold.
SCAN_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def paper_record(demo: DemoSession, **changes: Any) -> dict[str, Any]:
    """The JSON of a paper form: candidate 1 with a phone, signed by two exam administrators
    and by the candidate; ``changes`` replace top-level keys (None removes one)."""
    admins = demo.staff["exam_admin"]
    record: dict[str, Any] = {
        "schema": "proctor-desk/transcription/1",
        "session": demo.session_id,
        "paper_form_number": "P-0007",
        "person": {"ticket_number": demo.candidates[1].ticket_number},
        "clause": "5.1",
        "facts": {"warned": True, "refused": True},
        "occurred_at": "2024-06-15T09:30",
        "subject": "理论知识",
        "description": "考试开始后发现考生携带手机，经提醒拒不交出。",
        "statement": "手机忘记交了。",
        "signed_on_paper": {"staff": [admins[0].name, admins[1].name]},
        "acknowledgement": {"kind": "signed"},
    }
    for key, value in changes.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    return record


def write_record(folder: Path, record: dict[str, Any], name: str = "paper.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def write_scan(folder: Path, name: str = "form-P-0007.pdf") -> Path:
    path = folder / name
    path.write_bytes(SCAN_BYTES)
    return path


def give_head_pin(ws: Workspace, demo: DemoSession) -> str:
    """The site head's name (their PIN is ``HEAD_PIN``, as the demo gives every staff member)."""
    del ws
    return demo.staff["site_head"][0].name
