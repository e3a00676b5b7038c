"""Reading a roster file (XLSX or CSV) into rows of text, with Excel's row numbers.

Only the shape of the file is handled here (format, encoding, blank rows); what the columns
mean is ``parse.py``'s business. File-level failures raise ``RosterError`` at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from app.core.rosters.problems import Reason, RosterError, RosterProblem

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES = frozenset({".csv"})
# Excel keeps 15 significant digits: a longer number typed into a General cell is already
# rounded in the file (an 18-digit ID number ends in 000), so it must be re-entered as text.
EXCEL_EXACT_LIMIT = 10**15
# A roster of a few thousand people is well under a megabyte, as CSV and as XLSX (which is a
# zip of XML). The limits are checked before anything is expanded: a small zip can hold
# gigabytes of XML (a zip bomb), which openpyxl would otherwise read into memory.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_XLSX_EXPANDED = 50 * 1024 * 1024  # the members' sizes, from the zip's directory
MAX_XLSX_MEMBERS = 1000
MAX_CELLS = 1_000_000  # cells read from the first sheet (an empty row counts as one)


@dataclass
class RawTable:
    header_row: int  # Excel row number of the header (1 unless rows above it are blank)
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (Excel row number, cell texts), blank rows left out
    rounded: set[tuple[int, int]] = field(default_factory=set)  # (row, column index) cells


def read_table(path: Path) -> RawTable:
    """The non-blank rows of the roster at ``path``; the first non-blank row is the header."""
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        rows, rounded = _read_xlsx(path)
    elif suffix in CSV_SUFFIXES:
        rows, rounded = _read_csv(path), set()
    elif suffix == ".xls":
        _fail(
            path,
            Reason(
                "不支持旧版 Excel 97-2003 (.xls) 文件，请在 Excel 中另存为 .xlsx 后再导入",
                "old Excel 97-2003 (.xls) files are not supported; save as .xlsx in Excel "
                "and import that",
            ),
        )
    else:
        _fail(
            path,
            Reason(
                f"文件类型 {suffix or '（无扩展名）'} 不支持，请使用 .xlsx 或 .csv 文件",
                f"file type {suffix or '(no extension)'} is not supported; use an .xlsx or "
                ".csv file",
            ),
        )
    numbered = [(number, cells) for number, cells in rows if any(c.strip() for c in cells)]
    if not numbered:
        _fail(
            path,
            Reason(
                "文件是空的：没有表头也没有数据，请使用名单模板填写",
                "the file is empty: no header and no data; fill in the roster template",
            ),
        )
    header_row, headers = numbered[0]
    return RawTable(header_row, headers, numbered[1:], rounded)


def _fail(path: Path, reason: Reason) -> NoReturn:
    raise RosterError(str(path), [RosterProblem(None, None, reason.zh, reason.en)])


def _too_large(path: Path, what_zh: str, what_en: str) -> NoReturn:
    _fail(
        path,
        Reason(
            f"文件太大（{what_zh}），不像考生或工作人员名单，请使用名单模板",
            f"the file is too large ({what_en}) for a roster; use the roster template",
        ),
    )


def _read_bytes(path: Path) -> bytes:
    megabytes = MAX_FILE_BYTES // (1024 * 1024)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            _too_large(path, f"超过 {megabytes} MB", f"over {megabytes} MB")
        with path.open("rb") as handle:  # bounded also for a device or a pipe
            data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            _too_large(path, f"超过 {megabytes} MB", f"over {megabytes} MB")
        return data
    except FileNotFoundError:
        _fail(path, Reason("找不到该文件，请检查路径", "file not found; check the path"))
    except OSError as exc:
        _fail(
            path,
            Reason(f"无法读取该文件：{exc.strerror}", f"cannot read the file: {exc.strerror}"),
        )


def _read_csv(path: Path) -> list[tuple[int, list[str]]]:
    text = _decode(path, _read_bytes(path))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel's "Unicode text" export is tab-separated; everything else we meet uses commas.
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error as exc:
        _fail(
            path,
            Reason(
                f"CSV 格式错误（第{reader.line_num}行）：{exc}，请用 Excel 重新另存为 CSV",
                f"malformed CSV (line {reader.line_num}): {exc}; save it again from Excel as CSV",
            ),
        )


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM) when it decodes strictly, else GB18030 (Chinese Excel)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        _fail(
            path,
            Reason(
                "无法识别文件编码（应为 UTF-8 或 GB18030），请用 Excel 另存为 CSV 或 .xlsx",
                "unknown text encoding (expected UTF-8 or GB18030); save it from Excel as CSV "
                "or .xlsx",
            ),
        )


def _read_xlsx(path: Path) -> tuple[list[tuple[int, list[str]]], set[tuple[int, int]]]:
    _read_bytes(path)  # the same clear message as CSV for a missing or unreadable file
    _check_zip(path)
    import openpyxl  # imported here: only needed for Excel files

    rows: list[tuple[int, list[str]]] = []
    rounded: set[tuple[int, int]] = set()
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # a damaged file fails anywhere in the zip/XML layers
        _fail(path, _CORRUPT)
    cell_count = 0
    try:
        sheet = workbook.worksheets[0]
        # Files from other tools often declare a wrong size; read every row there is.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cell_count += max(len(values), 1)
            if cell_count > MAX_CELLS:
                break
            cells: list[str] = []
            for index, value in enumerate(values):
                if isinstance(value, float) and abs(value) >= EXCEL_EXACT_LIMIT:
                    rounded.add((number, index))
                cells.append(_cell_text(value))
            rows.append((number, cells))
    except Exception:  # damage may also surface only while reading rows
        _fail(path, _CORRUPT)
    finally:
        workbook.close()
    if cell_count > MAX_CELLS:
        _fail(
            path,
            Reason(
                f"第一个工作表的单元格太多（超过 {MAX_CELLS} 个），不像名单，请使用名单模板",
                f"the first sheet has too many cells (over {MAX_CELLS}) for a roster; use the "
                "roster template",
            ),
        )
    return rows, rounded


def _check_zip(path: Path) -> None:
    """Refuse a workbook whose parts would expand beyond any roster, reading only the zip's
    directory. The sizes there bound what is read: Python's zip reader stops each member at its
    declared size (and fails its checksum if there was more)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        _fail(path, _CORRUPT)
    expanded = sum(member.file_size for member in members)
    if len(members) > MAX_XLSX_MEMBERS or expanded > MAX_XLSX_EXPANDED:
        megabytes = expanded // (1024 * 1024)
        _too_large(
            path,
            f"解压后 {megabytes} MB，{len(members)} 个部件",
            f"{megabytes} MB and {len(members)} parts once expanded",
        )


_CORRUPT = Reason(
    "无法打开该 Excel 文件：文件已损坏或不是 .xlsx 格式，请在 Excel 中打开并另存为 .xlsx",
    "cannot open this Excel file: it is damaged or not in .xlsx format; open it in Excel and "
    "save it as .xlsx again",
)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float: 3 arrives as 3.0
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)
