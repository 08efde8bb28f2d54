"""`dtbd users add NAME --role ROLE [--unit UNIT]`, `dtbd users list`, `dtbd users token NAME`: accounts."""

from __future__ import annotations

from pathlib import Path

import click

_STORE = click.option("--store", "store_dir", type=click.Path(path_type=Path), default=Path("store"),
                      show_default=True, help="Thư mục lưu trữ của `dtbd serve` / store directory of "
                                              "`dtbd serve`.")


@click.group("users")
def command() -> None:
    """Tài khoản của trang web / accounts of the web application."""


@command.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "board", "unit", "auditor"]), required=True,
              help="Vai trò: admin quản trị, board lãnh đạo, unit đơn vị, auditor kiểm tra / the role.")
@click.option("--unit", default=None, help="Đơn vị (và các đơn vị trực thuộc) tài khoản `unit` được xem / the unit "
                                        "(and the units under it) a `unit` account may see.")
@_STORE
def add(name: str, role: str, unit: str | None, store_dir: Path) -> None:
    """Create an account; prints its one-time password."""
    from web.auth import AuthError, add_user
    from web.store import Store

    store = Store(store_dir)
    try:
        password = add_user(store, name, role, unit)
    except AuthError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()
    click.echo(f"{name} ({role}{': ' + unit if unit else ''}) — mật khẩu / password: {password}")


@command.command("list")
@_STORE
def list_users(store_dir: Path) -> None:
    from web.auth import users
    from web.store import Store

    store = Store(store_dir)
    for user in users(store):
        click.echo(f"{user.name}\t{user.role}\t{user.unit or ''}")
    store.close()


@command.command("token")
@click.argument("name")
@click.option("--label", default="", help="Mã truy cập dùng để làm gì / what the token is for.")
@_STORE
def token(name: str, label: str, store_dir: Path) -> None:
    """Issue an API token for NAME (printed once; stored hashed)."""
    from web.auth import AuthError, new_api_token
    from web.store import Store

    store = Store(store_dir)
    try:
        click.echo(new_api_token(store, name, label))
    except AuthError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        store.close()


__all__ = ["command"]
