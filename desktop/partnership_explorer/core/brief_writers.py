"""Writers of a :class:`~.brief.Brief`: Markdown, HTML, and its sources as CSL-JSON, BibTeX or RIS.

Each writer only renders the model; the figure comes in as bytes (PNG and SVG produced by the timeline export).
HTML is one self-contained file (the figure as a ``data:`` URI, no script, no remote resource); the
:func:`render_qt_html` is the same document in the HTML subset Qt's ``QTextDocument`` lays out, for the PDF.
Markdown uses footnote syntax (``[^1]``: GitHub, Pandoc, Jupyter) and links the figure as a side file.
"""

from __future__ import annotations

import base64
import html
import json
import re
from pathlib import Path

from .brief import INDICATOR_COLUMNS, Article, Brief, BriefEvent

CITATION_SUFFIXES = (".json", ".bib", ".ris")


def meta_line(e: BriefEvent) -> str:
    bits = [e.kind_label]
    if e.actors:
        bits.append("Actors: " + ", ".join(e.actors))
    if e.sectors:
        bits.append("Sectors: " + ", ".join(e.sectors))
    return " · ".join(bits)


def bib_entry_text(a: Article) -> str:
    bits = [a.title]
    if a.outlet:
        bits.append(a.outlet)
    bits.append(a.published_label)
    text = ". ".join(b.rstrip(".") for b in bits) + "."
    if a.published and a.published_basis not in ("manifest", "html-metadata", "metadata"):
        text += " (Publication date read from the text.)" if a.published_basis == "dateline" else \
            " (Publication date inferred.)"
    return text


def changes_groups(brief: Brief) -> list[tuple[str, list[str]]]:
    return brief.changes.groups() if brief.changes is not None else []


# -- Markdown -----------------------------------------------------------------------------------------------------
def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def render_markdown(brief: Brief, figure_name: str | None) -> str:
    out = [f"# {_md_escape(brief.title)}", ""]
    out.append(f"*{_md_escape(brief.subtitle)} — {brief.generated.isoformat()}, database {_md_escape(brief.database)}*")
    out += ["", _md_escape(brief.summary()), ""]
    if figure_name:
        out += [f"![{_md_escape(brief.figure_caption)}]({figure_name})", "", f"*{_md_escape(brief.figure_caption)}*", ""]
    if brief.indicators:
        out += ["## Indicators", "", "| " + " | ".join(h for _, h in INDICATOR_COLUMNS) + " |",
                "|" + "---|" * len(INDICATOR_COLUMNS)]
        out += ["| " + " | ".join(_md_escape(r[k]).replace("|", "\\|") for k, _ in INDICATOR_COLUMNS) + " |"
                for r in brief.indicators]
        out.append("")
    if brief.changes is not None:
        out += [f"## {_md_escape(brief.changes.heading())}", "", _md_escape(brief.changes.summary()), ""]
        for label, items in changes_groups(brief):
            out.append(f"**{_md_escape(label)}**")
            out.append("")
            out += [f"- {_md_escape(i)}" for i in items]
            out.append("")
    if brief.ladder:
        out += [f"## {_md_escape(brief.ladder_heading)}", "", "| Date | Level | Dates by source | Events |",
                "|---|---|---|---|"]
        out += [f"| {_md_escape(st.date_label)} | {_md_escape(st.level)} | {_md_escape(st.source_dates)} | "
                f"{_md_escape(st.events)} |" for st in brief.ladder]
        out.append("")
    out += ["## Events", ""]
    for e in brief.events:
        refs = "".join(f"[^{n.number}]" for n in e.notes)
        mark = f" *({e.mark})*" if e.mark else ""
        out.append(f"- **{_md_escape(e.date_label)}** — {_md_escape(e.title)}{mark}{refs}  ")
        out.append(f"  {_md_escape(meta_line(e))}")
    out.append("")
    if brief.bibliography:
        out += ["## Sources", ""]
        out += [f"- \\[{a.key}\\] {_md_escape(bib_entry_text(a))}" for a in brief.bibliography]
        out.append("")
    for n in brief.notes:
        out.append(f"[^{n.number}]: {_md_escape(n.text())}")
    out.append("")
    return "\n".join(out)


