"""Planning (issue 5): who must be sent to which course and by when, within quotas and capacities.

`Planner(evaluator, as_of).plan(year)` (engine.planning.planner) chains the modules of this package:
graph (structure) → needs (as-of evaluation of everyone) → admission (per person and course) →
assign (a lexicographic integer program) → a PlanResult with assignments, unassigned needs and why,
counts per programme (engine.planning.results).
The plan for year Y uses the courses starting in Y after the as-of date; needs may have any deadline.
`horizon(years)` plans successive years, each without what earlier years already scheduled.
"""
