"""Extraction quality: the date finder on MEANTIME, events on the SemEval-2015 entity timelines, and the
whole extractor on the project's own development set (``tests/corpus``).

    python benchmarks/extraction.py [--corpora DIR] [--samples N] [--json FILE] [--only meantime,semeval,dev,heldout,heldout2,...]

* MEANTIME (English, NewsReader): every ``TIMEX3`` of type DATE in the article text (title and body; the
  dateline holding the document creation time is left out of the text and of the gold), found with
  ``core.dates.find_dates`` anchored on the creation time, scored as TempEval-3 does: strict and relaxed
  (overlap) span precision/recall/F1 and value F1 over relaxed pairs. Values such as ``PAST_REF`` or
  ``FY2008`` count as gold the finder cannot reach.
* SemEval-2015 Task 4 TimeLine: for each target entity, the candidates ``core.extract.extract_candidates``
  finds in sentences naming the entity, against the gold timeline's dated lines (same document and sentence,
  compatible date). The gold lists every kind of event (sales, losses, strikes...), far more than the
  partnership kinds this tool looks for, so this is a measure of reach on foreign news, not a target.
* The development set: the articles of ``tests/corpus/articles`` ingested into a temporary database by the
  real ingestion path (manifest included), events matched to ``tests/corpus/gold.jsonl`` one to one
  (``benchmarks/scoring.py``), and the date finder against ``gold_dates.jsonl``.
* The held-out split (``tests/corpus/heldout``): articles in the same format whose wording the rules were
  never tuned on (other partnerships, other continents, company pairs, Vietnamese and Korean), scored the
  same way and printed separately: the gap between the two says how far the rules generalise.

The real corpora are read from ``$PARTNERSHIP_EXPLORER_CORPORA`` or ``../shared/corpora`` beside the
checkout; where they are absent those parts are skipped with a message. Samples of misses and false alarms
are printed to the terminal only: the corpora's sentences are never written to a file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "desktop"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import scoring

CORPUS = ROOT / "tests" / "corpus"
HELDOUT = CORPUS / "heldout"
RESULTS = ROOT / "benchmarks" / "results"
ENV_VAR = "PARTNERSHIP_EXPLORER_CORPORA"
ATTRIBUTION = {
    "meantime": ("MEANTIME English, CC BY 4.0, (c) 2015 FBK, VU Amsterdam, UPV/EHU. Minard et al., \"MEANTIME, "
                 "the NewsReader Multilingual Event and Time Corpus\", LREC 2016."),
    "semeval": ("SemEval-2015 Task 4 TimeLine, CC BY 3.0, (c) 2015 FBK, VUA, EHU. Minard et al., \"SemEval-2015 "
                "Task 4: TimeLine: Cross-Document Event Ordering\", SemEval 2015."),
}


def corpora_dir(explicit: str | None) -> tuple[Path | None, str]:
    """The corpora folder and where it was looked for: ``--corpora``, else ``$PARTNERSHIP_EXPLORER_CORPORA``,
    else ``../shared/corpora`` beside the checkout."""
    chosen = explicit or os.environ.get(ENV_VAR)
    where = Path(chosen) if chosen else ROOT.parent / "shared" / "corpora"
    return (where if where.is_dir() else None), str(where)


# ------------------------------------------------------------------------------------------------ CAT XML

_NO_SPACE_BEFORE = {",", ".", ";", ":", "%", ")", "]", "}", "?", "!", "...", "'s", "n't", "'re", "'ve", "'ll", "'d",
                    "'m", "''", "”", "’", "'"}
_NO_SPACE_AFTER = {"(", "[", "{", "$", "US$", "CA$", "AU$", "``", "“", "#"}
_QUOTES = {"``": '"', "''": '"'}


def _creation_date(value: str) -> dt.date | None:
    """The creation time of a CAT document: ISO (2009-02-03) as TimeML writes it, or day-month-year
    (03-02-2009), which a few MEANTIME files use."""
    if m := re.match(r"(\d{4})-(\d{2})-(\d{2})", value):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.match(r"(\d{2})-(\d{2})-(\d{4})", value):
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    return None


class CatDocument:
    """A CAT-format article: its text rebuilt from the tokens (one sentence per line, without the dateline
    sentence that holds the creation time), token and sentence offsets, DATE timexes and the creation time.

    ``annotated_only``: MEANTIME annotates the title and the first sentences of each article (up to sentence
    5, the dateline being sentence 1); the rest of the text is left out so that dates found there are not
    counted as false alarms."""

    def __init__(self, path: Path, *, annotated_only: bool = False):
        root = ElementTree.parse(path).getroot()
        self.path = path
        self.doc_id = root.get("doc_id", "")
        tokens = [(t.get("t_id"), int(t.get("sentence")), t.text or "") for t in root.iter("token")]
        sentence_of = {tid: s for tid, s, _ in tokens}
        self.dct: dt.date | None = None
        dct_sentence = None
        markables = root.find("Markables")
        timexes = list(markables.iter("TIMEX3")) if markables is not None else []
        last_sentence = None
        if annotated_only and markables is not None:
            marked = [sentence_of[a.get("t_id")] for el in markables for a in el.findall("token_anchor")
                      if a.get("t_id") in sentence_of]
            last_sentence = max([5, *marked])
        for t in timexes:
            if t.get("functionInDocument") == "CREATION_TIME":
                self.dct = _creation_date(t.get("value", ""))
                anchors = [a.get("t_id") for a in t.findall("token_anchor")]
                if anchors:
                    dct_sentence = sentence_of.get(anchors[0])
        parts: list[str] = []
        self.token_span: dict[str, tuple[int, int]] = {}
        self.sentence_span: dict[int, tuple[int, int]] = {}
        pos, prev_sentence, prev_tok, open_quote = 0, None, None, False
        for tid, sent, text in tokens:
            if sent == dct_sentence or (last_sentence is not None and sent > last_sentence):
                continue
            text = _QUOTES.get(text, text)
            if prev_sentence is not None and sent != prev_sentence:
                parts.append("\n")
                pos += 1
                prev_tok = None
            elif prev_tok is not None:
                closing_quote = text == '"' and open_quote
                if not (text in _NO_SPACE_BEFORE or closing_quote or prev_tok in _NO_SPACE_AFTER
                        or (prev_tok == '"' and open_quote)):
                    parts.append(" ")
                    pos += 1
            if text == '"':
                open_quote = not open_quote
            self.token_span[tid] = (pos, pos + len(text))
            s0, _ = self.sentence_span.get(sent, (pos, pos))
            self.sentence_span[sent] = (s0, pos + len(text))
            parts.append(text)
            pos += len(text)
            prev_sentence, prev_tok = sent, text
        self.text = "".join(parts)
        self.dates: list[scoring.GoldDate] = []
        self.other_timexes: list[tuple[int, int, str]] = []  # TIME, DURATION, SET: (start, end, type)
        for t in timexes:
            if t.get("functionInDocument") == "CREATION_TIME":
                continue
            spans = [self.token_span[a.get("t_id")] for a in t.findall("token_anchor") if a.get("t_id") in self.token_span]
            if not spans:
                continue  # an empty (implicit) timex: nothing in the text to find
            s, e = min(a for a, _ in spans), max(b for _, b in spans)
            if t.get("type") != "DATE":
                self.other_timexes.append((s, e, t.get("type") or "?"))
                continue
            self.dates.append(scoring.GoldDate(self.doc_id, s, e, self.text[s:e], t.get("value")))

    def sentences_at(self, start: int, end: int) -> set[int]:
        return {n for n, (a, b) in self.sentence_span.items() if a < end and start < b}


# ------------------------------------------------------------------------------------------------ MEANTIME

def find_dates_in(doc: CatDocument) -> list[scoring.PredDate]:
    from partnership_explorer.core.dates import find_dates, find_references

    out = []
    dates = find_dates(doc.text, reference=doc.dct, reference_precision="day" if doc.dct else None, language="en")
    for found in dates:
        # TimeML has no range timex: "from 2009 to 2011" is two DATEs, each scored on its own
        for m in found.parts or (found,):
            value, precision = scoring.pred_date_value(m.first, m.last, m.precision, m.is_range)
            out.append(scoring.PredDate(doc.doc_id, m.start, m.end, m.text, value, precision))
    for r in find_references(doc.text, dates):
        out.append(scoring.PredDate(doc.doc_id, r.start, r.end, r.text, r.value, "ref"))
    return out


def meantime(folder: Path, samples: int) -> dict:
    files = sorted((folder / "intra-doc_annotation").glob("*/*.xml"))
    t0 = time.perf_counter()
    gold, pred, other_timexes = [], [], {}
    for f in files:
        doc = CatDocument(f, annotated_only=True)
        gold += doc.dates
        pred += find_dates_in(doc)
        other_timexes[doc.doc_id] = doc.other_timexes
    s = scoring.score_dates(gold, pred)
    calendar_only = scoring.score_dates(gold, [p for p in pred if p.precision != "ref"]).table()
    on_other = Counter(kind for p in s.false_alarms for a, b, kind in other_timexes[p.file]
                       if a < p.end and p.start < b)
    seconds = time.perf_counter() - t0
    print(f"\n== Date finder on MEANTIME English: {len(files)} articles (their annotated title and first sentences), "
          f"{s.n_gold} TIMEX3 DATE mentions ({seconds:.1f} s)")
    print(f"   {ATTRIBUTION['meantime']}")
    _print_date_table(s)
    v = calendar_only["value"]
    print(f"   value without the vague references (PAST/PRESENT/FUTURE_REF): P {v['precision']:.3f} "
          f"R {v['recall']:.3f} F1 {v['f1']:.3f}")
    if on_other:
        print("   false alarms on a gold timex of another type (TIME, DURATION: a time expression all the same): "
              + ", ".join(f"{kind} {n}" for kind, n in on_other.most_common()))
    _print_errors(s.error_categories(), samples)
    return {"articles": len(files), **s.table(), "value_without_references": v,
            "false_alarms_on_other_timex_types": dict(on_other), "by_precision": s.by_precision(),
            "errors": {k: len(v) for k, v in s.error_categories().items()}, "seconds": round(seconds, 2)}


def _print_date_table(s: scoring.DateScores) -> None:
    t = s.table()
    print(f"   {'':10s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    for k in ("strict", "relaxed", "value"):
        print(f"   {k:10s} {t[k]['precision']:6.3f} {t[k]['recall']:6.3f} {t[k]['f1']:6.3f}")
    print(f"   gold {t['gold']}, predicted {t['predicted']}, false alarms on traps {len(s.trap_alarms)}")
    print("   by gold precision:   n   relaxed recall   value accuracy (of those found)")
    for c, row in s.by_precision().items():
        print(f"     {c:12s} {row['gold']:5d}   {row['relaxed_recall']:6.3f}          {row['value_accuracy']:6.3f}")


def _print_errors(cats: dict[str, list], samples: int, top: int = 8) -> None:
    if not cats:
        return
    print("   errors by category: " + "; ".join(f"{name} {len(items)}" for name, items in cats.items()))
    print("   most frequent errors (samples: text | gold value | predicted value):")
    for name, items in list(cats.items())[:top]:
        print(f"     {len(items):4d}  {name}")
        for file, text, gv, pv in items[:samples]:
            print(f"             {text!r:40.40s} | {gv or '-':18s} | {pv or '-'}   ({str(file)[:24]})")


# ------------------------------------------------------------------------------------------------ SemEval

_GENERIC_LAST = {"airlines", "motors", "markets", "market", "index", "average", "exchange", "dollar", "reserve",
                 "composite", "workers", "creditors", "worldwide", "america", "group", "press", "500", "100", "40",
                 "225"}


def _entity_patterns(name: str) -> list[re.Pattern]:
    forms = {name}
    words = name.split()
    if len(words) == 2 and all(w[:1].isupper() and w.isalpha() for w in words) and words[1].lower() not in _GENERIC_LAST:
        forms.add(words[1])  # a person's surname: "Gallois"
    forms |= {w for w in words if any(ch.isdigit() for ch in w) and w.lower() not in _GENERIC_LAST}  # "A380", "787"
    return [re.compile(r"(?<!\w)" + re.escape(f) + r"(?!\w)", re.IGNORECASE) for f in forms]


def _timeline_items(path: Path) -> tuple[str, list[tuple[scoring.Period, set[tuple[str, int]]]], int]:
    lines = path.read_text(encoding="utf-8").splitlines()
    name = lines[0].strip()
    items, undated = [], 0
    for line in lines[1:]:
        cols = line.split("\t")
        if len(cols) < 3:
            continue
        value = cols[1].strip()
        m = re.fullmatch(r"(\d{4})-(\d{2}|XX)-(\d{2}|XX)", value)
        if not m:
            undated += 1
            continue
        v = m[1] if m[2] == "XX" else (f"{m[1]}-{m[2]}" if m[3] == "XX" else value)
        period = scoring.parse_value(v)
        mentions = set()
        for mention in cols[2:]:
            parts = mention.strip().split("-")
            if len(parts) >= 3 and parts[0].isdigit() and parts[1].isdigit():
                mentions.add((parts[0], int(parts[1])))
        if period and mentions:
            items.append((period, mentions))
    return name, items, undated


def semeval(folder: Path, samples: int) -> dict:
    from partnership_explorer.core.extract import extract_candidates

    t0 = time.perf_counter()
    totals = {"gold": 0, "predicted": 0, "matched_gold": 0, "matched_pred": 0, "undated_lines": 0, "entities": 0}
    per_corpus = {}
    for corpus in sorted(p for p in folder.iterdir() if p.is_dir() and p.name.startswith("corpus_")):
        docs = [CatDocument(f) for f in sorted((corpus / "corpus_trackA_CAT").glob("*.xml"))]
        cands = {d.doc_id: extract_candidates(d.text, published=d.dct, published_precision="day" if d.dct else None,
                                              language="en") for d in docs}
        by_id = {d.doc_id: d for d in docs}
        c_tot = {"gold": 0, "predicted": 0, "matched": 0}
        for tl in sorted((corpus / "TimeLines_Gold_Standard").glob("*.txt")):
            name, items, undated = _timeline_items(tl)
            totals["undated_lines"] += undated
            totals["entities"] += 1
            pats = _entity_patterns(name)
            preds = []
            for doc_id, cs in cands.items():
                doc = by_id[doc_id]
                for c in cs:
                    if any(p.search(c.sentence.text) for p in pats):
                        period = scoring.period_of(c.date.first, c.date.last)
                        preds.append((doc_id, doc.sentences_at(c.sentence.start, c.sentence.end), period))
            # one to one: each gold line takes the first free prediction in one of its sentences with a date inside
            used = set()
            matched = 0
            for period, mentions in items:
                for k, (doc_id, sents, pp) in enumerate(preds):
                    if k in used or not any((doc_id, s) in mentions for s in sents) or not pp.inside(period):
                        continue
                    used.add(k)
                    matched += 1
                    break
            c_tot["gold"] += len(items)
            c_tot["predicted"] += len(preds)
            c_tot["matched"] += matched
        per_corpus[corpus.name] = scoring.prf_row(c_tot["matched"], c_tot["predicted"], c_tot["matched"], c_tot["gold"])
        totals["gold"] += c_tot["gold"]
        totals["predicted"] += c_tot["predicted"]
        totals["matched_gold"] += c_tot["matched"]
    seconds = time.perf_counter() - t0
    overall = scoring.prf_row(totals["matched_gold"], totals["predicted"], totals["matched_gold"], totals["gold"])
    print(f"\n== Events on the SemEval-2015 TimeLine gold ({totals['entities']} entity timelines, {totals['gold']} dated "
          f"lines; {totals['undated_lines']} undated lines left out; {seconds:.1f} s)")
    print(f"   {ATTRIBUTION['semeval']}")
    print(f"   {'':10s} {'P':>6s} {'R':>6s} {'F1':>6s}   gold  predicted")
    for name, row in [*per_corpus.items(), ("all", overall)]:
        print(f"   {name:10s} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}   {row['gold']:4d}  {row['predicted']:5d}")
    return {"overall": overall, "by_corpus": per_corpus, "undated_lines": totals["undated_lines"],
            "entities": totals["entities"], "seconds": round(seconds, 2)}


# ------------------------------------------------------------------------------------------------ dev set

def devset(samples: int, corpus: Path = CORPUS, label: str = "The project's development set") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        run = scoring.run_corpus(corpus, Path(tmp) / "devset.db")
    ev, ds = run.events, run.dates
    n_docs = len({g.file for g in run.gold})
    print(f"\n== {label} ({corpus.relative_to(ROOT)}): {n_docs} articles, {ev.n_gold} gold events "
          f"(ingested in {run.seconds:.1f} s)")
    for p in run.problems:
        print(f"   problem: {p}")
    print(f"   {'':22s} {'P':>6s} {'R':>6s} {'F1':>6s}  gold  pred")
    order = ["all"] + sorted(k for k in ev.groups if k.startswith("lang:")) + \
        [f"cat:{c}" for c in scoring.CATEGORIES + scoring.EXTRA_TAGS if f"cat:{c}" in ev.groups]
    for k in order:
        row = ev.groups[k]
        print(f"   {k:22s} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}  {row['gold']:4d}  {row['predicted']:4d}")
    src = run.events_by_source_date.overall()
    print(f"   dated by each article's own date expression instead of the merged event's date: P {src['precision']:.3f} "
          f"R {src['recall']:.3f} (the difference is what merging across articles costs)")
    cameo = "n/a (the extractor gives no CAMEO codes)" if ev.cameo_accuracy is None else f"{ev.cameo_accuracy:.3f}"
    print(f"   matched events: kind right {ev.kind_accuracy:.3f}, CAMEO root right {cameo}, precision as gold "
          f"{ev.exact_precision:.3f}, sectors recall {ev.sectors_recall:.3f}")
    print(f"   actors on matched events: recall {ev.actors['recall']:.3f} (parties {ev.actors['party_recall']:.3f}), "
          f"precision {ev.actors['precision']:.3f}")
    t = ev.titles
    print(f"   titles (share of predicted events): bare kind {t['bare_kind']:.3f}, whole sentence {t['whole_sentence']:.3f}, "
          f"fragment {t['fragment']:.3f}, mixed language {t['mixed_language']:.3f}; gold title words found "
          f"{t['gold_word_recall']:.3f}")
    if ev.kind_confusion:
        print("   kind confusions (gold->predicted): " +
              ", ".join(f"{k} {v}" for k, v in list(ev.kind_confusion.items())[:8]))
    if samples:
        print("   missed (sample):")
        for g in ev.missed[:samples * 2]:
            print(f"     {g.id:6s} {g.date:10s} {g.kind:10s} {g.title[:80]}")
        print("   false alarms (sample):")
        for p in ev.false_alarms[:samples * 2]:
            print(f"     {p.file[:22]:22s} {p.period.canonical():22s} {p.kind:10s} {p.title[:60]!r}  <- {p.date_texts[0]!r}")
    if ds.n_gold:
        print(f"\n== Date finder on {label[0].lower() + label[1:]} ({ds.n_gold} gold date expressions)")
        _print_date_table(ds)
        _print_errors(ds.error_categories(), samples)
    return {
        "articles": n_docs, "events": ev.groups, "kind_accuracy": ev.kind_accuracy, "kind_confusion": ev.kind_confusion,
        "cameo_accuracy": ev.cameo_accuracy, "precision_as_gold": ev.exact_precision, "actors": ev.actors,
        "sectors_recall": ev.sectors_recall, "titles": ev.titles,
        "by_source_date": run.events_by_source_date.overall(),
        "missed": [g.id for g in ev.missed],
        "dates": {**ds.table(), "by_precision": ds.by_precision(), "trap_false_alarms": len(ds.trap_alarms),
                  "errors": {k: len(v) for k, v in ds.error_categories().items()}},
        "problems": run.problems, "ingest_seconds": round(run.seconds, 2),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", help=f"folder holding meantime-en/ and semeval2015-task4-timeline/ "
                                      f"(default: ${ENV_VAR}, then ../shared/corpora)")
    ap.add_argument("--samples", type=int, default=4, help="examples printed per error category (0: none)")
    ap.add_argument("--only", default="meantime,semeval,dev,heldout,heldout2,heldout3,heldout4,heldout5,heldout6,heldout7,heldout8,heldout9,heldout10,heldout11,heldout12,heldout13,heldout14,heldout15,heldout16,heldout17,heldout18,heldout19,heldout20,heldout21,heldout22,heldout23", help="comma-separated parts to run")
    ap.add_argument("--json", type=Path, default=RESULTS / "extraction.json")
    args = ap.parse_args()
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    out: dict = {"when": dt.datetime.now().isoformat(timespec="seconds")}
    folder, where = corpora_dir(args.corpora)
    if parts & {"meantime", "semeval"}:
        if folder is None:
            print(f"(MEANTIME and SemEval-2015 skipped: no corpora folder at {where}; give --corpora DIR or set "
                  f"${ENV_VAR})")
        else:
            if "meantime" in parts:
                if (folder / "meantime-en").is_dir():
                    out["meantime"] = meantime(folder / "meantime-en", args.samples)
                else:
                    print(f"(MEANTIME skipped: {folder / 'meantime-en'} is absent)")
            if "semeval" in parts:
                if (folder / "semeval2015-task4-timeline").is_dir():
                    out["semeval2015_timelines"] = semeval(folder / "semeval2015-task4-timeline", args.samples)
                else:
                    print(f"(SemEval-2015 skipped: {folder / 'semeval2015-task4-timeline'} is absent)")
            out["attribution"] = [ATTRIBUTION[k] for k in ("meantime", "semeval")]
    if "dev" in parts:
        out["devset"] = devset(args.samples)
    if "heldout" in parts:
        out["heldout"] = devset(args.samples, HELDOUT, "The held-out split")
    for name in sorted(p for p in parts if p.startswith("heldout") and p != "heldout"):
        folder = CORPUS / name
        if (folder / "gold.jsonl").is_file():
            out[name] = devset(args.samples, folder, f"The held-out split {name}")
        else:
            print(f"({name} skipped: {folder.relative_to(ROOT)} is absent)")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"\nresults: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
