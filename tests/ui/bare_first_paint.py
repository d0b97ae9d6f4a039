"""The baseline of the first-paint test: a bare Qt window with one label,
measured the way ``desktop.ui.app --quit-after-first-paint`` measures itself."""

import time

_START = time.perf_counter()
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow


class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print(f"first paint after {(time.perf_counter() - _START) * 1000:.0f} ms", flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False

app = QApplication(sys.argv)
window = QMainWindow()
window.setCentralWidget(QLabel("AICode Manager"))
window.resize(1280, 800)
f = Painted()
window.installEventFilter(f)
window.centralWidget().installEventFilter(f)
window.show()
app.exec()
