"""Schema of the rule packs in rulesets/ (pydantic, frozen, extra fields forbidden).

A pack is a folder with `pack.yaml` and rule files `*.yaml`; `rulesets/sources.yaml` lists the legal
instruments once; `rulesets/national/` also holds `programmes.yaml`, `retirement.yaml` and
`posts.yaml`. The condition language is closed: a leaf names a fact of the catalogue
(engine/rules/facts.py) and exactly one operator; `any`/`all` group leaves. No Python in YAML.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

OPERATORS = ("eq", "ne", "in", "not_in", "lt", "lte", "gt", "gte", "at_least", "at_most", "exists")
BASES = ("holds", "planned", "proposed", "appointed", "admission")
Scalar = str | int | bool | dt.date


class Strict(BaseModel):
    """A pack model: frozen, no unknown field."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class ParamRef(Strict):
    """A reference to a rule's dated parameter."""

    param: str


Value = Scalar | list[Scalar] | ParamRef


class Leaf(Strict):
    """`{fact: post.tier, in: [cap-so]}`: one fact, optional arguments, exactly one operator."""

    fact: str
    args: dict[str, Any] = Field(default_factory=dict)
    eq: Value | None = None
    ne: Value | None = None
    in_: Value | None = Field(default=None, alias="in")
    not_in: Value | None = None
    lt: Value | None = None
    lte: Value | None = None
    gt: Value | None = None
    gte: Value | None = None
    at_least: Value | None = None
    at_most: Value | None = None
    exists: bool | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _one_operator(self) -> Leaf:
        used = [op for op in OPERATORS if self.operand(op) is not None]
        if len(used) != 1:
            raise ValueError(
                f"a condition needs exactly one operator of {', '.join(OPERATORS)} (found: {used or 'none'})"
            )
        return self

    def operand(self, op: str) -> Any:
        """The operand of operator `op`."""
        return getattr(self, "in_" if op == "in" else op)

    @property
    def op(self) -> str:
        """The condition's one operator."""
        return next(op for op in OPERATORS if self.operand(op) is not None)

    @property
    def value(self) -> Any:
        """The operand of the condition's operator."""
        return self.operand(self.op)


class AnyNode(Strict):
    """Any of the nodes holds."""

    any: list[Node] = Field(min_length=1)


class AllNode(Strict):
    """All of the nodes hold."""

    all: list[Node] = Field(min_length=1)


def _node_kind(value: Any) -> str:
    if isinstance(value, dict):
        return "any" if "any" in value else "all" if "all" in value else "leaf"
    return "any" if isinstance(value, AnyNode) else "all" if isinstance(value, AllNode) else "leaf"


Node = Annotated[
    Annotated[Leaf, Tag("leaf")] | Annotated[AnyNode, Tag("any")] | Annotated[AllNode, Tag("all")],
    Discriminator(_node_kind),
]


class Source(Strict):
    """A citation: instrument key of rulesets/sources.yaml plus article/clause/point."""

    instrument: str
    article: str | int | None = None
    clause: str | int | None = None
    point: str | None = None
    section: str | None = None  # e.g. "Mục 1.4 Chương II" where the instrument has no articles
    url: str | None = None
    confidence: Literal["C", "P", "U", "S"] | None = None
    digest: str | None = None  # row id in the project's legal digest (e.g. "A17"; rulesets/README.md)


class Requires(Strict):
    """Either a programme (credential) or a named condition with its test."""

    programme: str | None = None
    since: Literal["event"] | None = None  # credential must be completed on or after the event date
    condition: str | None = None
    test: list[Node] | None = None

    @model_validator(mode="after")
    def _either(self) -> Requires:
        if (self.programme is None) == (self.condition is None):
            raise ValueError("requires needs exactly one of `programme` or `condition`")
        if self.condition is not None and not self.test:
            raise ValueError("requires.condition needs a non-empty `test`")
        if self.programme is not None and self.test:
            raise ValueError("requires.programme takes no `test`")
        return self


