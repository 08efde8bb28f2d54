"""`dtbd rules list | show RULE_ID | verify`: browse the rule packs with citations and dates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cli.output import emit_text, resolve_format, table_text, to_json
from engine import codes
from engine.errors import InputError
from engine.results import LoadedRule, Rulebook
from engine.workspace import citation_text as render
from engine.workspace import facts_read, open_rulebook, rule_versions


def _book(rulesets_dir: Path | None, packs: tuple[str, ...]) -> Rulebook:
    return open_rulebook(rulesets_dir, packs, allow_drafts=True)


def rule_json(book: Rulebook, lr: LoadedRule, lang: str) -> dict[str, Any]:
    r = lr.rule
    return {
        "id": r.id, "version": r.version, "kind": r.kind, "pack": lr.pack, "file": lr.file, "line": lr.line,
        "title": r.title_vi if lang == "vi" else r.title, "strength": r.strength, "verified": r.verified,
        "valid_from": r.valid_from.isoformat(), "valid_to": r.valid_to.isoformat() if r.valid_to else None,
        "anchor": r.anchor, "source": render(r.source, book.sources, lang), "url": r.source.url,
        "confidence": r.source.confidence, "text_vi": r.text_vi,
        "requires": r.requires.model_dump(exclude_none=True, by_alias=True) if r.requires else None,
        "variants": [{"key": v.key, "requires": v.requires.model_dump(exclude_none=True) if v.requires else None,
                      "verified": v.verified} for v in r.variants],
        "parameters": {k: {d.isoformat(): v for d, v in p.values.items()} for k, p in r.parameters.items()},
        "deadline": r.deadline.model_dump(exclude_none=True, by_alias=True, mode="json") if r.deadline else None,
        "exemptions": [e.id for e in r.exemptions], "not_modelled": r.not_modelled,
    }


def _pack_options(func: Any) -> Any:
    func = click.option("--pack", "packs", multiple=True,
                        help="Gói quy tắc cần nạp, lặp lại được (mặc định: tất cả), vd. national, local/thanh-hoa / "
                             "pack(s) to load (default: all).")(func)
    func = click.option("--rulesets", "rulesets_dir", type=click.Path(path_type=Path), default=None,
                        help="Thư mục gói quy tắc (mặc định: rulesets/ kèm theo) / rule packs folder.")(func)
    return click.option("--lang", type=click.Choice(["vi", "en"]), default="vi", show_default=True,
                        help="Ngôn ngữ: vi tiếng Việt, en tiếng Anh / language of labels.")(func)


@click.group("rules")
def command() -> None:
    """Quy tắc, căn cứ pháp lý và hiệu lực / rules with their citations and dates."""


@command.command("list")
@_pack_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Định dạng: table bảng để đọc, json cho chương trình khác / output format.")
@click.option("--json", "json_flag", is_flag=True, help="Viết tắt của --format json / short for --format json.")
def list_rules(rulesets_dir: Path | None, packs: tuple[str, ...], lang: str, fmt: str, json_flag: bool) -> None:
    """Liệt kê các quy tắc: mã, phiên bản, hiệu lực, loại, xác minh, căn cứ, nội dung / list the rules with
    their versions, validity, strength, verification and citation."""
    book = _book(rulesets_dir, packs)
    loaded = sorted(book.rules, key=lambda lr: (lr.rule.id, lr.rule.valid_from))
    if resolve_format(fmt, json_flag) == "json":
        emit_text(to_json([rule_json(book, lr, lang) for lr in loaded]), None)
        return
    vi = lang == "vi"
    head = (["Quy tắc", "Phiên bản", "Hiệu lực", "Loại", "Xác minh", "Căn cứ", "Nội dung"] if vi
            else ["Rule", "Version", "In force", "Strength", "Verified", "Source", "Title"])
    body = []
    for lr in loaded:
        r = lr.rule
        span = f"{r.valid_from:%d/%m/%Y} – {r.valid_to:%d/%m/%Y}" if r.valid_to else f"{r.valid_from:%d/%m/%Y} –"
        body.append([r.id, r.version, span, codes.STRENGTH.label(r.strength, lang),
                     ("có" if vi else "yes") if r.verified else ("chưa xác minh" if vi else "unverified"),
                     render(r.source, book.sources, lang), r.title_vi if vi else r.title])
    emit_text(table_text(head, body), None)


ANCHORS = {
    "vi": {"event": "phiên bản theo ngày bổ nhiệm / khai giảng", "as_of": "phiên bản theo ngày đánh giá / khai giảng"},
    "en": {"event": "version by the appointment or course date", "as_of": "version by the evaluation date"},
}


def scenario_file(lr: LoadedRule) -> str:
    """The YAML scenarios of a rule: tests/scenarios/<pack>/<id in lower case>.yaml (tests/scenarios/README.md)."""
    return f"tests/scenarios/{lr.pack}/{lr.rule.id.lower()}.yaml"


def show_text(book: Rulebook, versions: list[LoadedRule], lang: str) -> str:
    vi = lang == "vi"
    first = versions[0]
    lines = [f"{first.rule.id} — {first.rule.title_vi if vi else first.rule.title}", ""]
    for lr in versions:
        r = lr.rule
        span = f"{r.valid_from:%d/%m/%Y} – {r.valid_to:%d/%m/%Y}" if r.valid_to else f"{r.valid_from:%d/%m/%Y} –"
        mark = ("đã xác minh" if vi else "verified") if r.verified else ("chưa xác minh" if vi else "unverified")
        lines += [f"{'Phiên bản' if vi else 'Version'} {r.version}: {span} ({mark}; "
                  f"{codes.STRENGTH.label(r.strength, lang)}; {ANCHORS[lang][r.anchor]})",
                  f"  {'Căn cứ' if vi else 'Source'}: {render(r.source, book.sources, lang)} "
                  f"[{r.source.confidence}{', ' + r.source.digest if r.source.digest else ''}]"]
        if r.source.url:
            lines.append(f"  {r.source.url}")
        lines.append(f"  {r.text_vi}")
        for name, param in r.parameters.items():
            values = ", ".join(f"{'chưa xác minh' if v is None else v} {'từ' if vi else 'from'} {d:%d/%m/%Y}"
                               for d, v in sorted(param.values.items()))
            lines.append(f"  {'Tham số' if vi else 'Parameter'} {name}: {values} {param.unit or ''}".rstrip())
        if r.continues_because:
            lines.append(f"  {'Tiếp tục áp dụng vì' if vi else 'Continues because'}: {r.continues_because.text_vi}")
        if r.not_modelled:
            lines.append(f"  {'Không mô hình hóa' if vi else 'Not modelled'}: {r.not_modelled}")
        lines.append(f"  {'Tệp' if vi else 'File'}: {lr.file}:{lr.line}")
        lines.append("")
    facts = sorted({f for lr in versions for f in facts_read(lr)})
    lines += [f"{'Dữ kiện sử dụng' if vi else 'Facts read'}: {', '.join(facts)}",
              f"{'Kịch bản kiểm thử' if vi else 'Scenarios'}: {scenario_file(first)}"]
    return "\n".join(lines) + "\n"


@command.command("show")
@click.argument("rule_id")
@_pack_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Định dạng: table bảng để đọc, json cho chương trình khác / output format.")
@click.option("--json", "json_flag", is_flag=True, help="Viết tắt của --format json / short for --format json.")
def show_rule(rule_id: str, rulesets_dir: Path | None, packs: tuple[str, ...], lang: str, fmt: str,
              json_flag: bool) -> None:
    """Một quy tắc: nội dung, các phiên bản, tham số, căn cứ / one rule: text, versions, parameters, citation.

    \b
    Ví dụ / example: dtbd rules show ND29-CAOCAP
    """
    book = _book(rulesets_dir, packs)
    versions = rule_versions(book, rule_id)
    if resolve_format(fmt, json_flag) == "json":
        emit_text(to_json([{**rule_json(book, lr, lang), "scenarios": scenario_file(lr), "facts": facts_read(lr)}
                           for lr in versions]), None)
        return
    emit_text(show_text(book, list(versions), lang), None)


@command.command("verify")
@_pack_options
def verify_rules(rulesets_dir: Path | None, packs: tuple[str, ...], lang: str) -> None:
    """Kiểm tra các gói quy tắc: cấu trúc, mã, dữ kiện, tham số, trích dẫn, phiên bản chồng lấn hoặc hở /
    check every pack: schema, codes, facts, parameters, citations, overlapping or gapped versions."""
    try:
        book = _book(rulesets_dir, packs)
    except InputError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} lỗi / problem(s)", err=True)
        raise SystemExit(1) from None
    unverified = sum(1 for lr in book.rules if not lr.rule.verified)
    click.echo(f"OK: {len(book.rules)} quy tắc / rules in {len(book.packs)} gói / packs "
               f"({', '.join(book.packs)}); {unverified} chưa xác minh / unverified")
