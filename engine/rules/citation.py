"""Render a structured citation in Vietnamese legal order: "Điểm c Khoản 1 Điều 13 Nghị định 101/2017/NĐ-CP"."""

from __future__ import annotations

from engine.rules.schema import Instrument, Source


def render(source: Source, instruments: dict[str, Instrument], lang: str = "vi") -> str:
    """The citation of `source` as people read it (instrument, article, clause, point)."""
    inst = instruments.get(source.instrument)
    name = source.instrument if inst is None else (inst.name_vi if lang == "vi" else inst.name_en)
    if lang == "vi":
        parts = []
        if source.point:
            parts.append(f"Điểm {source.point}")
        if source.clause is not None:
            parts.append(f"Khoản {source.clause}")
        if source.article is not None:
            parts.append(f"Điều {source.article}")
        if source.section:
            parts.append(source.section)
        parts.append(name)
        return " ".join(parts)
    ref = ""
    if source.article is not None:
        ref = f"Art. {source.article}"
        if source.clause is not None:
            ref += f"({source.clause})"
        if source.point:
            ref += f"({source.point})"
    if source.section:
        ref = f"{ref} {source.section}".strip()
    return f"{ref}, {name}" if ref else name
