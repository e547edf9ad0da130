"""Labels of the relationship ladder's steps stay inside the plot, never meet one another or cross another step's
riser or tread, and the current level's label is whole near the right edge: the placement alone (Qt-free, dense
random ladders) and what the band paints (pytest-qt, offscreen, in the window's widget and in exports)."""

import numpy as np
import pytest

from partnership_explorer.core.ladder_labels import MIN_LABEL_PX, StepGeometry, place_step_labels
from test_timeline_badges import shown_timeline  # noqa: F401  (fixture)

CHAR = 6.5    # a text's width in tests: 6.5 px a character


def measure(_i, text):
    return CHAR * len(text)


def elide(_i, text, width):
    n = int(width // CHAR) - 1
    return text[:n] + "…" if n > 0 else ""


def _texts(k):
    return [[f"Comprehensive Strategic Partnership · December {2000 + i}", f"Level {i} {2000 + i}",
             f"{2000 + i} Level {i} of the ladder"] for i in range(k)]


def _ladder(rng, k, left, right, top, bottom):
    xs = np.sort(rng.uniform(left - 100, right + 50, k))
    ys = rng.uniform(top, bottom - 5, k)
    ends = np.append(xs[1:], max(xs[-1] + 400, right + 1))
    return [StepGeometry(float(x), float(e), float(y)) for x, e, y in zip(xs, ends, ys)]


def _meet(a, b):
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("k", [2, 5, 9])
def test_no_step_label_meets_another_crosses_a_riser_or_leaves_the_plot(seed, k):
    rng = np.random.default_rng([seed, k])
    left, right, top, bottom, label_h = 70.0, float(rng.uniform(300, 1200)), 16.0, 61.0, 15.0
    steps = _ladder(rng, k, left, right, top, bottom)
    labels = place_step_labels(steps, _texts(k), label_h=label_h, left=left, right=right, bottom=bottom,
                               measure=measure, elide=elide, selected=[int(rng.integers(0, k))])
    assert len({l.step for l in labels}) == len(labels)
    for n, a in enumerate(labels):
        assert left <= a.x and a.right <= right                       # inside the plot
        assert a.width >= min(MIN_LABEL_PX, measure(0, a.text))
        assert a.text in _texts(k)[a.step] or a.text.endswith("…")
        for b in labels[n + 1:]:
            assert not _meet(a, b), (a, b)
        for j, s in enumerate(steps):
            if j == a.step:
                continue
            crosses_riser = a.x < s.x < a.right and a.bottom > s.y
            crosses_tread = a.y < s.y < a.bottom and a.x < s.end and s.x < a.right
            assert not crosses_riser and not crosses_tread, (a, j, s)


def test_the_last_steps_label_near_the_right_edge_ends_at_its_riser_whole():
    steps = [StepGeometry(100.0, 880.0, 54.0), StepGeometry(880.0, 1400.0, 20.0)]
    texts = [["Diplomatic relations · 1992"], ["Comprehensive Strategic Partnership · December 2022",
                                               "Comprehensive Strategic Partnership 2022"]]
    labels = place_step_labels(steps, texts, label_h=15, left=70, right=1000, bottom=61, measure=measure,
                               elide=elide)
    last = next(l for l in labels if l.step == 1)
    assert last.text == texts[1][0] and last.left_of_riser and last.right <= 880
    assert {l.step for l in labels} == {0, 1}


def test_close_steps_share_the_room_on_two_lines():
    # three steps 60 px apart: not every label fits right of its riser; none overlap, the latest is whole
    steps = [StepGeometry(400.0, 460.0, 54.0), StepGeometry(460.0, 520.0, 40.0), StepGeometry(520.0, 1100.0, 20.0)]
    labels = place_step_labels(steps, _texts(3), label_h=15, left=70, right=1000, bottom=61, measure=measure,
                               elide=elide)
    by_step = {l.step: l for l in labels}
    assert by_step[2].text == _texts(3)[2][0]
    for n, a in enumerate(labels):
        for b in labels[n + 1:]:
            assert not _meet(a, b)


# -- the painted band -------------------------------------------------------------------------------------
def _step(label, rank, date, level="x"):
    from partnership_explorer.core.relationship import Step

    return Step("A|B", "A–B", level, label, rank, date, "month", f"{date}-01", f"{date}-28")


def _recorded_labels(widget):
    """(rect, text) of every step label the band paints, by painting it on an image through a recording painter."""
    from PySide6.QtGui import QImage, QPainter

    band = widget.ladder_band
    drawn = []

    class Recorder(QPainter):
        def drawText(self, *args):
            if len(args) == 3 and hasattr(args[0], "width"):
                drawn.append((args[0], args[2], self.font()))
            return super().drawText(*args)

    img = QImage(int(band.boundingRect().width()) + 1, int(band.boundingRect().height()) + 1,
                 QImage.Format.Format_ARGB32)
    p = Recorder(img)
    band.paint(p)
    p.end()
    return drawn[1:]    # the first is the pair's name left of the plot


@pytest.fixture
def laddered(qtbot, shown_timeline):  # noqa: F811
    from partnership_explorer.core.timeline import LaneInfo, TimelineData, to_days
    from partnership_explorer.qt.ladder_band import show

    w = shown_timeline
    lanes = [LaneInfo("diplomacy", "Diplomacy", "#0077bb")]
    start = np.array([to_days("1992-12-01"), to_days("2022-12-01")])
    w.set_data(TimelineData.from_arrays(lanes, [1, 2], [0, 0], start, start + 1, titles={1: "a", 2: "b"}))
    show(w, ("Vietnam–South Korea", [_step("Diplomatic relations", 1, "1992-12"),
                                     _step("Strategic Partnership", 4, "2009-10"),
                                     _step("Comprehensive Partnership", 3, "2001-08"),
                                     _step("Comprehensive Strategic Partnership", 6, "2022-12")]))
    qtbot.wait(50)
    return w


@pytest.mark.parametrize("view", [("1985-01-01", "2024-06-01"), ("1950-01-01", "2030-01-01"),
                                  ("2000-01-01", "2023-03-01")])
def test_painted_step_labels_are_inside_the_plot_apart_and_the_current_level_whole(laddered, view):
    from PySide6.QtGui import QFontMetricsF

    from partnership_explorer.core.timeline import to_days

    w = laddered
    w.set_x_range(to_days(view[0]), to_days(view[1]))
    w.update_lod()
    drawn = _recorded_labels(w)
    assert drawn
    _scale, _origin, left, right = w.ladder_band._x_map()
    boxes = []
    for rect, text, font in drawn:
        width = QFontMetricsF(font).horizontalAdvance(text)
        box = (rect.left(), rect.top(), rect.left() + width, rect.bottom())
        assert left <= box[0] and box[2] <= right, (text, box, left, right)        # not cut at the plot's edge
        assert width <= rect.width() + 0.5, text                                   # not cut by its own box
        for other in boxes:
            assert not (box[0] < other[2] and other[0] < box[2] and box[1] < other[3] and other[1] < box[3]), \
                (text, box, other)
        boxes.append(box)
    # the level the relationship holds now, its riser near the right edge: its label is whole
    texts = [t for _r, t, _f in drawn]
    assert any(t.startswith("Comprehensive Strategic Partnership") and not t.endswith("…") for t in texts), texts


@pytest.mark.parametrize("suffix, dpi", [(".svg", 96), (".svg", 192), (".pdf", 96)])
def test_an_export_ending_just_after_the_last_step_writes_its_label_whole(qtbot, seed_db, tmp_path, suffix, dpi):
    """The events of 2015–2022: the December 2022 riser is near the plot's right edge; its label goes left of it,
    whole, in the vector exports at any resolution (the same placement as the window's)."""
    import datetime as dt
    import subprocess

    from partnership_explorer.core.query import EventFilter
    from partnership_explorer.qt.export import export_from_cli

    flt = EventFilter(date_from=dt.date(2015, 1, 1), date_to=dt.date(2022, 12, 31))
    out = export_from_cli(seed_db, tmp_path / f"l{dpi}{suffix}", flt, width=900, height=500, dpi=dpi,
                          title="ladder")
    if suffix == ".svg":
        text = out.read_text()
    else:
        try:
            text = subprocess.run(["pdftotext", "-raw", str(out), "-"], capture_output=True, text=True,
                                  check=True).stdout
        except FileNotFoundError:
            pytest.skip("pdftotext is not installed")
    assert "Comprehensive Strategic Partnership · December 2022" in text


def test_the_lanes_shade_the_eras_of_the_ladder_shown_not_every_pairs_milestones(laddered):
    """A database of many pairs: its milestones of other pairs make no eras behind the lanes; the ladder's do."""
    from PySide6.QtGui import QImage, QPainter

    from partnership_explorer.core.timeline import Era, to_days

    w = laddered
    w.data.eras = [Era(to_days("1950-01-01"), to_days("2030-01-01"), "Diplomatic relations of another pair 1950–")]
    w.set_x_range(to_days("1985-01-01"), to_days("2026-01-01"))
    w.update_lod()
    texts = []

    class Recorder(QPainter):
        def drawText(self, *args):
            texts.append(args[-1])
            return super().drawText(*args)

    img = QImage(w.glw.width(), w.glw.height(), QImage.Format.Format_ARGB32)
    p = Recorder(img)
    w.background.paint(p)
    p.end()
    assert "Diplomatic relations of another pair 1950–" not in texts
    assert [e.label for e in w.ladder_band.eras] == ["Diplomatic relations 1992–", "Comprehensive Partnership 2001–",
                                                     "Strategic Partnership 2009–",
                                                     "Comprehensive Strategic Partnership 2022–"]
    assert any(t.startswith("Diplomatic relations 1992") for t in texts), texts


# -- the pair's name and narrow eras ---------------------------------------------------------------------------
def _chars(text, size):
    """A fake bold font: 7 px a character at 12 px, in proportion at other sizes."""
    return len(text) * 7.0 * size / 12


def test_the_pair_name_shrinks_within_limits_then_elides_its_longer_side():
    from partnership_explorer.core.ladder_labels import fit_pair_name

    assert fit_pair_name("Vietnam–South Korea", 200, _chars, 12, 9) == ("Vietnam–South Korea", 12)
    assert fit_pair_name("Vietnam–South Korea", 120, _chars, 12, 9) == ("Vietnam–South Korea", 10)
    text, size = fit_pair_name("Vietnam–South Korea", 90, _chars, 12, 9)
    assert size == 9 and _chars(text, 9) <= 90 and "\n" not in text
    assert text.startswith("Vietnam–So") and text.endswith("…")     # the longer side gives way, both are named
    long_text, _ = fit_pair_name("Democratic Republic of the Congo–Vietnam", 150, _chars, 12, 9)
    assert long_text.endswith("…–Vietnam") and _chars(long_text, 9) <= 150
    tiny, _ = fit_pair_name("Vietnam–South Korea", 20, _chars, 12, 9)
    assert _chars(tiny, 9) <= 20


def test_the_name_column_holds_the_pair_name_up_to_its_cap():
    from partnership_explorer.core.ladder_labels import NAME_COLUMN_CAP_PX, NAME_PAD_PX, name_column_width

    assert name_column_width([60, 80], 12) == 80 + 12 + 20
    assert name_column_width([60], 12, pair_width=130) == 130 + NAME_PAD_PX
    assert name_column_width([60], 12, pair_width=400) == NAME_COLUMN_CAP_PX + NAME_PAD_PX
    assert name_column_width([300], 12, pair_width=50) == NAME_COLUMN_CAP_PX + 12 + 20


def test_the_painted_pair_name_is_one_line_whole_beside_short_lane_names(laddered):
    """A filtered view whose lanes have short names ("Diplomacy"): the column widens for "Vietnam–South Korea"
    and the band writes it whole on one line."""
    from PySide6.QtGui import QFontMetricsF

    from partnership_explorer.qt.theme import pixel_font

    w = laddered
    drawn = _recorded_labels(w)     # paints the band
    band = w.ladder_band
    assert band.name_text == "Vietnam–South Korea" and band.name_px == w.font_px - 1
    _x_scale, _origin, left, _right = band._x_map()
    width = QFontMetricsF(pixel_font(w.font(), band.name_px, bold=True)).horizontalAdvance(band.name_text)
    assert width <= left - 12
    assert drawn is not None


def test_a_pair_name_wider_than_the_column_shrinks_or_elides_on_one_line(laddered):
    from PySide6.QtGui import QFontMetricsF

    from partnership_explorer.qt.ladder_band import MIN_NAME_PX, show
    from partnership_explorer.qt.theme import pixel_font

    w = laddered
    band = w.ladder_band
    show(w, ("Democratic Republic of the Congo–Vietnam", band.steps))
    _recorded_labels(w)
    _x_scale, _origin, left, _right = band._x_map()
    assert MIN_NAME_PX <= band.name_px <= w.font_px - 1
    fm = QFontMetricsF(pixel_font(w.font(), band.name_px, bold=True))
    assert fm.horizontalAdvance(band.name_text) <= left - 12
    assert band.name_text.endswith("Vietnam") and "…" in band.name_text


@pytest.mark.parametrize("view", [("1950-01-01", "2030-01-01"), ("1900-01-01", "2060-01-01")])
def test_narrow_eras_are_labelled_by_their_levels_abbreviation_never_a_cut_word(laddered, view):
    from PySide6.QtGui import QImage, QPainter

    from partnership_explorer.core.timeline import to_days

    w = laddered
    w.set_x_range(to_days(view[0]), to_days(view[1]))
    w.update_lod()
    img = QImage(w.glw.width(), w.glw.height(), QImage.Format.Format_ARGB32)
    p = QPainter(img)
    w.background.paint(p)
    p.end()
    texts = w.background.era_texts
    assert texts and not any("…" in t for t in texts), texts
    assert any(t in ("CP 2001–", "CP", "2001–") for t in texts) or len(texts) < 4, texts
    assert "Comprehensive Strategic Partnership 2022–" in texts or "CSP 2022–" in texts
