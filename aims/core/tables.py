"""Writing one table of rows as CSV or XLSX: the shared shape of every tabular export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class Column:
    title: str
    width: int = 18  # characters, for XLSX
    wrap: bool = False


FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(value) -> str:
    # Control characters are not allowed in a spreadsheet cell (openpyxl refuses the whole
    # file), and a leading = + - @ TAB CR would make a spreadsheet run the cell as a formula.
    text = ILLEGAL_CHARACTERS_RE.sub("", str(_cell(value)))
    return "'" + text if text[:1] in FORMULA_STARTS and len(text) > 1 else text


def iter_csv(columns: Sequence[Column], rows: Iterable[Sequence], *,
             batch: int = 500) -> Iterator[bytes]:
    """The CSV of to_csv in pieces of `batch` rows, so a long table is written with constant
    memory."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    buf.write("\ufeff")  # BOM so Excel reads UTF-8
    writer.writerow([c.title for c in columns])
    for n, row in enumerate(rows, start=1):
        writer.writerow([_text(v) for v in row])
        if n % batch == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode("utf-8")


def to_csv(columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    return b"".join(iter_csv(columns, rows))


def to_xlsx(columns: Sequence[Column], rows: Iterable[Sequence], *, sheet: str,
            title: str = "") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    header = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F3A5F")
    ws.append([c.title for c in columns])
    for idx, col in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=idx)
        cell.font, cell.fill = header, fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(idx)].width = col.width
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    for row in rows:
        ws.append([_text(v) if isinstance(v, str) else _cell(v) for v in row])
        r = ws.max_row
        for idx, col in enumerate(columns, start=1):
            ws.cell(row=r, column=idx).alignment = wrap if col.wrap else top
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    if title:
        wb.properties.title = title
    wb.properties.creator = "aims"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def render(fmt: str, columns: Sequence[Column], rows: Iterable[Sequence], *, sheet: str,
           title: str = "") -> bytes:
    if fmt == "csv":
        return to_csv(columns, rows)
    if fmt == "xlsx":
        return to_xlsx(columns, rows, sheet=sheet, title=title)
    raise ValueError(fmt)
