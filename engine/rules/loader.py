"""Load rule packs from rulesets/ into a Rulebook; every schema problem names file, line and field."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from engine.errors import InputError, Problem
from engine.rules.rulebook import LoadedRule, Rulebook
from engine.rules.schema import (
    ConditionFile,
    Instrument,
    Pack,
    PostRanks,
    Programme,
    ProgrammeFile,
    RetirementTable,
    RuleFile,
)
from engine.suggest import did_you_mean
from engine.yamlio import error_line, line_at, load_path

M = TypeVar("M", bound=BaseModel)

DEFAULT_ROOT = Path(__file__).resolve().parent.parent.parent / "rulesets"
NATIONAL = "national"
# Files of the national pack that are not rule files.
DATA_FILES = {"pack.yaml", "programmes.yaml", "retirement.yaml", "posts.yaml", "conditions.yaml",
              "targets.yaml"}  # targets.yaml: a province's plan targets (engine.targets), not rules


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _read(path: Path, root: Path, problems: list[Problem]) -> Any:
    try:
        return load_path(path)
    except yaml.YAMLError as exc:
        problems.append(Problem(_rel(path, root), error_line(exc), None, f"YAML không hợp lệ / invalid YAML: {exc}",
                                code="invalid-yaml"))
    except RecursionError:
        problems.append(Problem(_rel(path, root), None, None, "YAML không hợp lệ / invalid YAML: nested too deeply",
                                code="invalid-yaml"))
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(_rel(path, root), None, None, f"không đọc được tệp / cannot read file: {exc}",
                                code="not-utf8" if isinstance(exc, UnicodeDecodeError) else "file-unreadable"))
    return None


def validation_problems(exc: ValidationError, data: Any, file: str) -> list[Problem]:
    """pydantic's errors on a rule file as Problems naming file, line and field."""
    out = []
    for err in exc.errors():
        loc = tuple(err["loc"])
        clean = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or (p in ("leaf", "any", "all")
                                                                        and p not in ("any", "all")))))
        field_path = ".".join(str(p) for p in clean) or None
        message = err["msg"]
        hint = None
        if err["type"] == "extra_forbidden":
            message = "trường không được phép / unknown field"
            hint = did_you_mean(str(clean[-1]) if clean else "", _schema_fields())
        value = err.get("input") if not isinstance(err.get("input"), dict | list) else None
        code = "unknown-field" if err["type"] == "extra_forbidden" else "invalid-rule"
        out.append(Problem(file, line_at(data, clean), field_path, message, value, hint, code=code))
    return _dedupe(out)


def _schema_fields() -> list[str]:
    from engine.rules import schema

    names: set[str] = set()
    for model in vars(schema).values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            names.update(f.alias or name for name, f in model.model_fields.items())
    return sorted(names)


def _dedupe(problems: Iterable[Problem]) -> list[Problem]:
    seen: set[tuple[str, int | None, str | None]] = set()
    out = []
    for p in problems:
        key = (p.file, p.line, p.field)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _model(model: type[M], data: Any, file: str, problems: list[Problem]) -> M | None:
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(validation_problems(exc, data, file))
        return None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def stray_files(root: Path) -> list[Problem]:
    """Files of the rulesets folder that would be silently left out: YAML named `.yml`, and YAML files in a
    folder without `pack.yaml` (a pack not declared, or a file in the wrong place)."""
    problems: list[Problem] = []
    for path in sorted(root.rglob("*.yml")):
        problems.append(Problem(_rel(path, root), None, None, "tệp .yml không được đọc / .yml files are not read:"
                                " rename it .yaml", code="rule-file-misnamed"))
    for path in sorted(root.rglob("*.yaml")):
        folder = path.parent
        if folder != root and not (folder / "pack.yaml").is_file():
            problems.append(Problem(_rel(path, root), None, None, "tệp nằm trong thư mục không có pack.yaml / the"
                                    " file is in a folder without pack.yaml, so no pack reads it",
                                    hint="add pack.yaml to the folder, or move the file into a pack",
                                    code="stray-rule-file"))
    return problems


def _pack_order(root: Path, packs: list[str], problems: list[Problem]) -> list[str]:
    order: list[str] = []

    def visit(name: str, trail: tuple[str, ...]) -> None:
        if name in order:
            return
        if name in trail:
            problems.append(Problem(name, None, "extends", f"vòng lặp kế thừa / extends cycle: {' → '.join(trail)}",
                                    code="extends-cycle"))
            return
        if Path(name).is_absolute() or ".." in Path(name).parts or not _inside(root / name, root):
            problems.append(Problem(name, None, None, "gói quy tắc ngoài thư mục quy tắc / a pack outside the rulesets"
                                    f" folder {root}", hint="name it by its folder under the rulesets folder, or"
                                    " point --rulesets at the folder that holds it", code="pack-outside-folder"))
            return
        pack_file = root / name / "pack.yaml"
        if not pack_file.is_file():
            known = sorted(str(p.parent.relative_to(root)) for p in root.rglob("pack.yaml"))
            hint = did_you_mean(name, known) or f"known packs: {', '.join(known)}"
            problems.append(Problem(_rel(pack_file, root), None, None, f"không có gói quy tắc / no rule pack '{name}'",
                                    hint=hint, code="unknown-pack"))
            return
        data = _read(pack_file, root, problems)
        for parent in (data or {}).get("extends", []) or []:
            visit(str(parent), (*trail, name))
        order.append(name)

    for name in packs:
        visit(name, ())
    return order


