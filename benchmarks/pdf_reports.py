"""Milliseconds per PDF report, unsigned and signed, against bare reportlab pages.

Run: ``.venv/bin/python benchmarks/pdf_reports.py [--batch 1000] [--signed-batch 100]
[--breakdown]``. Everything is measured in one process after a warm-up (font registered,
pyHanko imported), the timed functions taking turns, so the numbers compare like with like.

The bare baseline is the same work minus our framework: as many A4 pages as the report has,
carrying the report's own text (read back from it with pdftotext, so the same characters go
into the same font subsets) in the same font, drawn with ``drawString`` and saved with the same
settings. It has no layout engine and none of the report's lines, shading, signatures or QR
code. Targets (from the reports issue): unsigned report ≤ 1.5 × bare pages; signed ≤ unsigned
+ 1.1 × pyHanko's own signing time.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

# The temporary data folders' keys open with a benchmark passphrase (there is no key store
# here); the app started in a child process inherits it.
os.environ.setdefault("PROCTOR_DESK_DEVICE_PASSPHRASE", "benchmark passphrase")

# tests/ is not installed with the app; from the repository root this script imports the
# helpers the tests share (tests.support) by the names the tests use.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from app.core.reports.incident import build_incident_pdf
from app.core.reports.pdf_signing import PdfSigner
from app.core.reports.typeface import report_font
from app.core.reports.views import ClauseView, HandlingView, IncidentReportView
from app.core.rulebook.loader import load_rulebook
from app.core.trust.pdf_identity import device_identity
from tests.support.report_samples import sample_incident

PAGE_TOP = 805.0
LINE_STEP = 11.5  # 9 pt text; the report's fullest page has about 65 lines


def sample_view() -> IncidentReportView:
    rulebook = load_rulebook("cn-national-2021")
    clause = rulebook.clause("6.1")
    article = rulebook.article_of(clause)
    return sample_incident(
        ClauseView(clause.id, article.number, article.head_zh, clause.text_zh, clause.title_zh),
        HandlingView([m.zh for m in article.measures]),
    )


def report_text(pdf: bytes) -> list[list[str]]:
    """The text the report prints, page by page and line by line, as poppler extracts it.

    Taken from the built report itself, so the bare pages carry exactly its characters (the
    same font subset to embed) and its amount of text, headers and footers included.
    """
    if shutil.which("pdftotext") is None:
        raise SystemExit("pdftotext (poppler-utils) is needed to read the report's text")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = [[line for line in page.split("\n") if line.strip()] for page in out.split("\f")]
    return [page for page in pages if page]


def bare_pages(pages: list[list[str]]) -> bytes:
    """The same text in the same font on as many A4 pages, with drawString: no layout engine.

    Saved the way the reports are (the canvas reads the same process-wide settings: page
    compression on, no ASCII85, the font subset and embedded), with the same initial font.
    """
    font = report_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, initialFontName=font)
    for lines in pages:
        canvas.setFont(font, 9)
        y = PAGE_TOP
        for line in lines:
            canvas.drawString(40, y, line)
            y -= LINE_STEP
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def timed_ms(fns: list[Callable[[], object]], repeat: int) -> list[tuple[float, float]]:
    """(median, minimum) in ms for each function. The functions take turns, round after
    round, so that load from other processes on a shared machine falls on all of them alike
    (the ratios are taken between figures measured side by side); the minimum is the steadier
    figure there."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, series in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            series.append((time.perf_counter() - start) * 1000)
    return [(statistics.median(t), min(t)) for t in times]