class Deadline(Strict):
    """When an unmet requirement must be met. Exactly one form:
    `before: event` (a precondition of the appointment), `months_after` + `from`, `on: DATE`,
    `none: true` (required, no deadline in the law: status pending)."""

    before: Literal["event"] | None = None
    months_after: int | ParamRef | None = None
    from_: Literal["event", "plan_approval"] | None = Field(default=None, alias="from")
    on: dt.date | None = None
    none: bool | None = None

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _one_form(self) -> Deadline:
        forms = [self.before is not None, self.months_after is not None, self.on is not None, bool(self.none)]
        if sum(forms) != 1:
            raise ValueError("deadline needs exactly one of before, months_after, on, none")
        if (self.months_after is not None) != (self.from_ is not None):
            raise ValueError("deadline.months_after goes with `from: event|plan_approval`")
        return self

    @property
    def kind(self) -> str:
        """What the rule requires: a programme or a named condition."""
        if self.before is not None:
            return "before_event"
        if self.months_after is not None:
            return "months_after"
        if self.on is not None:
            return "fixed"
        return "none"


class Exemption(Strict):
    """A case in which the rule does not apply, with its citation."""

    id: str
    when: list[Node] = Field(min_length=1)
    text_vi: str
    text: str | None = None
    source: Source | None = None


class Parameter(Strict):
    """A legal number with dated values: the latest date not after the anchor date wins.
    A value of null means the number is not confirmed: conditions using it give `unknown`."""

    values: dict[dt.date, int | None] = Field(min_length=1)
    unit: Literal["months", "years", "days", "working_days", "weeks", "periods", "count"] | None = None
    description_vi: str | None = None
    source: Source | None = None
    verified: bool | None = None


class Variant(Strict):
    """One concrete case of a rule (e.g. one tier): extra conditions and its own requirement."""

    key: str
    when: list[Node] = Field(min_length=1)
    requires: Requires | None = None
    remedy: str | None = None
    verified: bool | None = None
    note_vi: str | None = None
    source: Source | None = None


class ContinuesBecause(Strict):
    """Why a rule version stays in force past its instrument's `ended` date, with the provision that says so."""

    text_vi: str
    source: Source


class Rule(Strict):
    """One version of a rule: citation, strength, validity, parameters, conditions, requirement, deadline."""

    id: str
    version: str = "1"
    kind: Literal["requirement", "admission", "object"] = "requirement"
    title_vi: str
    title: str
    source: Source
    text_vi: str
    strength: Literal["law", "party", "target", "local"]
    verified: bool
    valid_from: dt.date
    valid_to: dt.date | None = None
    anchor: Literal["event", "as_of"] = "event"
    bases: list[Literal["holds", "planned", "proposed", "appointed", "admission"]] | None = None
    programmes: list[str] | None = None  # admission/object rules: the programmes they are about
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    applies_when: list[Node] = Field(default_factory=list)
    requires: Requires | None = None
    variants: list[Variant] = Field(default_factory=list)
    deadline: Deadline | None = None
    exemptions: list[Exemption] = Field(default_factory=list)
    remedy: str | None = None
    condition_label_vi: str | None = None
    not_modelled: str | None = None
    note_vi: str | None = None
    continues_because: ContinuesBecause | None = None  # in force past the instrument's `ended` date: why

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        has_requires = self.requires is not None or any(v.requires is not None for v in self.variants)
        if self.kind == "object":
            if not self.programmes:
                raise ValueError("an object rule names the `programmes` it makes people objects of")
            return self
        if not has_requires:
            raise ValueError("a rule needs `requires` (or `requires` in every variant)")
        if self.variants and self.requires is None and any(v.requires is None for v in self.variants):
            raise ValueError("every variant needs `requires` when the rule has none")
        if self.kind == "requirement" and self.deadline is None:
            raise ValueError("a requirement rule needs a `deadline`")
        if self.kind == "admission" and not self.programmes:
            raise ValueError("an admission rule names the `programmes` it admits to")
        return self

    def in_force(self, day: dt.date) -> bool:
        """Whether the version is in force on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class RuleFile(Strict):
    """A rule file: a list of rules."""

    rules: list[Rule] = Field(min_length=1)


class Pack(Strict):
    """A pack's pack.yaml: name, parent packs, code extensions."""

    name: str
    title_vi: str
    title: str
    # `draft`: a text that is not in force (rulesets/drafts/): listed and verified, never selected by a
    # dataset, never extended by a pack in force.
    kind: Literal["in-force", "draft"] = "in-force"
    extends: list[str] = Field(default_factory=list)
    description_vi: str | None = None


