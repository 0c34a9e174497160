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
