from portal.core.clock import utcnow  # noqa: F401  (the models' column defaults use it)


def enum_check(column: str, values) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"
