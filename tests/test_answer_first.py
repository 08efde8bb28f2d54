"""Answer first (issue 16): every table output opens with its summary block, rows come by severity, and
no line is wider than the width asked for (100 and 160 columns) on the demo province."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.layout import SEVERITY, fit_table, severity
from cli.main import cli
from cli.plan_table import current_term, plan_text, readiness_text, shortlist_text
from engine.results import PlanResult
from engine.workspace import EngineConfig, Workspace, open_dataset

DEMO = Path("fixtures/demo")
WIDTHS = (100, 160)
COURSE = "K26-QP3-01"  # the demo's next course after its as-of date


def run(*args: str, env: dict[str, str] | None = None) -> Any:
    return CliRunner().invoke(cli, list(args), env=env)


@lru_cache(maxsize=1)
def demo() -> tuple[Workspace, PlanResult]:
    ws = open_dataset(DEMO, config=EngineConfig("python", "vi"))
    ws.planner(jobs=1)
    return ws, ws.plan()


FOOTER = "— dtbd "  # the provenance footer (cli.stamp.footer)


def widest(text: str) -> int:
    """The widest line, the provenance footer aside: it is one line by design (tests/test_provenance.py reads
    version, pack hash, data hash and time from the last line), wider than 100 columns with its 12-digit hashes;
    it is the one line that does not fit the table width."""
    return max(len(line) for line in text.split("\n") if not line.startswith(FOOTER))


def summary_lines(text: str) -> list[str]:
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith(("TÓM TẮT", "SUMMARY")))
    end = lines.index("", start)
    return lines[start:end]


# -- width ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("args", [
    ["check", "CB0301"], ["check", "CB0301", "--for-position", "UBND-PCT1", "--on", "2026-12-01"], ["audit"],
    ["people", "--search", "nguyen"], ["positions"], ["courses"], ["validate"], ["rules", "list"],
    ["check", "--all", "--jobs", "1"],
])
def test_cli_outputs_fit_the_width(args: list[str], width: int) -> None:
    result = run("--width", str(width), *args)
    assert result.exit_code == 0, result.output
    assert widest(result.stdout) <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_planner_outputs_fit_the_width(width: int) -> None:
    ws, result = demo()
    assert widest(plan_text(ws, result, "vi", width=width)) <= width
    assert widest(plan_text(ws, result, "en", width=width)) <= width
    assert widest(shortlist_text(ws, ws.shortlist(COURSE), "vi", width)) <= width
    assert widest(readiness_text(ws, ws.readiness(), "vi", width)) <= width


def test_the_width_comes_from_the_option_else_columns() -> None:
    narrow = run("check", "CB0301", env={"COLUMNS": "100"})
    wide = run("check", "CB0301", env={"COLUMNS": "160"})
    assert widest(narrow.stdout) <= 100 < widest(wide.stdout) <= 160
    assert widest(run("--width", "100", "check", "CB0301", env={"COLUMNS": "160"}).stdout) <= 100


def test_fit_table_wraps_inside_columns() -> None:
    text = fit_table(["Tên", "Mô tả"], [["A", "một câu rất dài " * 10]], 40, wrap=(1,))
    assert widest(text) <= 40 and len(text.split("\n")) > 3
    assert text.split("\n")[2].startswith("A  ")


# -- summary block and severity ---------------------------------------------------------------------
def test_severity_order_is_the_issues() -> None:
    assert SEVERITY[:8] == ("overdue", "due", "missing", "violation", "unknown", "pending", "exempt", "met")
    assert sorted(["met", "pending", "overdue", "unknown"], key=severity) == ["overdue", "unknown", "pending", "met"]


def test_audit_opens_with_the_verdicts_and_lists_violations_first() -> None:
    result = run("--width", "160", "audit")
    text = result.stdout
    block = summary_lines(text)
    assert block[0].startswith("TÓM TẮT — ") and "vi phạm" in block[1] and "đúng quy định" in block[1]
    assert block[2].strip().startswith("Gần nhất: vi phạm — ")
    assert text.index("TÓM TẮT") < text.index("STT")
    results = [line.split("  ") for line in text.split("\n") if line[:4].strip().isdigit()]
    verdicts = [next(c.strip() for c in cells if c.strip() in ("vi phạm", "chưa đủ dữ liệu", "đúng quy định"))
                for cells in results if any(c.strip() in ("vi phạm", "chưa đủ dữ liệu", "đúng quy định")
                                            for c in cells)]
    order = ["vi phạm", "chưa đủ dữ liệu", "đúng quy định"]
    assert verdicts and verdicts == sorted(verdicts, key=order.index) and verdicts[0] == "vi phạm"
    gaps = run("--width", "160", "audit", "--only-gaps").stdout
    assert "đúng quy định  " not in gaps.split("Ghi chú")[0].split("---")[-1]


def test_plan_opens_with_its_summary_and_orders_assignments_by_status() -> None:
    ws, result = demo()
    text = plan_text(ws, result, "vi", width=160)
    block = summary_lines(text)
    assert block[0] == (f"TÓM TẮT — {len(result.assignments)} lượt cử đi học, "
                        f"{len(result.unassigned)} nhu cầu chưa xếp được")
    assert block[1].strip().startswith("Đã xếp theo tình trạng: ")
    assert any(line.strip().startswith("Việc gấp nhất: ") and "hạn " in line for line in block)
    assert text.index("TÓM TẮT") < text.index("Danh sách cử đi học") < text.index("Ghi chú")
    start = text.index("Danh sách cử đi học")
    body = text[start:text.index("\n\n", start)]  # the confirmed assignments (the conditional come after)
    labels = {"quá hạn": 0, "đến hạn": 1, "chờ bổ sung": 5, "đối tượng": 6}
    seen = [next(labels[c.strip()] for c in line.split("  ") if c.strip() in labels)
            for line in body.split("\n") if line[:4].strip().isdigit()]
    assert seen and seen == sorted(seen)
    assert "ND29-" not in body  # rule ids are in the notes' legend
    assert "[1] " in text[text.index("Ghi chú"):]


def test_plan_summary_option_prints_the_summary_and_writes_the_plan(tmp_path: Path) -> None:
    target = tmp_path / "ke-hoach.txt"
    result = run("plan", "--summary", "--jobs", "1", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("KẾ HOẠCH CỬ ĐI ĐÀO TẠO") and "TÓM TẮT" in result.stdout
    assert "Danh sách cử đi học" not in result.stdout
    assert "Danh sách cử đi học" in target.read_text(encoding="utf-8")
    assert result.stderr == f"Đã ghi: {target}\n"


def test_shortlist_states_the_ranking_and_counts() -> None:
    ws, _result = demo()
    sl = ws.shortlist(COURSE)
    text = shortlist_text(ws, sl, "vi", 160)
    block = " ".join(summary_lines(text))
    assert f"{len(sl.nominees)}/{sl.course.capacity} đề cử" in block and "Thứ tự xếp hạng: (1)" in block
    assert text.index("TÓM TẮT") < text.index("Đề cử\n") < text.index("Dự bị") < text.index("Không đủ điều kiện")
    ranks = [int(line.split()[0]) for line in text.split("Đề cử\n")[1].split("Dự bị")[0].split("\n")
             if line[:6].strip().isdigit()]
    assert ranks == sorted(ranks) and ranks[0] == 1


def test_shortlist_cli_refuses_a_past_course_and_caps_reserves() -> None:
    past = run("shortlist", "--course", "K26-LDP-01")
    assert past.exit_code == 1 and "--include-past" in past.output and "Traceback" not in past.output
    assert run("shortlist", "--course", "K26-LDP-01", "--include-past", "--json").exit_code == 0
    capped = run("shortlist", "--course", COURSE, "--reserves", "0", "--json")
    assert capped.exit_code == 0 and '"reserves": []' in capped.stdout


def test_readiness_marks_the_current_term_merges_duplicates_and_ends_with_totals() -> None:
    assert current_term(["2020-2025", "2025-2030"], dt.date(2026, 11, 23)) == "2025-2030"
    assert current_term(["2020-2025", "2025-2030"], dt.date(2025, 3, 1)) == "2025-2030"
    assert current_term(["2020-2025"], dt.date(2027, 1, 1)) is None
    ws, _result = demo()
    rows = ws.readiness()
    text = readiness_text(ws, rows, "vi", 160)
    assert "Nhiệm kỳ quy hoạch hiện tại: 2025-2030" in text and "2025-2030 ●" in text
    last = [line for line in text.split("\n") if line][-2:]
    assert last[0].startswith("Tổng cộng: ") and "dòng quy hoạch trùng" in last[1]
    numbered = [line for line in text.split("\n") if line[:4].strip().isdigit()]
    keys = [(line.split("  ")[1].strip()) for line in numbered]
    assert len(numbered) < len(rows) and keys  # merged


# -- help -----------------------------------------------------------------------------------------
def _commands() -> list[list[str]]:
    out = [[]]
    for name in cli.list_commands(None):  # type: ignore[arg-type]
        out.append([name])
    out += [["rules", "list"], ["rules", "show"], ["rules", "verify"]]
    return out


@pytest.mark.parametrize("path", _commands())
def test_every_option_has_vietnamese_help_then_english(path: list[str]) -> None:
    import click

    ctx = click.Context(cli)
    command: Any = cli
    for name in path:
        command = command.get_command(ctx, name)
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and not param.hidden:
            assert param.help and " / " in param.help, (path, param.name)
    assert "Hiện trợ giúp" in run(*path, "--help").output


# -- make demo --------------------------------------------------------------------------------------
def test_make_demo_first_screen_holds_the_gaps_and_the_plan_summary(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo recipe's dtbd lines, run as make runs them (not a terminal: 120 columns)."""
    import shlex

    import yaml

    person = yaml.safe_load(Path("fixtures/demo/dataset.yaml").read_text(encoding="utf-8"))["demo_person"]
    recipe = Path("Makefile").read_text(encoding="utf-8").split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    screen = ""
    for line in recipe.split("\n")[1:]:
        command = line.strip().lstrip("@")
        if command == "echo":
            screen += "\n"
            continue
        if not command.startswith("$(BIN)/dtbd "):
            continue
        command = command.replace("$(DEMO_PLAN)", str(tmp_path / "ke-hoach.txt"))
        command = command.split(" $$(", 1)[0] + (f" {person}" if "$$(" in command else "")
        result = CliRunner().invoke(cli, shlex.split(command)[1:], env={"COLUMNS": ""})
        assert result.exit_code == 0, result.output
        screen += result.output
    first = screen.split("\n")[:40]
    assert widest("\n".join(first)) <= 120
    text = "\n".join(first)
    import json

    findings = json.loads(run("check", person, "--json").stdout)["findings"]
    gaps = [f for f in findings if f["status"] not in ("met", "exempt")]
    assert f"TÓM TẮT — {len(findings)} yêu cầu" in text and "Việc gấp nhất: " in text
    assert gaps and sum(1 for line in first if line[:1].isdigit()) == len(gaps)  # every gap on the screen
    assert "KẾ HOẠCH CỬ ĐI ĐÀO TẠO" in text and "lượt cử đi học" in text and "Chỉ tiêu còn thiếu" in text
    assert f"Đã ghi: {tmp_path / 'ke-hoach.txt'}" in text
    assert "Danh sách cử đi học" in (tmp_path / "ke-hoach.txt").read_text(encoding="utf-8")
