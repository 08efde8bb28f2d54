"""`dtbd generate`: write a synthetic dataset of any size (for tests, benchmarks and demonstrations)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from cli.context import AppContext, date_option
from engine.workspace import generate, generated_as_of

AS_OF = generated_as_of()


@click.command("generate")
@click.option("--people", type=click.IntRange(min=1), required=True,
              help="Số người cần sinh / number of people to generate.")
@click.option("--seed", type=int, default=1, show_default=True,
              help="Cùng hạt giống, cùng dữ liệu / same seed, same bytes.")
@click.option("--out", "out", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="Thư mục ghi bộ dữ liệu / dataset folder to write.")
@click.option("--format", "fmt", type=click.Choice(["csv", "yaml"]), default="csv", show_default=True,
              help="Định dạng các bảng: csv hoặc yaml / format of the table files.")
@date_option("--as-of", "as_of", help=f"Ngày đánh giá của bộ dữ liệu (mặc định {AS_OF:%d/%m/%Y}) / evaluation date "
                                      f"of the dataset (default {AS_OF.isoformat()}).")
@click.option("--force", is_flag=True,
              help="Ghi đè các tệp đã có trong --out / replace the dataset files already in --out.")
@click.pass_obj
def command(app: AppContext | None, people: int, seed: int, out: Path, fmt: str, as_of: dt.date | None,
            force: bool) -> None:
    """Sinh bộ dữ liệu mô phỏng / generate a synthetic dataset (valid by construction).

    \b
    Example: dtbd generate --people 100000 --seed 7 --out /tmp/big
    """
    quiet = app is not None and app.quiet
    step = max(people // 10, 1)
    shown = [0]

    def progress(done: int) -> None:  # every tenth, for runs long enough to wait for
        if not quiet and people >= 20_000 and (done - shown[0] >= step or done == people):
            shown[0] = done
            click.echo(f"  {done:>{len(str(people))}}/{people}", err=True)

    generate(people, seed, out, "yaml" if fmt == "yaml" else "csv", as_of, overwrite=force, progress=progress)
    if not quiet:
        click.echo(f"Đã ghi / written: {out} ({people} người / people, seed {seed}, {fmt})", err=True)
