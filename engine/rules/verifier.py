"""Verify loaded rule packs: a typo must fail loudly, never make a rule silently not match.

Checks: ids mirror their file; unknown facts, arguments, operators for the fact's type, codes and
parameters ("did you mean"); unknown programmes and condition codes; citations that name no
instrument or no article/section; versions of one rule that overlap or leave a gap; text not NFC.
"""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from engine import codes
from engine.errors import Problem
from engine.rules.facts import CATALOGUE
from engine.rules.rulebook import LoadedRule, Rulebook
from engine.rules.schema import AllNode, AnyNode, Leaf, Node, ParamRef, Rule, Source
from engine.suggest import did_you_mean

ORDERED = {"code:education", "code:grade", "code:tier", "code:rating"}
COMPARABLE = {"int", "date"}


def _near(value: str, options: Iterable[str]) -> str | None:
    return did_you_mean(value, options)


class _Checker:
    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self.problems: list[Problem] = []

    def add(self, lr: LoadedRule, field: str, message: str, value: object = None, hint: str | None = None, *,
            code: str) -> None:
        self.problems.append(Problem(lr.file, lr.line, f"{lr.rule.id}.{field}", message, value, hint, code=code))

    # -- pieces -------------------------------------------------------------------------------
    def source(self, lr: LoadedRule, src: Source, where: str) -> None:
        if src.instrument not in self.book.sources:
            self.add(lr, f"{where}.instrument", "văn bản không có trong sources.yaml / unknown instrument",
                     src.instrument, _near(src.instrument, self.book.sources), code="unknown-instrument")
        if src.article is None and src.section is None and src.digest is None:
            # The digest does not always give the article; then the citation must at least point to
            # the digest row it comes from, so that it can be completed once the text is retrieved.
            self.add(lr, where, "thiếu trích dẫn điều/mục / citation names no article, section or digest row",
                     hint="add `article` (and clause/point), `section`, or `digest: <row id of law.md>`",
                     code="missing-citation")

    def programme(self, lr: LoadedRule, code: str, where: str) -> None:
        if code not in self.book.programmes:
            self.add(lr, where, "mã chương trình không tồn tại / unknown programme code", code,
                     _near(code, self.book.programmes), code="unknown-code")

    def code_value(self, lr: LoadedRule, fact: str, value: Any, where: str) -> None:
        spec = CATALOGUE[fact]
        values = value if isinstance(value, list | tuple) else [value]
        if spec.type == "code:programme":
            for v in values:
                self.programme(lr, str(v), where)
            return
        code_list = spec.code_list
        if code_list is None:
            return
        for v in values:
            if str(v) not in code_list:
                self.add(lr, where, f"mã không hợp lệ cho {fact} / unknown {code_list.name} code", v,
                         _near(str(v), code_list.values), code="unknown-code")

    def leaf(self, lr: LoadedRule, leaf: Leaf, where: str, params: dict[str, Any]) -> None:
        spec = CATALOGUE.get(leaf.fact)
        if spec is None:
            self.add(lr, f"{where}.fact", "fact không có trong danh mục / unknown fact", leaf.fact,
                     _near(leaf.fact, CATALOGUE), code="unknown-fact")
            return
        for name, arg in leaf.args.items():
            if name not in spec.args:
                self.add(lr, f"{where}.args.{name}", f"đối số không hợp lệ cho {leaf.fact} / unknown argument",
                         name, _near(name, spec.args) or f"allowed: {', '.join(spec.args) or 'none'}",
                         code="invalid-argument")
                continue
            if isinstance(arg, dict) and "param" in arg and arg["param"] not in params:
                self.add(lr, f"{where}.args.{name}", "tham số không tồn tại / unknown parameter", arg["param"],
                         _near(str(arg["param"]), params), code="unknown-parameter")
            kind = spec.args[name]
            if kind.startswith("codes:") or kind.startswith("code:"):
                code_list = codes.ALL[kind.split(":", 1)[1]]
                for v in arg if isinstance(arg, list) else [arg]:
                    if str(v) not in code_list and not (kind == "code:programme" and v in self.book.programmes):
                        self.add(lr, f"{where}.args.{name}", f"mã không hợp lệ / unknown {code_list.name} code", v,
                                 _near(str(v), code_list.values), code="unknown-code")
            if kind == "date" and not isinstance(arg, dt.date):
                self.add(lr, f"{where}.args.{name}", "cần ngày YYYY-MM-DD / a date is required", arg,
                    code="invalid-argument")
        for name in spec.required_args:
            if name not in leaf.args:
                self.add(lr, f"{where}.args", f"thiếu đối số bắt buộc '{name}' / missing argument", leaf.fact,
                    code="invalid-argument")
        op, value = leaf.op, leaf.value
        if isinstance(value, ParamRef):
            if value.param not in params:
                self.add(lr, f"{where}.{op}", "tham số không tồn tại / unknown parameter", value.param,
                         _near(value.param, params), code="unknown-parameter")
            return
        if op in ("at_least", "at_most") and spec.type not in ORDERED:
            self.add(lr, f"{where}.{op}", f"{op} chỉ dùng cho mã có thứ tự / only for ordered codes", leaf.fact,
                code="invalid-argument")
        if op in ("lt", "lte", "gt", "gte") and spec.type not in COMPARABLE:
            self.add(lr, f"{where}.{op}", f"so sánh {op} không dùng cho {spec.type} / not for this type",
                     leaf.fact, code="invalid-argument")
        if op in ("in", "not_in") and not isinstance(value, list):
            self.add(lr, f"{where}.{op}", "cần một danh sách / a list is required", value, code="invalid-argument")
        if spec.type.startswith("code:") and op != "exists":
            self.code_value(lr, leaf.fact, value, f"{where}.{op}")
        if spec.type == "bool" and op in ("eq", "ne") and not isinstance(value, bool):
            self.add(lr, f"{where}.{op}", "cần true/false / a boolean is required", value, code="invalid-argument")
        if spec.type == "date" and op != "exists" and not isinstance(value, dt.date):
            self.add(lr, f"{where}.{op}", "cần ngày YYYY-MM-DD / a date is required", value, code="invalid-argument")
        if spec.type == "int" and op != "exists" and (isinstance(value, bool) or not isinstance(value, int)):
            self.add(lr, f"{where}.{op}", "cần số nguyên / an integer is required", value, code="invalid-argument")

    def nodes(self, lr: LoadedRule, nodes: list[Node], where: str, params: dict[str, Any]) -> None:
        for i, node in enumerate(nodes):
            if isinstance(node, AnyNode):
                self.nodes(lr, node.any, f"{where}[{i}].any", params)
            elif isinstance(node, AllNode):
                self.nodes(lr, node.all, f"{where}[{i}].all", params)
            else:
                self.leaf(lr, node, f"{where}[{i}]", params)

    def text(self, lr: LoadedRule, value: str | None, where: str) -> None:
        if value and unicodedata.normalize("NFC", value) != value:
            self.add(lr, where, "văn bản chưa chuẩn hóa NFC / text is not NFC", code="text-not-nfc")

    # -- a rule -------------------------------------------------------------------------------
    def rule(self, lr: LoadedRule) -> None:
        rule = lr.rule
        stem = PurePath(lr.file).stem.upper()
        if not (rule.id == stem or rule.id.startswith(stem + "-")):
            self.add(lr, "id", f"mã quy tắc phải bắt đầu bằng tên tệp / rule id must start with '{stem}'", rule.id,
                code="bad-rule-id")
        self.source(lr, rule.source, "source")
        for name in ("title_vi", "text_vi", "note_vi", "not_modelled"):
            self.text(lr, getattr(rule, name), name)
        if rule.verified and rule.source.confidence in ("P", "U", "S"):
            self.add(lr, "verified", "verified: true nhưng độ tin cậy là P/U/S / contradicts source confidence",
                     rule.source.confidence, code="unverified-contradiction")
        if rule.kind == "object" and rule.anchor != "as_of":
            # law.md rule 37 (L18): a target group is a status on the course start (or evaluation) date.
            self.add(lr, "anchor", "quy tắc đối tượng phải xét theo ngày khai giảng/ngày đánh giá / an object rule "
                     "is anchored on the course start or evaluation date", rule.anchor, "anchor: as_of",
                     code="object-anchor")
        params = dict(rule.parameters)
        self.nodes(lr, rule.applies_when, "applies_when", params)
        for name, param in params.items():
            if param.source:
                self.source(lr, param.source, f"parameters.{name}.source")
            outside = [d for d in param.values if d > rule.valid_from and not rule.in_force(d)]
            if outside:
                self.add(lr, f"parameters.{name}", "giá trị tham số ngoài thời gian hiệu lực / value dated outside "
                         "the rule's validity", outside[0], code="parameter-out-of-validity")
        requirements = [("requires", rule.requires)] + [(f"variants.{v.key}.requires", v.requires)
                                                        for v in rule.variants]
        for where, req in requirements:
            if req is None:
                continue
            if req.programme:
                self.programme(lr, req.programme, f"{where}.programme")
            if req.condition and req.condition not in self.book.conditions:
                self.add(lr, f"{where}.condition", "mã điều kiện chưa khai báo / undeclared condition code",
                         req.condition, _near(req.condition, self.book.conditions), code="undeclared-condition")
            if req.test:
                self.nodes(lr, req.test, f"{where}.test", params)
        for v in rule.variants:
            self.nodes(lr, v.when, f"variants.{v.key}.when", params)
            if v.remedy:
                self.programme(lr, v.remedy, f"variants.{v.key}.remedy")
            if v.source:
                self.source(lr, v.source, f"variants.{v.key}.source")
        keys = [v.key for v in rule.variants]
        if len(keys) != len(set(keys)):
            self.add(lr, "variants", "khóa biến thể trùng / duplicate variant key", keys, code="duplicate-variant")
        for e in rule.exemptions:
            self.nodes(lr, e.when, f"exemptions.{e.id}.when", params)
            if e.source:
                self.source(lr, e.source, f"exemptions.{e.id}.source")
        for code in [*(rule.programmes or []), *([rule.remedy] if rule.remedy else [])]:
            self.programme(lr, code, "programmes")
        if rule.deadline and isinstance(rule.deadline.months_after, ParamRef) \
                and rule.deadline.months_after.param not in params:
            self.add(lr, "deadline.months_after", "tham số không tồn tại / unknown parameter",
                     rule.deadline.months_after.param, code="unknown-parameter")

    def instrument_end(self, lr: LoadedRule) -> None:
        """A version may not run past the last day its instrument is in force (for the categories it applies
        to) unless it says why (`continues_because`, with a citation): law.md rule 39, issue 13."""
        rule = lr.rule
        inst = self.book.sources.get(rule.source.instrument)
        if inst is None:
            return
        categories = _categories(rule.applies_when)
        ends: list[tuple[dt.date, str]] = []
        if inst.ended is not None:
            ends.append((inst.ended, "ended"))
        for table, word in ((inst.ended_for, "ended"), (inst.confirmed_until_for, "confirmed in force until")):
            for category, day in table.items():
                if categories is None or category in categories:
                    ends.append((day, f"{word} for {category}"))
        if not ends:
            return
        end, why = min(ends)
        if (rule.valid_to is None or rule.valid_to > end) and rule.continues_because is None:
            self.add(lr, "valid_to", f"hiệu lực vượt quá ngày văn bản hết hiệu lực / runs past the end of "
                     f"{rule.source.instrument} ({why} {end.isoformat()})", rule.valid_to or "…",
                     f"end the version on {end.isoformat()} or say why it continues (continues_because)",
                     code="past-instrument-end")
        if rule.continues_because is not None:
            self.source(lr, rule.continues_because.source, "continues_because.source")

    def versions(self) -> None:
        by_id: dict[str, list[LoadedRule]] = {}
        for lr in self.book.rules:
            by_id.setdefault(lr.rule.id, []).append(lr)
        for rule_id, group in by_id.items():
            group.sort(key=lambda lr: lr.rule.valid_from)
            names = [lr.rule.version for lr in group]
            if len(names) != len(set(names)):
                self.add(group[0], "version", "phiên bản trùng / duplicate version", names, code="duplicate-version")
            for a, b in itertools.pairwise(group):
                ra, rb = a.rule, b.rule
                if ra.valid_to is None or ra.valid_to >= rb.valid_from:
                    self.add(b, "valid_from", f"hiệu lực chồng lấn với phiên bản {ra.version} / overlaps version "
                             f"{ra.version} ({ra.valid_from} – {ra.valid_to or '…'})", rb.valid_from,
                             "end the older version the day before (valid_to)", code="overlapping-versions")
                elif (rb.valid_from - ra.valid_to).days > 1:
                    self.add(b, "valid_from", f"khoảng trống hiệu lực sau phiên bản {ra.version} / gap after "
                             f"version {ra.version} (ends {ra.valid_to})", rb.valid_from,
                             "make versions contiguous or give the gap its own rule id", code="gapped-versions")
            if len({lr.pack for lr in group}) > 1:
                self.add(group[0], "id", "một mã quy tắc ở nhiều gói / the same rule id in several packs", rule_id,
                    code="rule-in-several-packs")


def _categories(nodes: list[Node]) -> set[str] | None:
    """The person categories a rule is limited to by a top-level condition, or None (every category)."""
    for node in nodes:
        if isinstance(node, Leaf) and node.fact == "person.category" and isinstance(node.value, str | list):
            values = node.value if isinstance(node.value, list) else [node.value]
            if node.op in ("eq", "in"):
                return {str(v) for v in values}
            if node.op in ("ne", "not_in"):
                return set(codes.CATEGORY.values) - {str(v) for v in values}
    return None


def verify_rulebook(book: Rulebook) -> list[Problem]:
    """Every problem of a loaded rulebook: codes, facts, parameters, citations, overlapping or gapped versions."""
    checker = _Checker(book)
    for lr in book.rules:
        checker.rule(lr)
        checker.instrument_end(lr)
    checker.versions()
    for prog in book.programmes.values():
        for edge in prog.satisfies:
            if edge.programme not in book.programmes:
                checker.problems.append(Problem("national/programmes.yaml", None, f"{prog.code}.satisfies",
                                                "mã chương trình không tồn tại / unknown programme code",
                                                edge.programme, _near(edge.programme, book.programmes),
                                                code="unknown-code"))
    return checker.problems


__all__ = ["Rule", "verify_rulebook"]
