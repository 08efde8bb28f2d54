"""The result types of the facade (engine.workspace): what an interface receives, and the records and rule
packs they refer to. Interfaces import these from here, never from the modules that define them.

Importing this module imports the planner's modules (not its solver): a command that needs no planning
result imports it for type checking only."""

from engine.audit import AuditedAppointment, AuditReport, AuditTotals, Tally
from engine.dataset import Dataset
from engine.errors import Problem
from engine.evaluation.findings import Finding
from engine.model import Appointment, Course, Manifest, Person, Plan, Position, Unit
from engine.planning.admission import Candidate
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
from engine.rules.rulebook import LoadedRule, Rulebook
from engine.search import AmbiguousNameError, PersonHit, PositionHit

__all__ = ["AmbiguousNameError", "Appointment", "Assignment", "AuditReport", "AuditTotals", "AuditedAppointment",
           "Candidate", "Course", "Dataset", "Excluded", "Finding", "Item", "LoadedRule", "Manifest", "Need",
           "NeedsData", "Nominee", "Person", "PersonHit", "Plan", "PlanResult", "Position", "PositionHit", "Problem",
           "ProgrammeCount", "QuotaUse", "Readiness", "Rulebook", "Shortlist", "Tally", "Unassigned", "Unit",
           "awaiting_text"]
