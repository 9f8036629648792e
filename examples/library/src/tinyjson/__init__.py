"""A small, strict JSON parser."""


class Error(ValueError):
    """Malformed JSON, with where it went wrong."""


def loads(text: str) -> object:
    import json

    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Error(f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from None
