"""The result types of the facade (engine.workspace): what an interface receives, and the records and rule
packs they refer to. Interfaces import these from here, never from the modules that define them.

Importing this module imports the planner's modules (not its solver): a command that needs no planning
result imports it for type checking only."""

from engine.audit import AuditedAppointment, AuditReport, AuditTotals, Tally
from engine.audit_summary import AuditSummary, RuleTally, UnitGroup
from engine.candidates import Successor
from engine.dataset import Dataset
from engine.errors import Problem
from engine.evaluation.findings import Finding
from engine.model import Appointment, Course, Manifest, Person, Plan, Position, Unit
from engine.pathway import Blocker, Pathway
from engine.planning.admission import Candidate
from engine.planning.allocation import UnitAllocation
from engine.planning.needs import Need
from engine.planning.results import (
    Assignment,
    Excluded,
    Item,
    NeedsData,
    Nominee,
    PlanResult,
    ProgrammeCount,
    QuotaUse,
    Readiness,
    Shortlist,
    Unassigned,
    awaiting_text,
)
from engine.provenance import Provenance
from engine.rules.rulebook import LoadedRule, Rulebook
from engine.search import AmbiguousNameError, PersonHit, PositionHit
from engine.targets import Target, TargetResult
from engine.workspace_reports import Appendix, AppendixRow

__all__ = [
    "AmbiguousNameError",
    "Appendix",
    "AppendixRow",
    "Appointment",
    "Assignment",
    "AuditReport",
    "AuditSummary",
    "AuditTotals",
    "AuditedAppointment",
    "Blocker",
    "Candidate",
    "Course",
    "Dataset",
    "Excluded",
    "Finding",
    "Item",
    "LoadedRule",
    "Manifest",
    "Need",
    "NeedsData",
    "Nominee",
    "Pathway",
    "Person",
    "PersonHit",
    "Plan",
    "PlanResult",
    "Position",
    "PositionHit",
    "Problem",
    "ProgrammeCount",
    "Provenance",
    "QuotaUse",
    "Readiness",
    "RuleTally",
    "Rulebook",
    "Shortlist",
    "Successor",
    "Tally",
    "Target",
    "TargetResult",
    "Unassigned",
    "Unit",
    "UnitAllocation",
    "UnitGroup",
    "awaiting_text",
]
