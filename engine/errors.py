"""The project's error types. Every input problem names where (file, line, field), what and why.

Every `Problem` carries a stable kebab-case `code` (PROBLEM_CODES), printed after its message and
listed in the README's "Errors" section: scripts and tests match codes, never the prose.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# code -> what the user should do about it (README "Errors" lists the same).
PROBLEM_CODES: dict[str, str] = {
    # files and folders
    "folder-not-found": "check --data / --rulesets: the folder does not exist",
    "manifest-missing": "add dataset.yaml (name, province, rulesets, as_of)",
    "file-unreadable": "check the file's permissions, or that it is a file",
    "not-utf8": "save the file as UTF-8 (CSV UTF-8 in Excel)",
    "empty-file": "a table file holds at least its header line (CSV, sheet) or a YAML list ([] for none)",
    "unsupported-file": "save the table as NAME.csv, NAME.yaml or a sheet of a .xlsx workbook",
    "unknown-table": "rename the file or sheet after a table (units, positions, people, ...)",
    "duplicate-table": "keep one file or sheet per table",
    "required-table-missing": "add the table (units, positions, people are required)",
    "workbook-unreadable": "open the workbook in Excel or LibreOffice and save it again as .xlsx",
    "formula-without-value": "open and save the workbook in Excel, or type the value instead of the formula",
    "invalid-csv": "fix the quoting on that line (an unclosed quote, a stray NUL)",
    "invalid-yaml": "fix the YAML syntax on that line",
    "yaml-alias": "write each value out: aliases (&a, *a) and tags are not accepted in data",
    "not-a-list": "write the table as a YAML list of rows ('- field: value')",
    "not-a-mapping": "write each row as 'field: value' pairs",
    "duplicate-key": "write each field once per row",
    "table-unreadable": "fix the table named first: the problems it causes elsewhere follow from it",
    # columns and values
    "unknown-field": "fix the field's (column's) name; the message suggests the closest one",
    "duplicate-column": "name each column once",
    "missing-column": "add the column (its Vietnamese header is given)",
    "missing-value": "fill in the required value",
    "headerless-value": "give the column a header, or empty it",
    "invalid-value": "correct the value to the type or range the message names",
    "invalid-date": "write a real date, YYYY-MM-DD or DD/MM/YYYY",
    "unknown-code": "use a code of the code list (docs, glossary); the message suggests the closest",
    "control-character": "remove the invisible character (shown escaped in the message)",
    "implausible-date": "check the date: it is impossible for a person's record (or out of 1945–2100)",
    # across rows and tables
    "duplicate-id": "give each row its own id",
    "dangling-reference": "use an id that exists in the table named, or add that row",
    "cycle": "break the loop of parents (units) or reports_to (posts)",
    "dates-out-of-order": "the later date must not be before the earlier one",
    "post-held-twice": "end the earlier appointment before the next begins (a post has one holder a day)",
    "duplicate-rating": "keep one rating per person and year",
    "completed-after-as-of": "a credential completed after the evaluation date cannot count; check the date",
    "undated-with-date": "a credential is either dated (completed) or undated (a level recorded without its date)",
    "grade-without-grade-code": "give the grade (ngạch) whose date this is, or remove the date",
    "code-not-valid-on-date": "use a code in force on the decision's date (rulesets/vocabulary.yaml), or fix the date",
    "wrong-discipline-system": "give the system the kind belongs to (khai-tru: dang), or leave it empty",
    "duplicate-personal-id": "give each person their own personal identification number",
    # import through a mapping file (dtbd import)
    "invalid-mapping": "fix the mapping file as the message says (docs/anh-xa-du-lieu.md)",
    "sheet-missing": "name a sheet the workbook has (the message lists them)",
    "output-not-empty": "choose an empty output folder, or add --force to replace it",
    "mapping-needs-base": "add --base DIR: a dataset whose units and posts the names refer to",
    # rule packs
    "unknown-pack": "name a pack folder of the rulesets folder (the message lists them)",
    "pack-outside-folder": "name packs by their folder under the rulesets folder (no absolute path, no ..)",
    "pack-incomplete": "the national pack needs programmes.yaml, retirement.yaml and ranks.yaml",
    "extends-cycle": "break the loop of packs extending each other",
    "rule-file-misnamed": "rule files are NAME.yaml, not .yml: rename it",
    "rule-file-empty": "write the file's rules (rules: [...]) or remove the file",
    "stray-rule-file": "add pack.yaml to the folder, or move the file into a pack folder",
    "unknown-instrument": "add the instrument to sources.yaml, or fix its name",
    "missing-citation": "cite the article, clause or digest row",
    "unknown-fact": "use a fact of engine/rules/facts.py",
    "unknown-parameter": "declare the parameter under the rule's parameters",
    "invalid-argument": "fix the fact's argument as the message says",
    "invalid-rule": "fix the rule as the message says",
    "bad-rule-id": "start the rule id with its file's name",
    "unverified-contradiction": "set verified: false for a source marked P, U or S",
    "parameter-out-of-validity": "date the parameter's values inside the rule's validity",
    "undeclared-condition": "declare the condition code in the pack",
    "duplicate-variant": "give each variant its own key",
    "duplicate-version": "give each version its own name",
    "overlapping-versions": "end the earlier version (valid_to) the day before the next begins",
    "gapped-versions": "make versions follow each other day by day (or document the gap)",
    "rule-in-several-packs": "keep one rule id in one pack",
    "object-anchor": "anchor a target-group (object) rule on as_of: it is judged on the course start or evaluation day",
    "past-instrument-end": "end the version on its instrument's end date, or add continues_because with a citation",
    "draft-pack": "a draft pack is not in force: do not select or extend it (read it with dtbd rules show or diff)",
    "same-day-handover": "write the earlier appointment's end as the day before the successor's start",
    "text-not-nfc": "save the text in NFC (composed diacritics)",
}

_FORMAT_CATEGORIES = ("Cc", "Cf", "Co", "Cn", "Zl", "Zp")


def escaped(text: str, keep: str = "") -> str:
    """`text` with every control, format or unassigned character (but those in `keep`) written as an escape
    (`\\u200b`), so an invisible difference is visible and nothing from the data reaches a terminal raw."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char == " " or char in keep or (unicodedata.category(char) not in _FORMAT_CATEGORIES
                                            and char.isprintable()):
            out.append(char)
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
                       else f"\\U{code:08x}")
    return "".join(out)


