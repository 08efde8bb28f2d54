"""The catalogue of facts a rule condition may name (the closed vocabulary of `fact:`).

Each fact is derived in Python (engine/evaluation/derive.py) for one evaluation context — a person
and one post (held, planned, proposed, or an audited appointment) or one course (admission) — as of
a reference date. The reference date is `as_of` for the bases holds/planned and the event date for
proposed/appointed/admission (the course start). A fact whose data is absent is absent: the rule
gives `unknown` and names `needs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from engine import codes


@dataclass(frozen=True)
class FactSpec:
    """A derived fact of the closed vocabulary: its type, arguments, code list and label."""

    name: str
    type: str  # "code:<list>", "int", "bool", "date", "str"
    vi: str
    en: str
    needs: tuple[str, ...] = ()  # data fields that, when absent, make the fact absent
    args: dict[str, str] = field(default_factory=dict)  # arg name -> type ("date", "int", "codes:<list>")
    required_args: tuple[str, ...] = ()
    # The provision the fact implements (law.md row keys), or the data field it reads ("data: table.field").
    source: str = ""

    @property
    def code_list(self) -> codes.CodeList | None:
        """The code list the fact's values come from, if any."""
        if self.type.startswith("code:"):
            return codes.ALL[self.type.split(":", 1)[1]]
        return None


_ON = {"on": "date"}

CATALOGUE: dict[str, FactSpec] = {
    f.name: f
    for f in (
        FactSpec("basis", "code:basis", "căn cứ đánh giá", "evaluation basis"),
        FactSpec("as_of", "date", "ngày đánh giá", "evaluation date"),
        FactSpec("event.kind", "code:kind", "hình thức bổ nhiệm", "appointment kind", ("appointments.kind",)),
        FactSpec("event.date", "date", "ngày bổ nhiệm (hiệu lực)", "appointment date", ("appointments.start",)),
        FactSpec(
            "event.dossier_date", "date", "ngày cơ quan nhận hồ sơ", "date the dossier was received",
            ("appointments.submitted",),
        ),
        FactSpec(
            "event.is_promotion", "bool", "bổ nhiệm giữ chức vụ cao hơn", "appointment to a higher post",
            ("appointments",),
        ),
        FactSpec(
            "event.is_first_leadership", "bool", "lần đầu giữ chức vụ lãnh đạo, quản lý",
            "first leadership post", ("appointments",),
        ),
        FactSpec(
            "event.months_in_current_post", "int",
            "số tháng giữ chức vụ hiện tại hoặc tương đương (cộng dồn)",
            "months in the current or an equivalent post (cumulative)", ("appointments",),
        ),
        FactSpec(
            "event.months_to_retirement", "int", "số tháng còn lại đến tuổi nghỉ hưu tính đến ngày nhận hồ sơ",
            "months to retirement on the dossier date", ("people.birth_date",),
        ),
        FactSpec(
            "event.age_years", "int", "tuổi tại ngày nhận hồ sơ", "age on the dossier date", ("people.birth_date",)
        ),
        FactSpec(
            "event.in_plan", "bool",
            "có trong quy hoạch chức danh dự kiến hoặc chức danh tương đương trở lên",
            "in the succession plan for the post or an equivalent or higher post", ("plans",),
            {"removed_by_discipline": "codes:discipline"},
        ),
        FactSpec(
            "event.disciplined_within", "bool", "bị kỷ luật trong thời hạn trước ngày bổ nhiệm",
            "disciplined within the period before the appointment", ("disciplines",),
            {"kinds": "codes:discipline", "months": "int"}, ("kinds", "months"),
        ),
        FactSpec(
            "event.disciplined_before", "bool", "đã bị kỷ luật hình thức này trước ngày bổ nhiệm",
            "disciplined with this measure before the appointment", ("disciplines",),
            {"kinds": "codes:discipline"}, ("kinds",),
        ),
        FactSpec(
            "event.consecutive_terms", "int", "số nhiệm kỳ liên tiếp ở cùng chức vụ",
            "consecutive terms in the same post", ("appointments",), {"max_gap_days": "int"}, ("max_gap_days",),
        ),
        FactSpec("post.id", "str", "chức vụ", "post"),
        FactSpec("post.tier", "code:tier", "cấp lãnh đạo, quản lý", "leadership tier"),
        FactSpec("post.role", "code:role", "cấp trưởng/cấp phó", "head or deputy"),
        FactSpec("post.sector", "code:sector", "khu vực", "sector"),
        FactSpec("post.managed_by", "code:managed_by", "diện quản lý", "managed by", ("positions.managed_by",)),
        FactSpec("post.unit_level", "code:level", "cấp đơn vị", "unit level"),
        FactSpec("person.category", "code:category", "đối tượng", "category"),
        FactSpec("person.gender", "code:gender", "giới tính", "gender"),
        FactSpec("person.ethnic_minority", "bool", "người dân tộc thiểu số", "ethnic minority"),
        FactSpec("person.education", "code:education", "trình độ đào tạo", "education", ("people.education",)),
        FactSpec("person.grade", "code:grade", "ngạch", "grade", ("people.grade",)),
        FactSpec("person.grade_since", "date", "ngày bổ nhiệm ngạch", "grade since", ("people.grade_since",)),
        FactSpec(
            "person.age_years", "int", "tuổi (tròn năm)", "age in whole years", ("people.birth_date",), _ON
        ),
        FactSpec(
            "person.months_to_retirement", "int", "số tháng còn lại đến tuổi nghỉ hưu", "months to retirement",
            ("people.birth_date",), _ON,
        ),
        FactSpec("person.retirement_date", "date", "ngày nghỉ hưu", "retirement date", ("people.birth_date",)),
        FactSpec(
            "person.party_member", "bool", "là đảng viên", "party member", ("people.party_member_since",)
        ),
        FactSpec(
            "person.rated_good_years", "bool",
            "các năm liền trước được xếp loại hoàn thành tốt nhiệm vụ trở lên",
            "rated good or better in each of the preceding years", ("ratings",),
            {"years": "int", "ratings": "codes:rating"}, ("years", "ratings"),
        ),
        FactSpec(
            "person.months_in_grade", "int", "số tháng giữ ngạch", "months in grade", ("people.grade_since",)
        ),
        FactSpec(
            "credential", "bool", "có văn bằng, chứng chỉ (kể cả tương đương)",
            "holds the credential or an equivalent", ("credentials.completed",),
            {"programme": "code:programme", "since": "str"}, ("programme",),
        ),
        FactSpec("course.programme", "code:programme", "chương trình", "programme"),
        FactSpec("course.mode", "code:mode", "hình thức học", "study mode"),
        FactSpec("course.start", "date", "ngày khai giảng", "course start"),
        FactSpec("course.end", "date", "ngày bế giảng", "course end"),
        FactSpec("course.weeks", "int", "thời gian khóa học (tuần, làm tròn lên)", "course length in weeks"),
    )
}

