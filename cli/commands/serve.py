"""`dtbd serve [--store DIR] [--host 127.0.0.1] [--port 8000] [--workers N]`: the web application and the HTTP
API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
@click.option("--workers", type=click.IntRange(1, 32), default=1, show_default=True,
              help="Số tiến trình máy chủ; mỗi tiến trình giữ bộ dữ liệu trong bộ nhớ (vd. 2 trên máy 2 lõi) / "
                   "server processes; each holds the snapshot in memory (e.g. 2 on a 2-core machine).")
def command(store_dir: Path, host: str, port: int, rulesets_dir: Path | None, demo_dir: Path | None,
            secure_cookies: bool, workers: int) -> None:
    """Trang web và API / the web application and the HTTP API."""
    import os

    import uvicorn

    from web.app import ENV_RULESETS, ENV_SECURE, ENV_STORE, create_app
    from web.setup import prepare_demo
    from web.state import Settings

    if demo_dir is not None:
        for line in prepare_demo(store_dir, demo_dir, rulesets_dir):
            click.echo(line)
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning", "server_header": False}
    if workers == 1:
        app = create_app(Settings(store_dir, rulesets_dir, secure_cookies=secure_cookies))
        click.echo(f"dtbd: http://{host}:{port}/ (store {store_dir.resolve()})")
        uvicorn.run(app, **options)
        return
    # several processes share the store (web.jobs: each background job runs in one of them)
    os.environ[ENV_STORE] = str(store_dir.resolve())
    if rulesets_dir is not None:
        os.environ[ENV_RULESETS] = str(rulesets_dir.resolve())
    os.environ[ENV_SECURE] = "1" if secure_cookies else "0"
    click.echo(f"dtbd: http://{host}:{port}/ (store {store_dir.resolve()}, {workers} tiến trình / processes)")
    uvicorn.run("web.app:app_from_env", factory=True, workers=workers, **options)


__all__ = ["command"]
