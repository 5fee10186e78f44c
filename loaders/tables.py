"""Plain-text tables: figures set out in columns ("Year   Placed in custody   Average stay (days)" above rows of
numbers), as a minister's written answer, an annual results report or a PDF's extracted text lays them out.

A table is read from the original text, not from the logical lines (which join and squash what the columns keep
apart). Cells are runs of text separated by two or more spaces (or a tab or a "|"); a *data row* ends in two or
more numeric cells; the lines above the first data row are the header, whose cells name the columns they stand
over; an indented line under a data row continues its label. Each numeric cell is one figure: what its row's
label says it counts (or, where the label is a year, what its column says, in that year), its column as the
qualifier ("baseline (2021)", "target"), and the cell itself as the evidence, with exact offsets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

CELL = re.compile(r"[^\s|](?:[^\S\n\t|]?[^\s|])*")  # text with single spaces inside; 2+ spaces, a tab, "|" part
NUMERIC = re.compile(r"^[<>≤≥~]?(?:USD|EUR|US\$|\$|€|£)?\s?\d[\d,]*(?:\.\d+)?\s?(?:%|per\s?cent)?[*†]?$")
YEARISH = re.compile(r"^(?:19|20)\d{2}(?:[–/-](?:19|20)?\d{2})?[*†]?$")
MIN_ROWS = 2  # a table has two data rows at least
MIN_FIGURES = 2  # a data row ends in two numeric cells at least


@dataclass
class Cell:
    start: int  # offsets in the original text
    end: int
    col: int  # the column (characters from the line's start) the cell begins at
    text: str

    @property
    def col_end(self) -> int:
        return self.col + len(self.text)

    @property
    def numeric(self) -> bool:
        return NUMERIC.match(self.text) is not None


@dataclass
class Figure:
    cell: Cell
    header: str  # the column's header, its lines joined ("Baseline (2021)")


@dataclass
class Row:
    label: str
    label_start: int
    label_end: int
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Table:
    start: int  # offsets of the whole table (header and rows) in the original text
    end: int
    rows: list[Row]


def _lines(original: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for raw in original.split("\n"):
        out.append((pos, raw.replace("\f", " ").rstrip("\r")))
        pos += len(raw) + 1
    return out


def _cells(start: int, text: str) -> list[Cell]:
    return [Cell(start + m.start(), start + m.end(), m.start(), m.group(0)) for m in CELL.finditer(text)]


def _is_data_row(cells: list[Cell]) -> bool:
    """Two numeric cells or more at the end, and at most one cell of text before them (the row's label)."""
    figures = 0
    for c in reversed(cells):
        if not c.numeric:
            break
        figures += 1
    return figures >= MIN_FIGURES and len(cells) - figures <= 1


def _overlap(a: Cell, b: Cell) -> int:
    return min(a.col_end, b.col_end) - max(a.col, b.col)


def _header_of(cell: Cell, header_lines: list[list[Cell]]) -> str:
    """The header cells standing over the cell (overlapping its columns, else the nearest), top to bottom."""
    parts = []
    for cells in header_lines:
        over = [h for h in cells if _overlap(h, cell) > 0]
        if not over and cells:
            centre = (cell.col + cell.col_end) / 2
            near = min(cells, key=lambda h: abs((h.col + h.col_end) / 2 - centre))
            if abs((near.col + near.col_end) / 2 - centre) <= max(len(near.text), len(cell.text)):
                over = [near]
        parts += [h.text for h in over]
    return " ".join(parts)


def find_tables(original: str) -> list[Table]:
    """Every plain-text table of the text, in reading order."""
    lines = _lines(original)
    tables: list[Table] = []
    k = 0
    while k < len(lines):
        if not lines[k][1].strip():
            k += 1
            continue
        block_start = k
        while k < len(lines) and lines[k][1].strip():
            k += 1
        block = [(s, t, _cells(s, t)) for s, t in lines[block_start:k]]
        if (table := _table(block)) is not None:
            tables.append(table)
    return tables


def _table(block: list[tuple[int, str, list[Cell]]]) -> Table | None:
    data = [i for i, (_, _, cells) in enumerate(block) if _is_data_row(cells)]
    if len(data) < MIN_ROWS:
        return None
    first = data[0]
    header = [cells for _, _, cells in block[max(0, first - 3):first]]
    figure_counts = {sum(c.numeric for c in block[i][2]) for i in data}
    if max(figure_counts) - min(figure_counts) > 1:
        return None  # columns that do not line up: running text with figures in it, not a table
    rows: list[Row] = []
    last = first
    for i in range(first, len(block)):
        _, text, cells = block[i]
        if i in data:
            label_cells = [c for c in cells if not c.numeric][:1]
            numeric = [c for c in cells if c.numeric]
            if not label_cells and header and header[0] and cells[0].col <= header[0][0].col_end:
                label_cells, numeric = [numeric[0]], numeric[1:]  # "2021   148   41": the year is the label
            if not label_cells:
                continue
            label = label_cells[0]
            rows.append(Row(label.text, label.start, label.end,
                            [Figure(c, _header_of(c, header)) for c in numeric]))
        elif rows and cells and not any(c.numeric for c in cells) and (
                text[:1].isspace() or text.lstrip()[:1].islower()):
            row = rows[-1]  # "  detention facilities during the year": the label goes on
            row.label = f"{row.label} {' '.join(c.text for c in cells)}"
        else:
            break  # a note under the table ("* January to September"), or prose
        last = i
    if len(rows) < MIN_ROWS:
        return None
    return Table(block[first - len(header)][0], block[last][0] + len(block[last][1]), rows)


def is_period(label: str) -> bool:
    """A row label that is a year or a span of years ("2021", "2024*", "2021–2022")."""
    return YEARISH.match(label.strip()) is not None
