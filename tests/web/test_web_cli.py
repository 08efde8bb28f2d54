"""`dtbd users` and `dtbd serve` (CliRunner), and the language switch."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from cli.main import cli
from web import auth
from web.store import Store


def test_users_add_prints_a_one_time_password_that_logs_in(tmp_path: Path) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["users", "add", "sonv", "--role", "unit", "--unit", "SNV", "--store", str(store)])
    assert result.exit_code == 0, result.output
    password = result.output.strip().rsplit(" ", 1)[-1]
    db = Store(store)
    assert auth.login(db, "sonv", password).unit == "SNV"
    db.close()
    listed = CliRunner().invoke(cli, ["users", "list", "--store", str(store)])
    assert "sonv\tunit\tSNV" in listed.output
    token = CliRunner().invoke(cli, ["users", "token", "sonv", "--store", str(store)])
    assert token.exit_code == 0 and token.output.startswith("dtbd_")


def test_users_add_refuses_a_unit_role_without_unit_and_a_duplicate(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    missing = CliRunner().invoke(cli, ["users", "add", "x", "--role", "unit", "--store", store])
    assert missing.exit_code == 1 and "--unit" in missing.output
    CliRunner().invoke(cli, ["users", "add", "y", "--role", "board", "--store", store])
    again = CliRunner().invoke(cli, ["users", "add", "y", "--role", "board", "--store", store])
    assert again.exit_code == 1 and "exists" in again.output


def test_serve_listens_on_loopback_by_default() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "127.0.0.1" in result.output


def test_the_language_switch(client: TestClient) -> None:
    english = client.get("/login", params={"lang": "en"})
    assert "Log in" in english.text and 'lang="en"' in english.text
    assert "Log in" in client.get("/login").text  # remembered in a cookie
    assert "Đăng nhập" in client.get("/login", params={"lang": "vi"}).text
