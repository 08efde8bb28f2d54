"""What the pages add to the API's payloads: labels in the visitor's language, severity order."""

from __future__ import annotations

from typing import Any

from cli.render_trace import trace_lines
from web.engine_port import SEVERITY, SnapshotData

VERDICT = {
    True: {"vi": "ĐỦ điều kiện", "en": "ELIGIBLE"},
    False: {"vi": "CHƯA ĐỦ điều kiện", "en": "NOT ELIGIBLE"},
    None: {"vi": "CHƯA ĐỦ DỮ LIỆU để kết luận", "en": "UNDECIDED (missing data)"},
}
KINDS = {"bo-nhiem": {"vi": "bổ nhiệm", "en": "appointment"},
         "bo-nhiem-lai": {"vi": "bổ nhiệm lại", "en": "reappointment"},
         "bau-cu": {"vi": "bầu cử", "en": "election"}}


def findings(data: SnapshotData, payload: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The findings with labels, most severe first (overdue, missing, due, pending, unknown, exempt, met)."""
    out = []
    for finding in payload["findings"]:
        out.append({**finding, "courses": finding.get("courses", []),
                    "status_label": data.status_label(finding["status"], lang),
                    "strength_label": data.strength_label(finding["strength"], lang),
                    "basis_label": data.basis_label(finding["for"]["basis"], lang),
                    "requirement_label": data.requirement_label(finding["requirement"], lang),
                    "position_title": data.position_title(finding["for"]["position"]),
                    # the decision trace as `dtbd check P --explain` prints it (indented two spaces a level)
                    "trace_lines": trace_lines(finding["trace"], lang, 0) if finding.get("trace") else []})
    return sorted(out, key=lambda f: (SEVERITY.get(f["status"], 9), f.get("deadline") or "9999"))


def kinds(lang: str) -> list[tuple[str, str]]:
    return [(code, labels[lang]) for code, labels in KINDS.items()]


def verdict(eligible: bool | None, lang: str) -> str:
    return VERDICT[eligible][lang]
