"""SQL text that the store writes itself."""


def quote(identifier: str) -> str:
    """A table or column name as an SQL identifier (names come from the schema, never
    from user input; quoted all the same)."""
    return '"' + identifier.replace('"', '""') + '"'
