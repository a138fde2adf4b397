"""The shared table writer: a cell longer than a spreadsheet holds is cut with a note in the
XLSX and kept whole in the CSV."""

import io

from openpyxl import load_workbook

from aims.core.tables import XLSX_CELL_MAX, XLSX_CUT_NOTE, Column, to_csv, to_xlsx

COLUMNS = [Column("Ref", 10), Column("Linked risks", 40, wrap=True)]


def test_an_overlong_cell_is_cut_with_a_note_and_the_csv_keeps_it_all() -> None:
    long = "; ".join(f"R-{n:05d} A risk with a title" for n in range(2000))
    assert len(long) > XLSX_CELL_MAX
    rows = [["A.6.2.6", long], ["A.2.2", "R-00001 Short"]]
    sheet = load_workbook(io.BytesIO(to_xlsx(COLUMNS, rows, sheet="SoA"))).active
    cut = sheet["B2"].value
    assert len(cut) == XLSX_CELL_MAX and cut.endswith(XLSX_CUT_NOTE)
    assert long.startswith(cut.removesuffix(XLSX_CUT_NOTE))
    assert sheet["B3"].value == "R-00001 Short"
    assert long in to_csv(COLUMNS, rows).decode("utf-8-sig")


def test_a_cell_at_the_limit_is_kept_whole() -> None:
    exact = "x" * XLSX_CELL_MAX
    sheet = load_workbook(io.BytesIO(to_xlsx(COLUMNS, [["A.1", exact]], sheet="S"))).active
    assert sheet["B2"].value == exact
