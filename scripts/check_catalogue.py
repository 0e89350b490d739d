"""Check data/ without a database: prints every problem, or the counts per category.

Usage: python scripts/check_catalogue.py [DATA_DIR]
"""

import sys
from collections import Counter
from pathlib import Path

from search_api.careers.files import CatalogueInvalid, read_catalogue


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "data")
    try:
        catalogue = read_catalogue(root)
    except CatalogueInvalid as exc:
        for problem in exc.problems:
            print(problem)
        print(f"{len(exc.problems)} problem(s)")
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
