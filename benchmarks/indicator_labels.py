"""What placing the indicator row's figure labels costs a paint (the paint runs on every zoom and pan step):
``core.indicator_labels.place_point_labels`` for N points in view, in a 1600 × 110 px row under a legend line,
points spread over the row (a long view) and crowded into one year (the case the placement is for).

    python benchmarks/indicator_labels.py [N ...]      # default: 10 50 200 400 1000
"""

from __future__ import annotations

import random
import sys

from common import machine, print_table, timed, write_json


def points(n: int, spread: float, seed: int = 7) -> tuple[list, list]:
    rnd = random.Random(seed)
    x0 = 800 - spread / 2
    pts = [(x0 + rnd.random() * spread, 22 + rnd.random() * 84, 4.5) for _ in range(n)]
    return pts, [rnd.uniform(55, 130) for _ in range(n)]


def run(n: int) -> dict:
    from partnership_explorer.core.indicator_labels import place_point_labels

    frame, legend = (0.0, 0.0, 1600.0, 110.0), [(6.0, 2.0, 900.0, 17.0)]
    out = {"points": n}
    for name, spread in (("spread", 1580.0), ("one_year", 30.0)):
        pts, widths = points(n, spread)
        placed = place_point_labels(pts, widths, 15.0, frame, obstacles=legend)
        t = timed(lambda pts=pts, widths=widths: place_point_labels(pts, widths, 15.0, frame, obstacles=legend),
                  repeats=15, warmup=2)
        out[f"{name}_ms"], out[f"{name}_placed"] = t["median"], len(placed)
    return out


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10, 50, 200, 400, 1000]
    results = [run(n) for n in sizes]
    print_table(results, [("points", "points in view"), ("spread_ms", "spread: ms"), ("spread_placed", "labels"),
                          ("one_year_ms", "one year: ms"), ("one_year_placed", "labels")])
    write_json("indicator_labels", {"machine": machine(), "results": results})


if __name__ == "__main__":
    main(sys.argv[1:])
