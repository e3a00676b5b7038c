"""Representative report views, deterministic, for the benchmark and the tests.

The clause text is passed in (from the rulebook or a test), never written here: the regulation's
wording lives in the rulebook only.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from app.core.reports.views import (
    AcknowledgementView,
    BlankFormView,
    ClauseView,
    EvidenceFileView,
    HandlingView,
    IncidentLineView,
    IncidentReportView,
    PersonView,
    RoomView,
    SeizedItemView,
    SessionHeaderView,
    SessionSummaryView,
    SignatureView,
    SiteHeadConfirmationView,
    StaffOnDutyView,
    Stroke,
    StrokePoint,
)

START = dt.datetime(2026, 5, 12, 1, 0, tzinfo=dt.UTC)  # 09:00 Beijing time


def handwriting(seed: str, glyphs: int = 3) -> list[Stroke]:
    """Pen strokes that look like a quick handwritten name: loops and ticks per glyph."""
    rng = random.Random(seed)
    strokes: list[Stroke] = []
    t = 0.0
    for g in range(glyphs):
        base_x = 20 + g * 90
        for _ in range(rng.randint(2, 4)):
            points: list[StrokePoint] = []
            x0 = base_x + rng.uniform(0, 40)
            y0 = 30 + rng.uniform(0, 40)
            dx, dy = rng.uniform(20, 60), rng.uniform(-25, 45)
            loops = rng.uniform(0.3, 1.2)
            for i in range(18):
                f = i / 17
                x = x0 + dx * f + 12 * math.sin(f * math.pi * 2 * loops)
                y = y0 + dy * f + 10 * math.cos(f * math.pi * 2 * loops)
                pressure = 0.35 + 0.5 * math.sin(f * math.pi)
                points.append((x, y, t, pressure))
                t += 8.0
            strokes.append(points)
            t += 120.0
    return strokes


def sample_session() -> SessionHeaderView:
    return SessionHeaderView(
        institution_name="华东职业技能评价中心",
        filing_code="S000031000012",
        site_name="上海市徐汇区第二考点",
        session_code="2026-05-12-AM",
        session_name="2026年5月第二批次上午场",
        evaluation_type="职业技能等级认定",
        occupation="电工",
        level="四级/中级工",
        subject="理论知识",
        starts_at=START,
        ends_at=START + dt.timedelta(hours=2),
    )


def _signature(name: str, role: str, minutes: int) -> SignatureView:
    return SignatureView(
        name=name,
        role=role,
        signed_at=START + dt.timedelta(minutes=minutes),
        strokes=handwriting(name, len(name)),
    )


def sample_incident(
    clause: ClauseView | None,
    handling: HandlingView | None,
    *,
    facts_paragraphs: int = 1,
    version: int = 1,
    refused: bool = False,
) -> IncidentReportView:
    """A complete, signed-off incident record about a candidate."""
    fact = (
        "考生于 09:41 在座位上使用手机，被监考员王明发现；手机屏幕显示与试题相关的图片。"
        "监考员当场制止并暂扣手机，考生停止答题后在考场外等候。"
    )
    facts = "\n\n".join(f"（{i + 1}）{fact}" for i in range(facts_paragraphs))
    staff = [_signature("王明", "考务管理人员", 45), _signature("李华", "考务管理人员", 46)]
    if refused:
        ack = AcknowledgementView(
            refused=True,
            witnesses=[_signature("赵强", "质量督导员", 48)],
            note="考生拒绝在记录上签字，经两名工作人员见证。",
        )
    else:
        ack = AcknowledgementView(refused=False, signature=_signature("张三", "参评人员", 47))
    return IncidentReportView(
        record_id="3f2b8c1e-5d4a-4e7b-9c61-0a8f2d7e4b15",
        record_number="XH2-20260512-001",
        version=version,
        rulebook_label="rsz-2021-57@1.0.0",
        content_hash="9b1d5c0f3e7a2b8c4d6e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c",
        session=sample_session(),
        person=PersonView(
            name="张三",
            party_label="参评人员",
            id_number="310104199001011234",
            candidate_number="2605120317",
            seat="第3考场 17号",
        ),
        occurred_at=START + dt.timedelta(minutes=41),
        place="第3考场（教学楼 B 座 204）",
        facts=facts,
        statement="我只是看了一下时间，没有查资料。",
        clause=clause,
        handling=handling,
        staff_signatures=staff,
        acknowledgement=ack,
        site_head=SiteHeadConfirmationView(signature=_signature("陈静", "考场负责人", 55)),
        seized_items=[SeizedItemView("手机（黑色，华为 Mate 60）", "SZ-20260512-0007")],
        evidence=[
            EvidenceFileView(
                "IMG_0412.jpg",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                2_345_678,
                "手机屏幕照片",
            )
        ],
        supersedes_version=version - 1 if version > 1 else None,
        amendment_reason="补充考生陈述" if version > 1 else "",
        recorded_by="王明",
    )


def sample_session_summary(incidents: int = 3) -> SessionSummaryView:
    """A sitting with three rooms, four staff and ``incidents`` incident lines."""
    lines = [
        IncidentLineView(
            record_number=f"XH2-20260512-{i + 1:03d}",
            record_id=f"00000000-0000-4000-8000-{i + 1:012d}",
            version=1,
            person_name=["张三", "李四", "王五", "赵六"][i % 4],
            party_label="参评人员",
            room=f"第{i % 3 + 1}考场",
            occurred_at=START + dt.timedelta(minutes=20 + 7 * i),
            clause_id=["6.1", "5.1", "5.3"][i % 3],
            clause_title_zh=["使用电子设备", "携带禁携物品", "交头接耳"][i % 3],
            article_number=[6, 5, 5][i % 3],
            handling_zh=[
                "取消当次全部科目成绩，当年不得参加评价",
                "取消当次该科目成绩",
                "取消当次该科目成绩",
            ][i % 3],
            signature_status="工作人员 2/2 · 当事人已签 · 负责人已确认"
            if i % 2 == 0
            else "工作人员 1/2 · 待确认",
            complete=i % 2 == 0,
            # Every other record still waits for the site head: not in force, listed apart.
            status="confirmed" if i % 2 == 0 else "signed",
        )
        for i in range(incidents)
    ]
    return SessionSummaryView(
        session=sample_session(),
        staff=[
            StaffOnDutyView("陈静", "考场负责人"),
            StaffOnDutyView("王明", "考务管理人员", "第1考场"),
            StaffOnDutyView("李华", "考务管理人员", "第2考场"),
            StaffOnDutyView("赵强", "质量督导员"),
        ],
        rooms=[RoomView("第1考场", 30, 29), RoomView("第2考场", 30, 30), RoomView("第3考场", 28)],
        incidents=lines,
        rulebook_label="rsz-2021-57@1.0.0",
        generated_at=START + dt.timedelta(hours=3),
    )


def sample_blank_form() -> BlankFormView:
    return BlankFormView(
        session=sample_session(),
        rooms=("第1考场", "第2考场", "第3考场"),
        form_number="P-2026-05-12-01",
        rulebook_label="rsz-2021-57@1.0.0",
        clause_hints=(("5.1", "携带禁携物品"), ("6.1", "使用电子设备")),
    )
