"""The strict dataset loader (docs/data.md): every problem of every file, or a Dataset.

Public API:
- `load_dataset(root, programme_codes=None, as_of=None)` -> Dataset, else InputError with all problems;
- `load_manifest(root)` -> Manifest (to pick the rule packs before the tables are checked);
- `HEADERS_VI`, `field_for_header`, `header_for_field`: the Vietnamese column headers, declared once;
- `rows_from_grid` and `parse_table`: the format-independent half, for other readers (Excel).
"""

from engine.loading.dataset_loader import load_dataset, load_manifest
from engine.loading.headers import HEADERS_VI, field_for_header, header_for_field
from engine.loading.messages import by_place
from engine.loading.tables import RawRow, RawTable, parse_table, rows_from_grid

__all__ = [
    "HEADERS_VI",
    "RawRow",
    "RawTable",
    "by_place",
    "field_for_header",
    "header_for_field",
    "load_dataset",
    "load_manifest",
    "parse_table",
    "rows_from_grid",
]
