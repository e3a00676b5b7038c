"""The right-hand side of the page header: the site and the session code, shortened to fit.

The header writes the title at the left margin and this reference flush right on the same
baseline (``layout._NumberedCanvas``); a site name of forty characters ran under the title.
The site name is cut in its middle ("…"), keeping its start and its end (usually "…考点"),
until the reference ends a gap before the title; the session code is always kept whole. The
full name is printed in the body (一、评价活动).
"""

from __future__ import annotations

from reportlab.lib.units import mm

from app.core.reports.layout import CONTENT_WIDTH, styles
from app.core.reports.linebreak import metrics

HEADER_SIZE = 9.0  # the size the header's title and reference are written in
HEADER_GAP = 6 * mm  # at least this much white between the title and the reference
ELLIPSIS = "…"
SEPARATOR = " · "


def header_width(value: str) -> float:
    """The width of ``value`` in the header's font and size."""
    return metrics(styles().font).width(value, HEADER_SIZE)


def site_reference(title: str, site: str, code: str) -> str:
    """``site · code``, the site name shortened in its middle so that the reference and the
    title fit on one header line with ``HEADER_GAP`` between them."""
    room = CONTENT_WIDTH - header_width(title) - HEADER_GAP
    full = f"{site}{SEPARATOR}{code}"
    if header_width(full) <= room:
        return full
    chars = list(site)  # code points: a character outside the BMP is never cut in two
    for keep in range(len(chars) - 1, 0, -1):
        tail = keep // 3  # the end names the kind of place (考点, 校区…): keep a third of it
        head = keep - tail
        short = "".join(chars[:head]) + ELLIPSIS + "".join(chars[len(chars) - tail :])
        candidate = f"{short}{SEPARATOR}{code}"
        if header_width(candidate) <= room:
            return candidate
    return code
