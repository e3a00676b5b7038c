"""Shared helpers for the tests of the casework documents as the case makes them (no tests
here): the text of a PDF as pdftotext reads it, a byte changed, the Beijing day format."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

# The body of an A4 page in points, without the header and footer (as in
# tests/unit/test_case_documents.py): a passage that runs on to the next page reads as one.
BODY = ["-x", "0", "-y", "51", "-W", "595", "-H", "749"]


def pdf_text(pdf: bytes, folder: Path, name: str = "doc.pdf") -> str:
    """What ``pdf`` says, whitespace removed (CJK text breaks anywhere)."""
    path = folder / name
    path.write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *BODY, str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return flat(out.stdout)


def flat(text: str) -> str:
    return "".join(text.split())


def flip(data: bytes, marker: bytes = b"ReportLab PDF Library") -> bytes:
    """``data`` with one bit of one byte changed (inside the signed range)."""
    at = data.index(marker)
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def day(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"
