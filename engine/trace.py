"""The decision trace of a finding (issue 15, item 1): why dtbd concluded what it did.

A trace is made from the very evaluation that produced the finding: the fact values the backend was
given (engine.evaluation.derive, with the records each value was computed from noted by the fact
handlers themselves — derive.WITNESS), the compiled condition trees of the concrete rule the backend
fired, and the three-valued evaluation of those trees (engine.rules.oracle.eval_cond / eval_tree, the
reference semantics both backends compile from). It says:
- which rule, which version and why that version: its validity, the dated-parameter period, and the
  anchor date that selected it (the event's day or the evaluation date);
- every condition leaf of `applies_when`, the variant's `when`, `requires` and each exemption, with its
  outcome (true / false / unknown), the fact's value and the record(s) it came from (table, file and
  line, the record's identity);
- the parameter values used, each with the date its value is dated from.
The trace is JSON-ready (dates ISO, codes as codes) with human labels in the evaluator's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from engine.dataset import Dataset
from engine.dates import day_text
from engine.evaluation.derive import Context, Deriver
from engine.rules.citation import render
from engine.rules.compiled import All, AnyOf, ConcreteRule, Cond, Tree
from engine.rules.facts import CATALOGUE
from engine.rules.oracle import ANCHOR_AS_OF, ANCHOR_EVENT, Tri, eval_cond, eval_tree
from engine.rules.rulebook import Rulebook
from engine.rules.schema import AllNode, AnyNode, Leaf, Node, ParamRef

OPS = {"eq": "=", "ne": "≠", "in": "∈", "not_in": "∉", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥",
       "exists": "có dữ liệu"}
# The identity of a record in each table: the fields that say which row it is.
IDENTITY = {
    "people": ("id", "full_name", "birth_date", "gender"), "positions": ("id", "title", "tier", "role"),
    "units": ("id", "name", "level"), "courses": ("id", "programme", "start", "end"),
    "credentials": ("person", "programme", "completed", "evidence"),
    "appointments": ("person", "position", "start", "kind", "end", "submitted", "decided"),
    "plans": ("person", "position", "approved", "term", "removed"), "ratings": ("person", "year", "rating"),
    "disciplines": ("person", "kind", "effective", "ends"),
}
# Facts whose value is read from the person's row.
_PERSON_FACTS = ("person.", "event.age_years", "event.months_to_retirement")
_RETIREMENT_FACTS = ("person.months_to_retirement", "person.retirement_date", "event.months_to_retirement")


def tri_code(value: Tri) -> str:
    """A three-valued outcome as the trace writes it: true, false or unknown."""
    return "unknown" if value is None else "true" if value else "false"


def jsonable(value: Any) -> Any:
    """A fact value as JSON: dates ISO, tuples as lists."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    return value


def value_text(value: Any, lang: str) -> str:
    """A fact value for people, in `lang` (dates dd/mm/yyyy in Vietnamese)."""
    if value is None:
        return "(không có dữ liệu)" if lang == "vi" else "(no data)"
    if isinstance(value, bool):
        return ("có" if value else "không") if lang == "vi" else ("yes" if value else "no")
    if isinstance(value, dt.date):
        return day_text(value, lang)
    if isinstance(value, tuple | list):
        return ", ".join(value_text(v, lang) for v in value)
    return str(value)


