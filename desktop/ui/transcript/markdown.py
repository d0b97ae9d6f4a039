"""Assistant text as laid-out Markdown: Qt's own reader, GitHub-like spacing, a cache.

Laying out a QTextDocument is the one costly measurement of the transcript;
documents are kept per row (and re-flowed for a new width) up to ``DOC_CACHE``.
"""

from __future__ import annotations

from collections import OrderedDict

from PySide6.QtGui import QFont, QTextBlockFormat, QTextCursor, QTextDocument, QTextFormat

from desktop.ui.look import theme
from desktop.ui.transcript.rows import TextRow

DOC_CACHE = 300


class TextDocuments:
    """One laid-out document per text row (its version and width), least recently used dropped."""

    def __init__(self) -> None:
        self._docs: OrderedDict[int, tuple[int, int, QTextDocument]] = OrderedDict()

    def clear(self) -> None:
        self._docs.clear()

    def get(self, row: TextRow, width: int, font: QFont, line: int) -> QTextDocument:
        cached = self._docs.get(row.key)
        if cached is not None and cached[0] == row.version:
            doc = cached[2]
            if cached[1] != width:
                doc.setTextWidth(width)
                self._docs[row.key] = (row.version, width, doc)
            self._docs.move_to_end(row.key)
            return doc
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(font)
        doc.setMarkdown(row.text, QTextDocument.MarkdownFeature.MarkdownDialectGitHub)
        style_blocks(doc, line)
        doc.setTextWidth(width)
        self._docs[row.key] = (row.version, width, doc)
        if len(self._docs) > DOC_CACHE:
            self._docs.popitem(last=False)
        return doc


def style_blocks(doc: QTextDocument, line: int) -> None:
    """Space paragraphs apart and give fenced code the theme's code background.

    Qt's Markdown reader leaves paragraphs touching and code blocks plain; a
    reader expects the GitHub look.
    """
    code = QTextBlockFormat()
    code.setBackground(theme.current().q("code"))
    code.setLeftMargin(6)
    # Qt's reader makes code lines unbreakable; in a narrow transcript a wrapped
    # line beats one cut off at the edge.
    code.setNonBreakableLines(False)
    spaced = QTextBlockFormat()
    spaced.setBottomMargin(line * 0.6)
    block = doc.begin()
    while block.isValid():
        fmt = block.blockFormat()
        nxt = block.next()
        is_code = fmt.hasProperty(QTextFormat.Property.BlockCodeFence) or fmt.hasProperty(QTextFormat.Property.BlockCodeLanguage)
        if is_code:
            QTextCursor(block).mergeBlockFormat(code)
        # The last line of a paragraph, list or code block gets room below it.
        next_code = nxt.isValid() and nxt.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence)
        in_list = block.textList() is not None
        next_in_list = nxt.isValid() and nxt.textList() is not None
        if nxt.isValid() and not (is_code and next_code) and not (in_list and next_in_list):
            QTextCursor(block).mergeBlockFormat(spaced)
        block = nxt
