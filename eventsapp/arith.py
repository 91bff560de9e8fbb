"""Rates as the indicators print them, shared by surveys (results) and reports (summaries).

A rate is {"n", "d", "pct"} with pct to one decimal, or None when d = 0. Callers sum their
counts first and take the rate once, never an average of percentages.
"""
from decimal import ROUND_HALF_UP, Decimal


def rate(n: int, d: int) -> dict:
    """{"n", "d", "pct"}: pct rounded half up to one decimal (2/3 → 66.7), None when d = 0."""
    n, d = int(n or 0), int(d or 0)
    if d == 0:
        return {"n": n, "d": d, "pct": None}
    pct = (Decimal(100 * n) / Decimal(d)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return {"n": n, "d": d, "pct": float(pct)}
