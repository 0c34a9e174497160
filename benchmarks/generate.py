"""Generate N deterministic lesson specs from the seed essays, for benchmarks and load tests.

    python benchmarks/generate.py 100 /tmp/bench/packs

Each spec quotes three sentences from the essays (never a reference line, never the one
paragraph with a described assault and a vulgar word), for ages 16-18, so every spec builds
under the default policy. The same N always gives the same files.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {("metoo-and-beyond", 2)}
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘])")


def sentences(seeds: Path = ROOT / "seeds") -> list[tuple[str, int, str]]:
    """(seed id, paragraph, sentence) for every quotable sentence of every essay."""
    sys.path.insert(0, str(ROOT))
    from generator.readers.corpus import load_corpus

    corpus, _ = load_corpus(seeds)
    out = []
    for seed in sorted(corpus.seeds.values(), key=lambda s: s.id):
        last = (seed.references_from or len(seed.paragraphs) + 1) - 1
        for n, para in enumerate(seed.paragraphs[:last], 1):
            if (seed.id, n) in SKIP or para.lstrip().startswith("•"):
                continue
            for s in SENTENCE.split(para):
                s = " ".join(s.split())
                if 40 <= len(s) <= 300 and "…" not in s and "..." not in s:
                    out.append((seed.id, n, s))
    return out


def spec(i: int, pool: list[tuple[str, int, str]]) -> str:
    rng = random.Random(i)
    picks = rng.sample(pool, 3)
    lines = [
        "# yaml-language-server: $schema=../schema/lesson-spec.schema.json",
        f"title: Generated lesson {i:04d}",
        "audience:",
        "  ages: 16-18",
        f"  region: {rng.choice(['uk', 'us'])}",
        "duration: 45",
        "objectives:",
        "  - Explain what each writer argues, using evidence from the text.",
        "excerpts:",
    ]
    for k, (seed, _paragraph, text) in enumerate(picks, 1):
        lines += [f"  - id: e{k}", f"    seed: {seed}", f"    quote: {json.dumps(text, ensure_ascii=False)}"]
    lines.append("questions:")
    for k in range(1, 4):
        lines += [
            f"  - text: What is the writer's main point in extract {k}, and how far do you agree?",
            f"    excerpts: [e{k}]",
            "    kind: evaluation",
            "    answer: Look for an accurate summary and a reasoned judgement.",
        ]
    lines += [
        "activities:",
        "  - title: Read and discuss",
        "    minutes: 30",
        "    steps: [Read the extracts., Answer the questions in pairs.]",
        "  - title: Write",
        "    minutes: 15",
        "    steps: [Answer one question in writing.]",
        "    lines: 8",
    ]
    return "\n".join(lines) + "\n"


def widest(fill: int = 1) -> str:
    """A spec at the limits `check` allows: every list at its most entries (MAX_ITEMS; ten quiz
    questions of four options), every activity with a table to fill in, each text `fill` words
    long. Small `fill` gives thousands of tiny paragraphs, cells and slides; a larger one fills the
    file size cap as well (`worst` finds the largest that fits)."""
    sys.path.insert(0, str(ROOT))
    from generator.readers.fields import MAX_ITEMS

    def text(tag: str) -> str:
        return " ".join([tag] + ["word"] * (fill - 1))

    n = range(MAX_ITEMS)
    quiz = [
        {"question": text(f"q{k}"), "answer": f"yes {k}", "distractors": [f"no {k}", f"maybe {k}", f"never {k}"]}
        for k in range(10)
    ]
    data = {
        "id": f"widest-{fill}",
        "title": "The widest lesson",
        "audience": {"ages": "16-18"},
        "duration": 600,
        "summary": text("summary"),
        "objectives": [text(f"objective{k}") for k in n],
        "excerpts": [
            {"id": "e0", "seed": "no-going-back", "quote": "Bringing the subject to attention is the starting point."}
        ],
        "questions": [
            {"text": text(f"question{k}"), "excerpts": ["e0"], "answer": text("answer"), "lines": 2} for k in n
        ],
        "activities": [
            {
                "title": f"Activity {k}",
                "minutes": 1,
                "steps": [text(f"step{j}") for j in n],
                "response": {"table": {"columns": ["a", "b", "c", "d", "e", "f"], "rows": 20}},
            }
            for k in n
        ],
        "teacher_notes": [text(f"note{k}") for k in n],
        "key_points": [text(f"point{k}") for k in n],
        "prior_knowledge": [text(f"prior{k}") for k in n],
        "keywords": [{"term": f"term{k}", "definition": text("definition")} for k in n],
        "misconceptions": [{"misconception": text(f"myth{k}"), "response": text("response")} for k in n],
        "starter_quiz": quiz,
        "exit_quiz": quiz,
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def worst(limit: int = 256 * 1024) -> str:
    """The widest spec whose texts are as long as the file size cap allows."""
    low, high = 1, 400
    while low < high:
        mid = (low + high + 1) // 2
        if len(widest(mid).encode("utf-8")) <= limit:
            low = mid
        else:
            high = mid - 1
    return widest(low)


def generate(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pool = sentences()
    paths = []
    for i in range(n):
        path = folder / f"generated-{i:04d}.yaml"
        path.write_text(spec(i, pool), encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python benchmarks/generate.py N FOLDER")
    made = generate(Path(sys.argv[2]), int(sys.argv[1]))
    print(f"wrote {len(made)} specs into {sys.argv[2]}")
