"""Section 六 cites the clause as the guideline does (第六条第（一）项); the ban is stated once,
with its end date on it; the Art. 6 end date is marked as this rulebook's reading of 当年; the
seized items carry no 数量 nobody recorded."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from app.core.demo.seed import DemoSession
from app.core.records.service import Workspace
from app.core.reports.from_records import CURRENT_YEAR_READING_ZH, incident_view
from app.core.reports.incident import build_incident_pdf
from tests.support.pdf import flat_pdf_text
from tests.support.records import draft

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def text_of(ws: Workspace, record: str, folder: Path) -> str:
    path = folder / f"{record}.pdf"
    path.write_bytes(build_incident_pdf(incident_view(ws, record)))
    return flat_pdf_text(path)


def handling_part(text: str) -> str:
    """The handling section: from its heading to the seized items."""
    return text[text.index("依据条款可能适用的处理") : text.index("暂扣物品")]


def test_section_six_cites_the_item_as_the_guideline_does(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = ws.create_incident(demo.session_id, draft(demo, clause="6.1", facts={})).id
    text = text_of(ws, record, tmp_path)
    assert "六、适用条款第六条第（一）项（使用规定以外的电子设备）·条款编号6.1" in text
    assert "第6条" not in text


def test_the_art_6_end_date_is_marked_as_the_rulebooks_reading_and_stated_once(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = ws.create_incident(demo.session_id, draft(demo, clause="6.1", facts={})).id
    part = handling_part(text_of(ws, record, tmp_path))
    reading = "".join(CURRENT_YEAR_READING_ZH.split())
    assert f"·当年不得参加评价（至2024年12月31日（含）；{reading}）" in part
    assert part.count("2024年12月31日") == 1
    assert part.count("不得参加评价") == 1


def test_the_art_7_ban_is_stated_once(ws: Workspace, demo: DemoSession, tmp_path: Path) -> None:
    minor = ws.create_incident(
        demo.session_id, draft(demo, clause="7.4", facts={"severity": "minor"})
    ).id
    part = handling_part(text_of(ws, minor, tmp_path))
    assert part.count("2年内不得参加评价") == 1
    undecided = ws.create_incident(demo.session_id, draft(demo, clause="7.4", facts={})).id
    part = handling_part(text_of(ws, undecided, tmp_path))
    assert part.count("不得参加评价") == 1
    assert "不得参加评价的期限不少于2年" in part
    decided = ws.create_incident(
        demo.session_id,
        draft(demo, clause="7.4", facts={"severity": "serious", "decision_date": "2024-07-01"}),
    ).id
    part = handling_part(text_of(ws, decided, tmp_path))
    assert part.count("5年内不得参加评价") == 1
    assert re.search(r"5年内不得参加评价（至\d{4}年\d+月\d+日（含））", part)
    assert "此日期为本规则库" not in part  # Art. 7 states its period itself


def test_seized_items_have_no_made_up_quantity(
    ws: Workspace, demo: DemoSession, tmp_path: Path
) -> None:
    record = ws.create_incident(demo.session_id, draft(demo)).id
    text = text_of(ws, record, tmp_path)
    assert "物品收据编号手机一部R-001" in text
    assert "数量" not in text
