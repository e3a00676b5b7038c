"""Reading a produced PDF back as a reader's tools do."""

from __future__ import annotations

import subprocess
from pathlib import Path


def flat_pdf_text(pdf: Path) -> str:
    """pdftotext's text without white space: Chinese may wrap anywhere."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    )
    return "".join(out.stdout.split())
