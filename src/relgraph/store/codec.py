"""Between records and database properties.

Datetimes become epoch milliseconds, enums their names, nested actions JSON text, and
absent values are left out (neither backend stores a null property). Property keys are
the model's own field names, so the models are the allowlist of keys.
"""

from __future__ import annotations

import json
import types
import typing
from datetime import datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from pydantic import BaseModel

from relgraph.domain.time import from_ms, to_ms

M = TypeVar("M", bound=BaseModel)

#: Fields kept as JSON text because neither backend stores a list of maps.
JSON_FIELDS = frozenset({"actions"})


def _is_datetime(annotation: Any) -> bool:
    if annotation is datetime:
        return True
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return any(_is_datetime(a) for a in typing.get_args(annotation))
    if origin is typing.Annotated:
        return _is_datetime(typing.get_args(annotation)[0])
    return False


@cache
def datetime_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(n for n, f in model.model_fields.items() if _is_datetime(f.annotation))


def encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return to_ms(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, BaseModel):
        return encode(value)
    if isinstance(value, (list, tuple)):
        return [encode_value(v) for v in value]
    return value


def encode(model: BaseModel, *, exclude: set[str] | None = None) -> dict[str, Any]:
    """Database properties of a model, without the unset (None) ones."""
    props: dict[str, Any] = {}
    for name in type(model).model_fields:
        if exclude and name in exclude:
            continue
        value = getattr(model, name)
        if value is None:
            continue
        if name in JSON_FIELDS:
            props[name] = json.dumps([encode_value(v) for v in value], ensure_ascii=False)
        else:
            props[name] = encode_value(value)
    return props


def decode(model: type[M], props: dict[str, Any]) -> M:
    """A record from database properties; unknown keys are ignored."""
    fields = model.model_fields
    data: dict[str, Any] = {}
    stamps = datetime_fields(model)
    for key, value in props.items():
        if key not in fields or value is None:
            continue
        if key in stamps:
            value = from_ms(int(value))
        elif key in JSON_FIELDS and isinstance(value, str):
            value = json.loads(value)
        data[key] = value
    return model.model_validate(data)
