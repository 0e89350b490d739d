"""Check a catalogue folder without a database.

Usage: python scripts/check_catalogue.py [DATA_DIR] [--load-only]

First what the loader would refuse (types, ranges, references, ids), then, unless
--load-only, our house style (careers/style.py: sentence counts, list sizes, RIASEC types,
Hindi names). Prints every problem and exits 1, or the counts per category and exits 0.
"""

import sys
from collections import Counter
from pathlib import Path

from search_api.careers.files import CatalogueInvalid, read_catalogue
from search_api.careers.style import style_problems


def main() -> int:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    root = Path(args[0] if args else "data")
    try:
        catalogue = read_catalogue(root)
    except CatalogueInvalid as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s) the loader would refuse")
        return 1
    if "--load-only" not in sys.argv:
        style = style_problems(catalogue)
        for problem in style:
            print(problem)
        if style:
            print(f"{len(style)} house-style problem(s) (the loader would accept them)")
            return 1
    counts = Counter(c.category for c in catalogue.careers)
    for category, count in sorted(counts.items()):
        print(f"{count:4d}  {category}")
    print(
        f"{len(catalogue.careers)} careers in {len(counts)} categories, "
        f"{len(catalogue.exams)} exams, {len(catalogue.institutions)} institutions"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
