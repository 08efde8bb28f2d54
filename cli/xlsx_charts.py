"""Native Excel charts of the documents (issue 17, item 4): compliance by unit (audit), plan vs quota vs
demand per programme (plan), targets vs actual (targets). A chart is described by a ChartSpec — which
table columns it draws — so that another interface (the web) can draw the same chart from the same rows;
`add_chart` draws it in a sheet laid out by cli.xlsx_out, from the sheet's own cells."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.chart import BarChart, Reference


@dataclass(frozen=True)
class ChartSpec:
    """A bar chart of a table: categories from one column, a series per value column (1-based columns)."""

    title: str
    categories: int
    values: tuple[int, ...]
    y_title: str = ""
    horizontal: bool = False


def add_chart(ws: Any, spec: ChartSpec, header_row: int, first_row: int, last_row: int, width: int) -> None:
    """Draw `spec` beside the table whose header is on `header_row` and data on first_row..last_row."""
    if last_row < first_row:
        return
    chart = BarChart()
    chart.type = "bar" if spec.horizontal else "col"
    chart.title = spec.title
    chart.y_axis.title = spec.y_title
    chart.height = max(7.5, 0.6 * (last_row - first_row + 1)) if spec.horizontal else 9
    chart.width = 18
    for column in spec.values:
        chart.add_data(Reference(ws, min_col=column, min_row=header_row, max_row=last_row), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=spec.categories, min_row=first_row, max_row=last_row))
    ws.add_chart(chart, ws.cell(row=header_row, column=width + 2).coordinate)


__all__ = ["ChartSpec", "add_chart"]
