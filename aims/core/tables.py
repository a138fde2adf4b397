"""Writing one table of rows as CSV or XLSX: the shared shape of every tabular export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
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


# A spreadsheet cell holds at most this many characters: Excel declares a file with a longer
# one damaged. The CSV of the same export holds every character.
XLSX_CELL_MAX = 32_767
XLSX_CUT_NOTE = " … [cut at the spreadsheet's limit of 32,767 characters; the CSV export has it all]"


def _xlsx_text(value) -> str:
    text = _text(value)
    if len(text) <= XLSX_CELL_MAX:
        return text
    return text[:XLSX_CELL_MAX - len(XLSX_CUT_NOTE)] + XLSX_CUT_NOTE


class _Line:
    """A file-like sink for csv.writer that hands back what was written since last asked."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        out, self.parts = "".join(self.parts), []
        return out


CSV_CHUNK_ROWS = 500  # rows per streamed piece: large enough to be cheap, small to stay flat


def csv_chunks(columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """The CSV as pieces of UTF-8, the byte-order mark (so Excel reads UTF-8) once at the
    start: a register of any size streams in constant memory."""
    sink = _Line()
    writer = csv.writer(sink)
    writer.writerow([c.title for c in columns])
    yield ("\ufeff" + sink.take()).encode("utf-8")
    for n, row in enumerate(rows, start=1):
        writer.writerow([_text(v) for v in row])
        if n % CSV_CHUNK_ROWS == 0:
            yield sink.take().encode("utf-8")
    if rest := sink.take():
        yield rest.encode("utf-8")


def to_csv(columns: Sequence[Column], rows: Iterable[Sequence]) -> bytes:
    return b"".join(csv_chunks(columns, rows))


def xlsx_write(out: IO[bytes], columns: Sequence[Column], rows: Iterable[Sequence], *,
               sheet: str, title: str = "",
               progress: Callable[[int], None] | None = None) -> int:
    """Write the workbook into `out`, row by row (openpyxl's write-only mode): time grows with
    the rows, memory does not. `progress(rows written)` is called every PROGRESS_ROWS rows.
    Returns the number of rows."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    header = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="1F3A5F")
    head = Alignment(vertical="center", wrap_text=True)
    for idx, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(idx)].width = col.width
    ws.freeze_panes = "A2"

    def styled(value, **style) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        for name, v in style.items():
            setattr(cell, name, v)
        return cell

    ws.append([styled(c.title, font=header, fill=fill, alignment=head) for c in columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    # Each column's style is registered with the workbook once, on a template cell, and the
    # row's cells are made with it (setting a style on every cell would look it up each time).
    styles = [styled(None, alignment=wrap if col.wrap else top)._style for col in columns]
    n = 0
    for row in rows:
        ws.append([Cell(ws, row=1, column=1,
                        value=_xlsx_text(v) if isinstance(v, str) else _cell(v),
                        style_array=styles[i] if i < len(styles) else None)
                   for i, v in enumerate(row)])
        n += 1
        if progress is not None and n % PROGRESS_ROWS == 0:
            progress(n)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{n + 1}"
    if title:
        wb.properties.title = title
    wb.properties.creator = "aims"
    wb.save(out)
    return n


PROGRESS_ROWS = 500


def to_xlsx(columns: Sequence[Column], rows: Iterable[Sequence], *, sheet: str,
            title: str = "") -> bytes:
    """The workbook as bytes (see xlsx_write)."""
    out = io.BytesIO()
    xlsx_write(out, columns, rows, sheet=sheet, title=title)
    return out.getvalue()


def render(fmt: str, columns: Sequence[Column], rows: Iterable[Sequence], *, sheet: str,
           title: str = "") -> bytes:
    if fmt == "csv":
        return to_csv(columns, rows)
    if fmt == "xlsx":
        return to_xlsx(columns, rows, sheet=sheet, title=title)
    raise ValueError(fmt)


def render_stream(fmt: str, columns: Sequence[Column], rows: Iterable[Sequence], *,
                  sheet: str, title: str = "") -> bytes | Iterator[bytes]:
    """As `render`, but a CSV comes as a stream of pieces (an XLSX is zipped, so whole)."""
    if fmt == "csv":
        return csv_chunks(columns, rows)
    return render(fmt, columns, rows, sheet=sheet, title=title)