# -- HTML ---------------------------------------------------------------------------------------------------------
_CSS = """
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; max-width: 46em; margin: 2em auto;
       padding: 0 1em; color: #222; line-height: 1.45; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
.meta { color: #555; margin-top: 0; }
figure { margin: 1.5em 0; }
figure img { width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #444; }
ol.events { list-style: none; padding-left: 0; }
ol.events li { margin-bottom: 0.7em; }
.date { font-weight: bold; }
.mark { font-style: italic; color: #1b6e3a; }
.details { color: #555; font-size: 0.92em; }
table.ladder { border-collapse: collapse; width: 100%; font-size: 0.92em; }
table.ladder th, table.ladder td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
table.indicators { border-collapse: collapse; width: 100%; font-size: 0.9em; }
table.indicators th, table.indicators td { border: 1px solid #ccc; padding: 0.2em 0.4em; text-align: left; }
section.notes li, section.sources li { font-size: 0.9em; margin-bottom: 0.3em; }
sup a { text-decoration: none; }
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _refs(e: BriefEvent) -> str:
    return "<sup>,</sup>".join(
        f'<sup><a href="#note-{n.number}" id="ref-{n.number}">{n.number}</a></sup>' for n in e.notes)


def render_html(brief: Brief, figure_png: bytes | None = None, figure_svg: bytes | None = None) -> str:
    """The brief as one self-contained HTML5 file (the figure as a ``data:`` URI)."""
    h = ['<!DOCTYPE html>', '<html lang="en">', '<head><meta charset="utf-8">', f"<title>{_e(brief.title)}</title>",
         '<meta name="generator" content="Partnership Explorer">', f"<style>{_CSS}</style>", "</head><body>",
         f"<h1>{_e(brief.title)}</h1>",
         f'<p class="meta"><i>{_e(brief.subtitle)} — {_e(brief.generated.isoformat())}, '
         f"database {_e(brief.database)}</i></p>",
         f"<p>{_e(brief.summary())}</p>"]
    if figure_svg or figure_png:
        if figure_svg:
            uri = "data:image/svg+xml;base64," + base64.b64encode(figure_svg).decode()
        else:
            uri = "data:image/png;base64," + base64.b64encode(figure_png).decode()
        h.append(f'<figure><img src="{uri}" alt="{_e(brief.figure_caption)}">'
                 f"<figcaption>{_e(brief.figure_caption)}</figcaption></figure>")
    if brief.indicators:
        h.append(indicator_table_html(brief))
    if brief.changes is not None:
        h.append(f"<h2>{_e(brief.changes.heading())}</h2>")
        h.append(f"<p>{_e(brief.changes.summary())}</p>")
        for label, items in changes_groups(brief):
            h.append(f"<h3>{_e(label)}</h3><ul>" + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>")
    if brief.ladder:
        h.append(f"<h2>{_e(brief.ladder_heading)}</h2>")
        h.append(_ladder_table(brief, 'class="ladder"'))
    h.append('<h2>Events</h2><ol class="events">')
    for e in brief.events:
        mark = f' <span class="mark">({_e(e.mark)})</span>' if e.mark else ""
        h.append(f'<li id="event-{e.id}"><span class="date">{_e(e.date_label)}</span> — {_e(e.title)}{mark}'
                 f'{_refs(e)}<br><span class="details">{_e(meta_line(e))}</span></li>')
    h.append("</ol>")
    if brief.notes:
        h.append('<section class="notes"><h2>Notes</h2><ol>')
        for n in brief.notes:
            h.append(f'<li id="note-{n.number}" value="{n.number}">{_e(n.text())} [{_e(n.article.key)}] '
                     f'<a href="#ref-{n.number}" aria-label="back to the event">↩</a></li>')
        h.append("</ol></section>")
    if brief.bibliography:
        h.append('<section class="sources"><h2>Sources</h2><ul>')
        h += [f'<li id="src-{_e(a.key)}">[{_e(a.key)}] {_e(bib_entry_text(a))}</li>' for a in brief.bibliography]
        h.append("</ul></section>")
    h.append("</body></html>")
    return "\n".join(h) + "\n"


LADDER_COLUMNS = ("Date", "Level", "Dates by source", "Events")


def _ladder_table(brief: Brief, attrs: str) -> str:
    """The relationship ladder's steps as an HTML table (the HTML brief and Qt's PDF layout)."""
    rows = "".join(f"<tr><td>{_e(st.date_label)}</td><td>{_e(st.level)}</td><td>{_e(st.source_dates)}</td>"
                   f"<td>{_e(st.events)}</td></tr>" for st in brief.ladder)
    head = "".join(f"<th>{c}</th>" for c in LADDER_COLUMNS)
    return f"<table {attrs}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def indicator_table_html(brief: Brief, *, qt: bool = False) -> str:
    """The brief's dated figures as an HTML table (also in the subset QTextDocument lays out)."""
    attrs = ' border="1" cellspacing="0" cellpadding="3" width="100%"' if qt else ' class="indicators"'
    rows = ["<h2>Indicators</h2>", f"<table{attrs}><thead><tr>"
            + "".join(f"<th>{_e(h)}</th>" for _, h in INDICATOR_COLUMNS) + "</tr></thead><tbody>"]
    rows += ["<tr>" + "".join(f"<td>{_e(r[k])}</td>" for k, _ in INDICATOR_COLUMNS) + "</tr>" for r in brief.indicators]
    rows.append("</tbody></table>")
    return "".join(rows)


