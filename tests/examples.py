"""How many examples a property test draws: its full count in CI, a fifth of it in the everyday loop.

A property test writes its count as `examples(N)`. conftest.py loads hypothesis's profile "full"
when CI is set and "everyday" otherwise; `pytest --hypothesis-profile=full` asks for the full
counts anywhere. The everyday profile keeps every property and its generators, and draws fewer
examples of each (never under MIN), so that `pytest -m "not external"` stays a loop of under two minutes.
"""

from __future__ import annotations

from hypothesis import settings

FULL = 100  # the "full" profile's max_examples: hypothesis's own default
EVERYDAY = 20  # the "everyday" profile's: a fifth
MIN = 10


def examples(full: int) -> int:
    """A property's number of examples under the profile this run loaded: `full` under "full"."""
    return max(min(full, MIN), full * settings().max_examples // FULL)
