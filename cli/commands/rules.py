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
from engine.workspace import open_rulebook, rule_versions


def _book(rulesets_dir: Path | None, packs: tuple[str, ...]) -> Rulebook:
    return open_rulebook(rulesets_dir, packs)


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


@command.command("show")
@click.argument("rule_id")
@_pack_options
def show_rule(rule_id: str, rulesets_dir: Path | None, packs: tuple[str, ...], lang: str) -> None:
    """Mọi phiên bản của một quy tắc (JSON): căn cứ, trích dẫn nguyên văn, điều kiện, tham số, hạn, miễn trừ /
    every version of one rule as JSON: citation, quoted clause, conditions, parameters, deadline, exemptions.

    \b
    Ví dụ / example: dtbd rules show ND29-CAOCAP
    """
    book = _book(rulesets_dir, packs)
    versions = rule_versions(book, rule_id)
    emit_text(to_json([rule_json(book, lr, lang) for lr in versions]), None)


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