def render_qt_html(brief: Brief, figure_name: str | None, figure_size: tuple[int, int], indent: int = 16) -> str:
    """The same document in the HTML subset ``QTextDocument`` lays out, for the PDF writer: the figure is an image
    named ``figure_name`` (painted over as vectors), and there are no HTML lists — Qt's HTML import takes time
    quadratic in a list's length (72 s for 10,000 events), so items are paragraphs with a hanging indent of
    ``indent`` pixels of the layout's paint device."""
    h = ["<html><head><meta charset=\"utf-8\">", f"<title>{_e(brief.title)}</title></head><body>",
         f"<h1>{_e(brief.title)}</h1>",
         f"<p><i>{_e(brief.subtitle)} — {_e(brief.generated.isoformat())}, database {_e(brief.database)}</i></p>",
         f"<p>{_e(brief.summary())}</p>"]
    if figure_name:
        h.append(f'<p align="center"><img src="{_e(figure_name)}" width="{figure_size[0]}" '
                 f'height="{figure_size[1]}"></p>')
        h.append(f"<p><small>{_e(brief.figure_caption)}</small></p>")
    if brief.indicators:
        h.append(indicator_table_html(brief, qt=True))
    item = f'<p style="margin-left: {indent}px; text-indent: -{indent}px; margin-top: 0px; margin-bottom: 4px;">'
    if brief.changes is not None:
        h.append(f"<h2>{_e(brief.changes.heading())}</h2>")
        h.append(f"<p>{_e(brief.changes.summary())}</p>")
        for label, items in changes_groups(brief):
            h.append(f"<h3>{_e(label)}</h3>" + "".join(f"{item}• {_e(i)}</p>" for i in items))
    if brief.ladder:
        h.append(f"<h2>{_e(brief.ladder_heading)}</h2>")
        h.append(_ladder_table(brief, 'border="1" cellspacing="0" cellpadding="3" width="100%"'))
    h.append("<h2>Events</h2>")
    for e in brief.events:
        mark = f" <i>({_e(e.mark)})</i>" if e.mark else ""
        h.append(f"{item}<b>{_e(e.date_label)}</b> — {_e(e.title)}{mark}{_refs(e)}<br>"
                 f'<font color="#555555">{_e(meta_line(e))}</font></p>')
    note = f'<p style="margin-left: {indent}px; text-indent: -{indent}px; margin-top: 0px; margin-bottom: 3px;">'
    if brief.notes:
        h.append("<h2>Notes</h2>")
        h += [f'{note}<a name="note-{n.number}"></a>{n.number}. {_e(n.text())} [{_e(n.article.key)}]</p>'
              for n in brief.notes]
    if brief.bibliography:
        h.append("<h2>Sources</h2>")
        h += [f"{note}[{_e(a.key)}] {_e(bib_entry_text(a))}</p>" for a in brief.bibliography]
    h.append("</body></html>")
    return "\n".join(h) + "\n"


