"""The institution's filing as CSV: read with every problem named (its row, its field, what to
do) and nothing half-read, and written so that it reads back, a formula-like cell behind a
quote (a spreadsheet would otherwise run it)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app.core.institution.filing import (
    KIND_ZH,
    Branch,
    FiledOccupation,
    Filing,
    FilingError,
    FilingProblem,
    kind_of,
    problems_of,
)
from app.core.records.sessions import INSTITUTION_KINDS, LEVELS
from app.core.reports.decisions.sheets import FORMULA_STARTS

# The CSV: one line per thing filed, its first column saying which.
CSV_COLUMNS = ("项目", "备案码", "名称", "类型", "职业", "工种", "等级")
CSV_COLUMNS_EN = ("record", "code", "name", "kind", "occupation", "work_type", "levels")
RECORD_FILING, RECORD_OCCUPATION, RECORD_BRANCH = "机构", "职业", "分支机构"
_RECORDS_EN = {"filing": RECORD_FILING, "occupation": RECORD_OCCUPATION, "branch": RECORD_BRANCH}


def read_filing_csv(path: Path | str) -> Filing:
    """A filing from a CSV file (UTF-8, with or without BOM): a header row (Chinese or
    English names) and one row per 机构 (code, kind), 职业 (occupation, work type, levels
    separated by 、 or ;) or 分支机构 (code, name). Every problem is named; none is partial."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise FilingError(
            [
                FilingProblem(
                    None,
                    "file",
                    "无法读取（须为 UTF-8 的 CSV）",
                    f"cannot read it as UTF-8 CSV ({exc})",
                )
            ],
            str(path),
        ) from None
    return parse_filing_csv(text, str(path))


def parse_filing_csv(text: str, source: str = "") -> Filing:
    rows = list(csv.reader(io.StringIO(text)))
    problems: list[FilingProblem] = []
    if not rows:
        raise FilingError(
            [FilingProblem(1, "表头 header", "文件为空", "the file is empty")], source
        )
    header = [h.strip() for h in rows[0]]
    index: dict[str, int] = {}
    for zh, en in zip(CSV_COLUMNS, CSV_COLUMNS_EN, strict=True):
        for name in (zh, en):
            if name in header:
                index[zh] = header.index(name)
    if "项目" not in index:
        raise FilingError(
            [
                FilingProblem(
                    1,
                    "表头 header",
                    f"缺少“项目”列；表头应为 {','.join(CSV_COLUMNS)}",
                    f"no 'record' column; the header is {','.join(CSV_COLUMNS_EN)}",
                )
            ],
            source,
        )

    def cell(row: list[str], name: str) -> str:
        i = index.get(name)
        text = row[i].strip() if i is not None and i < len(row) else ""
        # As ``filing_csv`` wrote it: a formula-like cell behind a quote.
        return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text

    code = kind = ""
    occupations: list[FiledOccupation] = []
    branches: list[Branch] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        record = _RECORDS_EN.get(cell(row, "项目"), cell(row, "项目"))

        def problem(f: str, zh: str, en: str, number: int = number) -> None:
            problems.append(FilingProblem(number, f, zh, en))

        if record == RECORD_FILING:
            if code:
                problem("项目 record", "“机构”行只能有一行", "only one 机构 (filing) row")
            code, kind = cell(row, "备案码"), kind_of(cell(row, "类型"))
            if not code:
                problem("备案码 code", "为空；请照备案回执填写", "empty; copy it from the receipt")
            if kind not in INSTITUTION_KINDS:
                problem(
                    "类型 kind",
                    f"“{kind}”不对；请填 用人单位 或 社会培训评价组织",
                    f"'{kind}'; give 用人单位 or 社会培训评价组织",
                )
        elif record == RECORD_OCCUPATION:
            occupation = cell(row, "职业")
            levels = tuple(
                x.strip() for x in cell(row, "等级").replace(";", "、").split("、") if x.strip()
            )
            if not occupation:
                problem("职业 occupation", "为空；请填写职业名称", "empty; give the occupation")
            if not levels:
                problem(
                    "等级 levels",
                    f"为空；请填写等级，以、分隔，如 {LEVELS[0]}、{LEVELS[1]}",
                    "empty; give the levels separated by 、",
                )
            for level in levels:
                if level not in LEVELS:
                    problem(
                        "等级 levels",
                        f"“{level}”不是等级；请用 {'、'.join(LEVELS)}",
                        f"'{level}' is not a level; use one of {', '.join(LEVELS)}",
                    )
            occupations.append(FiledOccupation(occupation, cell(row, "工种"), levels))
        elif record == RECORD_BRANCH:
            if not cell(row, "备案码") or not cell(row, "名称"):
                problem(
                    "分支机构 branch",
                    "请填写分支机构的名称和备案码",
                    "give the branch's name and code",
                )
            branches.append(Branch(cell(row, "备案码"), cell(row, "名称")))
        else:
            problem(
                "项目 record",
                f"“{cell(row, '项目')}”不对；请填 机构、职业 或 分支机构",
                "use 机构 (filing), 职业 (occupation) or 分支机构 (branch)",
            )
    if not code and not any(p.field == "备案码 code" for p in problems):
        problems.append(
            FilingProblem(
                None,
                "机构 filing",
                "缺少“机构”行（备案码、类型）",
                "no 机构 row giving the code and kind",
            )
        )
    filing = Filing(code, kind, tuple(occupations), tuple(branches))
    if not problems:
        problems = [p for p in problems_of(filing)]
    if problems:
        raise FilingError(problems, source)
    return filing


def filing_csv(filing: Filing) -> str:
    """The filing as the CSV ``read_filing_csv`` reads."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows: list[list[str]] = [
        [RECORD_FILING, filing.code, "", KIND_ZH.get(filing.kind, filing.kind)],
        *(
            [RECORD_OCCUPATION, "", "", "", o.occupation, o.work_type, "、".join(o.levels)]
            for o in filing.occupations
        ),
        *([RECORD_BRANCH, b.code, b.name] for b in filing.branches),
    ]
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue()


def _csv_cell(text: str) -> str:
    """A cell Excel would take for a formula (= + - @, a tab or a CR first) gets a leading
    ``'``, which ``read_filing_csv`` takes off again."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