class RowIndex:
    """Where a record came from: its table, file and line (Dataset.locations), found by identity."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self._index: dict[str, dict[int, int]] = {}

    def locate(self, table: str, row: Any) -> dict[str, Any]:
        """The record as a trace names it: table, file and line, identity."""
        index = self._index.get(table)
        if index is None:
            index = self._index[table] = {id(r): i for i, r in enumerate(getattr(self.dataset, table))}
        out: dict[str, Any] = {"table": table}
        position = index.get(id(row))
        location = self.dataset.locations.get((table, position)) if position is not None else None
        if location is not None:
            out["file"], out["line"] = location.file, location.line
        out["record"] = {name: jsonable(getattr(row, name)) for name in IDENTITY[table]
                         if getattr(row, name, None) is not None}
        return out


class Tracer:
    """Builds traces for one evaluator (its rulebook, dataset and deriver), in one language."""

    def __init__(self, book: Rulebook, dataset: Dataset, deriver: Deriver, lang: str) -> None:
        self.book = book
        self.deriver = deriver
        self.lang = lang
        self.rows = RowIndex(dataset)

    # -- sources ------------------------------------------------------------------------------
    def _event_record(self, context: Context) -> list[dict[str, Any]]:
        if context.appointment is not None:
            return [self.rows.locate("appointments", context.appointment)]
        if context.plan is not None:
            return [self.rows.locate("plans", context.plan)]
        if context.course is not None:
            return [self.rows.locate("courses", context.course)]
        note = "đề xuất bổ nhiệm (tham số dòng lệnh)" if self.lang == "vi" else "proposed appointment (command line)"
        return [{"table": None, "note": note}]

    def _retirement_note(self, context: Context) -> str:
        person = context.records.person
        retires = self.deriver.retirement_date(context.records)
        citation = render(self.book.retirement.source, self.book.sources, self.lang)
        if self.lang == "vi":
            return (f"nghỉ hưu {value_text(retires, 'vi')}, ngày sinh {value_text(person.birth_date, 'vi')}, "
                    f"{citation}")
        return f"retires {retires.isoformat()}, born {person.birth_date.isoformat()}, {citation}"

    def sources(self, cond: Cond, context: Context, witness: dict[str, Any]) -> list[dict[str, Any]]:
        """The records the leaf's fact was computed from (noted by the fact handlers, else read off the context)."""
        name, key = cond.fact.name, cond.fact.key
        vi = self.lang == "vi"
        if name in ("basis", "as_of"):
            return []
        if name == "credential":
            found = witness.get(key)
            if found is None:
                held = [self.rows.locate("credentials", c) for c in context.records.credentials]
                note = ("không văn bằng nào đáp ứng (kể cả tương đương) đến ngày tham chiếu" if vi
                        else "no credential meets it (equivalents included) by the reference date")
                return [*held, {"table": None, "note": note}]
            credential, path = found
            out = self.rows.locate("credentials", credential)
            if path is None:  # undated (derive: the credential fact is unknown)
                out["note"] = ("trình độ không ghi ngày hoàn thành: chưa biết đã đạt trước ngày tham chiếu" if vi
                               else "a level recorded without its date: whether it was held by then is unknown")
                return [out]
            if len(path.chain) > 1:
                chain = " → ".join(self.book.programme_label(code, self.lang) for code in path.chain)
                out["note"] = (f"tương đương: {chain}" if vi else f"equivalent: {chain}")
                if path.completed_before is not None:
                    out["note"] += (f" (văn bằng cấp trước {value_text(path.completed_before, 'vi')})" if vi
                                    else f" (obtained before {path.completed_before.isoformat()})")
            return [out]
        if name in ("event.in_plan", "event.disciplined_within", "event.disciplined_before", "person.rated_good_years"):
            table = {"event.in_plan": "plans", "event.disciplined_within": "disciplines",
                     "event.disciplined_before": "disciplines", "person.rated_good_years": "ratings"}[name]
            rows = witness.get(key)
            if rows is None:
                rows = getattr(context.records, table)
            found = [self.rows.locate(table, r) for r in rows]
            return found or [{"table": table, "note": "không có bản ghi" if vi else "no record"}]
        if name in ("event.is_promotion", "event.is_first_leadership", "event.months_in_current_post",
                    "event.consecutive_terms"):
            noted = {"event.is_first_leadership": "previous_posts", "event.consecutive_terms": key}.get(name, name)
            rows = witness.get(noted, [])
            return [*self._event_record(context), *(self.rows.locate("appointments", a) for a in rows)]
        if name.startswith(_PERSON_FACTS):
            out = self.rows.locate("people", context.records.person)
            if name in _RETIREMENT_FACTS:
                out["note"] = self._retirement_note(context)
            extra = self._event_record(context) if name.startswith("event.") else []
            return [out, *extra]
        if name.startswith("post."):
            if name == "post.unit_level" and context.unit is not None:
                return [self.rows.locate("units", context.unit)]
            return [self.rows.locate("positions", context.post)] if context.post is not None else []
        if name.startswith("course.") and context.course is not None:
            return [self.rows.locate("courses", context.course)]
        if name.startswith("event."):
            return self._event_record(context)
        return []

    # -- conditions ---------------------------------------------------------------------------
    def _label(self, cond: Cond) -> str:
        spec = CATALOGUE.get(cond.fact.name)
        label = (spec.vi if self.lang == "vi" else spec.en) if spec else cond.fact.name
        if cond.fact.name == "credential":
            label += f": {self.book.programme_label(str(cond.fact.arg('programme')), self.lang)}"
        elif cond.fact.args:
            label += " [" + ", ".join(f"{k}={value_text(v, self.lang)}" for k, v in cond.fact.args) + "]"
        return label

    def leaf(self, cond: Cond, node: Node | None, context: Context, values: dict[str, Any],
             witness: dict[str, Any]) -> dict[str, Any]:
        """One condition leaf: its outcome, the fact's value, what is required, the records it came from."""
        outcome = eval_cond(cond, values)
        value = values.get(cond.fact.key)
        vi = self.lang == "vi"
        out: dict[str, Any] = {"fact": cond.fact.key, "label": self._label(cond), "op": cond.op,
                               "target": jsonable(cond.value) if cond.unknown is None else None,
                               "outcome": tri_code(outcome), "value": jsonable(value)}
        params = _params_of(node)
        if params:
            out["parameters"] = params
        if cond.unknown is not None:
            out["unknown_parameter"] = cond.unknown
            need = (f"tham số {cond.unknown} chưa được xác nhận" if vi else f"parameter {cond.unknown} not confirmed")
        else:
            need = f"{'cần' if vi else 'required'} {OPS[cond.op]} {value_text(cond.value, self.lang)}"
        out["text"] = f"{out['label']} = {value_text(value, self.lang)} ({need})"
        spec = CATALOGUE.get(cond.fact.name)
        if spec is not None and spec.needs and "." in spec.needs[0]:
            out["field"] = spec.needs[0]  # the data field the value is read from
        out["sources"] = self.sources(cond, context, witness)
        return out

    def tree(self, tree: Tree, nodes: Sequence[Node] | None, context: Context, values: dict[str, Any],
             witness: dict[str, Any]) -> list[dict[str, Any]]:
        """The leaves and groups of `tree` (an All of `nodes`, compiled one to one), in order."""
        items = tree.items if isinstance(tree, All) else (tree,)
        out = []
        for index, item in enumerate(items):
            node = nodes[index] if nodes is not None and index < len(nodes) else None
            out.append(self.node(item, node, context, values, witness))
        return out

    def node(self, tree: Tree, node: Node | None, context: Context, values: dict[str, Any],
             witness: dict[str, Any]) -> dict[str, Any]:
        """A leaf, or a group (all/any) with its outcome and its members."""
        if isinstance(tree, Cond):
            return self.leaf(tree, node if isinstance(node, Leaf) else None, context, values, witness)
        children: Sequence[Node] | None = None
        if isinstance(node, AnyNode):
            children = node.any
        elif isinstance(node, AllNode):
            children = node.all
        kind = "any" if isinstance(tree, AnyOf) else "all"
        return {kind: [self.node(item, children[i] if children is not None and i < len(children) else None,
                                 context, values, witness) for i, item in enumerate(tree.items)],
                "outcome": tri_code(eval_tree(tree, values))}

    def part(self, tree: Tree | None, nodes: Sequence[Node] | None, context: Context, values: dict[str, Any],
             witness: dict[str, Any]) -> dict[str, Any] | None:
        """A part of the rule (applies_when, when, requires, an exemption): its outcome and its conditions."""
        if tree is None:
            return None
        return {"outcome": tri_code(eval_tree(tree, values)),
                "conditions": self.tree(tree, nodes, context, values, witness)}

    # -- the trace ----------------------------------------------------------------------------
    def version(self, rule: ConcreteRule, context: Context, values: dict[str, Any]) -> dict[str, Any]:
        """Why this version: its validity, the parameter period, the anchor date that chose it."""
        spec = rule.rule
        anchor_date = values.get(ANCHOR_EVENT if rule.anchor == "event" else ANCHOR_AS_OF)
        vi = self.lang == "vi"
        anchor = {"event": "ngày sự kiện" if vi else "the event's day",
                  "as_of": "ngày đánh giá" if vi else "the evaluation date"}[rule.anchor]
        if rule.anchor == "event" and context.event_date is None:
            anchor += " (chưa có ngày sự kiện: lấy ngày đánh giá)" if vi else " (no event day: the evaluation date)"
        until = value_text(spec.valid_to, self.lang) if spec.valid_to else ("nay" if vi else "now")
        text = (f"phiên bản {spec.version} có hiệu lực {value_text(spec.valid_from, 'vi')} – {until}; "
                f"áp dụng theo {anchor} {value_text(anchor_date, 'vi')}" if vi else
                f"version {spec.version} in force {spec.valid_from.isoformat()} – {until}; chosen by {anchor} "
                f"{value_text(anchor_date, 'en')}")
        if (rule.window_from, rule.window_to) != (spec.valid_from, spec.valid_to):
            end = value_text(rule.window_to, self.lang) if rule.window_to else until
            text += (f"; giá trị tham số của giai đoạn {value_text(rule.window_from, 'vi')} – {end}" if vi else
                     f"; parameter values of the period {rule.window_from.isoformat()} – {end}")
        return {"valid_from": spec.valid_from.isoformat(), "valid_to": jsonable(spec.valid_to),
                "period_from": rule.window_from.isoformat(), "period_to": jsonable(rule.window_to),
                "anchor": rule.anchor, "anchor_date": jsonable(anchor_date), "text": text}

    def parameters(self, rule: ConcreteRule) -> list[dict[str, Any]]:
        """The parameter values the concrete rule uses, each with the date it is dated from."""
        out = []
        for name, value in rule.params:
            param = rule.rule.parameters[name]
            dated = [d for d in param.values if d <= rule.window_from]
            entry: dict[str, Any] = {"name": name, "value": value, "unit": param.unit,
                                     "dated_from": max(dated).isoformat() if dated else None,
                                     "verified": param.verified if param.verified is not None else rule.verified}
            if param.source is not None:
                entry["source"] = render(param.source, self.book.sources, self.lang)
            out.append(entry)
        return out

    def trace(self, rule: ConcreteRule, context: Context, outcome: str, values: dict[str, Any],
              witness: dict[str, Any]) -> dict[str, Any]:
        """The trace of one finding: `outcome` is the backend's, `values` and `witness` the context's derivation."""
        spec = rule.rule
        applies = rule.applies.items if isinstance(rule.applies, All) else (rule.applies,)
        own = len(spec.applies_when)
        when = len(rule.variant.when) if rule.variant else 0
        applies_tree, when_tree = All(tuple(applies[:own]) + tuple(applies[own + when:])), All(applies[own:own + when])
        requires_nodes = None
        requires = rule.variant.requires if rule.variant and rule.variant.requires else spec.requires
        if requires is not None and requires.condition is not None:
            requires_nodes = list(requires.test or [])
        out: dict[str, Any] = {
            "rule": spec.id, "version": spec.version, "variant": rule.variant.key if rule.variant else None,
            "outcome": outcome, "context": {"basis": context.basis, "as_of": context.as_of.isoformat(),
                                            "event_date": jsonable(context.event_date),
                                            "reference_date": context.reference_date.isoformat()},
            "version_chosen": self.version(rule, context, values),
            "applies_when": self.part(applies_tree, list(spec.applies_when), context, values, witness),
            "when": self.part(when_tree, list(rule.variant.when), context, values, witness) if rule.variant else None,
            "requires": self.part(rule.requires, requires_nodes, context, values, witness),
            "exemptions": [{"id": exemption.id,
                            "text": exemption.text_vi if self.lang == "vi" else (exemption.text or exemption.text_vi),
                            **(self.part(tree, list(exemption.when), context, values, witness) or {})}
                           for exemption, tree in rule.exemptions],
            "parameters": self.parameters(rule),
        }
        return out


def _params_of(node: Node | None) -> list[str]:
    """Names of the parameters a leaf reads (its value or an argument)."""
    if not isinstance(node, Leaf):
        return []
    found = [node.value.param] if isinstance(node.value, ParamRef) else []
    for raw in node.args.values():
        if isinstance(raw, ParamRef):
            found.append(raw.param)
        elif isinstance(raw, dict) and set(raw) == {"param"}:
            found.append(str(raw["param"]))
    return found


__all__ = ["RowIndex", "Tracer", "jsonable", "tri_code", "value_text"]
