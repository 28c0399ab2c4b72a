"""pydantic's JSON schemas in OpenAPI 3.0's terms, nested models moved to the document's components."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


def register(model: type[BaseModel], schemas: dict[str, Any]) -> str:
    name = model.__name__
    if name not in schemas:
        schemas[name] = schema_of(model, schemas)
    return name


def schema_of(model: type[BaseModel], schemas: dict[str, Any]) -> dict[str, Any]:
    """The model's JSON schema in OpenAPI 3.0 terms, its nested models moved to components."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, nested in schema.pop("$defs", {}).items():
        schemas.setdefault(name, _openapi30(nested))
    converted: dict[str, Any] = _openapi30(schema)
    return converted


# pydantic leaves the constraints of a validated Decimal under their Python names.
_DECIMAL_CONSTRAINTS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def _openapi30(schema: Any) -> Any:
    # OpenAPI 3.0 has no `anyOf [X, null]` and no `$ref` siblings; rewrite pydantic's
    # draft 2020-12 output into what 3.0 validators and AgentCore accept.
    if isinstance(schema, list):
        return [_openapi30(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: _openapi30(value) for key, value in schema.items()}
    variants = schema.get("anyOf")
    if isinstance(variants, list) and {"type": "null"} in variants:
        rest = [variant for variant in variants if variant != {"type": "null"}]
        del schema["anyOf"]
        if len(rest) > 1:
            schema["anyOf"] = rest
        elif "$ref" in rest[0]:
            schema["allOf"] = rest
        else:
            schema.update(rest[0])
        schema["nullable"] = True
    if "$ref" in schema and len(schema) > 1:
        schema = {key: value for key, value in schema.items() if key != "$ref"} | {
            "allOf": [{"$ref": schema["$ref"]}]
        }
    return _decimal_as_number(schema)


def _decimal_as_number(schema: dict[str, Any]) -> dict[str, Any]:
    # A Decimal's schema admits numeric strings, but the API reads JSON numbers and answers
    # with numbers: say "number", with the constraints under their JSON Schema names.
    variants = schema.get("anyOf")
    if isinstance(variants, list) and {"type": "string"} in variants:
        numbers = [variant for variant in variants if variant.get("type") == "number"]
        if len(numbers) == 1 and len(variants) == 2:
            del schema["anyOf"]
            schema = numbers[0] | schema
    for python_name, json_name in _DECIMAL_CONSTRAINTS.items():
        if python_name in schema:
            schema[json_name] = schema.pop(python_name)
    if schema.pop("decimal_places", None) is not None:
        schema.setdefault("description", "At most two decimals")
    return schema


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}
