"""报备 of a staff case to the regulator (Art. 16 ¶2: the institution handles a staff
member's violation and reports its handling to the regulator at the same time): a signed PDF
and an XLSX with one row per measure, for the regulator's own lists.

The regulator must know whom the measures concern, so both name the person in full."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from app.core.reports import formatting
from app.core.reports.decisions import parts
from app.core.reports.decisions.model import PARTY_LABELS, MeasureTaken, RegulatorReport
from app.core.reports.decisions.sheets import Cell, Column, Kind, workbook
from app.core.reports.grid import field_grid, list_table
from app.core.reports.layout import CONTENT_WIDTH, para, render

TITLE = "工作人员违纪违规行为处理情况报备表"
KIND = "case-regulator-report"
SHEET = "处理情况"
ABOUT = "说明"

COLUMNS = (
    Column("报备编号", 18, Kind.CODE),
    Column("案件编号", 14, Kind.CODE),
    Column("姓名", 12),
    Column("证件类型", 14),
    Column("证件号码", 22, Kind.CODE),
    Column("人员类别", 14),
    Column("所在单位", 20),
    Column("评价场次", 22),
    Column("考点", 20),
    Column("违纪违规条款", 18),
    Column("处理措施", 36),
    Column("决定日期", 12, Kind.DATE),
    Column("开始日期", 12, Kind.DATE),
    Column("结束日期", 12, Kind.DATE),
    Column("处理决定书编号", 18, Kind.CODE),
    Column("备注", 24),
)


def build_regulator_report_pdf(report: RegulatorReport) -> bytes:
    """The unsigned PDF of the report to the regulator."""
    return render(
        regulator_report_story(report),
        parts.frame(TITLE, report.number, report.case_ref),
        parts.meta(KIND, TITLE, report.number, report.case_ref, report.sitting),
    )


def _period(measure: MeasureTaken) -> str:
    if measure.first_day is None and measure.last_day is None:
        return "—"
    first = formatting.day(measure.first_day) if measure.first_day else "—"
    last = formatting.day(measure.last_day) if measure.last_day else "—"
    return f"{first} 至 {last}"


def regulator_report_story(report: RegulatorReport) -> list[Flowable]:
    institution = report.signatory.institution
    numbered = parts.Numbered()
    widths = [CONTENT_WIDTH * f for f in (0.30, 0.17, 0.15, 0.38)]
    measures = list_table(
        ["处理措施", "依据条款", "决定日期", "执行期间"],
        [
            [
                m.measure + (f"（{m.note}）" if m.note else ""),
                m.clause,
                formatting.day(m.decided_on),
                _period(m),
            ]
            for m in report.measures
        ],
        widths,
    )
    story: list[Flowable] = [
        *parts.heading(institution.name, TITLE, report.number),
        para(f"{report.regulator}："),
        para(
            f"依据{report.basis.source}{report.basis.citation}，现将本机构对工作人员违纪违规行为"
            "的处理情况报备如下。"
        ),
        *numbered("当事人"),
        parts.person_grid(report.person, masked=False),
        *numbered("评价活动"),
        parts.sitting_part(report.sitting, institution.name, institution.filing_code),
        *numbered("违纪违规事实"),
        *parts.facts_part(report.facts),
        *numbered("依据"),
        *parts.clauses_part(report.clauses),
        *numbered("处理情况", measures),
        measures,
    ]
    if report.decision is not None:
        ref = report.decision
        story += [
            *numbered("处理决定书"),
            field_grid(
                [[("文书编号", ref.number), ("作出日期", formatting.day(ref.issued_on))]],
                label_width=22 * mm,
            ),
        ]
    story += [
        *numbered("报备依据"),
        parts.law(report.basis),
        parts.issuer_block(report.signatory, report.reported_on, role="报备人"),
    ]
    return story


def build_regulator_report_xlsx(report: RegulatorReport) -> bytes:
    """The measures of the report, one row each, as an XLSX for the regulator."""
    person, sitting = report.person, report.sitting
    role = PARTY_LABELS[person.party] + (f"（{person.role}）" if person.role else "")
    session = f"{sitting.session_name}（{sitting.session_code}）" if sitting else ""
    decision = report.decision.number if report.decision else ""
    rows = [
        [
            report.number,
            report.case_ref,
            person.name,
            person.id_type,
            person.id_number,
            role,
            person.organisation,
            session,
            sitting.site if sitting else "",
            m.clause,
            m.measure,
            m.decided_on,
            m.first_day,
            m.last_day,
            decision,
            m.note,
        ]
        for m in report.measures
    ]
    institution = report.signatory.institution
    about: list[tuple[str, Cell]] = [
        ("表名", TITLE),
        ("报送对象", report.regulator),
        ("评价机构", institution.name),
        ("备案码", institution.filing_code),
        ("报备编号", report.number),
        ("报备日期", report.reported_on),
        ("报备人", f"{report.signatory.name}（账号 {report.signatory.account}）"),
        ("报备依据", f"{report.basis.source}{report.basis.citation}：{report.basis.text}"),
    ]
    return workbook(SHEET, COLUMNS, rows, ABOUT, about)
