"""The loader's fast path: model rows checked by pydantic-core alone, without a Python call per field.

The dataset model's types check text with Python validators (NFC, dates in two forms, code lists with
their readable messages), which cost more than everything else when a table has a million cells.
Each such type also declares its `Native` check (engine.model), which accepts nothing the type
rejects and gives the same value. Here a table's native checks become one pydantic-core validator
that builds the model's rows itself. A row it does not accept is left to the model (`None`), so
every problem is found and worded by the model, as before; only valid rows take the fast path.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import CoreSchema, SchemaValidator, core_schema

from engine.fields import Native, parse_date
from engine.intake.dates import DAY_FIRST
from engine.model import Row

_VN = DAY_FIRST.fullmatch  # DD/MM/YYYY, D/M/YYYY, DD.MM.YYYY, DD-MM-YYYY


def _slot_setter(name: str) -> Callable[[Any, Any], None]:
    """Sets the attribute `name` of a model row: BaseModel's slot, directly (cheaper than setattr)."""
    slot = BaseModel.__dict__.get(name)
    setter = getattr(slot, "__set__", None)
    if callable(setter):
        return setter  # type: ignore[no-any-return]
    return lambda row, value: object.__setattr__(row, name, value)


# A row's `model_fields_set`, which pydantic keeps in the slot __pydantic_fields_set__.
set_fields_set = _slot_setter("__pydantic_fields_set__")


def _native(annotation: Any) -> Native | None:
    """The Native marker of a field's type, also inside `T | None`."""
    if typing.get_origin(annotation) is typing.Annotated:
        return next((m for m in annotation.__metadata__ if isinstance(m, Native)), None)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        found = [_native(arg) for arg in typing.get_args(annotation) if arg is not type(None)]
        return found[0] if len(found) == 1 else None
    return None


def _calls_python(schema: object) -> bool:
    if isinstance(schema, Mapping):
        kind = schema.get("type")
        if isinstance(kind, str) and kind.startswith("function"):
            return True
        return any(_calls_python(value) for value in schema.values())
    if isinstance(schema, list | tuple):
        return any(_calls_python(value) for value in schema)
    return False


def _field_schema(info: FieldInfo, own: CoreSchema) -> CoreSchema | None:
    """A field's native check: its type's Native marker, else its own schema if that calls no Python."""
    native = next((m for m in info.metadata if isinstance(m, Native)), None) or _native(info.annotation)
    if native is not None:
        schema = native.schema
        return schema if info.is_required() else core_schema.with_default_schema(schema, default=info.default)
    return None if _calls_python(own) else own


def _building(row_class: type[Row], schema: CoreSchema) -> SchemaValidator | None:
    """A validator of `schema` that builds `row_class` rows itself, or None if pydantic-core will not.

    pydantic-core reuses a finished model class's own validator for any schema of that class; the
    class is marked unfinished while ours is built so that it is not. Should it be reused all the
    same (its repr says so), there is no fast path: the loader relies on the native checks rejecting
    what the model would first strip.
    """
    finished = row_class.__dict__.get("__pydantic_complete__", False)
    type.__setattr__(row_class, "__pydantic_complete__", False)
    try:
        validator = SchemaValidator(schema)
    finally:
        type.__setattr__(row_class, "__pydantic_complete__", finished)
    return None if "Prebuilt" in repr(validator)[:200] else validator


class NativeRows:
    """Rows of one model class from clean values: built natively, or None for the model to check."""

    def __init__(
        self, row_class: type[Row], validator: SchemaValidator, dates: tuple[str, ...], texts: frozenset[str],
    ) -> None:
        self.row_class = row_class
        self.validate = validator.validate_python
        self.dates = dates
        # Fields whose value the row keeps as given, the very str (all text but `id`, which is unique):
        # rows with the same value may share one str (`person` of a million ratings, say).
        self.texts = texts
        # The fields given (`model_fields_set`): one set per combination, shared by the rows with it.
        # A frozen row never changes its set, and a copy of a row gets a copy of it.
        self._fields_sets: dict[tuple[str, ...], set[str]] = {}

    @staticmethod
    @cache
    def of(row_class: type[Row]) -> NativeRows | None:
        """The fast path for `row_class`, or None when a field has no native check (rows go to the model)."""
        model = row_class.__pydantic_core_schema__
        if (model.get("type") != "model" or model["schema"].get("type") != "model-fields"
                or row_class.__pydantic_post_init__ is not None or row_class.__pydantic_root_model__
                or row_class.__private_attributes__ or row_class.model_config.get("extra") != "forbid"):
            return None  # not a plain model like those of engine.model
        own: dict[str, Any] = model["schema"]["fields"]
        fields: dict[str, core_schema.ModelField] = {}
        dates, texts = [], []
        for name, info in row_class.model_fields.items():
            schema = _field_schema(info, own[name]["schema"])
            if schema is None:
                return None
            if _is_date(info):
                dates.append(name)
            inner: Any = schema
            while inner.get("type") in ("default", "nullable"):
                inner = inner["schema"]
            if inner.get("type") == "str" and name != "id":
                texts.append(name)
            fields[name] = core_schema.model_field(schema)
        # Without the model's config: its str_strip_whitespace would copy every (clean) text again.
        schema = core_schema.model_schema(
            row_class,
            core_schema.model_fields_schema(fields, model_name=row_class.__name__, extra_behavior="forbid"),
            custom_init=False, root_model=False,
        )
        validator = _building(row_class, schema)
        return NativeRows(row_class, validator, tuple(dates), frozenset(texts)) if validator is not None else None

    def fields_set(self, values: Mapping[str, Any]) -> set[str]:
        """The shared set of the names in `values`."""
        key = tuple(values)
        found = self._fields_sets.get(key)
        return found if found is not None else self._fields_sets.setdefault(key, set(key))

    def build(self, values: dict[str, Any], fields_set: set[str] | None = None) -> Row | None:
        """The model row of `values` (clean, none None), or None when the model must check them itself.

        `fields_set`: the shared set of the names in `values`, when the caller knows it.
        """
        try:
            row = self.validate(values)
        except ValidationError:
            converted = self._vn_dates(values)
            if converted is None:
                return None
            try:
                row = self.validate(converted)
            except ValidationError:
                return None
        set_fields_set(row, fields_set if fields_set is not None else self.fields_set(values))
        return row  # type: ignore[no-any-return]

    def _vn_dates(self, values: dict[str, Any]) -> dict[str, Any] | None:
        """`values` with DD/MM/YYYY dates read (parse_date's way), or None if there are none or one is wrong."""
        converted = None
        for name in self.dates:
            value = values.get(name)
            if type(value) is str and _VN(value):
                try:
                    day = parse_date(value)
                except ValueError:
                    return None
                converted = converted or dict(values)
                converted[name] = day
        return converted


def _is_date(info: FieldInfo) -> bool:
    annotation = info.annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        annotation = next((arg for arg in typing.get_args(annotation) if arg is not type(None)), None)
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation is dt.date


__all__ = ["NativeRows", "set_fields_set"]
