"""Contract numbers from the policy's pattern (policy.contracts.number_pattern)."""

from __future__ import annotations

import string

NUMBER_MAX = 40  # the width of contracts.number


class NumberPatternError(ValueError):
    pass


def number_fields(pattern: str) -> set[str]:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as error:
        raise NumberPatternError(str(error)) from None


def check_number_pattern(pattern: str) -> None:
    """A contract number pattern: `{seq}` (the count within the series) is required, `{year}`
    is allowed, nothing else; a sample must format and fit the number column."""
    names = number_fields(pattern)
    if not any(name == "seq" for name in names):
        raise NumberPatternError("must contain {seq}, e.g. HT-{year}-{seq:04d}")
    unknown = sorted(names - {"year", "seq"})
    if unknown:
        raise NumberPatternError(f"only {{year}} and {{seq}} may be used, not {{{unknown[0]}}}")
    try:
        sample = contract_number(pattern, 2026, 99999)
    except (ValueError, TypeError, IndexError) as error:
        raise NumberPatternError(f"does not format: {error}") from None
    if len(sample) > NUMBER_MAX:
        raise NumberPatternError(f"gives numbers longer than {NUMBER_MAX} characters")


def contract_number(pattern: str, year: int, seq: int) -> str:
    """HT-{year}-{seq:04d} with 2026 and 7 → HT-2026-0007."""
    return pattern.format(year=year, seq=seq)


def number_series(pattern: str, year: int) -> int:
    """Which count a number takes its `seq` from: the year's when the pattern shows the year,
    else one count for all years (0), so a pattern without the year never repeats a number."""
    return year if "year" in number_fields(pattern) else 0