class Instrument(Strict):
    """One legal instrument: `name_vi` is how citations end ("Nghị định 29/2024/NĐ-CP")."""

    name_vi: str
    name_en: str
    issuer_vi: str | None = None
    issuer_verified: bool = True  # false where sources disagree on the issuer (QĐ 377, law.md A20)
    signed: dt.date | None = None
    effective: dt.date | None = None
    effective_verified: bool = True
    ended: dt.date | None = None
    # By category (cong-chuc, vien-chuc): the last day in force for that category (NĐ 101/2017 for công chức),
    # and the last day it is confirmed in force where the end is not known (law.md rule 39).
    ended_for: dict[str, dt.date] = Field(default_factory=dict)
    confirmed_until_for: dict[str, dt.date] = Field(default_factory=dict)
    replaced_by: str | None = None
    urls: list[str] = Field(default_factory=list)
    confidence: Literal["C", "P", "U", "S"]
    note_vi: str | None = None


class Satisfies(Strict):
    """Programme `code` counts for `programme`, optionally only for credentials completed in a window."""

    programme: str
    completed_before: dt.date | None = None
    completed_from: dt.date | None = None
    source: Source | None = None
    verified: bool = True
    note_vi: str | None = None


class Duration(Strict):
    """A programme's length."""

    values: dict[dt.date, float | None]
    unit: Literal["weeks", "periods"] = "weeks"
    source: Source | None = None
    verified: bool = True


class Programme(Strict):
    """A training programme: names, family, level, equivalences."""

    code: str
    name_vi: str
    name_en: str
    family: Literal["llct", "qlnn", "ldql", "qpan", "cap-nhat", "khac"]
    level: int = 0  # order within the family (higher = more advanced); reporting only
    satisfies: list[Satisfies] = Field(default_factory=list)
    max_duration: Duration | None = None
    prerequisites: list[str] = Field(default_factory=list)  # documentary; admission rules enforce them
    decision: Source | None = None
    declared_by: str | None = None  # pack that declared an extension code


class ProgrammeFile(Strict):
    """programmes.yaml: the programmes and the evidence accepted."""

    programmes: list[Programme] = Field(min_length=1)
    evidence_accepted: list[str] = Field(min_length=1)
    evidence_source: Source


class RetirementRow(Strict):
    """The retirement ages of one calendar year, in months."""

    year: int
    men_months: int
    women_months: int


class RetirementTable(Strict):
    """Retirement age by calendar year (BLLĐ 2019 Art. 169 + NĐ 135/2020); the last row holds after."""

    before_first_year: RetirementRow  # ages that applied before the roadmap (the row's `year` is ignored)
    rows: list[RetirementRow] = Field(min_length=1)
    source: Source
    rule_vi: str
    month_convention_verified: bool


class PostRanks(Strict):
    """Rank of a post = tier rank * 2 + role rank: the order used for 'higher' and 'equivalent' posts."""

    tier_rank: dict[str, int]
    role_rank: dict[str, int]
    source: Source | None = None
    verified: bool
    note_vi: str | None = None


class ConditionCode(Strict):
    """A named condition a rule may require (e.g. tuoi-bo-nhiem)."""

    code: str
    label_vi: str
    label_en: str


class ConditionFile(Strict):
    """conditions.yaml: the named conditions."""

    conditions: list[ConditionCode]


AnyNode.model_rebuild()
AllNode.model_rebuild()
Requires.model_rebuild()
Exemption.model_rebuild()
Variant.model_rebuild()
Rule.model_rebuild()
