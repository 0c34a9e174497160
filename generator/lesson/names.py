"""Internal names stay internal: printed text that names an essay by its seed id gets a warning."""

from __future__ import annotations

import re

from ..errors import Problem
from ..readers.resolved import Lesson

# Values that are ids, not printed text: an excerpt's seed and id, the excerpts a question or an
# activity names, tags, a question's kind, the quiz an activity runs; and the quoted words.
_IDS = {"seed", "id", "excerpts", "tags", "kind", "quiz", "quote"}


def seed_id_problems(lesson: Lesson, cited: dict[str, str]) -> list[Problem]:
    """A warning for each printed text that names an essay by its seed id ("the tipping-point
    piece"): a name only lessonpack uses. `cited` is how this pack's citations name each essay it
    quotes (by seed id). Ids of one plain word read as that word and are left alone."""
    named = {sid: name for sid, name in cited.items() if re.search(r"[-_0-9]", sid)}
    if not named:
        return []
    pattern = re.compile(
        r"(?<![\w-])(" + "|".join(re.escape(s) for s in sorted(named, key=len, reverse=True)) + r")(?![\w-])",
        re.IGNORECASE,
    )
    problems = []
    for text in lesson.texts:
        if any(isinstance(part, str) and part in _IDS for part in text.loc):
            continue
        for found in pattern.finditer(text.text):
            problems.append(
                Problem(
                    lesson.find(text.loc, found.group(1)),
                    f"‘{found.group(1)}’ is a seed id, a name readers never see; name the essay as its "
                    f"citation does: {named[found.group(1).lower()]}",
                    "warning",
                )
            )
    return problems
