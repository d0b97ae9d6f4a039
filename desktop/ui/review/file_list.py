"""The files of a change, one row each: checkbox, status, path, flags, counts.

A list model over the change's files and the shared ``Choices``; the
delegate paints the row (the path is always shown through ``visible``, and
painted as plain text) and works its checkbox by pointer; Space toggles the
current file's checkbox as in any checkable Qt list.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QEvent, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QMouseEvent, QPainter
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from desktop.domain.review import FileDiff, LineKind, visible
from desktop.ui.review import labels, palette
from desktop.ui.review.choices import Choice, Choices
from desktop.ui.review.marks import draw_badge, draw_checkbox
from desktop.ui.review.metrics import CHECK, Metrics
from desktop.ui.review.payloads import FileReached, FileTouched

_CHECK_STATES = {Choice.ALL: Qt.CheckState.Checked, Choice.SOME: Qt.CheckState.PartiallyChecked,
                 Choice.NONE: Qt.CheckState.Unchecked}
Index = QModelIndex | QPersistentModelIndex


class FileListModel(QAbstractListModel):
    """Signals:
        file_touched(FileTouched): a file's checkbox was toggled here.
    """

    file_touched = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._files: tuple[FileDiff, ...] = ()
        self._choices = Choices()

    def set_files(self, files: tuple[FileDiff, ...], choices: Choices) -> None:
        self.beginResetModel()
        self._files, self._choices = files, choices
        self.endResetModel()

    def file(self, row: int) -> FileDiff:
        return self._files[row]

    def refresh(self) -> None:
        """Choices changed elsewhere: the checkboxes may show something else now."""
        if self._files:
            self.dataChanged.emit(self.index(0), self.index(len(self._files) - 1), [Qt.ItemDataRole.CheckStateRole])

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._files)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = index.row()
        file = self._files[row]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return labels.file_summary(file)
        if role == Qt.ItemDataRole.ToolTipRole:
            return labels.plain_tooltip(labels.file_tooltip(file))
        if role == Qt.ItemDataRole.CheckStateRole and self._choices.selectable(row):
            return _CHECK_STATES[self._choices.state(row)]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid() and self._choices.selectable(index.row()):
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or not self._choices.selectable(index.row()):
            return False
        self._choices.set_file(index.row(), Qt.CheckState(value) == Qt.CheckState.Checked)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.file_touched.emit(FileTouched(index.row()))
        return True


class FileDelegate(QStyledItemDelegate):
    PAD = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._metrics: Metrics | None = None

    def metrics(self, option: QStyleOptionViewItem) -> Metrics:
        if self._metrics is None or self._metrics.ui != option.font:
            self._metrics = Metrics.from_font(option.font)
        return self._metrics

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(200, QFontMetrics(option.font).height() + 16)

    def check_rect(self, rect: QRect) -> QRect:
        return QRect(rect.x() + self.PAD, rect.center().y() - CHECK // 2, CHECK, CHECK)

    def paint(self, p: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        assert isinstance(model, FileListModel)
        file = model.file(index.row())
        m, c = self.metrics(option), palette.current()
        rect = option.rect
        p.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            p.fillRect(rect, c.selection)
        elif option.state & QStyle.StateFlag.State_MouseOver:
            p.fillRect(rect, c.hover)
        if selected and option.state & QStyle.StateFlag.State_HasFocus:
            p.fillRect(QRect(rect.x(), rect.y(), 3, rect.height()), c.accent)
        state = index.data(Qt.ItemDataRole.CheckStateRole)
        if state is not None:
            choice = {Qt.CheckState.Checked: Choice.ALL, Qt.CheckState.PartiallyChecked: Choice.SOME}.get(
                Qt.CheckState(state), Choice.NONE)
            draw_checkbox(p, self.check_rect(rect), choice, c, False)
        x = rect.x() + self.PAD + CHECK + 10
        badge = QRect(x, rect.center().y() - 8, 16, 16)
        draw_badge(p, badge, labels.letter(file), c, m, muted=file.applied)
        x = badge.right() + 9
        right_text = "already applied" if file.applied else labels.counts(file)
        p.setFont(m.small)
        right_w = QFontMetrics(m.small).horizontalAdvance(right_text)
        right = QRect(rect.right() - self.PAD - right_w, rect.y(), right_w, rect.height())
        if file.applied or file.binary:
            p.setPen(c.faint if file.applied else c.muted)
            p.drawText(right, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, right_text)
        else:
            _counts(p, file, right, m, c)
        end = right.x() - 8
        if file.flags:
            p.setFont(m.bold)
            p.setPen(c.warning)
            flag = QRect(end - 14, rect.y(), 14, rect.height())
            p.drawText(flag, Qt.AlignmentFlag.AlignCenter, "⚑")
            end = flag.x() - 4
        folder, name = labels.split_path(visible(file.path))
        fm_bold, fm_small = QFontMetrics(m.bold), QFontMetrics(m.small)
        room = max(0, end - x)
        name_text = fm_bold.elidedText(name, Qt.TextElideMode.ElideMiddle, room)
        p.setFont(m.bold)
        p.setPen(c.faint if file.applied else c.text)
        p.drawText(QRect(x, rect.y(), room, rect.height()), Qt.AlignmentFlag.AlignVCenter, name_text)
        x += fm_bold.horizontalAdvance(name_text) + 6
        if folder and end - x > 24:
            p.setFont(m.small)
            p.setPen(c.faint if file.applied else c.muted)
            text = fm_small.elidedText(folder.rstrip("/"), Qt.TextElideMode.ElideLeft, end - x)
            p.drawText(QRect(x, rect.y(), end - x, rect.height()), Qt.AlignmentFlag.AlignVCenter, text)
        p.restore()

    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem, index: Index) -> bool:  # noqa: ANN001
        kinds = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick)
        if event.type() in kinds and isinstance(event, QMouseEvent):
            if not self.check_rect(option.rect).adjusted(-6, -6, 6, 6).contains(event.position().toPoint()):
                return False
            if event.type() == QEvent.Type.MouseButtonRelease and event.button() == Qt.MouseButton.LeftButton:
                state = index.data(Qt.ItemDataRole.CheckStateRole)
                if state is not None:
                    done = Qt.CheckState(state) == Qt.CheckState.Checked
                    model.setData(index, Qt.CheckState.Unchecked if done else Qt.CheckState.Checked,
                                  Qt.ItemDataRole.CheckStateRole)
            return True  # the checkbox's own: no selection change on a click there
        return super().editorEvent(event, model, option, index)


def _counts(p: QPainter, file: FileDiff, rect: QRect, m: Metrics, c: palette.DiffColors) -> None:
    added, removed = labels.line_counts(file)
    minus = f"−{removed}"
    fm = QFontMetrics(m.small)
    p.setPen(c.marker[LineKind.REMOVED])
    p.drawText(rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, minus)
    p.setPen(c.marker[LineKind.ADDED])
    p.drawText(rect.adjusted(0, 0, -fm.horizontalAdvance(minus + " "), 0),
               Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, f"+{added}")


class FileList(QListView):
    """Signals:
        file_picked(FileReached): the person made another file the current one.
    """

    file_picked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("DiffFiles")
        self.setAccessibleName("Changed files")
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setFrameShape(QListView.Shape.NoFrame)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.files = FileListModel(self)
        self.setModel(self.files)
        self.setItemDelegate(FileDelegate(self))
        self._quiet = False
        self.selectionModel().currentChanged.connect(self._current_changed)

    def show_file(self, row: int) -> None:
        """Make ``row`` current without telling anyone (the diff scrolled there)."""
        self._quiet = True
        self.setCurrentIndex(self.files.index(row))
        self._quiet = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._quiet:
            self.file_picked.emit(FileReached(current.row()))
