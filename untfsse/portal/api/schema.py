"""Additions to the OpenAPI description that hold for every operation: the JSON error bodies
(400 bad parameter, 404, 406, 429 rate limit), the 304 of conditional requests, and the
validators every 200 carries."""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API.",
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status, repeated."},
        "detail": {"type": "string", "description": "What went wrong, in a sentence."},
        "errors": {
            "type": "object",
            "description": "For a 400: each query parameter that was not understood, with "
            "its messages.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["status", "detail"],
}
ERRORS = {
    "400": "A query parameter is unknown or its value is not valid (see `errors`).",
    "404": "No such object, or a page past the last one.",
    "406": "The client accepts no JSON.",
    "429": "Too many requests from this client: wait for the seconds in Retry-After.",
}
VALIDATOR_HEADERS = {
    "ETag": {
        "description": "The answer's version: send it back in If-None-Match to get 304 "
        "while nothing changed.",
        "schema": {"type": "string"},
    },
    "Last-Modified": {
        "description": "When this address's answer last changed: send it back in "
        "If-Modified-Since to get 304 while nothing changed.",
        "schema": {"type": "string"},
    },
}


def add_common_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    error = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if parameter["in"] == "query" and schema.get("type") == "string":
                    schema.setdefault("minLength", 1)  # an empty value is refused (400)
            responses = operation.setdefault("responses", {})
            if "200" in responses:
                responses["200"].setdefault("headers", {}).update(VALIDATOR_HEADERS)
            responses.setdefault(
                "304", {"description": "Not modified since the ETag or date the client sent."}
            )
            for status, description in ERRORS.items():
                responses.setdefault(status, {"description": description, "content": error})
    return result
