def safe_next(target: str | None, default: str) -> str:
    """Only ever redirect to a path on this site (no open redirects)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and "\n" not in target
        and "\r" not in target
    ):
        return target
    return default
