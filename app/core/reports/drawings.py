"""Vector drawings in reports: handwritten signatures from their strokes, and the QR code."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.core.reports.linebreak import metrics
from app.core.reports.qr import qr_modules
from app.core.reports.textout import TextObject, number
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
        self.paint(self.canv, 0.0)

    def paint(self, canv: Canvas, rise: float) -> None:
        """Draw with the box's lower left ``rise`` points above the current origin."""
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
        ops: list[str] = [f"0.01 0 0 0.01 0 {number(rise)} cm"]
        for stroke in self.strokes:
            spots = [f"{int(p[0] * ax + bx)} {int(p[1] * ay + by)}" for p in stroke]
            if len(stroke) == 1:
                ops.append(f"{_width_units(stroke[0][3])} w {spots[0]} m {spots[0]} l S")
                continue
            pressures = [p[3] for p in stroke]
            widths = segment_widths(pressures)
            start = 0
            for end in range(1, len(widths) + 1):
                if end == len(widths) or widths[end] != widths[start]:
                    path = " l ".join(spots[start + 1 : end + 1])
                    ops.append(f"{widths[start]} w {spots[start]} m {path} l S")
                    start = end
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
        self.signature.paint(canv, self.CAPTION)
        # drawOn saved the graphics state and restores it: no save/restore around the rest.
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(0, self.CAPTION - 1, self.width, self.CAPTION - 1)
        canv.setFillColor(colors.black)
        size = 8.5
        # Shrink a long name and role to fit rather than run into the next box.
        while size > 6 and metrics(font).width(self.who, size) > self.width:
            size -= 0.5
        text = TextObject(canv, font, size)
        text.line(0, self.CAPTION - 11, self.who)
        text.resize(7.5)
        text.line(0, 2, self.when)
        text.close()


def _width(pressure: float) -> float:
    # Pads without pressure report 0 or 1; keep a legible middle width for those.
    if pressure <= 0.0:
        pressure = 0.5
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * min(pressure, 1.0)


def _width_units(pressure: float) -> int:
    """The pen width in hundredths of a point, in steps of a tenth of a point."""
    return round(_width(pressure) * 10) * 10


_SPAN = MAX_WIDTH - MIN_WIDTH
_NO_PRESSURE = _width_units(0.0)


def segment_widths(pressures: list[float]) -> list[int]:
    """``_width_units`` of each segment's mean pressure, in one pass (a signature has hundreds
    of segments; this is the same arithmetic without two calls per segment)."""
    return [
        round((MIN_WIDTH + _SPAN * (q if q < 1.0 else 1.0)) * 10) * 10 if q > 0.0 else _NO_PRESSURE
        for q in [(a + b) / 2 for a, b in itertools.pairwise(pressures)]
    ]


def qr_payload(record_id: str, content_hash: str) -> str:
    """The QR text: the record id and its content hash, as compact JSON."""
    return json.dumps({"id": record_id, "sha256": content_hash}, separators=(",", ":"))


class QrFlowable(Flowable):  # type: ignore[misc]
    """A square QR code drawn as a 1-bit stencil mask, one sample per module (reportlab's
    widget builds a shape per module and tries all eight masks, which took most of a report's
    time)."""

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
        side = box * count
        # A 1-bit stencil mask, one sample per module, painted in black: a few hundred bytes
        # where a path of rectangles took several kilobytes to write and then to compress.
        # Viewers draw a mask without smoothing unless asked to (no /I), so edges stay sharp.
        rows = []
        for row in self.modules:
            bits = "".join(["1" if dark else "0" for dark in row]).ljust(-(-count // 8) * 8, "0")
            rows.append(f"{int(bits, 2):0{len(bits) // 4}x}")
        canv = self.canv
        canv.saveState()
        canv.setFillColor(colors.black)
        canv.addLiteral(
            f"{number(side)} 0 0 {number(side)} {number(quiet * box)} {number(quiet * box)} cm "
            f"BI /W {count} /H {count} /IM true /BPC 1 /D [1 0] /F /AHx ID\n"
            f"{''.join(rows)}>\nEI"
        )
        canv.restoreState()
