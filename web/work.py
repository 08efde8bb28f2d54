"""The whole-population work of the background worker (web.jobs): each job opens its snapshot through the
facade and returns the CLI's JSON payload for it (`dtbd audit|plan|shortlist|readiness --json`)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.results import Finding, Person
    from web.jobs import JobSpec

NEEDS_ACTION = ("overdue", "due", "missing")


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def overdue_counts(_as_of: dt.date, checked: list[tuple[Person, list[Finding]]]) -> Counter[tuple[str, str]]:
    """A chunk's people with an open need, by (unit, worst status): the overview's chart (runs in workers)."""
    counts: Counter[tuple[str, str]] = Counter()
    for person, findings in checked:
        statuses = {f.status for f in findings}
        worst = next((s for s in NEEDS_ACTION if s in statuses), None)
        if worst is not None:
            counts[(person.unit, worst)] += 1
    return counts


def compute(spec: JobSpec, rulesets_dir: Path | None, progress: Callable[[str], None]) -> dict[str, Any]:
    from engine.workspace import EngineConfig, default_year, open_dataset

    params = dict(spec.params)
    if spec.kind == "export":
        return export(spec, rulesets_dir, Path(params["out_dir"]))
    progress("đang nạp dữ liệu / loading")
    ws = open_dataset(Path(spec.folder), rulesets_dir, _day(spec.as_of), stream=False,
                      config=EngineConfig(lang=params.get("lang", "vi")))
    progress("đang tính / working")
    if spec.kind == "audit":
        return ws.audit(_day(params.get("from")), _day(params.get("to")), params.get("unit") or None).to_json()
    if spec.kind == "plan":
        from cli.commands.plan import plan_payload

        return plan_payload(ws, ws.plan(int(params["year"]) if params.get("year") else None))
    if spec.kind == "shortlist":
        from cli.commands.shortlist import shortlist_payload

        return shortlist_payload(ws, ws.shortlist(params["course"]))
    if spec.kind == "readiness":
        from cli.commands.readiness import readiness_payload

        return readiness_payload(ws, ws.readiness(), None)
    if spec.kind == "overview":
        from cli.commands.plan import plan_payload

        counts: Counter[tuple[str, str]] = Counter()
        for chunk in ws.check_all(overdue_counts):
            counts.update(chunk.output)
        year = default_year(ws.as_of)
        plan = plan_payload(ws, ws.plan(year))
        return {"as_of": ws.as_of.isoformat(), "year": year,
                "open_by_unit": [{"unit": unit, "status": status, "people": n}
                                 for (unit, status), n in sorted(counts.items())],
                "by_programme": plan["by_programme"]}
    raise ValueError(f"unknown job kind {spec.kind}")


def export(spec: JobSpec, rulesets_dir: Path | None, out_dir: Path) -> dict[str, Any]:
    """A list as the CLI writes it (`dtbd COMMAND … --format xlsx|docx --output FILE`), run in the worker.
    `args`: the command's words (a group's subcommand included, e.g. `report phu-luc`), then its options."""
    import hashlib

    from cli.main import cli

    params = dict(spec.params)
    fmt = params.get("fmt", "xlsx")
    if fmt not in ("xlsx", "docx"):
        raise ValueError(f"unknown format {fmt}")
    args = [part for part in params["args"].split("\x1f") if part]
    words = int(params.get("words", "1"))
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / (hashlib.sha256(spec.key.encode()).hexdigest()[:32] + f".{fmt}")
    command = [*args[:words], "--data", spec.folder, "--format", fmt, "--output", str(out), *args[words:]]
    if spec.as_of:
        command += ["--as-of", spec.as_of]
    if rulesets_dir is not None:
        command += ["--rulesets", str(rulesets_dir)]
    cli.main(["--quiet", *command], prog_name="dtbd", standalone_mode=False)
    return {"file": str(out)}
