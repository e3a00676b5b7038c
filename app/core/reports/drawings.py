"""Vector drawings in reports: handwritten signatures from their strokes, and the QR code."""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.platypus import Flowable

from app.core.reports.typeface import report_font
from app.core.reports.views import Stroke

INK = colors.HexColor("#10244a")
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

        def at(x: float, y: float) -> tuple[float, float]:
            return off_x + (x - min_x) * scale, self.height - off_y - (y - min_y) * scale

        canv.saveState()
        canv.setStrokeColor(INK)
        canv.setFillColor(INK)
        canv.setLineCap(1)
        canv.setLineJoin(1)
        for stroke in self.strokes:
            if len(stroke) == 1:
                x, y = at(stroke[0][0], stroke[0][1])
                canv.circle(x, y, _width(stroke[0][3]) / 2, stroke=0, fill=1)
                continue
            for a, b in itertools.pairwise(stroke):
                canv.setLineWidth(_width((a[3] + b[3]) / 2))
                x1, y1 = at(a[0], a[1])
                x2, y2 = at(b[0], b[1])
                canv.line(x1, y1, x2, y2)
        canv.restoreState()


def _width(pressure: float) -> float:
    # Pads without pressure report 0 or 1; keep a legible middle width for those.
    if pressure <= 0.0:
        pressure = 0.5
    return MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * min(pressure, 1.0)


def qr_payload(record_id: str, content_hash: str) -> str:
    """The QR text: the record id and its content hash, as compact JSON."""
    return json.dumps({"id": record_id, "sha256": content_hash}, separators=(",", ":"))


def qr_drawing(payload: str, size: float) -> Drawing:
    """A square QR code of ``size`` points carrying ``payload``."""
    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    # A Drawing starts its graphics state in Helvetica; that alone puts an unembedded font
    # into the file, so start it in the report font.
    drawing.initialFontName = report_font()
    drawing.add(widget)
    return drawing
