"""English for counts in messages and pages."""


def plural(count: int, noun: str) -> str:
    """`1 press release`, `2 press releases`."""
    return f"{count} {noun}" + ("" if count == 1 else "s")
