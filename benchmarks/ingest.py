"""Ingestion throughput and memory: articles per second with one process, two processes and a local Dask
cluster of two workers, and the peak memory of ingesting a JSONL archive of 100,000 articles.

The corpus is written by the generator below: news articles of 1-9 KB about a dozen partnerships (countries
and companies), each a dateline, a lead with a dated happening (visit, summit, agreement, investment, opening,
trade figure, exercise, sanctions), background paragraphs with dates of their own, quotes and filler, in
varied orders and wordings. Every run is the command line in a fresh process (``ingest --jobs N``), so the
times include starting up, as users see them.

Run: ``python benchmarks/ingest.py [--articles 10000] [--memory-articles 100000]``; writes
``benchmarks/results/ingest.json``. ``--extract-only`` times the extraction of the articles alone, in this process,
by CPU (ms per article; no database, nothing written).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from common import machine, write_json

CLI = [sys.executable, "-c", "from partnership_explorer.cli import main; main()"]

PAIRS = [
    ("Vietnam", "South Korea", "Hanoi", "Seoul", ["Tô Lâm", "Lee Jae-myung"]),
    ("Japan", "India", "Tokyo", "New Delhi", ["the Japanese prime minister", "Narendra Modi"]),
    ("Germany", "Brazil", "Berlin", "Brasília", ["the German chancellor", "Lula da Silva"]),
    ("France", "Nigeria", "Paris", "Abuja", ["Emmanuel Macron", "the Nigerian president"]),
    ("Australia", "Indonesia", "Canberra", "Jakarta", ["the Australian prime minister", "Prabowo Subianto"]),
    ("Canada", "Mexico", "Ottawa", "Mexico City", ["the Canadian prime minister", "the Mexican president"]),
    ("Kenya", "China", "Nairobi", "Beijing", ["William Ruto", "Xi Jinping"]),
    ("Egypt", "Italy", "Cairo", "Rome", ["the Egyptian president", "the Italian prime minister"]),
    ("Poland", "South Korea", "Warsaw", "Seoul", ["the Polish defence minister", "the Korean defence minister"]),
    ("Chile", "Spain", "Santiago", "Madrid", ["the Chilean president", "the Spanish prime minister"]),
]
COMPANIES = [("Samsung", "Viettel"), ("Hyundai", "VinFast"), ("Siemens", "Petrobras"), ("TotalEnergies", "NNPC"),
             ("Toyota", "Tata Motors"), ("LG Energy Solution", "Stellantis"), ("Huawei", "Safaricom")]
SECTORS = ["semiconductors", "nuclear energy", "renewable energy", "artificial intelligence", "rail transport",
           "vocational training", "public health", "defence industry", "digital infrastructure", "critical minerals",
           "agriculture", "climate adaptation", "tourism", "shipbuilding", "higher education"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
LEADS = [
    "{a_leader} arrived in {b_city} on {date} for a {n}-day state visit, the first by a leader of {a} in {k} years.",
    "{a} and {b} signed a memorandum of understanding on {sector} cooperation in {b_city} on {date}.",
    "Leaders of {a} and {b} held a summit in {a_city} on {date} and agreed to deepen cooperation in {sector}.",
    "{ca} said on {date} it would invest ${money} million in a {sector} plant in {b}, its largest project there.",
    "{ca} and {cb} signed an agreement on {date} to form a joint venture in {sector}.",
    "Trade between {a} and {b} reached ${money} billion in {year}, up {pct} percent from a year earlier.",
    "{a} opened a {sector} research centre in {b_city} on {date}, with a budget of ${money} million.",
    "The navies of {a} and {b} began a joint exercise off the coast on {date}, their {k}th such drill.",
    "{a} imposed export controls on {sector} equipment bound for {b} on {date}, citing security concerns.",
    "Foreign ministers of {a} and {b} held talks in {a_city} on {date} on {sector} and regional security.",
]
BACKGROUND = [
    "{a} and {b} established diplomatic relations in {old_year}.",
    "The two countries upgraded their ties to a strategic partnership in {month} {mid_year}.",
    "In {mid_year}, the two sides signed a free trade agreement that took effect the following year.",
    "A first agreement on {sector} was reached in {month} {mid_year}, but its projects moved slowly.",
    "Last year, bilateral investment in {sector} grew by {pct} percent, according to official figures.",
    "{ca} has operated in {b} since {old_year} and employs about {staff} people there.",
    "From {mid_year} to {year}, more than {staff} students from {b} studied in {a}.",
    "The previous visit by a leader of {b} to {a_city} took place in {month} {mid_year}.",
]
FILLER = [
    "Officials said the talks covered a wide range of issues, from supply chains to people-to-people exchanges.",
    "Analysts noted that the relationship had grown steadily despite a slowdown in global demand.",
    "\"We see great potential in working together,\" a senior official told reporters after the meeting.",
    "Business groups welcomed the announcement but asked for clearer rules on licensing and customs.",
    "The statement did not give a timetable for the projects, and several details remain to be negotiated.",
    "Local media described the atmosphere as warm, with both delegations stressing long-term goals.",
    "Critics argued that earlier pledges had not always been followed by concrete investment.",
    "The ministry said working groups would meet regularly to follow up on the commitments made.",
    "Observers expect further announcements when the joint committee convenes again.",
    "Both governments have set targets to double the value of their exchanges within the decade.",
]


def article(rng: random.Random, i: int) -> dict:
    a, b, a_city, b_city, leaders = rng.choice(PAIRS)
    if rng.random() < 0.5:
        a, b, a_city, b_city, leaders = b, a, b_city, a_city, leaders[::-1]
    ca, cb = rng.choice(COMPANIES)
    year = rng.randint(2008, 2026)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    values = dict(a=a, b=b, a_city=a_city, b_city=b_city, a_leader=leaders[0], ca=ca, cb=cb,
                  sector=rng.choice(SECTORS), date=f"{MONTHS[month - 1]} {day}, {year}", year=year,
                  month=rng.choice(MONTHS), mid_year=rng.randint(1995, year), old_year=rng.randint(1960, 1999),
                  n=rng.randint(2, 5), k=rng.randint(2, 12), money=rng.randint(5, 900), pct=rng.randint(2, 40),
                  staff=f"{rng.randint(2, 90) * 100:,}")
    paragraphs = [f"{a_city.upper()}, {MONTHS[month - 1]} {day + rng.randint(0, 1)} — " +
                  rng.choice(LEADS).format(**values)]
    target = rng.choice((1500, 2500, 4000, 5000, 6500, 9000))
    while sum(len(p) for p in paragraphs) < target:
        values["sector"] = rng.choice(SECTORS)
        pool = BACKGROUND if rng.random() < 0.35 else FILLER
        sentences = [rng.choice(pool).format(**values) for _ in range(rng.randint(2, 5))]
        paragraphs.append(" ".join(sentences))
    return {"text": "\n\n".join(paragraphs), "url": f"https://news.example/{year}/{i:07d}",
            "published": f"{year}-{month:02d}-{day:02d}", "title": f"{a} and {b}: {values['sector']} ({i})",
            "outlet": rng.choice(("Example Daily", "The Example Times", "Example Wire")), "language": "en"}


def write_jsonl(path: Path, n: int, seed: int = 11) -> int:
    rng, size = random.Random(seed), 0
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            line = json.dumps(article(rng, i), ensure_ascii=False)
            size += len(line)
            fh.write(line + "\n")
    return size


def write_folder(folder: Path, n: int, seed: int = 11) -> int:
    import csv

    rng, size = random.Random(seed), 0
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "title", "outlet", "language", "published"])
        for i in range(n):
            art = article(rng, i)
            name = f"article_{i:06d}.txt"
            (folder / name).write_text(art["text"], encoding="utf-8")
            size += len(art["text"].encode("utf-8"))
            w.writerow([name, art["title"], art["outlet"], art["language"], art["published"]])
    return size


LAST: dict = {}


def run_ingest(db: Path, args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak memory (MB, the process and its children, sampled) and the summary line; the CPU
    seconds of the run (all its processes), of its writing process alone (the one process that stores, whose CPU
    per article is the pace of a run with several jobs) and the load average go to ``LAST``."""
    try:
        import psutil
    except ImportError:  # without psutil (it comes with the [cluster] extra) no memory is sampled
        psutil = None
    import resource

    env = dict(os.environ, PYTHONPATH=str(ROOT / "desktop"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([*CLI, "ingest", "--quiet", "--db", str(db), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    peak = writer_cpu = 0.0
    if psutil is not None:
        root = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                tree = [root, *root.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()) / 2**20)
                times = root.cpu_times()
                writer_cpu = times.user + times.system
            except psutil.Error:
                pass
            time.sleep(0.5)
    LAST["writer_cpu_s"] = writer_cpu  # the process that writes (sampled: up to half a second short)
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST["cpu_s"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    LAST["load"] = os.getloadavg()[0]
    if proc.returncode != 0:
        raise SystemExit(f"ingest {' '.join(args)} failed ({proc.returncode}): {err.strip()[-400:]}")
    return wall, peak, out.strip().splitlines()[-1]


def extract_only(n: int) -> None:
    """The pure part of ingestion (reading, dates, signals, entities, candidates) over the generated corpus, in
    this process, timed by CPU (``time.process_time``, which other work on the machine hardly changes)."""
    sys.path.insert(0, str(ROOT / "desktop"))
    from partnership_explorer.core import pipeline
    from partnership_explorer.core.ingest import Inputs

    with tempfile.TemporaryDirectory() as tmp:
        size = write_folder(Path(tmp) / "corpus", n)
        steps = Inputs([str(Path(tmp) / "corpus")], from_lists=(), follow_links=False, skipped=[]).steps(
            lambda _path: None)
        items = [s.item for s in steps if s.item is not None]
    pipeline.extract_document(items[0])  # loading the lexicon, gazetteer and taxonomy is not per article
    cpu0, wall0 = time.process_time(), time.perf_counter()
    found = sum(len(pipeline.extract_document(item).candidates) for item in items)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(f"extraction only: {len(items):,} articles of {size / len(items) / 1024:.1f} KB, {found:,} candidates, "
          f"CPU {cpu:.2f} s ({1000 * cpu / len(items):.1f} ms/article), wall {wall:.2f} s "
          f"(load average {os.getloadavg()[0]:.1f})")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--memory-articles", type=int, default=100_000, help="0: skip the memory run")
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--extract-only", action="store_true",
                    help="only the extraction of each article (no database), in this process: CPU ms per article")
    args = ap.parse_args()
    if args.extract_only:
        extract_only(args.articles)
        return
    results: dict = {"machine": machine(), "articles": args.articles}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        size = write_folder(tmp / "corpus", args.articles)
        results["mean_article_kb"] = round(size / args.articles / 1024, 2)
        print(f"corpus: {args.articles:,} articles, {size / 2**20:.1f} MB, mean {results['mean_article_kb']} KB "
              f"(machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
        runs = [("--jobs 1", ["--jobs", "1"]), ("--jobs 2", ["--jobs", "2"])]
        if not args.no_dask:
            try:
                import distributed  # noqa: F401
                runs.append(("--dask local (2 workers)", ["--dask", "local", "--jobs", "2"]))
            except ImportError:
                print("Dask local: skipped (dask.distributed is not installed: pip install '.[cluster]')")
        rates = {}
        for label, extra in runs:
            db = tmp / f"{label.split()[0][2:]}{len(rates)}.db"
            wall, peak, summary = run_ingest(db, [*extra, str(tmp / "corpus")])
            rates[label] = args.articles / wall
            print(f"{label:<26} {rates[label]:7.1f} articles/s  {wall:7.1f} s  CPU {LAST['cpu_s']:7.1f} s  "
                  f"(writer {1000 * LAST['writer_cpu_s'] / args.articles:.1f} ms/article)  "
                  f"peak {peak:6.0f} MB  load {LAST['load']:.1f}   {summary}")
            results[label] = {"articles_per_s": round(rates[label], 1), "wall_s": round(wall, 1),
                              "cpu_s": round(LAST["cpu_s"], 1), "load_average": LAST["load"],
                              "writer_cpu_s": round(LAST["writer_cpu_s"], 1),
                              "peak_mb": round(peak), "summary": summary}
        speedup = rates["--jobs 2"] / rates["--jobs 1"]
        results["speedup_jobs2"] = round(speedup, 2)
        print(f"speed-up at 2 jobs: {speedup:.2f}x (target >= 1.7x)")
        if "--dask local (2 workers)" in rates:
            results["speedup_dask2"] = round(rates["--dask local (2 workers)"] / rates["--jobs 1"], 2)
            print(f"speed-up with Dask local, 2 workers: {results['speedup_dask2']:.2f}x")
        if args.memory_articles:
            archive = tmp / "archive.jsonl"
            size = write_jsonl(archive, args.memory_articles)
            wall, peak, summary = run_ingest(tmp / "memory.db", ["--jobs", "2", str(archive)])
            print(f"JSONL of {args.memory_articles:,} articles ({size / 2**20:.0f} MB), --jobs 2: {wall:.0f} s, "
                  f"{args.memory_articles / wall:.1f} articles/s, peak memory {peak:.0f} MB (all processes; "
                  f"target < 500 MB)   {summary}")
            results["memory"] = {"articles": args.memory_articles, "jsonl_mb": round(size / 2**20), "wall_s":
                                 round(wall), "peak_mb": round(peak), "summary": summary}
    write_json("ingest", results)


if __name__ == "__main__":
    main()