def breakdown(view: IncidentReportView, pages: list[list[str]], repeat: int) -> None:
    """Where a build's time goes (minima over ``repeat`` runs): the story (our flowables
    made), layout and drawing (platypus and the canvas), and saving (reportlab's PDF
    serialisation: font subsets, number formatting, compression), for the report and for the
    bare pages, side by side."""
    from reportlab.pdfbase.pdfdoc import PDFDocument

    from app.core.reports.incident import incident_story
    from app.core.reports.views import Copy

    saving: list[float] = []
    original = PDFDocument.GetPDFData

    def timed_save(self: PDFDocument, canvas: Canvas) -> bytes:
        start = time.perf_counter()
        data: bytes = original(self, canvas)
        saving.append((time.perf_counter() - start) * 1000)
        return data

    story_ms: list[float] = []
    totals: dict[str, list[float]] = {"report": [], "bare": []}
    saves: dict[str, list[float]] = {"report": [], "bare": []}
    PDFDocument.GetPDFData = timed_save  # type: ignore[method-assign]
    try:
        for _ in range(repeat):
            start = time.perf_counter()
            incident_story(view, Copy.INSTITUTION)
            story_ms.append((time.perf_counter() - start) * 1000)
            for name, fn in (
                ("report", lambda: build_incident_pdf(view)),
                ("bare", lambda: bare_pages(pages)),
            ):
                saving.clear()
                start = time.perf_counter()
                fn()
                totals[name].append((time.perf_counter() - start) * 1000)
                saves[name].append(saving[0])
    finally:
        PDFDocument.GetPDFData = original  # type: ignore[method-assign]
    story, report_save, bare_save = min(story_ms), min(saves["report"]), min(saves["bare"])
    report_draw = min(totals["report"]) - report_save - story
    bare_draw = min(totals["bare"]) - bare_save
    print("where the time goes (ms, minima):        report    bare pages")
    print(f"  story (our flowables built)            {story:6.1f}    {0:6.1f}")
    print(f"  layout and drawing                     {report_draw:6.1f}    {bare_draw:6.1f}")
    print(f"  saving (subsets, numbers, compression) {report_save:6.1f}    {bare_save:6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=60, help="rounds of timed runs")
    parser.add_argument("--batch", type=int, default=1000, help="unsigned batch size")
    parser.add_argument("--signed-batch", type=int, default=100, help="signed batch size")
    parser.add_argument(
        "--breakdown", action="store_true", help="also show where a build's time goes"
    )
    args = parser.parse_args()

    view = sample_view()
    with tempfile.TemporaryDirectory() as folder:
        signer = PdfSigner(device_identity(Path(folder), "B"))
        # Warm-up: font parsed, pyHanko imported, signer built, caches filled.
        report = build_incident_pdf(view)
        pages = report_text(report)
        trivial = bare_pages(pages)
        signer.sign(trivial)

        bare, unsigned, signed, sign_report, pyhanko = timed_ms(
            [
                lambda: bare_pages(pages),
                lambda: build_incident_pdf(view),
                lambda: signer.sign(build_incident_pdf(view)),
                lambda: signer.sign(report),
                lambda: signer.sign(trivial),
            ],
            args.repeat,
        )

        start = time.perf_counter()
        for _ in range(args.batch):
            build_incident_pdf(view)
        batch_s = time.perf_counter() - start

        start = time.perf_counter()
        for _ in range(args.signed_batch):
            signer.sign(build_incident_pdf(view))
        signed_batch_s = time.perf_counter() - start

    page_count = len(pages)
    characters = sum(len(line) for page in pages for line in page)
    print(
        f"incident report: {page_count} A4 pages, {characters} characters of text; "
        f"the bare baseline is {page_count} reportlab pages with the same text, font and "
        "save settings (drawString only: no layout, no lines, signatures or QR code)"
    )
    rows = [
        (f"bare reportlab pages ×{page_count}, same text", bare),
        ("incident report, unsigned", unsigned),
        ("incident report, signed (build + sign)", signed),
        ("signing the report alone", sign_report),
        ("pyHanko signing the bare pages", pyhanko),
    ]
    print(f"{'':42s} {'median':>8s} {'min':>8s}")
    for label, (med, low) in rows:
        print(f"{label:42s} {med:7.1f}ms {low:7.1f}ms")
    print(
        f"batch of {args.batch} unsigned reports: {batch_s:.1f} s "
        f"({batch_s * 1000 / args.batch:.1f} ms each)"
    )
    per_signed = signed_batch_s / args.signed_batch
    print(
        f"batch of {args.signed_batch} signed reports: {signed_batch_s:.1f} s "
        f"({per_signed * 1000:.1f} ms each; 1,000 signed would take ≈ {per_signed * 1000:.0f} s, "
        "extrapolated)"
    )
    # Ratios on the minima: other processes on the machine inflate medians unevenly.
    ratio_unsigned = unsigned[1] / bare[1]
    overhead = (signed[1] - unsigned[1]) / pyhanko[1]
    direct = sign_report[1] / pyhanko[1]
    print(
        f"unsigned / bare pages: {ratio_unsigned:.2f} "
        f"(target ≤ 1.5: {_verdict(ratio_unsigned, 1.5)})"
    )
    print(
        f"(signed − unsigned) / pyHanko: {overhead:.2f}; signing the report / pyHanko: "
        f"{direct:.2f} (target ≤ 1.1: {_verdict(max(overhead, direct), 1.1)})"
    )
    if args.breakdown:
        breakdown(view, pages, args.repeat)


def _verdict(value: float, limit: float) -> str:
    return "met" if value <= limit else "MISSED"


if __name__ == "__main__":
    main()
