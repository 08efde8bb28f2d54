"""The decision trace (engine.trace) rendered: an indented tree under each finding, or sheet rows (xlsx)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.results import Finding

OUTCOME = {
    "vi": {"true": "đúng", "false": "sai", "unknown": "chưa rõ"},
    "en": {"true": "true", "false": "false", "unknown": "unknown"},
}
MARK = {"true": "✓", "false": "✗", "unknown": "?"}
PARTS = {
    "vi": {"applies_when": "Điều kiện áp dụng", "when": "Điều kiện của trường hợp", "requires": "Yêu cầu",
           "exemption": "Miễn trừ", "parameters": "Tham số", "any": "một trong các điều kiện",
           "all": "tất cả các điều kiện", "from": "từ", "rule": "Quy tắc", "outcome": "kết quả"},
    "en": {"applies_when": "Applies when", "when": "Variant when", "requires": "Requires",
           "exemption": "Exemption", "parameters": "Parameters", "any": "any of", "all": "all of", "from": "from",
           "rule": "Rule", "outcome": "outcome"},
}
SHEET_HEADERS = {
    "vi": ["STT", "Quy tắc", "Phần", "Điều kiện", "Kết quả", "Giá trị", "Nguồn dữ liệu"],
    "en": ["#", "Rule", "Part", "Condition", "Outcome", "Value", "Data source"],
}


def _day(iso: str, lang: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if lang == "vi" and len(iso) == 10 else iso


def source_text(source: dict[str, Any]) -> str:
    where = ""
    if source.get("file"):
        where = str(source["file"]) + (f":{source['line']}" if source.get("line") else "")
    elif source.get("table"):
        where = str(source["table"])
    record = source.get("record") or {}
    ident = ", ".join(f"{k}={v}" for k, v in record.items())
    text = f"{where} ({ident})" if ident else where
    if source.get("note"):
        text = f"{text} — {source['note']}" if text else str(source["note"])
    return text


def _conditions(items: list[dict[str, Any]], lang: str, depth: int) -> list[str]:
    pad = "  " * depth
    lines: list[str] = []
    for item in items:
        if "fact" in item:
            lines.append(f"{pad}{MARK[item['outcome']]} {item['text']} → {OUTCOME[lang][item['outcome']]}")
            lines.extend(f"{pad}    ← {source_text(s)}" for s in item.get("sources", []))
            continue
        kind = "any" if "any" in item else "all"
        lines.append(f"{pad}{MARK[item['outcome']]} {PARTS[lang][kind]} → {OUTCOME[lang][item['outcome']]}")
        lines.extend(_conditions(item[kind], lang, depth + 1))
    return lines


def _part(title: str, part: dict[str, Any] | None, lang: str, depth: int) -> list[str]:
    if part is None or (not part.get("conditions") and part.get("outcome") == "true"):
        return []
    pad = "  " * depth
    return [f"{pad}{title}: {OUTCOME[lang][part['outcome']]}", *_conditions(part["conditions"], lang, depth + 1)]


def trace_lines(trace: dict[str, Any], lang: str, depth: int = 2) -> list[str]:
    """The trace as an indented tree (two spaces a level), starting at `depth`."""
    words = PARTS[lang]
    pad = "  " * depth
    head = f"{words['rule']} {trace['rule']}" + (f"/{trace['variant']}" if trace.get("variant") else "")
    lines = [f"{pad}{head}: {trace['version_chosen']['text']}"]
    lines += _part(words["applies_when"], trace.get("applies_when"), lang, depth)
    lines += _part(words["when"], trace.get("when"), lang, depth)
    lines += _part(words["requires"], trace.get("requires"), lang, depth)
    for exemption in trace.get("exemptions", []):
        lines += _part(f"{words['exemption']} {exemption['id']} ({exemption['text']})", exemption, lang, depth)
    for param in trace.get("parameters", []):
        value = "null" if param["value"] is None else param["value"]
        unit = f" {param['unit']}" if param.get("unit") else ""
        dated = f" ({words['from']} {_day(param['dated_from'], lang)})" if param.get("dated_from") else ""
        lines.append(f"{pad}{words['parameters']}: {param['name']} = {value}{unit}{dated}")
    return lines


def _rows(index: int, rule: str, part: str, items: list[dict[str, Any]], lang: str, depth: int) -> list[list[Any]]:
    out: list[list[Any]] = []
    for item in items:
        if "fact" in item:
            sources = "; ".join(source_text(s) for s in item.get("sources", []))
            out.append([index, rule, part, "  " * depth + item["text"], OUTCOME[lang][item["outcome"]],
                        "" if item["value"] is None else str(item["value"]), sources])
            continue
        kind = "any" if "any" in item else "all"
        out.append([index, rule, part, "  " * depth + PARTS[lang][kind], OUTCOME[lang][item["outcome"]], "", ""])
        out.extend(_rows(index, rule, part, item[kind], lang, depth + 1))
    return out


def trace_rows(index: int, trace: dict[str, Any], lang: str) -> list[list[Any]]:
    """One sheet row per condition leaf or group of the trace of finding number `index`."""
    words = PARTS[lang]
    rule = trace["rule"] + (f"/{trace['variant']}" if trace.get("variant") else "")
    out: list[list[Any]] = [[index, rule, words["rule"], trace["version_chosen"]["text"], trace["outcome"], "", ""]]
    parts = [(words["applies_when"], trace.get("applies_when")), (words["when"], trace.get("when")),
             (words["requires"], trace.get("requires")),
             *((f"{words['exemption']} {e['id']}", e) for e in trace.get("exemptions", []))]
    for title, part in parts:
        if part is not None:
            out.append([index, rule, title, "", OUTCOME[lang][part["outcome"]], "", ""])
            out.extend(_rows(index, rule, title, part.get("conditions", []), lang, 1))
    for param in trace.get("parameters", []):
        out.append([index, rule, words["parameters"], param["name"], "", param["value"], param.get("dated_from")])
    return out


def trace_sheet(findings: Iterable[Finding], lang: str) -> tuple[str, list[str], list[list[Any]]]:
    """The xlsx sheet of the traces of `findings` (numbered in order): (name, headers, rows)."""
    rows = [row for i, f in enumerate(findings, 1) if f.trace is not None for row in trace_rows(i, f.trace, lang)]
    return ("Giải thích" if lang == "vi" else "Trace"), SHEET_HEADERS[lang], rows


__all__ = ["SHEET_HEADERS", "source_text", "trace_lines", "trace_rows", "trace_sheet"]
