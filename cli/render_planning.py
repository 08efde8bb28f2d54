"""Rendering shared by the planning commands (plan, shortlist, readiness): person cells, the basis of a
candidacy, the trích ngang line, the Excel writer, and opening the workspace with a progress line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cli.progress import phase, progress, progress_enabled
from cli.stamp import stamp
from engine import codes
from engine.dates import day_text as day
from engine.workspace import EngineConfig, Workspace, open_dataset

if TYPE_CHECKING:
    from cli.xlsx_charts import ChartSpec
    from engine.results import Candidate

T = TypeVar("T")


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def held_posts(ws: Workspace, person_id: str) -> str:
    positions = ws.dataset.position_by_id
    return "; ".join(positions[p].title for p in ws.posts_held(person_id))


def person_cells(ws: Workspace, person_id: str, lang: str) -> list[Any]:
    """Trích ngang: name, birth date, gender, post held, unit."""
    ds = ws.dataset
    person = ds.person_by_id[person_id]
    unit = ds.unit_by_id.get(person.unit)
    return [person.full_name, day(person.birth_date, lang), codes.GENDER.label(person.gender, lang),
            held_posts(ws, person_id), unit.name if unit else person.unit]


def rule_title(ws: Workspace, rule_id: str, lang: str) -> str:
    """The title of a rule (its latest version), for people; the id when the book has no such rule."""
    versions = ws.book.versions(rule_id)
    if not versions:
        return rule_id
    rule = versions[-1].rule
    return rule.title_vi if lang == "vi" else rule.title


def basis_text(ws: Workspace, cand: Candidate, lang: str, *, titled: bool = False) -> str:
    """Căn cứ: the rule that puts the person there (its id; `titled`: its title, for a trích ngang), its
    citation, and the post it is for."""
    post = ws.dataset.position_by_id.get(cand.position or "")
    title = post.title if post else (cand.position or "")
    vi = lang == "vi"
    where = {"holds": "", "planned": f"quy hoạch {title}; " if vi else f"planned {title}; ",
             "object": f"đối tượng, {title}; " if vi else f"target group, {title}; "}[cand.basis]
    return f"{rule_title(ws, cand.rule, lang) if titled else cand.rule} ({where}{cand.source})"


def write_xlsx(output: Path | None, title: str, as_of: dt.date, headers: list[str], rows: list[list[Any]],
               sheet: str, extra_sheets: list[tuple[str, list[str], list[list[Any]]]] | None = None,
               lang: str = "vi", notes: list[str] | None = None, *, ws: Workspace | None = None,
               charts: Mapping[int, ChartSpec] | None = None) -> None:
    from cli.xlsx_out import form_for, write_sheet_xlsx

    write_sheet_xlsx(output, title, as_of, headers, rows, sheet, extra_sheets, lang=lang, notes=notes or [],
                     form=form_for(ws) if ws is not None else None, charts=charts)


def trich_ngang(ws: Workspace, cand: Candidate, course_id: str | None, index: int, basis: str, *,
                course_named: bool = True) -> list[Any]:
    """One trích ngang line (cli.xlsx_out.TRICH_NGANG_HEADERS, Vietnamese); `course_named=False`: the course
    by its id only (a list for one course, which its title names)."""
    from cli.xlsx_out import trich_ngang_row

    return trich_ngang_row(ws.dataset, ws.book, cand.person, cand.programme, course_id, cand.deadline, basis, index,
                           as_of=ws.as_of, course_named=course_named)


def run_planner(data_dir: Path, rulesets_dir: Path | None, as_of: dt.date | None, backend: str, lang: str,
                job: Callable[[Workspace], T], jobs: int | None = None) -> tuple[Workspace, T]:
    """Open the workspace, evaluate everyone (progress on stderr) and run `job` on it."""
    vi = lang == "vi"
    with phase("Đang đọc dữ liệu" if vi else "Loading"):
        ws = open_dataset(data_dir, rulesets_dir, as_of, stream=False, config=EngineConfig(backend, lang))
    stamp(ws, lang)  # the outputs' provenance (cli.stamp; cli.output.emit adds it)
    label = "Đang đánh giá" if vi else "Evaluating"
    with progress(len(ws.dataset.people), label, progress_enabled()) as bar:
        ws.planner(on_person=bar.advance, jobs=jobs)
    with phase("Đang lập kế hoạch" if vi else "Planning"):
        return ws, job(ws)


__all__ = ["basis_text", "day", "held_posts", "iso", "person_cells", "rule_title", "run_planner", "trich_ngang",
           "write_xlsx"]
