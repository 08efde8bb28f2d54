"""The catalogue of facts a rule condition may name (the closed vocabulary of `fact:`).

Each fact is derived in Python (engine/evaluation/derive.py) for one evaluation context — a person
and one post (held, planned, proposed, or an audited appointment) or one course (admission) — as of
a reference date. The reference date is `as_of` for the bases holds/planned and the event date for
proposed/appointed/admission (the course start). A fact whose data is absent is absent: the rule
gives `unknown` and names `needs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
            "event.consecutive_terms", "int", "số nhiệm kỳ liên tiếp ở cùng chức vụ",
            "consecutive terms in the same post", ("appointments",),
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
            {"years": "int"}, ("years",),
        ),
        FactSpec(
            "person.months_in_grade", "int", "số tháng giữ ngạch", "months in grade", ("people.grade_since",)
        ),
        FactSpec(
            "credential", "bool", "có văn bằng, chứng chỉ (kể cả tương đương)",
            "holds the credential or an equivalent", (),
            {"programme": "code:programme", "since": "str"}, ("programme",),
        ),
        FactSpec("course.programme", "code:programme", "chương trình", "programme"),
        FactSpec("course.mode", "code:mode", "hình thức học", "study mode"),
        FactSpec("course.start", "date", "ngày khai giảng", "course start"),
        FactSpec("course.end", "date", "ngày bế giảng", "course end"),
        FactSpec("course.weeks", "int", "thời gian khóa học (tuần, làm tròn lên)", "course length in weeks"),
    )
}

# Facts that may be absent in a context of the right kind (the data is optional). Every other fact
# is always present: the deriver guarantees it, and the engine compiles no "unknown" branch for it.
NULLABLE = frozenset({
    "event.date", "event.dossier_date", "event.months_in_current_post", "event.months_to_retirement",
    "event.age_years", "post.managed_by", "person.education", "person.grade", "person.grade_since",
    "person.party_member", "person.rated_good_years", "person.months_in_grade",
})
# Facts about the post: defined for the bases holds, planned, proposed, appointed (not admission).
POST_FACTS = frozenset(n for n in CATALOGUE if n.startswith("post.") or (
    n.startswith("event.") and n not in ("event.date", "event.kind", "event.dossier_date")))
COURSE_FACTS = frozenset(n for n in CATALOGUE if n.startswith("course."))

# The reference date of each basis (see module docstring).
REFERENCE = {"holds": "as_of", "planned": "as_of", "proposed": "event", "appointed": "event", "admission": "event"}
