"""English for counts and suggestions in messages and pages."""

import difflib
from collections.abc import Iterable


def plural(count: int, noun: str) -> str:
    """`1 press release`, `2 press releases`."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """` (did you mean 'per_page'?)` for the known word nearest a misspelt one, or nothing."""
    nearest = difflib.get_close_matches(word, list(known), n=1, cutoff=0.75)
    return f" (did you mean {nearest[0]!r}?)" if nearest else ""
