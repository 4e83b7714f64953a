"""What disclosure control costs (issue 16): the share of non-zero cells published, and of
rows whose mean is published, by the method before issue 16 (each period and respondent
suppressed on its own, tests/legacy_disclosure.py) and the linked method now.

    .venv/bin/python benchmarks/disclosure_cost.py --database-url sqlite:///instance/portal.sqlite3

Counted over every cell of every (period, respondent) table: every area (all of Wales
too), source, age band, statement and point. Called by benchmarks/aggregate.py --cost.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.commissioning.disclosure import ALL  # noqa: E402


def _tally(protected, cells, strict: bool) -> tuple[int, int, int, int]:
    """(non-zero cells, published, rows with people, rows with a mean) over these codes.
    The old method showed a mean wherever its people were shown; the new one (`strict`)
    only where no non-zero point of its row is hidden."""
    grid = protected.grid
    point_dim = len(grid.dims) - 1
    all_points = grid.index[point_dim][ALL]
    stride = grid.strides[point_dim]
    size = grid.sizes[point_dim]
    shown = nonzero = rows = means = 0
    for code in cells:
        nonzero += 1
        shown += code not in protected.hidden_codes
        if (code // stride) % size != all_points:
            continue
        rows += 1
        base = code - all_points * stride
        if code in protected.hidden_codes:
            continue
        parts = [base + i * stride for i in range(size) if i != all_points]
        if not strict or not any(p in protected.hidden_codes for p in parts):
            means += 1
    return nonzero, shown, rows, means


def measure(threshold: int = 10) -> dict:
    """{"before": (...), "after": (...)}: non-zero cells, published, rows, rows with means."""
    from portal.commissioning import data
    from tests import legacy_disclosure as legacy

    before = [0, 0, 0, 0]
    after = [0, 0, 0, 0]
    seen = set()
    timings = {"before": 0.0, "after": 0.0}
    for period in data.periods():
        for respondent in data.respondents(period):
            started = time.perf_counter()
            old = legacy.cube(period, respondent, threshold).protected
            timings["before"] += time.perf_counter() - started
            for i, v in enumerate(_tally(old, [c for c, n in old.coded.items() if n], False)):
                before[i] += v
            started = time.perf_counter()
            new = data.cube(period, respondent, threshold).protected
            timings["after"] += time.perf_counter() - started
            if id(new) in seen:
                continue
            seen.add(id(new))
            for i, v in enumerate(_tally(new, [c for c, n in new.coded.items() if n], True)):
                after[i] += v
    legacy._MEMO.clear()
    return {"before": tuple(before), "after": tuple(after), "seconds": timings}


def report(found: dict) -> str:
    lines = []
    for name in ("before", "after"):
        nonzero, shown, rows, means = found[name]
        share = 100 * shown / max(nonzero, 1)
        lines.append(f"{name}: cells published {shown}/{nonzero} ({share:.1f}%), "
                     f"means {means}/{rows} rows ({100 * means / max(rows, 1):.1f}%), "
                     f"suppression {found['seconds'][name]:.1f}s")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--threshold", type=int, default=10)
    args = parser.parse_args()
    from portal import create_app

    app = create_app({"DATABASE_URL": args.database_url})
    with app.app_context():
        print(report(measure(args.threshold)))


if __name__ == "__main__":
    main()
