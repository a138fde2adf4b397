"""Reading an uploaded table (CSV or XLSX) into rows of text, refusing hostile files.

Limits keep one upload from exhausting the machine: the file's size, the rows, the columns,
a cell's length, and for XLSX (a ZIP) the unpacked size and the packing ratio of every part,
so a zip bomb is refused before anything is unpacked. Formulas are refused cell by cell:
an import takes values, and a formula's last computed value is not one anybody checked.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

MAX_BYTES = 20 * 1024 * 1024  # an upload
MAX_ROWS = 50_000
MAX_COLUMNS = 100
MAX_CELL = 20_000  # characters in one cell
MAX_UNPACKED = 200 * 1024 * 1024  # an XLSX's parts, unpacked
MAX_RATIO = 200  # unpacked / packed size of one part of an XLSX


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet's row, the header being row 1; 0 for the file as a whole
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


class FileRefused(Exception):
    """The file cannot be read as a table; `problems` says why (nothing was written)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _refuse(message: str, row: int = 0, column: str = "File") -> FileRefused:
    return FileRefused([Problem(row, column, message)])


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells), blank rows left out


def guard_cell(text: str) -> str:
    """The cell's text as the exports meant it: an export puts a quote before text that a
    spreadsheet would run as a formula (=, +, -, @); take it off again."""
    text = text.strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


@dataclass
class Bundle:
    """A ZIP of one table (CSV or XLSX, at the top) and the files its rows name."""

    table: Table
    files: dict[str, bytes]
    zipped: bool = False  # a ZIP of a table and files (not a workbook)


def _is_workbook(names: list[str]) -> bool:
    return "xl/workbook.xml" in names or "[Content_Types].xml" in names


def read_input(data: bytes, file_name: str) -> Bundle:
    """A table, or a ZIP of a table with files (evidence): the same checks for both, plus
    for a ZIP of files no entry outside the archive (no absolute path, no “..”), no name
    twice, and no entry unpacking far beyond its size."""
    if data[:4] != b"PK\x03\x04" or len(data) > MAX_BYTES:
        return Bundle(read_table(data, file_name), {})
    _zip_checked(data)
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    if _is_workbook(names):
        return Bundle(read_table(data, file_name), {})
    entries: dict[str, zipfile.ZipInfo] = {}
    seen: set[str] = set()
    for info in archive.infolist():
        name = info.filename
        if info.is_dir():
            continue
        parts = name.replace("\\", "/").split("/")
        if (name.startswith(("/", "\\")) or "\\" in name or ".." in parts
                or (len(name) > 1 and name[1] == ":") or "\x00" in name):
            raise _refuse(f"The ZIP entry {name[:120]!r} points outside the archive; "
                          "refused (path traversal).")
        if name.lower() in seen:
            raise _refuse(f"The ZIP holds {name[:120]!r} twice (names differing only in "
                          "capitals count as the same); each file once.")
        seen.add(name.lower())
        entries[name] = info
    tables = [n for n in entries if "/" not in n and n.lower().endswith((".csv", ".xlsx"))]
    if len(tables) != 1:
        raise _refuse("A ZIP import holds exactly one table (a .csv or .xlsx file at the top of "
                      f"the archive) and the files it names; found {len(tables)}.")
    table = read_table(archive.read(entries[tables[0]]), tables[0])
    files = {n: archive.read(info) for n, info in entries.items() if n != tables[0]}
    return Bundle(table, files, zipped=True)


def read_table(data: bytes, file_name: str) -> Table:
    """The header and the non-blank rows of `data`, a CSV (UTF-8, with or without the
    byte-order mark) or an XLSX workbook's first sheet, told apart by content."""
    if not data:
        raise _refuse("The file is empty.")
    if len(data) > MAX_BYTES:
        raise _refuse(f"The file is {len(data) // (1024 * 1024)} MB; at most "
                      f"{MAX_BYTES // (1024 * 1024)} MB can be imported at once. Split it.")
    if data[:4] == b"PK\x03\x04":
        return _xlsx(data)
    if file_name.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")):
        raise _refuse("This is not an XLSX workbook (Excel 2007 or later). Save it as .xlsx "
                      "or as CSV UTF-8.")
    return _csv(data)


