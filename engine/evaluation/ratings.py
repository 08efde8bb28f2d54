"""Ratings read under the rules of their year: a rule reading ratings (person.rated_good_years) names, for
each year it reads, the decree the rating was given under (rulesets/vocabulary.yaml `rating_periods`: NĐ
335/2025/NĐ-CP from the ratings of 2026, law.md P3, U122)."""

from __future__ import annotations

from engine.evaluation.derive import Context
from engine.intake.vocabulary import rating_period
from engine.rules.compiled import ConcreteRule, facts_of

RATED = "person.rated_good_years"


def years_read(rule: ConcreteRule, context: Context) -> list[int]:
    """The calendar years whose ratings the rule reads in `context`, oldest first."""
    years: set[int] = set()
    for fact in facts_of(rule.requires):
        if fact.name == RATED:
            year = context.reference_date.year
            years.update(year - k for k in range(1, int(fact.arg("years")) + 1))
    return sorted(years)


def basis_details(rule: ConcreteRule, context: Context, lang: str) -> list[str]:
    """One line naming the decree of each year's rating the rule reads ([] for a rule reading none)."""
    years = years_read(rule, context)
    if not years:
        return []
    parts: list[tuple[list[int], str]] = []
    for year in years:
        period = rating_period(year)
        if period is None:
            name = "văn bản không có trong rulesets/vocabulary.yaml" if lang == "vi" else "rules not in the vocabulary"
        else:
            unverified = " (chưa xác minh)" if lang == "vi" else " (unverified)"
            name = period.decree_vi + ("" if period.verified else unverified)
        if parts and parts[-1][1] == name:
            parts[-1][0].append(year)
        else:
            parts.append(([year], name))
    head = "xếp loại năm" if lang == "vi" else "ratings of"
    return [f"{head} " + "; ".join(f"{', '.join(map(str, ys))}: {name}" for ys, name in parts)]


__all__ = ["basis_details", "years_read"]
