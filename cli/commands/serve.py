"""`dtbd serve [--store DIR] [--host 127.0.0.1] [--port 8000]`: the web application and the HTTP API."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("serve")
@click.option("--store", "store_dir", type=click.Path(path_type=Path), default=Path("store"), show_default=True,
              help="Thư mục lưu trữ (cơ sở dữ liệu, bản chụp); tạo nếu chưa có / store directory (database, "
                   "snapshots); created if missing.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Địa chỉ lắng nghe (mặc định chỉ máy này) / address to listen on (loopback by default).")
@click.option("--port", type=int, default=8000, show_default=True, help="Cổng lắng nghe / port to listen on.")
@click.option("--rulesets", "rulesets_dir", type=click.Path(path_type=Path), default=None,
              help="Thư mục gói quy tắc (mặc định: rulesets/ kèm theo) / rule packs folder (default: the bundled "
                   "rulesets/).")
@click.option("--demo", "demo_dir", type=click.Path(path_type=Path), default=None,
              help="Lưu bộ dữ liệu này làm bản chụp nếu kho chưa có, và tạo tài khoản quản trị 'admin' (in mật "
                   "khẩu dùng một lần) nếu chưa có tài khoản / store this dataset folder as a snapshot if the store "
                   "has none, and create an admin account 'admin' (its one-time password is printed) if there is no "
                   "account.")
@click.option("--secure-cookies", is_flag=True,
              help="Đánh dấu cookie Secure (sau proxy HTTPS) / mark cookies Secure (behind an HTTPS proxy).")
def command(store_dir: Path, host: str, port: int, rulesets_dir: Path | None, demo_dir: Path | None,
            secure_cookies: bool) -> None:
    """Trang web và API / the web application and the HTTP API."""
    import uvicorn

    from web.app import create_app
    from web.setup import prepare_demo
    from web.state import Settings

    if demo_dir is not None:
        for line in prepare_demo(store_dir, demo_dir, rulesets_dir):
            click.echo(line)
    app = create_app(Settings(store_dir, rulesets_dir, secure_cookies=secure_cookies))
    click.echo(f"dtbd: http://{host}:{port}/ (store {store_dir.resolve()})")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


__all__ = ["command"]
