"""The closest passage stays right for ordinary typos, and its cost stays bounded for any quote.

Every sentence of all four essays, with one, two or three real-looking typos (a letter dropped,
doubled, swapped or changed), must miss in the sentence's own paragraph, show that sentence
whole, name exactly the words with typos and point at the first of them."""

from __future__ import annotations

import difflib
import random
import re
from pathlib import Path
from typing import Any

import pytest

from generator.readers import closest, corpus
from generator.readers.corpus import Corpus
from generator.readers.seed import Miss

SEEDS = Path(__file__).parent.parent / "seeds"
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"‘])")


@pytest.fixture(scope="module")
def real() -> Corpus:
    loaded, problems = corpus.load_corpus(SEEDS)
    assert problems == []
    return loaded


def typo(word: str, rng: random.Random) -> str:
    letters = [i for i, ch in enumerate(word) if ch.isalpha()]
    i = rng.choice(letters)
    kind = rng.randrange(4)
    if kind == 0 and len(letters) > 3:
        return word[:i] + word[i + 1 :]  # dropped
    if kind == 1:
        return word[:i] + word[i] + word[i:]  # doubled
    if kind == 2 and i + 1 < len(word) and word[i + 1].isalpha() and word[i + 1] != word[i]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped
    return word[:i] + ("e" if word[i].lower() != "e" else "a") + word[i + 1 :]  # changed


def cases(real: Corpus, typos: int, seed: int) -> list[tuple[str, int, str, str, list[int]]]:
    """(seed id, paragraph, sentence, sentence with typos, the words with typos) for every sentence."""
    rng = random.Random(seed)
    out = []
    for s in sorted(real.seeds.values(), key=lambda s: s.id):
        for n, para in enumerate(s.paragraphs, 1):
            for sentence in SENTENCE.split(para):
                words = sentence.split()
                ok = [i for i, w in enumerate(words) if sum(ch.isalpha() for ch in w) >= 3 and "…" not in w]
                if len(words) < 4 or len(ok) < typos:
                    continue
                chosen = sorted(rng.sample(ok, typos))
                wrong = list(words)
                for i in chosen:
                    wrong[i] = typo(wrong[i], rng)
                if all(wrong[i] != words[i] for i in chosen):
                    out.append((s.id, n, " ".join(words), " ".join(wrong), chosen))
    return out


@pytest.mark.parametrize("typos", [1, 2, 3])
def test_typos_in_every_sentence_of_every_essay(real: Corpus, typos: int) -> None:
    checked = 0
    wrong: list[Any] = []
    for rng_seed in range(3):
        for seed_id, paragraph, sentence, quote, chosen in cases(real, typos, 100 * typos + rng_seed):
            found = corpus.find_quote(real.seeds[seed_id], quote)
            if not isinstance(found, Miss):
                continue  # the typos made words the essay has, in that order
            checked += 1
            words = quote.split()
            first = len(" ".join(words[: chosen[0]])) + (1 if chosen[0] else 0)
            named = found.differs.split("; ")
            if (
                found.paragraph != paragraph
                or ("…" not in sentence and found.passage != sentence)
                or len(named) != typos
                or any(f"“{words[i]}”" not in found.differs for i in chosen)
                or found.at != first
            ):
                wrong.append((seed_id, paragraph, quote, found))
    assert checked > 450
    assert wrong == []


def test_the_closest_passage_for_a_typo_is_in_the_sentence_s_paragraph_everywhere(real: Corpus) -> None:
    """Every paragraph of every essay (the references too), a typo in its longest word."""
    for s in real.seeds.values():
        for n, para in enumerate(s.paragraphs, 1):
            words = para.split()
            i = max(range(len(words)), key=lambda k: (sum(ch.isalpha() for ch in words[k]), -k))
            if sum(ch.isalpha() for ch in words[i]) < 3:
                continue
            words[i] = typo(words[i], random.Random(n))
            found = corpus.find_quote(s, " ".join(words))
            assert isinstance(found, Miss) and found.paragraph == n, (s.id, n, found)


# --------------------------------------------------------------------------------------
# Bounded work: a few candidate places, each no bigger than the quote plus a margin, and
# difflib given work in proportion to the quote's words, whatever the quote.


def _long_wrong_quotes(real: Corpus) -> dict[str, str]:
    s = real.seeds["no-going-back"]
    words = " ".join(s.paragraphs).split()
    rng = random.Random(5)

    def fill(ws: list[str]) -> str:
        out: list[str] = []
        for w in ws:
            if len(" ".join([*out, w])) > 4000:
                break
            out.append(w)
        return " ".join(out)

    shuffled = list(words)
    rng.shuffle(shuffled)
    return {
        "every other word": fill([typo(w, rng) if n % 2 and w.isalpha() else w for n, w in enumerate(words)]),
        "every word": fill([w + "q" for w in words]),
        "shuffled": fill(shuffled),
        "one word": fill(["a"] * 2000),
        "omissions": fill([w + (" …" if n % 2 else "") for n, w in enumerate(words)]),
        "omissions and typos": fill([(w + "q" if n % 3 else w) + (" …" if n % 2 else "") for n, w in enumerate(words)]),
    }


def test_the_candidate_places_are_few_and_small(real: Corpus) -> None:
    words = real.seeds["no-going-back"].words
    for name, quote in _long_wrong_quotes(real).items():
        q = closest._quote_words(quote)
        places = closest._places(words, q.text, bool(q.gaps))
        assert len(places) <= closest._CANDIDATES, name
        longest = max(len([p for p in words.para if p == i]) for i in set(words.para))
        for lo, hi in places:
            assert hi - lo <= len(q.text) + 2 * max(3, len(q.text) // 10) + 6 + 2 * longest, name


def test_difflib_work_grows_with_the_quote_not_its_square(real: Corpus, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = real.seeds["no-going-back"]
    sizes: list[tuple[int, int]] = []

    class Counting(difflib.SequenceMatcher):  # type: ignore[type-arg]
        def set_seqs(self, a: Any, b: Any) -> None:
            sizes.append((len(a), len(b)))
            super().set_seqs(a, b)

    monkeypatch.setattr(difflib, "SequenceMatcher", Counting)  # the module corpus.py uses
    for name, quote in _long_wrong_quotes(real).items():
        sizes.clear()
        corpus.find_quote(seed, quote)
        n = len(quote.split())
        work = sum(a * b for a, b in sizes)
        assert work <= 300 * n, (name, n, work, len(sizes))
