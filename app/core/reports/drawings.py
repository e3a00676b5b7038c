"""Vector drawings in reports: handwritten signatures from their strokes, and the QR code."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from app.core.reports.qr import qr_modules
from app.core.reports.typeface import report_font
from app.core.reports.views import Stroke

INK = colors.HexColor("#10244a")
RULE = colors.HexColor("#7a7a7a")
MIN_WIDTH = 0.6
MAX_WIDTH = 1.9


class SignatureFlowable(Flowable):  # type: ignore[misc]
    """The strokes scaled, aspect kept, into a box; pen width follows pressure."""

    def __init__(self, strokes: Sequence[Stroke], width: float, height: float) -> None:
        super().__init__()
        self.strokes = [list(s) for s in strokes if len(s) > 0]
        self.width = width
        self.height = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        points = [p for stroke in self.strokes for p in stroke]
        if not points:
            return
        xs = [p[0] for p in points]
        ys = [p[1] for p in points]
        min_x, max_x, min_y, max_y = min(xs), max(xs), min(ys), max(ys)
        pad = 3.0
        span_x = max(max_x - min_x, 1e-6)
        span_y = max(max_y - min_y, 1e-6)
        scale = min((self.width - 2 * pad) / span_x, (self.height - 2 * pad) / span_y)
        # Centre the signature; pad coordinates grow downwards, PDF ones upwards.
        off_x = pad + (self.width - 2 * pad - span_x * scale) / 2
        off_y = pad + (self.height - 2 * pad - span_y * scale) / 2

        # Coordinates are written as integers in hundredths of a point under a scaling ``cm``:
        # formatting floats (reportlab's or ours) was most of a signature's cost. Hundredths
        # keep the precision of the two decimals written before. Points lie inside the box, so
        # ``int(v + 0.5)`` rounds them.
        ax = scale * 100
        bx = (off_x - min_x * scale) * 100 + 0.5
        ay = -scale * 100
        by = (self.height - off_y + min_y * scale) * 100 + 0.5
        # Runs of segments of one pen width become one polyline, so a width operator is
        # written only when the width changes.
        ops: list[str] = ["0.01 0 0 0.01 0 0 cm"]
        for stroke in self.strokes:
            if len(stroke) == 1:
                x, y = int(stroke[0][0] * ax + bx), int(stroke[0][1] * ay + by)
                ops.append(f"{_width_units(stroke[0][3])} w {x} {y} m {x} {y} l S")
                continue
            width = -1
            prev = stroke[0]
            for point in stroke[1:]:
                w = _width_units((prev[3] + point[3]) / 2)
                if w != width:
                    if width > 0:
                        ops.append("S")
                    ops.append(f"{w} w {int(prev[0] * ax + bx)} {int(prev[1] * ay + by)} m")
                    width = w
                ops.append(f"{int(point[0] * ax + bx)} {int(point[1] * ay + by)} l")
                prev = point
            ops.append("S")
        canv.saveState()
        canv.setStrokeColor(INK)
        canv.setLineCap(1)  # round caps draw a lone point as a dot
        canv.setLineJoin(1)
        canv.addLiteral("\n".join(ops))
        canv.restoreState()


class SignatureBlock(Flowable):  # type: ignore[misc]
    """A signature with its caption: strokes, a rule, then "name · role" and the time.

    Drawn directly rather than as a nested table of paragraphs: a report has several, and
    nested tables were a large share of its layout time.
    """

    CAPTION = 24.0  # points below the strokes for the two caption lines

    def __init__(
        self, strokes: Sequence[Stroke], who: str, when: str, width: float, height: float
    ) -> None:
        super().__init__()
        self.signature = SignatureFlowable(strokes, width, height)
        self.who, self.when = who, when
        self.width, self.height = width, height + self.CAPTION

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        font = report_font()
        self.signature.canv = canv
        canv.saveState()
        canv.translate(0, self.CAPTION)
        self.signature.draw()
        canv.restoreState()
        # drawOn saved the graphics state and restores it: no save/restore around the rest.
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(0, self.CAPTION - 1, self.width, self.CAPTION - 1)
        canv.setFillColor(colors.black)
        size = 8.5
        # Shrink a long name and role to fit rather than run into the next box.
        while size > 6 and pdfmetrics.stringWidth(self.who, font, size) > self.width:
            size -= 0.5
        canv.setFont(font, size)
        canv.drawString(0, self.CAPTION - 11, self.who)
        canv.setFont(font, 7.5)
        canv.drawString(0, 2, self.when)


def _width(pressure: float) -> float:
    # Pads without pressure report 0 or 1; keep a legible middle width for those.
    if pressure <= 0.0:
        pressure = 0.5
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * min(pressure, 1.0)


def _width_units(pressure: float) -> int:
    """The pen width in hundredths of a point, in steps of a tenth of a point."""
    return round(_width(pressure) * 10) * 10


def qr_payload(record_id: str, content_hash: str) -> str:
    """The QR text: the record id and its content hash, as compact JSON."""
    return json.dumps({"id": record_id, "sha256": content_hash}, separators=(",", ":"))


class QrFlowable(Flowable):  # type: ignore[misc]
    """A square QR code drawn as one filled path (reportlab's widget builds a shape per module
    and tries all eight masks, which took most of a report's time)."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.modules = qr_modules(payload)
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        count = len(self.modules)
        quiet = 4  # modules of white border the standard asks for
        box = self.width / (count + 2 * quiet)
        # In module units under a scaling ``cm``: integers, cheap to write (see signatures).
        ops: list[str] = [f"{box:.5f} 0 0 {box:.5f} 0 0 cm"]
        for r, row in enumerate(self.modules):
            y = count + quiet - r - 1
            c = quiet
            for dark, run in itertools.groupby(row):
                length = len(list(run))
                if dark:
                    ops.append(f"{c} {y} {length} 1 re")
                c += length
        ops.append("f")
        canv = self.canv
        canv.saveState()
        canv.setFillColor(colors.black)
        canv.addLiteral("\n".join(ops))  # one path of rectangles, as for the signatures
        canv.restoreState()