# What each fact implements: the provision (instrument, article, law.md row) or the data field it reads.
SOURCES: dict[str, str] = {
    "basis": "data: the evaluation context (docs/data.md)",
    "as_of": "data: the evaluation date (--as-of, dataset.yaml as_of)",
    "event.kind": "data: appointments.kind",
    "event.date": "data: appointments.start (the decision's effective date)",
    "event.dossier_date": "KL 08-KL/TW, HD 06-HD/BTCTW: the date the organising body receives the dossier (law.md A5)",
    "event.is_promotion": "QĐ 80-QĐ/TW Art. 18, QĐ 377-QĐ/TW Art. 34: appointment to a higher post (law.md A1, A3); "
                          "ranks of national/posts.yaml",
    "event.is_first_leadership": "NĐ 138/2020 Art. 42 and QĐ 27/2003 Art. 6: first leadership post (law.md A21, A6)",
    "event.months_in_current_post": "QĐ 80-QĐ/TW Art. 18(3), NĐ 85/2023: ≥ 24 months in the current or an "
                                    "equivalent post, counted to end + 1 day (law.md A1, A11, A28, rule 38)",
    "event.months_to_retirement": "KL 08-KL/TW, HD 06-HD/BTCTW, NĐ 138/2020 Art. 42: months of service left from "
                                  "the dossier date (law.md A5, A21); retirement by BLLĐ 2019 Art. 169, NĐ 135/2020",
    "event.age_years": "QĐ 27/2003/QĐ-TTg Art. 6: age on the dossier date (law.md A6)",
    "event.in_plan": "QĐ 80-QĐ/TW Art. 18(2), QĐ 377-QĐ/TW Art. 34, QĐ 50-QĐ/TW: in the succession plan for the "
                     "title or an equivalent or higher one (law.md A1, A3, A12)",
    "event.disciplined_within": "QĐ 80-QĐ/TW, QĐ 377-QĐ/TW: discipline windows from the decision's effective "
                                "date (law.md A2, A19)",
    "event.disciplined_before": "NĐ 172/2025/NĐ-CP (bãi nhiệm, law.md P2), Party khai trừ: a measure of this kind "
                                "took effect on or before the appointment; the digest gives no bar (law.md A2, A19)",
    "event.consecutive_terms": "NĐ 138/2020 Art. 41: consecutive terms in the same post (law.md A8)",
    "post.id": "data: positions.id",
    "post.tier": "data: positions.tier (glossary tiers)",
    "post.role": "data: positions.role",
    "post.sector": "data: positions.sector",
    "post.managed_by": "data: positions.managed_by",
    "post.unit_level": "data: units.level of the post's unit",
    "person.category": "data: people.category",
    "person.gender": "data: people.gender",
    "person.ethnic_minority": "data: people.ethnicity (not kinh)",
    "person.education": "data: people.education",
    "person.grade": "data: people.grade",
    "person.grade_since": "data: people.grade_since",
    "person.age_years": "QĐ 350-QĐ/TW (law.md L9), HCMA QĐ 6468 (L6): age in whole years on the course start",
    "person.months_to_retirement": "BLLĐ 2019 Art. 169, NĐ 135/2020 Art. 3(1) (law.md R1–R3); NĐ 29/2024 "
                                   "Art. 34 exemptions (A17)",
    "person.retirement_date": "BLLĐ 2019 Art. 169, NĐ 135/2020 Art. 3(1): last day of the month the age is "
                              "reached (law.md R1–R3)",
    "person.party_member": "QĐ 350-QĐ/TW (law.md L9), HCMA QĐ 6468 (L6): party member on the reference date",
    "person.rated_good_years": "QĐ 350-QĐ/TW: the consecutive years immediately before rated 'hoàn thành tốt' "
                               "or better (law.md L9)",
    "person.months_in_grade": "QĐ 57-QĐ/TW 1.4: time in the CVC grade (law.md L4)",
    "credential": "TT 03/2023/TT-BNV Art. 5 (law.md T6); equivalences of national/programmes.yaml (L12, T7–T9)",
    "course.programme": "data: courses.programme",
    "course.mode": "data: courses.mode",
    "course.start": "data: courses.start",
    "course.end": "data: courses.end",
    "course.weeks": "NĐ 89/2021, NĐ 171/2025 programme lengths (law.md T2, T13): course length in weeks",
}
CATALOGUE = {name: replace(spec, source=SOURCES.get(name, "")) for name, spec in CATALOGUE.items()}

# Facts that may be absent in a context of the right kind (the data is optional). Every other fact
# is always present: the deriver guarantees it, and the engine compiles no "unknown" branch for it.
NULLABLE = frozenset({
    "event.date", "event.dossier_date", "event.months_in_current_post", "event.months_to_retirement",
    "event.age_years", "post.managed_by", "person.education", "person.grade", "person.grade_since",
    "person.party_member", "person.rated_good_years", "person.months_in_grade",
    "credential",  # unknown when only an undated level (Mẫu 2C, law.md P4) would meet it
})
# Facts about the post: defined for the bases holds, planned, proposed, appointed (not admission).
POST_FACTS = frozenset(n for n in CATALOGUE if n.startswith("post.") or (
    n.startswith("event.") and n not in ("event.date", "event.kind", "event.dossier_date")))
COURSE_FACTS = frozenset(n for n in CATALOGUE if n.startswith("course."))

# The reference date of each basis (see module docstring).
REFERENCE = {"holds": "as_of", "planned": "as_of", "proposed": "event", "appointed": "event", "admission": "event"}
