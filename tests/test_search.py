"""Finding people, posts and courses (engine.search, `dtbd people|positions|courses`): diacritic- and
case-insensitive matching, names accepted where unique, ambiguity listed."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import cli
from engine.errors import UnknownIdError
from engine.loading import load_dataset, load_manifest
from engine.rules.loader import load_rulebook
from engine.search import AmbiguousNameError, find_courses, find_people, fold, matches, resolve_person, resolve_position

DEMO = "fixtures/demo"
DAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo() -> Any:
    from pathlib import Path

    manifest = load_manifest(Path(DEMO))
    book = load_rulebook(None, list(manifest.rulesets))
    return load_dataset(Path(DEMO), book.programme_codes, DAY)


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("text", ["Trần Quốc Hưng", "tran quoc hung", "TRẦN QUỐC HƯNG", "Tran Quoc Hung",
                                  "hung tran", "trần quốc h", "Tra\u0300n Quo\u0302\u0301c Hu\u031bng"])
def test_every_form_of_a_name_matches(text: str) -> None:
    assert matches(text, "Trần Quốc Hưng")


@pytest.mark.parametrize("text", ["tran quoc hong", "hưng trần văn", "quoc x"])
def test_other_names_do_not_match(text: str) -> None:
    assert not matches(text, "Trần Quốc Hưng")


def test_fold_reads_d_bar_as_d() -> None:
    assert fold("Đỗ Văn Đức") == fold("do van duc") == "do van duc"


def test_find_people_by_name_without_diacritics(demo: Any) -> None:
    hits = find_people(demo, "tran quoc hung", DAY)
    assert [h.person.id for h in hits] == ["CB0301"]
    assert [p.id for p in hits[0].posts] == ["SNV-GD"]
    assert hits[0].unit_name == "Sở Nội vụ"


def test_a_unique_name_resolves_and_a_shared_one_lists_the_matches(demo: Any) -> None:
    assert resolve_person(demo, "Trần Quốc Hưng", DAY) == "CB0301"
    assert resolve_person(demo, "cb0301", DAY) == "CB0301"
    with pytest.raises(AmbiguousNameError) as caught:
        resolve_person(demo, "Nguyễn Văn Tiến", DAY)
    assert len(caught.value.candidates) >= 2
    assert all("Nguyễn Văn Tiến" in text for _id, text in caught.value.candidates)
    with pytest.raises(UnknownIdError):
        resolve_person(demo, "Không Có Ai", DAY)


def test_a_post_resolves_by_its_title(demo: Any) -> None:
    assert resolve_position(demo, "giam doc so noi vu", DAY) == "SNV-GD"
    with pytest.raises(AmbiguousNameError):
        resolve_position(demo, "pho giam doc so noi vu", DAY)


def test_courses_from_a_date_and_of_a_programme(demo: Any) -> None:
    found = find_courses(demo, dt.date(2027, 1, 1), "llct-cao-cap")
    assert found and all(c.start >= dt.date(2027, 1, 1) and c.programme == "llct-cao-cap" for c in found)
    assert [c.start for c in found] == sorted(c.start for c in found)


def test_people_command_lists_unit_and_post() -> None:
    result = run("people", "--search", "tran quoc hung")
    assert result.exit_code == 0, result.output
    assert "CB0301" in result.output and "Sở Nội vụ" in result.output and "Giám đốc Sở Nội vụ" in result.output
    payload = json.loads(run("people", "--search", "TRAN QUOC HUNG", "--json").output)
    assert [p["person"] for p in payload["people"]] == ["CB0301"]


def test_positions_and_courses_commands() -> None:
    result = run("positions", "--search", "giám đốc sở nội vụ", "--json")
    assert result.exit_code == 0, result.output
    ids = [p["position"] for p in json.loads(result.output)["positions"]]
    assert "SNV-GD" in ids
    result = run("courses", "--from", "2027-01-01", "--programme", "cao cấp lý luận chính trị", "--json")
    assert result.exit_code == 0, result.output
    courses = json.loads(result.output)["courses"]
    assert courses and all(c["programme"] == "llct-cao-cap" and c["start"] >= "2027-01-01" for c in courses)


def test_an_ambiguous_programme_name_lists_the_candidates() -> None:
    result = run("courses", "--programme", "cao cap ly luan")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "llct-cao-cap" in result.output and "llct-cao-cap-hc" in result.output


def test_finding_commands_offer_only_their_formats() -> None:
    result = run("people", "--format", "xlsx")
    assert result.exit_code == 2
    assert "xlsx" not in run("people", "--help").output
    assert run("validate", "--format", "xlsx").exit_code == 2
    assert "[table|json|csv]" in run("validate", "--help").output


def test_shell_completion_gives_ids_from_the_dataset() -> None:
    import click

    from cli.completion import complete

    ctx = click.Context(cli)
    param = click.Argument(["x"])
    assert "CB0301" in [i.value for i in complete("person")(ctx, param, "CB030")]
    assert [i.value for i in complete("person")(ctx, param, "tran quoc hung")] == ["CB0301"]
    assert "SNV-GD" in [i.value for i in complete("position")(ctx, param, "SNV-")]
    assert all(i.value.startswith("K27-C") for i in complete("course")(ctx, param, "K27-C"))
    ctx.params["data_dir"] = "/nonexistent"
    assert complete("person")(ctx, param, "CB") == []
