"""The data contract (docs/data.md) as an interface needs it to describe or write a dataset:
the tables and their fields (and the precision each date field takes), the Vietnamese headers, the
references between tables, and the helpers that lay a table out as a sheet of a workbook. Nothing here
reads a dataset (that is engine.workspace)."""

from engine.codes import CodeList
from engine.intake.serials import date_accepts
from engine.loading.checks import REFERENCES
from engine.loading.headers import header_for_field
from engine.loading.tables import required_fields
from engine.loading.xlsx_reader import CODES_SHEET, INSTRUCTIONS_SHEET, sheet_name
from engine.loading.xlsx_writer import field_kind, fit_columns, int_bounds, set_cell, table_sheet, workbook_bytes
from engine.model import TABLES

__all__ = ["CODES_SHEET", "INSTRUCTIONS_SHEET", "REFERENCES", "TABLES", "CodeList", "date_accepts", "field_kind",
           "fit_columns",
           "header_for_field", "int_bounds", "required_fields", "set_cell", "sheet_name", "table_sheet",
           "workbook_bytes"]
