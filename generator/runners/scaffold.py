"""Scaffolding a new spec (`lessonpack new`): the passages it quotes, chosen for the audience and the
suggestion, and a commented spec that passes `check` as it is, ready for the teacher to edit."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, UsageError
from ..files import create_new
from ..lesson.reading import reading
from ..readers import resolved, spec
from ..readers.fields import ID_PATTERN
from ..readers.policy import Policy
from ..readers.seed import Seed, fold
from .authoring import (
    SCHEMA,
    SUGGESTION_SEED,
    SUGGESTIONS,
    Candidate,
    candidates,
    essay_paragraphs,
)
from .build import Builder, display


@dataclass(frozen=True)
class Scaffold:
    pack_id: str
    ages: resolved.Ages
    seed: Seed
    suggestion: str | None
    path: str  # where the spec is written, as the user would type it
    region: str = "uk"


def pick(seed: Seed, policy: Policy, ages: resolved.Ages, suggestion: str | None, count: int = 2) -> list[Candidate]:
    """Sentences to start from, all allowed for the audience, those its oldest pupil can read first
    (within the policy's margin); then the suggestion's own paragraph first, in essay order."""
    pool = [c for c in candidates(seed, policy) if 40 <= len(c.text) <= 320 and not c.text.startswith("•")]
    pool = [c for c in pool if "…" not in c.text and "..." not in c.text and not c.refused(ages.youngest)]
    start = None
    if suggestion:
        opening = SUGGESTIONS[suggestion][1]
        start = next(n for n in essay_paragraphs(seed) if seed.paragraphs[n - 1].startswith(opening))
    limit = (ages.oldest or 99) + policy.reading_age_margin

    def hard(c: Candidate) -> bool:
        r = reading(c.text)
        return r is not None and r.age > limit

    pool.sort(
        key=lambda c: (
            hard(c),
            start is not None and c.paragraph != start,
            start is not None and c.paragraph < start,
            c.paragraph,
            c.sentence,
        )
    )
    return sorted(pool[:count], key=lambda c: (c.paragraph, c.sentence))


# Per suggestion: a question, its answer guidance, and an activity that fit its paragraph in
# 'no-going-back'.
_SUGGESTED = {
    "start-a-conversation": (
        "Why might the writer think that talking about a problem is the place to start?",
        "Talking brings a problem into the open: people find out that others have noticed it too, find "
        "words for what they have seen, and can agree what to do. Credit answers that link this to the "
        "writer's idea of a safe space where people can speak honestly.",
        (
            "What makes a safe space?",
            15,
            [
                "In pairs, list three things that help you speak honestly in a group, and one that stops you.",
                "Agree four ground rules as a class and write them up for the wall.",
            ],
        ),
    ),
    "stop-it-before-it-starts": (
        "What could someone notice and do before unkind or unsafe behaviour gets worse?",
        "Good answers name an early sign (a 'joke' aimed at someone, a comment about how someone looks, "
        "pressure to go along with the group) and a safe response: saying it is not OK, changing the "
        "subject, checking on the person afterwards, or telling a trusted adult.",
        (
            "Spot the moment",
            15,
            [
                "In small groups, describe an everyday moment at school when a joke or comment goes too far.",
                "Mark the point where someone could step in, and suggest one safe thing they could say or do.",
            ],
        ),
    ),
    "create-a-respectful-environment": (
        "According to the writer, what helps everyone at school feel respected and safe?",
        "Look for the writer's points in the pupil's own words: clear expectations everyone knows, adults "
        "who act when something goes wrong, and pupils who treat each other with respect. Credit an "
        "example from school life.",
        (
            "Our class charter",
            15,
            [
                "In groups, write three promises that would make the classroom feel respectful and safe.",
                "Combine the groups' promises into one class charter.",
            ],
        ),
    ),
}
_GENERAL = (
    "Ground rules",
    15,
    [
        "In pairs, agree two rules that would help everyone speak and listen respectfully.",
        "Share one rule with the class.",
    ],
)


def _line(code: str, comment: str = "") -> str:
    """A line of YAML with its teaching comment lined up at column 36."""
    return f"{code:<35} # {comment}" if comment else code


# The parts of a whole lesson that `new` writes for every spec: plain, safe for any age, and true
# of any allyship lesson (the teacher makes them the lesson's own).
_OUTCOME = "I can explain what the writer is asking readers to do, and one way our class could do it."
_KEY_POINTS = (
    "Talking about a problem is the first step to changing it.",
    "Everyone in a class can help make it a place where people feel safe and respected.",
    "If something worries you, tell an adult you trust.",
)
_PRIOR = ("What respect means in school.",)
_KEYWORDS = (
    ("ground rules", "the rules a group agrees so that everyone can speak and listen safely"),
    ("respect", "treating other people as mattering as much as you do"),
    ("ally", "someone who stands up for and supports other people"),
)
_MISCONCEPTIONS = (
    (
        "It is not my business if it is not happening to me.",
        "Everyone in a group shapes what is normal there; a small safe action, like telling an adult, helps.",
    ),
    (
        "Speaking up always means confronting someone.",
        "There are safe ways to help: changing the subject, checking on someone later, or telling an adult.",
    ),
)
_STARTER = (
    (
        "What are ground rules for a discussion?",
        "Rules a group agrees so everyone can speak safely",
        ["Rules the teacher writes for a test", "Rules for a sports game"],
    ),
    (
        "Who could you talk to if something in a lesson worries you?",
        "A teacher or another adult you trust",
        ["No one: keep it to yourself", "Only a friend your own age"],
    ),
    (
        "What does it mean to show respect?",
        "Treating others as mattering as much as you do",
        ["Agreeing with everything others say", "Staying quiet so no one is upset"],
    ),
)
_EXIT = (
    (
        "What is an ally?",
        "Someone who stands up for and supports others",
        ["Someone who only looks after themselves", "Someone who joins in with unkind jokes"],
    ),
    (
        "What is a safe thing to do if you see someone treated unkindly?",
        "Tell an adult you trust",
        ["Film it on your phone", "Laugh so you fit in"],
    ),
    (
        "Why do classes agree ground rules?",
        "So everyone can speak and listen safely",
        ["So the lesson ends sooner", "So only some people can speak"],
    ),
)


DraftQuestion = tuple[str, str, list[str]]


def _text(value: str) -> str:
    """A text as a double-quoted YAML scalar: a ` #` never starts a comment and a comma never
    splits it (JSON strings are YAML)."""
    return json.dumps(value, ensure_ascii=False)


def _from_the_reading(seed: Seed, picks: list[Candidate], policy: Policy) -> DraftQuestion | None:
    """An exit-quiz question about the passages `new` chose: which of three sentences is from them.
    The answer opens a chosen passage; the wrong options open sentences of the same essay that the
    lesson does not quote and that raise nothing a note would need to name, so the question is true
    of this lesson."""
    if not picks:
        return None
    answer = _opening(picks[0].text)
    quoted = " ".join(fold(c.text)[0] for c in picks)
    others = [
        _opening(c.text)
        for c in candidates(seed, policy)
        if c.sentence
        and len(c.text) >= 30
        and fold(c.text)[0] not in quoted
        and not c.flags
        and "…" not in c.text
        and "..." not in c.text
        and re.fullmatch(r"[A-Z][^“”\"]*[.?!]", c.text)
    ]
    # Of about the answer's length, so that its length gives nothing away.
    others = sorted(dict.fromkeys(o for o in others if o != answer), key=lambda t: (abs(len(t) - len(answer)), t))
    if len(others) < 2:
        return None
    return ("Which of these is from the passages we read today?", answer, others[:2])


def _opening(sentence: str, most: int = 90) -> str:
    """A sentence, or its opening words and '…' when it is longer than `most` characters."""
    if len(sentence) <= most:
        return sentence
    return sentence[: sentence.rfind(" ", 0, most - 10)].rstrip(",;:") + "…"


# The learning cycle `new` writes around the reading: true of any allyship lesson, for the teacher to
# make the lesson's own.
_EXPLAIN = (
    "An ally stands up for and supports other people, especially people who are treated unfairly.",
    "Today's writer is asking readers to notice a problem and do something about it.",
    "You do not have to be brave alone: telling an adult you trust is a way of helping.",
)
_CHECKS = (
    (
        "What is an ally?",
        "Someone who stands up for and supports others",
        ["Someone who only helps their own friends", "Someone who stays out of other people's problems"],
    ),
    (
        "Which is a safe way to help if you see someone treated unfairly?",
        "Tell an adult you trust",
        ["Wait to see if it happens again", "Post about it online"],
    ),
)
_FEEDBACK = (
    "A strong answer explains the writer's main point in your own words, uses one short quotation",
    "as evidence, and says what one person in our class could do.",
)


def _quiz(key: str, items: tuple[DraftQuestion, ...], comment: str) -> list[str]:
    lines = [_line(f"{key}:", comment)]
    for question, answer, distractors in items:
        lines += [
            f"  - question: {json.dumps(question, ensure_ascii=False)}",
            f"    answer: {json.dumps(answer, ensure_ascii=False)}",
            "    distractors: [" + ", ".join(json.dumps(d, ensure_ascii=False) for d in distractors) + "]",
        ]
    return lines


def scaffold_text(
    plan: Scaffold, picks: list[Candidate], schema: str | None, about: DraftQuestion | None = None
) -> str:
    """The new spec's YAML: a whole lesson, every part with a short comment."""
    ages = plan.ages
    age_text = f"{ages.youngest}-{ages.oldest}" if ages.oldest not in (None, ages.youngest) else str(ages)
    question, answer, activity = _SUGGESTED[plan.suggestion] if plan.suggestion else (None, None, _GENERAL)
    title = (
        f"Being an Ally — {SUGGESTIONS[plan.suggestion][0]}"
        if plan.suggestion
        else (plan.pack_id.replace("-", " ").replace("_", " ").capitalize())
    )
    ids = [c.id for c in picks]
    spec_path = plan.path
    lines = [f"# yaml-language-server: $schema={schema}"] if schema else []
    lines += [
        f"# A lesson spec. Build it with 'lessonpack build {spec_path}';",
        f"# check it as you edit with 'lessonpack check {spec_path}'.",
        _line(f"title: {json.dumps(title, ensure_ascii=False)}", "printed on the cover"),
        "audience:",
        _line(f'  ages: "{age_text}"', "the youngest age decides what may be quoted"),
        _line(f"  region: {plan.region}", "uk or us: which support services and school words"),
        _line("duration: 50", "minutes; the activities should add up to it"),
        _line("summary: >-", "for the cover, written to students"),
        "  In this lesson you will read short passages from an essay and talk about what",
        "  they ask of us as classmates and friends.",
        _line(f"outcome: {_text(_OUTCOME)}", "what pupils can do by the end: starts 'I can'"),
        "# Text in double quotes keeps every word: unquoted, YAML ends a value at ' #' (a hashtag)",
        "# and splits a [ ] list at its commas.",
        _line("key_points:", "2-4 things to remember: the end of the handout"),
        *(f"  - {_text(k)}" for k in _KEY_POINTS),
        _line("prior_knowledge:", "teacher edition"),
        *(f"  - {_text(k)}" for k in _PRIOR),
        _line("keywords:", "a box near the start of the handout"),
        *(f"  - {{term: {_text(t)}, definition: {_text(d)}}}" for t, d in _KEYWORDS),
        _line("misconceptions:", "teacher edition only: what to listen for"),
    ]
    for wrong, response in _MISCONCEPTIONS:
        lines += [
            f"  - misconception: {json.dumps(wrong, ensure_ascii=False)}",
            f"    response: {json.dumps(response, ensure_ascii=False)}",
        ]
    lines += [
        _line("objectives:", "teacher edition only"),
        "  - " + _text("Explain in your own words what the writer is asking readers to do."),
        "",
        "# Each excerpt is quoted word for word from an essay in seeds/ ('lessonpack seeds' lists them);",
        "# '…' leaves words out inside one paragraph. Every quote is checked against the essay.",
        f"# More passages, marked for this audience: lessonpack excerpts {plan.seed.id} --ages {age_text}",
        "excerpts:",
    ]
    for c in picks:
        lines += [
            _line(f"  - id: {c.id}", "a short name that questions and activities refer to" if c is picks[0] else ""),
            f"    seed: {c.seed.id}",
            f"    quote: {json.dumps(c.text, ensure_ascii=False)}",
        ]
    lines += [
        "",
        _line("questions:", "printed after the excerpts they name"),
        "  - text: " + _text("In your own words, what is the writer saying here?"),
        f"    excerpts: [{ids[0]}]",
        _line("    kind: recall", "recall, inference, evaluation or balance"),
        _line("    answer: >-", "answer guidance: teacher edition only"),
        "      Look for the passage's main point in the pupil's own words rather than copied phrases;",
        "      credit answers that pick out one key phrase and explain what it means.",
        _line("    response: {lines: 3}", "room to answer: {lines: N}, {box: N} or {table: …}"),
    ]
    if question and answer:
        lines += [
            "  - text: " + json.dumps(question, ensure_ascii=False),
            f"    excerpts: [{', '.join(ids)}]",
            "    kind: inference",
            "    answer: " + json.dumps(answer, ensure_ascii=False),
        ]
    lines += [
        "  - text: " + _text("Do you agree with the writer? Give one reason and one example."),
        f"    excerpts: [{', '.join(ids)}]",
        "    kind: evaluation",
        "    answer: >-",
        "      Credit a clear view either way with one reason and one example; stronger answers say what",
        "      someone who disagrees might argue and answer it.",
        "    response: {lines: 4}",
        "",
        *_quiz("starter_quiz", _STARTER, "tick boxes for pupils; the answers in the teacher edition"),
        *_quiz("exit_quiz", ((about,) if about else ()) + _EXIT, "on the reading and the key points, at the end"),
        "",
        _line("activities:", "in time order: the handout follows them"),
        f"  - title: {_text(activity[0])}",
        f"    minutes: {activity[1] - 5}",
        "    steps:",
        *(f"      - {_text(step)}" for step in activity[2]),
        "  - title: Starter quiz",
        "    minutes: 5",
        _line("    quiz: starter", "the quiz done in this activity"),
        "    steps: [" + _text("Answer the three questions on your own, then check them together.") + "]",
        "  - title: Read and discuss",
        "    minutes: 20",
        _line(f"    excerpts: [{', '.join(ids)}]", "read in this activity: printed after its steps"),
        _line("    explain:", "you explain, a point a line: slides before the steps, a Key idea box"),
        *(f"      - {json.dumps(p, ensure_ascii=False)}" for p in _EXPLAIN),
        _line("    checks:", "2+ quick questions after explaining, answer on the next slide"),
        *(
            line
            for q, a, d in _CHECKS
            for line in (
                f"      - question: {json.dumps(q, ensure_ascii=False)}",
                f"        answer: {json.dumps(a, ensure_ascii=False)}",
                "        distractors:",
                *(f"          - {json.dumps(x, ensure_ascii=False)}" for x in d),
            )
        ),
        "    steps:",
        "      - " + _text("Read the passages together."),
        "      - " + _text("Discuss the questions in small groups, then share one idea with the class."),
        _line("    feedback: >-", "a model answer or success criteria, shown after the task"),
        *(f"      {line}" for line in _FEEDBACK),
        "  - title: Exit quiz and reflection",
        "    minutes: 15",
        "    quiz: exit",
        "    steps:",
        "      - " + _text("Answer the exit quiz on your own."),
        "      - " + _text("Write down one thing you could do this week to make school feel safer or fairer."),
        "    response: {lines: 4}",
        _line("    notes: " + _text("Let pupils keep their reflections private if they prefer."), "teacher only"),
        "",
    ]
    return "\n".join(lines)


def new_spec(
    builder: Builder,
    folder: Path,
    pack_id: str,
    ages_text: str,
    seed_id: str | None,
    suggestion: str | None,
    region: str = "uk",
) -> tuple[Path, list[Problem]]:
    """Write folder/ID.yaml, refusing to overwrite; checked as a build would check it first."""
    if not re.fullmatch(ID_PATTERN, pack_id):
        raise UsageError(f"'{pack_id}' is not a pack id: use lowercase letters, digits and '-' (e.g. consent-year-10)")
    ages = spec.parse_ages(ages_text)
    if isinstance(ages, str):
        raise UsageError(f"--ages {ages_text}: {ages}")
    target = folder / f"{pack_id}.yaml"
    if target.exists():
        raise UsageError(f"{display(target)} already exists; choose another id or edit that file")
    chosen = seed_id or SUGGESTION_SEED
    seeds = builder.corpus.seeds
    if chosen not in seeds:
        raise UsageError(f"--seed {chosen}: no such seed{builder.corpus.hint(chosen)}")
    if suggestion and chosen != SUGGESTION_SEED:
        raise UsageError(f"--suggestion comes from the seed '{SUGGESTION_SEED}'; leave out --seed")
    picks = pick(seeds[chosen], builder.policy, ages, suggestion)
    if not picks:
        raise UsageError(f"seed '{chosen}' has no passage that may be quoted for ages {ages}")
    schema = builder.project.root / SCHEMA
    relative = _relative(schema, folder) if schema.is_file() else None
    about = _from_the_reading(seeds[chosen], picks, builder.policy)
    plan = Scaffold(pack_id, ages, seeds[chosen], suggestion, display(target), region)
    text = scaffold_text(plan, picks, relative, about)
    problems = builder.check_text(text, display(target), pack_id)
    if any(p.severity == "error" for p in problems):
        return target, problems
    create_new(target, text.encode("utf-8"))
    return target, problems


def _relative(path: Path, start: Path) -> str:
    import os

    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()
