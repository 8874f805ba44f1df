"""The JSON Schemas (draft 2020-12) shipped with stdhub, and the validators built from them."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import jsonschema
import jsonschema_rs
from referencing import Registry, Resource

BASE = "https://stdhub.local/schemas/"
NAMES = (
    "common",
    "codelist",
    "data-standard",
    "service-standard",
    "management-standard",
    "list",
    "crosswalk",
    "feedback",
)


@cache
def schema(name: str) -> dict[str, Any]:
    """A schema with its `$id`. The files carry none, so that editors resolve the relative
    `$ref`s (`common.json#/...`) next to the file instead of fetching a URL."""
    text = files("stdhub.schemas").joinpath(f"{name}.json").read_text(encoding="utf-8")
    return {"$id": BASE + f"{name}.json", **json.loads(text)}


@cache
def _registry() -> Registry:
    return Registry().with_resources(
        (BASE + f"{n}.json", Resource.from_contents(schema(n))) for n in NAMES
    )


@cache
def detailed_validator(name: str) -> jsonschema.Draft202012Validator:
    """The careful validator whose errors become the messages users read."""
    return jsonschema.Draft202012Validator(
        schema(name),
        registry=_registry(),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )


def _retrieve(uri: str) -> dict[str, Any]:
    return schema(uri.removeprefix(BASE).removesuffix(".json"))


@cache
def fast_validator(name: str) -> Any:
    """A compiled validator for the yes/no question; the detailed one runs only on a no."""
    return jsonschema_rs.Draft202012Validator(
        schema(name), validate_formats=True, retriever=_retrieve
    )


def allowed_keys(name: str, pointer: tuple[str, ...] = ()) -> set[str]:
    """Property names a schema (with its allOf parts) admits at its top level."""
    s = schema(name)
    keys = set(s.get("properties", {}))
    for part in s.get("allOf", []):
        ref = part.get("$ref", "")
        if ref.startswith("common.json#/$defs/"):
            keys |= set(schema("common")["$defs"][ref.rsplit("/", 1)[1]].get("properties", {}))
    return keys
