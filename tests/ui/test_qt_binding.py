"""The Qt binding itself must not leak: PySide6 6.12.0 on Python 3.11 drops a reference to None on every call
that returns nothing, so a long session ends in "Fatal Python error: none_dealloc". pyproject pins it out."""
import gc
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem


def test_void_calls_and_item_data_keep_none_alive(qtbot):
    tree = QTreeWidget()
    label = QLabel()
    qtbot.addWidget(tree)
    qtbot.addWidget(label)
    item = QTreeWidgetItem(tree)
    gc.collect()
    before = sys.getrefcount(None)
    for i in range(2000):
        label.setText(str(i))                                  # a void method
        item.setData(0, Qt.ItemDataRole.UserRole, ("file", i, None))
        item.data(0, Qt.ItemDataRole.UserRole)
        item.data(1, Qt.ItemDataRole.UserRole)                 # returns None
    gc.collect()
    assert sys.getrefcount(None) - before > -100, "the Qt binding leaks references to None; pin another PySide6"
