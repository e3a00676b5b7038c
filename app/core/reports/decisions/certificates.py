"""The Art. 8 list: certificates, and certificate data put online, of candidates whose
violation was found after the evaluation and confirmed, for the institution or the regulator to
declare invalid and handle (Art. 8: "对已发放证书、已上网证书数据及时作出相应处理").

It goes to whoever keeps the certificate data, who must match each row to a certificate: the
ID number and the certificate number are printed in full and as text (leading zeros and a final
X kept). A person has one row per certificate the case names; a person whose case names none
still has a row, its certificate number empty and its note saying so (未填写证书编号)."""

from __future__ import annotations

from app.core.reports.decisions.model import CertificateList
from app.core.reports.decisions.sheets import Cell, Column, Kind, workbook

TITLE = "证书及证书数据处理清单"
SHEET = "证书处理清单"
ABOUT = "说明"

COLUMNS = (
    Column("序号", 6),
    Column("姓名", 12),
    Column("证件类型", 14),
    Column("证件号码", 22, Kind.CODE),
    Column("证书编号", 22, Kind.CODE),
    Column("职业（工种）", 20),
    Column("等级", 10),
    Column("发证日期", 12, Kind.DATE),
    Column("处理", 30),
    Column("依据条款", 18),
    Column("处理决定书编号", 18, Kind.CODE),
    Column("决定日期", 12, Kind.DATE),
    Column("备注", 24),
)


def build_certificate_list_xlsx(listing: CertificateList) -> bytes:
    """The certificates to invalidate and data to correct, one row each, as an XLSX."""
    rows = [
        [
            str(i),
            e.name,
            e.id_type,
            e.id_number,
            e.certificate_number,
            e.occupation,
            e.level,
            e.issued_on,
            e.action,
            e.clause,
            e.decision_number,
            e.decided_on,
            e.note,
        ]
        for i, e in enumerate(listing.entries, start=1)
    ]
    about: list[tuple[str, Cell]] = [
        ("表名", TITLE),
        ("评价机构", listing.institution.name),
        ("备案码", listing.institution.filing_code),
        ("制表日期", listing.listed_on),
        ("条目数", str(len(listing.entries))),
        ("证书数（有编号）", str(sum(1 for e in listing.entries if e.certificate_number))),
        ("依据", f"{listing.basis.source}{listing.basis.citation}：{listing.basis.text}"),
    ]
    return workbook(SHEET, COLUMNS, rows, ABOUT, about)