def _draft_problems(root: Path, pack_meta: dict[str, Pack], packs: list[str], allow_drafts: bool) -> list[Problem]:
    """A draft pack selected without `allow_drafts`, or a pack in force extending a draft."""
    problems: list[Problem] = []
    for name, meta in pack_meta.items():
        where = _rel(root / name / "pack.yaml", root)
        if meta.kind == "draft" and not allow_drafts and name in packs:
            problems.append(Problem(where, None, "kind", f"gói '{name}' là dự thảo, chưa có hiệu lực: không chọn được "
                                    f"trong dataset.yaml / pack '{name}' is a draft, not in force: a dataset cannot "
                                    "select it", hint="use `dtbd rules show` to read what the draft would change",
                                    code="draft-pack"))
        for parent in meta.extends:
            if meta.kind != "draft" and parent in pack_meta and pack_meta[parent].kind == "draft":
                problems.append(Problem(where, None, "extends", f"gói đang có hiệu lực không được kế thừa dự thảo "
                                        f"/ a pack in force cannot extend the draft '{parent}'", parent,
                                        code="draft-pack"))
    return problems


def load_rulebook(root: Path | None = None, packs: list[str] | None = None, verify: bool = True,
                  allow_drafts: bool = False) -> Rulebook:
    """Load the named packs (and what they extend) from `root`; raise InputError listing every problem.

    A pack of kind `draft` (a text not in force) is loaded only with `allow_drafts` (the `rules` commands);
    a dataset's manifest cannot select it, and no pack in force may extend it."""
    root = (root or DEFAULT_ROOT).resolve()
    problems: list[Problem] = []
    if not root.is_dir():
        raise InputError([Problem(str(root), None, None, "không có thư mục quy tắc / rulesets folder not found",
                                  code="folder-not-found")],
                         "gói quy tắc / rule packs")
    order = _pack_order(root, packs or [NATIONAL], problems)
    problems += stray_files(root)
    if NATIONAL not in order and not problems:
        order.insert(0, NATIONAL)

    def one(path: Path, model: type[M]) -> M | None:
        return _model(model, _read(path, root, problems), _rel(path, root), problems)

    sources_raw = _read(root / "sources.yaml", root, problems) or {}
    sources: dict[str, Instrument] = {}
    for key, value in sources_raw.items():
        inst = _model(Instrument, value, _rel(root / "sources.yaml", root), problems)
        if inst is not None:
            sources[str(key)] = inst

    national = root / NATIONAL
    programme_file = one(national / "programmes.yaml", ProgrammeFile)
    retirement = one(national / "retirement.yaml", RetirementTable)
    ranks = one(national / "posts.yaml", PostRanks)
    condition_file = one(national / "conditions.yaml", ConditionFile)
    pack_meta: dict[str, Pack] = {}
    rules: list[LoadedRule] = []
    programmes: dict[str, Programme] = {p.code: p for p in (programme_file.programmes if programme_file else [])}
    conditions = {c.code: c for c in (condition_file.conditions if condition_file else [])}
    for name in order:
        folder = root / name
        meta = one(folder / "pack.yaml", Pack)
        if meta is not None:
            pack_meta[name] = meta
        for extra in ("programmes.yaml", "conditions.yaml") if name != NATIONAL else ():
            if (folder / extra).is_file():  # a local pack may declare extension codes
                if extra == "programmes.yaml":
                    ext = one(folder / extra, ProgrammeFile)
                    for p in ext.programmes if ext else []:
                        programmes[p.code] = p.model_copy(update={"declared_by": name})
                else:
                    cext = one(folder / extra, ConditionFile)
                    conditions.update({c.code: c for c in (cext.conditions if cext else [])})
        for path in sorted(folder.glob("*.yaml")):
            if path.name in DATA_FILES:
                continue
            data = _read(path, root, problems)
            if data is None and path.is_file() and not any(p.file == _rel(path, root) for p in problems):
                problems.append(Problem(_rel(path, root), None, None, "tệp quy tắc trống / the rule file is empty"
                                        " (rules: [...] expected)", code="rule-file-empty"))
            rule_file = _model(RuleFile, data, _rel(path, root), problems)
            if rule_file is None:
                continue
            if not rule_file.rules:
                problems.append(Problem(_rel(path, root), line_at(data, ("rules",)), "rules", "tệp quy tắc không có"
                                        " quy tắc nào / the rule file holds no rule", code="rule-file-empty"))
            for index, rule in enumerate(rule_file.rules):
                rules.append(LoadedRule(rule, _rel(path, root), line_at(data, ("rules", index)), name))
    problems += _draft_problems(root, pack_meta, packs or [], allow_drafts)
    if problems or programme_file is None or retirement is None or ranks is None:
        incomplete = Problem(str(root), None, None, "gói quốc gia thiếu tệp / national pack incomplete",
                             code="pack-incomplete")
        raise InputError(problems or [incomplete], "gói quy tắc / rule packs")
    book = Rulebook(root, order, pack_meta, sources, programmes, programme_file.evidence_accepted,
                    programme_file.evidence_source, retirement, ranks, conditions, rules)
    if verify:
        from engine.rules.verifier import verify_rulebook

        found = verify_rulebook(book)
        if found:
            raise InputError(found, "gói quy tắc / rule packs")
    return book


__all__ = ["DATA_FILES", "DEFAULT_ROOT", "NATIONAL", "LoadedRule", "Rulebook", "load_rulebook", "validation_problems"]
