"""The brief as a Word document (python-docx), editable in Word or LibreOffice.

Sources are real Word footnotes: python-docx has no footnote API, so this module adds the ``word/footnotes.xml``
part (with the separator footnotes Word expects) and a ``w:footnoteReference`` run after each event's title.
The figure is a PNG at print resolution: python-docx can only embed raster pictures (Word's SVG pictures are an
extension it does not write).
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

from .brief import INDICATOR_COLUMNS, Brief
from .brief_writers import LADDER_COLUMNS, bib_entry_text, changes_groups, meta_line

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _footnotes_part(package, texts: list[tuple[int, str]]) -> Part:
    root = etree.Element(qn("w:footnotes"), nsmap={"w": W_NS})
    for fid, kind in ((-1, "separator"), (0, "continuationSeparator")):
        fn = etree.SubElement(root, qn("w:footnote"), {qn("w:type"): kind, qn("w:id"): str(fid)})
        p = etree.SubElement(fn, qn("w:p"))
        ppr = etree.SubElement(p, qn("w:pPr"))
        etree.SubElement(ppr, qn("w:spacing"), {qn("w:after"): "0", qn("w:line"): "240", qn("w:lineRule"): "auto"})
        r = etree.SubElement(p, qn("w:r"))
        etree.SubElement(r, qn(f"w:{kind}"))
    for fid, text in texts:
        fn = etree.SubElement(root, qn("w:footnote"), {qn("w:id"): str(fid)})
        p = etree.SubElement(fn, qn("w:p"))
        ppr = etree.SubElement(p, qn("w:pPr"))
        etree.SubElement(ppr, qn("w:pStyle"), {qn("w:val"): "FootnoteText"})
        r = etree.SubElement(p, qn("w:r"))
        rpr = etree.SubElement(r, qn("w:rPr"))
        etree.SubElement(rpr, qn("w:rStyle"), {qn("w:val"): "FootnoteReference"})
        etree.SubElement(r, qn("w:footnoteRef"))
        r = etree.SubElement(p, qn("w:r"))
        t = etree.SubElement(r, qn("w:t"))
        t.text = " " + text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, blob, package)


def _ensure_styles(doc) -> None:
    styles = doc.styles
    names = {s.name for s in styles}
    if "footnote text" not in {n.lower() for n in names}:
        st = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = styles["Normal"]
        st.font.size = Pt(8.5)
        st.paragraph_format.space_after = Pt(0)
    if "footnote reference" not in {n.lower() for n in names}:
        st = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
        st.font.superscript = True


def _footnote_reference(paragraph, fid: int) -> None:
    run = paragraph.add_run()
    rpr = run._r.get_or_add_rPr()
    rpr.append(parse_xml(f'<w:rStyle {nsdecls("w")} w:val="FootnoteReference"/>'))
    run._r.append(parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{fid}"/>'))


def render_docx(brief: Brief, figure_png: bytes | None) -> bytes:
    """The brief as a .docx file (bytes)."""
    doc = Document()
    _ensure_styles(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(22))
    section.top_margin = section.bottom_margin = Mm(20)
    text_width = section.page_width - section.left_margin - section.right_margin

    props = doc.core_properties
    props.title = brief.title[:255]  # Word's document properties hold at most 255 characters
    props.subject = brief.subtitle[:255]
    props.comments = f"Data fingerprint {brief.fingerprint}"
    props.author = "Partnership Explorer"

    doc.add_paragraph(brief.title, style="Title")
    meta = doc.add_paragraph()
    meta.add_run(f"{brief.subtitle} — {brief.generated.isoformat()}, database {brief.database}").italic = True
    doc.add_paragraph(brief.summary())
    if figure_png:
        doc.add_picture(io.BytesIO(figure_png), width=text_width)
        doc.add_paragraph(brief.figure_caption, style="Caption")
    if brief.indicators:
        doc.add_heading("Indicators", level=1)
        table = doc.add_table(rows=1, cols=len(INDICATOR_COLUMNS))
        table.style = "Table Grid"
        for cell, (_, header) in zip(table.rows[0].cells, INDICATOR_COLUMNS):
            cell.text = header
        for r in brief.indicators:
            for cell, (key, _) in zip(table.add_row().cells, INDICATOR_COLUMNS):
                cell.text = r[key]

    if brief.changes is not None:
        doc.add_heading(brief.changes.heading(), level=1)
        doc.add_paragraph(brief.changes.summary())
        for label, items in changes_groups(brief):
            doc.add_heading(label, level=2)
            for item in items:
                doc.add_paragraph(item, style="List Bullet")

    if brief.ladder:
        doc.add_heading(brief.ladder_heading, level=1)
        table = doc.add_table(rows=1, cols=len(LADDER_COLUMNS))
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, LADDER_COLUMNS):
            cell.text = name
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for st in brief.ladder:
            for cell, text in zip(table.add_row().cells, (st.date_label, st.level, st.source_dates, st.events)):
                cell.text = text

    events_heading = doc.add_heading("Events", level=1)
    footnotes: list[tuple[int, str]] = []
    # python-docx finds the section properties at the end of the body for every paragraph it adds, a walk over
    # all paragraphs: the events' paragraphs are built detached and put in place at the end (10,000 events: 70 s
    # otherwise)
    detached = []
    for e in brief.events:
        p = doc.add_paragraph()
        p.paragraph_format.space_after = Pt(2)
        p.paragraph_format.keep_with_next = True
        p.add_run(e.date_label).bold = True
        p.add_run(" — " + e.title)
        if e.mark:
            mark = p.add_run(f" ({e.mark})")
            mark.italic = True
            mark.font.color.rgb = RGBColor(0x1B, 0x6E, 0x3A)
        for i, n in enumerate(e.notes):
            if i:
                p.add_run(",").font.superscript = True
            footnotes.append((n.number, f"{n.text()} [{n.article.key}]"))
            _footnote_reference(p, n.number)
        d = doc.add_paragraph()
        d.paragraph_format.space_after = Pt(8)
        run = d.add_run(meta_line(e))
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)
        for para in (p, d):
            para._p.getparent().remove(para._p)
            detached.append(para._p)
    cursor = events_heading._p
    for element in detached:
        cursor.addnext(element)
        cursor = element

    if brief.bibliography:
        doc.add_heading("Sources", level=1)
        for a in brief.bibliography:
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(3)
            p.add_run(f"[{a.key}] ").bold = True
            p.add_run(bib_entry_text(a))

    if footnotes:
        part = _footnotes_part(doc.part.package, footnotes)
        doc.part.relate_to(part, RT.FOOTNOTES)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def read_footnotes(doc) -> dict[int, str]:
    """Footnote id → its text, from a document opened with python-docx (used by the tests and by anyone checking
    a brief)."""
    for rel in doc.part.rels.values():
        if rel.reltype == RT.FOOTNOTES:
            root = etree.fromstring(rel.target_part.blob)
            out = {}
            for fn in root.iter(qn("w:footnote")):
                fid = int(fn.get(qn("w:id")))
                if fid > 0:
                    out[fid] = "".join(t.text or "" for t in fn.iter(qn("w:t"))).strip()
            return out
    return {}


__all__ = ["read_footnotes", "render_docx"]
