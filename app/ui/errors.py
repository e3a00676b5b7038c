"""Errors in the GUI: a person's mistake is said in place; anything else is logged and excused.

``UserError`` messages are shown where the person is working (a label beside the form), never
as a traceback. Unexpected exceptions go to ``<data folder>/logs/proctor-desk.log`` with their
traceback (``app.core.logs``, shared with the command line), and the person sees a short,
polite dialog that names the log file. The dialogs sit behind ``ask_…`` functions that tests
replace.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from app.core.errors import UserError
from app.core.logs import LOG_DIR, LOG_FILE, LOGGER, log_path, setup_logging

__all__ = ["LOG_DIR", "LOG_FILE", "log_path", "setup_logging"]  # kept here for the GUI's callers

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QWidget

# QtWidgets classes and logging.handlers are imported where used: this module loads before
# the first window paints, and each of them costs start-up time.

ERROR_STYLE = "color: #b00020;"
INFO_STYLE = "color: #1b5e20;"

log = logging.getLogger(LOGGER)


_CTX = "Errors"  # the translation context (tools/translations.py reads it)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


# What a PIN was asked for: the verb of the "enter the PIN" message.
PIN_ACTIONS = ("sign", "confirm", "void", "return")


def _pin_missing(name: str, action: str) -> str:
    texts = {
        "sign": _tr("请输入%1的PIN码后签名"),
        "confirm": _tr("请输入%1的PIN码后确认"),
        "void": _tr("请输入%1的PIN码后作废记录"),
        "return": _tr("请输入%1的PIN码后记录归还"),
    }
    return texts.get(action, _tr("请输入%1的PIN码")).replace("%1", name)


def user_message(exc: UserError, action: str = "") -> str:
    """``exc`` said in the interface language where its kind is known (a PIN missing or wrong,
    for ``action``, one of ``PIN_ACTIONS``); otherwise the core's own message."""
    from app.core.records.people import PinError

    if isinstance(exc, PinError):
        if exc.reason == "missing":
            return _pin_missing(exc.name, action)
        if exc.reason == "no_pin":
            return _tr("%1尚未设置PIN码，请考场负责人先为其设置后再签名").replace("%1", exc.name)
        return _tr("%1的PIN码不正确，请重试").replace("%1", exc.name)
    return str(exc)


def ask_show_unexpected(parent: QWidget | None, message: str) -> None:
    """The polite dialog for an unexpected error (tests replace this function)."""
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(parent, _tr("出现意外错误"), message)


def ask_show_user_error(parent: QWidget | None, message: str) -> None:
    """A person's mistake with nowhere in place to show it (tests replace this function)."""
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.information(parent, _tr("无法完成"), message)


def unexpected_message() -> str:
    path = log_path()
    where = str(path) if path is not None else _tr("（未设置日志文件）")
    return (
        _tr("很抱歉，程序遇到了意外问题，刚才的操作没有完成。已保存的记录不受影响。")
        + "\n\n"
        + _tr("详细信息已写入日志文件：")
        + f"\n{where}"
    )


def report_unexpected(exc: BaseException, parent: QWidget | None = None) -> None:
    """Log ``exc`` with its traceback and tell the person politely."""
    from PySide6.QtWidgets import QApplication

    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    ask_show_unexpected(parent or QApplication.activeWindow(), unexpected_message())


def show_in_place(
    label: QLabel, message: str, *, ok: bool = False, focus: QWidget | None = None
) -> None:
    """Show ``message`` in ``label`` (red for a problem, green for a success); ``focus``: the
    field to put right, which gets the keyboard."""
    label.setStyleSheet(INFO_STYLE if ok else ERROR_STYLE)
    label.setText(message)
    label.setToolTip(message)
    label.setVisible(bool(message))
    if focus is not None:
        focus.setFocus()


def handle_error(
    exc: BaseException, label: QLabel | None = None, parent: QWidget | None = None
) -> None:
    """A ``UserError`` in ``label`` (or a small dialog); anything else logged and excused.
    A full disk or a read-only folder is told like a ``UserError``: it is no fault of ours."""
    if not isinstance(exc, UserError):
        from app.core.storage import storage_problem

        exc = storage_problem(exc) or exc
    if isinstance(exc, UserError):
        log.info("refused: %s", exc)
        message = user_message(exc)
        if label is not None:
            show_in_place(label, message)
        else:
            from PySide6.QtWidgets import QApplication

            ask_show_user_error(parent or QApplication.activeWindow(), message)
        return
    report_unexpected(exc, parent)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, exc, tb)
        return
    exc.__traceback__ = tb
    handle_error(exc)


def install_excepthook() -> None:
    """Route exceptions escaping Qt slots to ``handle_error`` instead of stderr."""
    sys.excepthook = _excepthook
