"""The numbers of a plan (issue 17, item 3): per programme, demand (Nhu cầu) beside quota, assigned and
capacity, and what is missing against demand and against quota; the allocation each unit receives per
programme (phân bổ chỉ tiêu). Rendered here for every format; counted by the engine (Workspace)."""

from __future__ import annotations

from typing import Any

from engine.results import PlanResult, UnitAllocation
from engine.workspace import Workspace

COUNT_HEADERS = {"vi": ["Chương trình", "Nhu cầu", "Chỉ tiêu", "Đã xếp", "Xếp có điều kiện", "Sức chứa",
                        "Còn thiếu so với nhu cầu", "Còn thiếu so với chỉ tiêu"],
                 "en": ["Programme", "Demand", "Quota", "Assigned", "Conditional", "Capacity", "Unmet demand",
                        "Short of quota"]}


def count_rows(ws: Workspace, result: PlanResult, lang: str, blank: Any = "") -> list[list[Any]]:
    """One row per programme (COUNT_HEADERS); `blank` where there is no quota."""
    return [[ws.book.programme_label(b.programme, lang), b.needs, blank if b.quota is None else b.quota, b.assigned,
             b.conditional, b.capacity, b.unmet, blank if b.shortfall is None else b.shortfall]
            for b in result.by_programme]


def allocation_table(ws: Workspace, result: PlanResult, lang: str,
                     cells: list[UnitAllocation] | None = None) -> tuple[list[str], list[list[Any]]]:
    """Units down, programmes across (people sent), then the unit's totals: sent, demand, unmet demand."""
    vi = lang == "vi"
    cells = ws.plan_allocation(result) if cells is None else cells
    programmes = [b.programme for b in result.by_programme if any(c.programme == b.programme for c in cells)]
    units: list[str] = []
    for c in cells:
        if c.unit not in units:
            units.append(c.unit)
    by_key = {(c.unit, c.programme): c for c in cells}
    headers = ["STT", "Đơn vị" if vi else "Unit", *(ws.book.programme_label(p, lang) for p in programmes),
               "Tổng số cử đi học" if vi else "Total sent", "Nhu cầu" if vi else "Demand",
               "Còn thiếu so với nhu cầu" if vi else "Unmet demand"]
    rows: list[list[Any]] = []
    for index, unit in enumerate(units, 1):
        line = [by_key.get((unit, p)) for p in programmes]
        sent = sum(c.assigned for c in line if c is not None)
        needs = sum(c.needs for c in line if c is not None)
        unmet = sum(c.unmet for c in line if c is not None)
        name = ws.dataset.unit_by_id[unit].name if unit in ws.dataset.unit_by_id else unit
        rows.append([index, name, *(c.assigned if c is not None else 0 for c in line), sent, needs, unmet])
    if rows:
        totals = [sum(r[i] for r in rows) for i in range(2, len(headers))]
        rows.append(["", "Tổng cộng" if vi else "Total", *totals])
    return headers, rows


def allocation_lines(ws: Workspace, result: PlanResult, lang: str) -> tuple[list[str], list[list[Any]]]:
    """The allocation as a long list (for a terminal, too narrow for the matrix): unit, programme, counts."""
    vi = lang == "vi"
    headers = (["Đơn vị", "Chương trình", "Đã xếp", "Nhu cầu", "Còn thiếu so với nhu cầu"] if vi
               else ["Unit", "Programme", "Sent", "Demand", "Unmet demand"])
    units = ws.dataset.unit_by_id
    rows: list[list[Any]] = []
    previous = None
    for c in ws.plan_allocation(result):
        name = (units[c.unit].name if c.unit in units else c.unit) if c.unit != previous else ""
        previous = c.unit
        rows.append([name, ws.book.programme_label(c.programme, lang), c.assigned, c.needs, c.unmet])
    return headers, rows


def allocation_json(ws: Workspace, result: PlanResult) -> list[dict[str, Any]]:
    return [{"unit": c.unit, "programme": c.programme, "assigned": c.assigned, "needs": c.needs, "unmet": c.unmet}
            for c in ws.plan_allocation(result)]


__all__ = ["COUNT_HEADERS", "allocation_json", "allocation_lines", "allocation_table", "count_rows"]
