"""Why an admission condition cannot be decided: data to complete, or evidence that cannot exist yet.

"Cannot tell" never takes a seat (issue 13). An `unknown` admission finding is
- **needs-data** when the evidence should exist by the as-of date but is absent (no
  `party_member_since`, no rating for a year that has ended): the board completes the data and re-runs;
- **conditional** when the only missing evidence cannot exist yet: the rating of a year that has not
  ended on the as-of date, for a course that starts after it (QĐ 350 trung cấp standard, "2 năm liên tục
  liền kề trước thời điểm được cử đi học", law.md L9). The person is a conditional nominee, "chờ kết quả
  xếp loại năm Y".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from engine.evaluation.derive import Context
from engine.rules.compiled import ConcreteRule, rule_facts
from engine.rules.oracle import eval_tree, unknown_facts

RATED = "person.rated_good_years"


def pending_years(rule: ConcreteRule, values: Mapping[str, Any], context: Context, as_of: dt.date
                  ) -> tuple[int, ...] | None:
    """The rating years the finding waits for, when every unknown is a rating of a year not ended on `as_of`;
    None when some evidence that should exist is absent (needs-data)."""
    trees = [rule.applies]
    if eval_tree(rule.applies, values) is True and rule.requires is not None:
        trees.append(rule.requires)
    unknown = [key for tree in trees for key in unknown_facts(tree, values)]
    if not unknown:
        return None
    refs = {ref.key: ref for ref in rule_facts(rule)}
    rated = {r.year for r in context.records.ratings}
    waiting: set[int] = set()
    for key in unknown:
        ref = refs.get(key)
        if ref is None or ref.name != RATED:
            return None  # an unconfirmed parameter or another absent field
        day = context.reference_date
        years = int(ref.arg("years"))
        missing = [day.year - k for k in range(1, years + 1) if day.year - k not in rated]
        if not missing or any(year < as_of.year for year in missing):
            return None  # a year that has ended on the as-of date has no rating on file
        waiting.update(missing)
    return tuple(sorted(waiting))


__all__ = ["pending_years"]