# -- citations ----------------------------------------------------------------------------------------------------
def _date_parts(a: Article) -> list[int] | None:
    if not a.published:
        return None
    try:
        return [int(p) for p in a.published.split("-")]
    except ValueError:
        return None


def csl_json(brief: Brief) -> str:
    """CSL-JSON (Zotero, Mendeley, pandoc-citeproc): one ``article-newspaper`` item per article."""
    items = []
    for a in brief.bibliography:
        item = {"id": a.key, "type": "article-newspaper", "title": a.title, "language": a.language}
        if a.outlet:
            item["container-title"] = a.outlet
        parts = _date_parts(a)
        if parts:
            item["issued"] = {"date-parts": [parts]}
        item["note"] = f"Ingested as {a.file_name}"
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


_BIB_SPECIAL = str.maketrans({"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
                              "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\^{}"})


def bibtex(brief: Brief) -> str:
    """BibTeX ``@article`` entries (UTF-8; biblatex and Zotero read it as is)."""
    out = []
    for a in brief.bibliography:
        fields = [("title", "{" + a.title.translate(_BIB_SPECIAL) + "}")]
        if a.outlet:
            fields.append(("journal", a.outlet.translate(_BIB_SPECIAL)))
        parts = _date_parts(a)
        if parts:
            fields.append(("year", str(parts[0])))
            if len(parts) > 1:
                fields.append(("month", ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                         "dec"][parts[1] - 1]))
            fields.append(("date", a.published))
        fields.append(("langid", a.language))
        fields.append(("note", f"Ingested as {a.file_name}".translate(_BIB_SPECIAL)))
        body = ",\n".join(f"  {k} = {{{v}}}" if k != "month" else f"  {k} = {v}" for k, v in fields)
        out.append(f"@article{{{a.key},\n{body}\n}}\n")
    return "\n".join(out)


def ris(brief: Brief) -> str:
    """RIS records (``TY  - NEWS``), the format every reference manager imports."""
    lines = []
    for a in brief.bibliography:
        lines.append("TY  - NEWS")
        lines.append(f"ID  - {a.key}")
        lines.append(f"TI  - {a.title}")
        if a.outlet:
            lines.append(f"T2  - {a.outlet}")
        parts = _date_parts(a)
        if parts:
            lines.append(f"PY  - {parts[0]}")
            lines.append("DA  - " + "/".join([f"{parts[0]:04d}"] + [f"{p:02d}" for p in parts[1:]]))
        lines.append(f"LA  - {a.language}")
        lines.append(f"N1  - Ingested as {a.file_name}")
        lines.append("ER  - ")
        lines.append("")
    return "\r\n".join(lines)


def render_citations(brief: Brief, suffix: str) -> str:
    suffix = suffix.lower()
    if suffix == ".json":
        return csl_json(brief)
    if suffix == ".bib":
        return bibtex(brief)
    if suffix == ".ris":
        return ris(brief)
    raise ValueError(f"unknown citation format '{suffix}' (use .json, .bib or .ris)")


def figure_side_file(out: Path) -> Path:
    """Where the Markdown brief's figure goes: ``brief.md`` → ``brief.timeline.png`` beside it."""
    return out.with_name(out.stem + ".timeline.png")


__all__ = ["CITATION_SUFFIXES", "bibtex", "csl_json", "figure_side_file", "render_citations", "render_html",
           "render_markdown", "render_qt_html", "ris"]
