"""How the incident report prints a record transcribed from the paper form (依纸质记录誊录).

Such a record's signatures were made with a pen on paper; the app holds no strokes of them,
only their names in the sealed content (``app.core.records.transcription``) and the scan of
the signed form as evidence. So the report says so at the top, with the form's number, and its
signature section lists who signed on paper, and the site head's confirmation of the
transcription by PIN, instead of drawing handwriting that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether

from app.core.reports import formatting
from app.core.reports.grid import list_table
from app.core.reports.layout import CONTENT_WIDTH, gap, para, styles
from app.core.reports.views import SignatureView
from app.core.rulebook.model import ROLE_LABELS_ZH

PAPER_MARK = "依纸质记录誊录"
ON_PAPER = "在纸质记录上签名"
# Who signs a candidate's record, as the app-made record's signature section says it.
STAFF_LABEL = "工作人员签名（第十六条：2 名（含）以上）"
_ROLES = {role.value: label for role, label in ROLE_LABELS_ZH.items()}


@dataclass(frozen=True)
class PaperSigner:
    name: str
    role: str  # printed as is, e.g. 考务管理人员


@dataclass(frozen=True)
class PaperRecordView:
    """What the sealed content says of the paper form the record was transcribed from."""

    form_number: str
    staff: Sequence[PaperSigner]
    acknowledgement: str  # signed, refused or departed
    witnesses: Sequence[PaperSigner] = ()
    transcribed_by: str = ""


def _signer(raw: Mapping[str, Any]) -> PaperSigner:
    role = str(raw.get("role") or "")
    return PaperSigner(str(raw.get("name") or ""), _ROLES.get(role, role))


def paper_record_view(content: Mapping[str, Any]) -> PaperRecordView | None:
    """The paper marking of a record's content; None for a record made in the app."""
    raw = content.get("transcription")
    if not isinstance(raw, Mapping):
        return None
    ack = raw.get("acknowledgement") or {}
    return PaperRecordView(
        form_number=str(raw.get("paper_form_number") or ""),
        staff=[_signer(s) for s in raw.get("staff_signed_on_paper") or []],
        acknowledgement=str(ack.get("kind") or ""),
        witnesses=[_signer(w) for w in ack.get("witnesses") or []],
        transcribed_by=str((raw.get("transcribed_by") or {}).get("name") or ""),
    )


def paper_note(paper: PaperRecordView) -> str:
    """The line at the top of the record: where it came from."""
    return (
        f"{PAPER_MARK}：本记录依纸质备用表（表号 {paper.form_number}）誊录，"
        "纸质记录上的签名见“签名”一节，纸质记录表扫描件见“证据文件”一节。"
    )


def _signers(title: str, signers: Sequence[PaperSigner], how: str) -> list[Flowable]:
    rows = [[s.name, s.role, how] for s in signers]
    widths = [60 * mm, 50 * mm, CONTENT_WIDTH - 110 * mm]
    return [para(title, styles().label), list_table(["姓名", "身份", "签名方式"], rows, widths)]


def paper_signatures(
    paper: PaperRecordView, confirmation: SignatureView | None, zone: str
) -> list[Flowable]:
    """The signature section's body for a transcribed record (its heading is the caller's)."""
    out: list[Flowable] = [KeepTogether(_signers(STAFF_LABEL, paper.staff, ON_PAPER))]
    out.append(gap(2 * mm))
    if paper.acknowledgement == "signed":
        out.append(para("当事人确认：当事人已在纸质记录上签字（见扫描件）。", styles().label))
    else:
        title = (
            "当事人拒绝签字，以下工作人员在纸质记录上见证："
            if paper.acknowledgement == "refused"
            else "当事人已离场，未能确认。以下工作人员在纸质记录上见证其已离场："
        )
        out.append(KeepTogether(_signers(title, paper.witnesses, "在纸质记录上见证")))
    out.append(gap(2 * mm))
    if confirmation is None:
        out.append(para("考场负责人确认誊录：（尚未确认）"))
        return out
    when = formatting.when_seconds(confirmation.signed_at, zone)
    out.append(
        para(
            f"考场负责人确认誊录：{confirmation.name} · {confirmation.role} · {when}"
            "（以本人 PIN 确认，本机无手写签名；纸质记录上的签字见扫描件）",
            styles().label,
        )
    )
    return out


def paper_status(paper: PaperRecordView) -> str:
    """The session summary's signature column for a transcribed record."""
    ack = {"signed": "当事人已签", "refused": "拒签已见证", "departed": "离场已见证"}
    parts = [
        f"纸质签名：工作人员 {len(paper.staff)} 人",
        ack.get(paper.acknowledgement, "当事人未签"),
        "已确认誊录",
    ]
    return " · ".join(parts)
