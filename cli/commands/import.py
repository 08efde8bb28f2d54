"""`dtbd import --mapping FILE.yaml SOURCE.xlsx --out DATASET_DIR`: an office's workbook into a dataset.

The mapping (docs/anh-xa-du-lieu.md; shipped ones in mappings/) says which sheets, header rows and
columns give which fields. `--base` names a dataset whose other tables (units, positions, courses,
quotas) and `dataset.yaml` the import completes. Every unmapped column or value and every problem is
listed with its sheet, row and column; nothing is written unless the result validates, or with
`--partial`, the valid part and a report of the rest.
"""

from __future__ import annotations

from pathlib import Path

import click

import engine.intake.facade as intake

_SHOWN = 200  # lines of unmapped values and problems printed; the report file holds them all


@click.command("import")
@click.argument("source", type=click.Path(path_type=Path, exists=True, dir_okay=False), metavar="SOURCE.xlsx")
@click.option("--mapping", "mapping_path", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              required=True, metavar="FILE.yaml", help="Tệp ánh xạ / the mapping file.")
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), required=True, metavar="DATASET_DIR",
              help="Thư mục bộ dữ liệu ghi ra / the dataset folder to write.")
@click.option("--base", type=click.Path(path_type=Path, exists=True, file_okay=False), default=None,
              help="Bộ dữ liệu có sẵn (dataset.yaml, đơn vị, chức vụ, lớp học) để bổ sung / a dataset whose other"
                   " tables the import completes.")
@click.option("--rulesets", "rulesets_dir", type=click.Path(path_type=Path), default=None,
              help="Thư mục gói quy tắc / rule packs folder (default: the bundled rulesets/).")
@click.option("--partial", is_flag=True,
              help="Ghi phần hợp lệ và báo cáo phần còn lại / write the valid part and a report of the rest.")
@click.option("--force", is_flag=True, help="Ghi đè thư mục ra / replace the output folder.")
def command(source: Path, mapping_path: Path, out: Path, base: Path | None, rulesets_dir: Path | None,
            partial: bool, force: bool) -> None:
    """Nhập tệp Excel của cơ quan qua tệp ánh xạ / import an office's workbook through a mapping file."""
    mapping = intake.load_mapping(mapping_path)
    outcome = intake.import_workbook(mapping, source, out, base, rulesets_dir, partial, force)
    lines = []
    for item in outcome.unmapped:
        place = f"{source}[{item.cell.sheet}]:{item.cell.row}" + (f" {item.cell.column}" if item.cell.column else "")
        value = f" ({item.value})" if item.value is not None else ""
        lines.append(f"{place} «{item.header}»: {item.message}{value}")
    lines += [str(problem) for problem in outcome.problems]
    if lines:
        click.echo(f"Chưa chuyển được {len(lines)} mục / {len(lines)} item(s) not carried over:", err=True)
        for line in lines[:_SHOWN]:
            click.echo(line, err=True)
        if len(lines) > _SHOWN:
            click.echo(f"… (+{len(lines) - _SHOWN}; xem báo cáo / see the report)", err=True)
    for sheet, header, note in outcome.ignored:
        click.echo(f"Bỏ qua / ignored [{sheet}] «{header}»" + (f": {note}" if note else ""), err=True)
    if not outcome.written:
        click.echo("Lỗi / Error: không ghi gì / nothing written — sửa tệp ánh xạ hoặc tệp nguồn, hoặc dùng --partial"
                   " / fix the mapping or the source, or use --partial", err=True)
        click.get_current_context().exit(1)
    if outcome.undated:
        click.echo(f"{outcome.undated} văn bằng, chứng chỉ không ghi ngày hoàn thành (undated): quy tắc cần chúng"
                   f" trước một hạn sẽ báo «chưa đủ dữ liệu» / {outcome.undated} credential(s) without a completion"
                   " date (undated): rules needing them by a deadline answer unknown", err=True)
    counts = ", ".join(f"{table} {n}" for table, n in outcome.counts.items())
    click.echo(f"Đã ghi: {out} ({counts})" + (f"; báo cáo / report: {outcome.report}" if outcome.report else ""),
               err=True)


__all__ = ["command"]