def _cut(text: str, longest: int) -> str:
    return text if len(text) <= longest else text[:longest - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One input problem, rendered `FILE:LINE field: message (value) [code]`."""

    file: str
    line: int | None
    field: str | None
    message: str
    value: object = None
    hint: str | None = None
    code: str = "invalid-value"

    def __post_init__(self) -> None:
        if self.code not in PROBLEM_CODES:
            raise ValueError(f"unknown problem code {self.code!r}: add it to engine.errors.PROBLEM_CODES")

    def __str__(self) -> str:
        where = escaped(self.file) if self.line is None else f"{escaped(self.file)}:{self.line}"
        text = f"{where}"
        if self.field:
            text += f" {_cut(escaped(self.field), 80)}"
        text += f": {_cut(escaped(self.message, keep=chr(10)), 1000)}"  # messages quote values: escaped, cut
        if self.value is not None and self.value != "":
            shown = self.value if isinstance(self.value, int | float) else _cut(escaped(str(self.value)), 200)
            text += f" ({shown})"
        if self.hint:
            text += f" — {escaped(self.hint)}"
        return text + f" [{self.code}]"


class DtbdError(Exception):
    """Base of every error dtbd raises on purpose; the CLI turns it into exit code `exit_code`."""

    exit_code = 1


class InputError(DtbdError):
    """Bad input (dataset or rule pack): carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem], what: str = "dữ liệu / data") -> None:
        self.problems = list(problems)
        self.what = what
        super().__init__(self._summary())

    def _summary(self) -> str:
        head = f"{len(self.problems)} lỗi trong {self.what} / {len(self.problems)} problem(s) in {self.what}"
        return head + "\n" + "\n".join(str(p) for p in self.problems)


class OutputError(DtbdError):
    """A file (or stdout) could not be written: "không ghi được FILE: lý do / cannot write FILE: reason"."""

    def __init__(self, path: str, reason: str) -> None:
        shown = escaped(path) or "''"
        super().__init__(f"không ghi được / cannot write {shown}: {reason}")
        self.path = path
        self.reason = reason


class FindingsFound(DtbdError):
    """`--fail-on-findings` and a requirement is not met (or an appointment violated one): exit 3, no message."""

    exit_code = 3

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} finding(s) need action")
        self.count = count


class UnknownIdError(DtbdError):
    """A command was given an id (person, position, course, rule, unit) that does not exist."""

    def __init__(self, kind: str, value: str, suggestions: Iterable[str] = ()) -> None:
        near = [escaped(s) for s in suggestions]
        hint = f" Có phải là / did you mean: {', '.join(near)}?" if near else ""
        shown = escaped(value)  # typed by the user or read from data: never raw on the terminal
        super().__init__(f"không tìm thấy {kind} '{shown}' / unknown {kind} '{shown}'.{hint}")
        self.kind = kind
        self.value = value


class EngineError(DtbdError):
    """The inference engine failed (a rule action raised, or the engine returned an error)."""

    exit_code = 4


class UsageError(DtbdError):
    """A request the engine cannot serve as asked (e.g. streaming a dataset whose people are not one CSV
    file): the interface's usage error."""

    exit_code = 2
