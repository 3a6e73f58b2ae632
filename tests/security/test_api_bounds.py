"""Every request body of every published API is bounded (issue 17): integers have a
minimum and a maximum inside 64 bits, strings a maximum length, lists a maximum size.
The schemas are the ones the APIs publish, found in the URL conf, so a new operation with
an unbounded field fails here before a fuzzer (or an attacker) finds the 500."""

from tests.security.url_inventory import mounted_apis

INT64 = 2**63


def _resolve(schema, components):
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def unbounded(schema, components, where, seen=()):
    """Paths (``where``) of the unbounded leaves of a JSON schema."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return unbounded(_resolve(schema, components), components, where, (*seen, name))
    problems = []
    for key in ("anyOf", "oneOf", "allOf"):
        for index, option in enumerate(schema.get(key, [])):
            problems += unbounded(option, components, f"{where}|{index}", seen)
    kind = schema.get("type")
    if kind == "integer":
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum", schema.get("exclusiveMaximum"))
        if low is None or high is None or low < -INT64 or high >= INT64:
            problems.append(f"{where}: integer without bounds inside 64 bits")
    elif kind == "number":
        if schema.get("minimum", schema.get("exclusiveMinimum")) is None or schema.get(
            "maximum", schema.get("exclusiveMaximum")
        ) is None:
            problems.append(f"{where}: number without bounds")
    elif kind == "string":
        if "maxLength" not in schema and "enum" not in schema and "const" not in schema and schema.get("format") not in (
            "date-time", "date", "uuid"
        ):
            problems.append(f"{where}: string without maxLength")
    elif kind == "array":
        if "maxItems" not in schema:
            problems.append(f"{where}: list without maxItems")
        problems += unbounded(schema.get("items", {}), components, f"{where}[]", seen)
    elif kind == "object" or "properties" in schema:
        for name, prop in schema.get("properties", {}).items():
            problems += unbounded(prop, components, f"{where}.{name}", seen)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            problems += unbounded(extra, components, f"{where}.*", seen)
    return problems


def test_every_request_body_of_every_api_is_bounded():
    problems, bodies = [], 0
    for mounted in mounted_apis():
        schema = mounted.api.get_openapi_schema()
        components = schema.get("components", {}).get("schemas", {})
        for path, spec in schema["paths"].items():
            for method, operation in spec.items():
                for media in operation.get("requestBody", {}).get("content", {}).values():
                    bodies += 1
                    problems += unbounded(media["schema"], components, f"{method.upper()} {path} body")
    assert bodies >= 4  # the study endpoints and the exam API's writes at least
    assert not problems, problems


def test_the_bounds_checker_notices_an_unbounded_field():
    components = {"In": {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}}}
    assert unbounded({"$ref": "#/components/schemas/In"}, components, "body") == [
        "body.n: integer without bounds inside 64 bits"
    ]
    assert unbounded({"type": "array", "items": {"type": "string", "maxLength": 3}}, {}, "b") == [
        "b: list without maxItems"
    ]
