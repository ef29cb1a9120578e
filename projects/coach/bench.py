"""How fast the coach reviews statements: ``python -m projects.coach.bench [count]``.

Reviews ``count`` statements (10,000 by default) taken in turn from the labelled corpus, and
prints statements per second. The target is 10,000 statements in under 2 seconds. Loading and
compiling the word lists happens once per process and is timed separately.
"""

from __future__ import annotations

import csv
import itertools
import sys
import time
from pathlib import Path

from projects.coach import review_statement

CORPUS = Path(__file__).with_name("corpus.csv")
TARGET_SECONDS_PER_10000 = 2.0


def corpus_statements() -> list[tuple[str, str]]:
    with CORPUS.open(encoding="utf-8", newline="") as corpus:
        return [(row["text"], row["kind"]) for row in csv.DictReader(corpus)]


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 10_000
    statements = list(itertools.islice(itertools.cycle(corpus_statements()), count))

    started = time.perf_counter()
    review_statement("Warm up the word lists", "impact")
    warm_up = time.perf_counter() - started

    started = time.perf_counter()
    flagged = sum(bool(review_statement(text, kind)) for text, kind in statements)
    elapsed = time.perf_counter() - started

    rate = count / elapsed
    budget = TARGET_SECONDS_PER_10000 * count / 10_000
    print(f"word lists loaded and compiled in {warm_up * 1000:.0f} ms (once per process)")
    print(f"{count} statements ({flagged} flagged) in {elapsed:.2f} s: {rate:,.0f} statements/s")
    print(f"target: {count} in under {budget:.2f} s -> {'met' if elapsed < budget else 'MISSED'}")
    return 0 if elapsed < budget else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
