"""`dtbd export --format xlsx --out FILE`: a dataset (CSV, YAML or xlsx) written into the template workbook.

The office edits it in Excel — the drop-downs, date columns and instructions of `dtbd template` — and
loads it back: put the workbook in a folder beside the dataset's `dataset.yaml`. Code fields are
written by their Vietnamese names (what the drop-downs offer; the loader reads names and codes). The
personal identification number is masked unless `--show-personal-id` is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

import engine.intake.facade as intake
from cli.commands.template import CODE_FIELDS, template_workbook
from cli.output import write_atomic
from engine.contract import TABLES, set_cell, sheet_name, workbook_bytes
from engine.results import Dataset
from engine.workspace import open_dataset


def shown(table: str, name: str, value: object, show_personal_id: bool) -> object:
    """What the exported cell holds: a code's Vietnamese name, the personal id masked unless asked."""
    code_list = CODE_FIELDS.get((table, name))
    if code_list is not None and isinstance(value, str) and value in code_list:
        return code_list.label(value)
    if name == intake.PERSONAL_ID and not show_personal_id:
        return intake.mask(value)
    return value


def export_workbook(dataset: Dataset, show_personal_id: bool = False) -> Any:
    """The template workbook holding every row of `dataset`."""
    book = template_workbook()
    for table in TABLES:
        ws = book[sheet_name(table)]
        names = list(TABLES[table].model_fields)
        for line, row in enumerate(getattr(dataset, table), 2):
            for index, name in enumerate(names, 1):
                value = getattr(row, name)
                if value is not None:
                    set_cell(ws.cell(row=line, column=index), shown(table, name, value, show_personal_id))
    return book


@click.command("export")
@click.option("--data", "data_dir", type=click.Path(path_type=Path), default=Path("fixtures/demo"),
              show_default=True, help="Thư mục bộ dữ liệu / dataset folder.")
@click.option("--rulesets", "rulesets_dir", type=click.Path(path_type=Path), default=None,
              help="Thư mục gói quy tắc / rule packs folder (default: the bundled rulesets/).")
@click.option("--format", "fmt", type=click.Choice(["xlsx"]), default="xlsx", show_default=True,
              help="Định dạng tệp / file format.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True, metavar="FILE.xlsx",
              help="Tệp ghi ra / where to write the workbook.")
@click.option("--show-personal-id", is_flag=True,
              help="Ghi đầy đủ số định danh cá nhân (mặc định che) / write personal ids unmasked.")
def command(data_dir: Path, rulesets_dir: Path | None, fmt: str, out: Path, show_personal_id: bool) -> None:
    """Xuất bộ dữ liệu ra tệp Excel mẫu để sửa / export a dataset into the template workbook to edit."""
    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter("tên tệp phải kết thúc bằng .xlsx / the file name must end in .xlsx",
                                 param_hint="--out")
    workspace = open_dataset(data_dir, rulesets_dir)
    write_atomic(out, workbook_bytes(export_workbook(workspace.dataset, show_personal_id)))
    click.echo(f"Đã ghi: {out} — đặt tệp cạnh dataset.yaml (thay các tệp bảng cũ) để nạp lại / written: put it"
               " beside dataset.yaml, instead of the old table files, to load it back", err=True)


__all__ = ["command", "export_workbook"]