def _check_shape(number: int, cells: list[str]) -> None:
    if number > MAX_ROWS + 1:
        raise _refuse(f"More than {MAX_ROWS} rows; split the file.", row=number)
    if len(cells) > MAX_COLUMNS:
        raise _refuse(f"{len(cells)} columns; a register has at most {MAX_COLUMNS}.", row=number)
    for cell in cells:
        if len(cell) > MAX_CELL:
            raise _refuse(f"A cell of {len(cell)} characters; at most {MAX_CELL}.", row=number)


def _csv(data: bytes) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _refuse(
            f"The file is not UTF-8 text (byte {exc.start + 1} cannot be read). Save it as "
            "“CSV UTF-8”, or as XLSX, and import it again.") from exc
    if "\x00" in text:
        raise _refuse("The file holds NUL characters: it is not a CSV text file. Save it as "
                      "“CSV UTF-8” or XLSX.")
    rows: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for number, record in enumerate(reader, start=1):
            _check_shape(number, record)
            for idx, raw in enumerate(record):
                if raw.strip().startswith("=") and len(raw.strip()) > 1:
                    raise _refuse(
                        f"Column {idx + 1} starts with “=”, so a spreadsheet would run it as "
                        "a formula. Imports take values: if it is text, put a ' before it.",
                        row=number, column=f"column {idx + 1}")
            cells = [guard_cell(c) for c in record]
            if header is None:
                header = cells
            elif any(cells):
                rows.append((number, cells))
    except csv.Error as exc:
        raise _refuse(f"Not a readable CSV file: {exc}.", row=reader.line_num) from exc
    if header is None or not any(header):
        raise _refuse("The first row must name the columns (as in the export).", row=1)
    return Table(header, rows)


def _zip_checked(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _refuse("The file looks like a workbook but is damaged (not a readable "
                      "ZIP).") from exc
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 1 << 20:
            raise _refuse(f"The workbook part {info.filename!r} unpacks to "
                          f"{info.file_size} bytes from {info.compress_size}: refused as a "
                          "zip bomb.")
    if total > MAX_UNPACKED:
        raise _refuse(f"The workbook unpacks to {total // (1024 * 1024)} MB; at most "
                      f"{MAX_UNPACKED // (1024 * 1024)} MB.")


def _text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime.datetime):
        return (value.date().isoformat() if value.time() == datetime.time()
                else value.isoformat(sep=" "))
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx(data: bytes) -> Table:
    _zip_checked(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken workbook
        raise _refuse(f"Not a readable XLSX workbook ({type(exc).__name__}).") from exc
    try:
        sheet = book.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str]]] = []
        for number, cells in enumerate(_sheet_rows(sheet), start=1):
            _check_shape(number, cells)
            if header is None:
                header = cells
            elif any(cells):
                rows.append((number, cells))
    finally:
        book.close()
    if header is None or not any(header):
        raise _refuse("The first row of the first sheet must name the columns (as in the "
                      "export).", row=1)
    return Table(header, rows)


def _sheet_rows(sheet) -> Iterator[list[str]]:
    for row in sheet.iter_rows():
        cells = []
        for idx, cell in enumerate(row, start=1):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", "") == "f":
                raise _refuse(f"Cell {get_column_letter(idx)}{cell.row} holds a formula "
                              f"({str(value)[:40]}). Imports take values: copy the "
                              "column and paste it as values.", row=cell.row,
                              column=get_column_letter(idx))
            cells.append(guard_cell(_text_of(value)))
        while cells and not cells[-1]:
            cells.pop()
        yield cells
