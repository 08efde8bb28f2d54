"""Codes and field names reach Vietnamese prose through their labels (engine.labels), never as slugs."""

from __future__ import annotations

import json

from click.testing import CliRunner

from cli.main import cli
from engine import codes
from engine.labels import code_label, field_label


def test_field_labels_come_from_the_header_table() -> None:
    assert field_label("people.party_member_since") == "ngày vào Đảng (cán bộ)"
    assert field_label("positions.managed_by") == "diện quản lý (chức vụ)"
    assert field_label("ratings") == "đánh giá, xếp loại"
    assert field_label("people.party_member_since", "en") == "party member since (people)"
    assert field_label("tham số x (chưa xác minh)") == "tham số x (chưa xác minh)"


def test_code_labels_come_from_the_glossary() -> None:
    assert code_label(codes.GENDER, "nu") == "nữ"
    assert code_label(codes.GENDER, "nu", "en") == "female"
    assert code_label(codes.GENDER, "x") is None and code_label(None, "nu") is None


def test_no_slug_or_field_name_in_the_demo_audit_prose() -> None:
    result = CliRunner().invoke(cli, ["audit", "--json"])
    assert result.exit_code == 0
    texts = [f["explanation"] for a in json.loads(result.stdout)["appointments"] for f in a["findings"]]
    assert any("giới tính: nữ (cần = nam)" in t for t in texts)
    for text in texts:
        assert "people." not in text and "positions." not in text and "(decided)" not in text
        assert ": nu (" not in text and "= nam)" not in text.replace("(cần = nam)", "")
