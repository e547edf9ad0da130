"""PySide6 6.12.0 aborts Python 3.11 processes after many QPainter calls; the pin keeps it out."""

import subprocess
import sys
import textwrap


def test_pinned_pyside_is_below_6_12():
    import PySide6

    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12), PySide6.__version__


def test_hundreds_of_thousands_of_setpen_calls_do_not_abort(tmp_path):
    code = textwrap.dedent(
        """
        from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPen, QColor
        app = QGuiApplication([])
        img = QImage(64, 64, QImage.Format_ARGB32)
        p = QPainter(img)
        pen = QPen(QColor(10, 20, 30))
        for i in range(300_000):
            p.setPen(pen)
            p.translate(0.0, 0.0)
        p.end()
        print("ok")
        """
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                       env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr[-2000:]
