"""The bundle import dialog: many files at once, imported off the GUI thread with progress,
and a status per file — imported, already there, rejected and why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.demo.seed import seed_demo
from app.core.records.service import Workspace
from app.core.sync.export import export_bundle
from app.core.trust.institution import InstitutionIdentity, init_institution
from tests.support.sync import institution_signs


@pytest.fixture
def institution(tmp_path: Path) -> Iterator[tuple[Workspace, InstitutionIdentity]]:
    ws = Workspace.open(tmp_path / "institution")
    identity = init_institution(ws.data_dir, "示范鉴定中心", "admin-pass-1")
    institution_signs(ws, identity)  # no account yet
    yield ws, identity
    ws.close()


@pytest.fixture
def bundles(tmp_path: Path) -> tuple[Path, Path, str]:
    """A good plain bundle from a laptop without kit, a damaged copy, and the fingerprint."""
    with Workspace.open(tmp_path / "laptop") as ws:
        session_id = seed_demo(ws, candidates=4, incidents=2).session_id
        good = tmp_path / "good.pdbundle"
        export_bundle(ws, session_id, good)
        fingerprint = ws.device.fingerprint
    bad = tmp_path / "bad.pdbundle"
    bad.write_bytes(good.read_bytes()[:-10])
    return good, bad, fingerprint


def test_status_per_file_with_progress(
    qtbot: QtBot,
    institution: tuple[Workspace, InstitutionIdentity],
    bundles: tuple[Path, Path, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.ui.sync import import_dialog
    from app.ui.sync.import_dialog import BundleImportDialog, make_importer
    from app.ui.workers import running_workers

    ws, identity = institution
    good, bad, fingerprint = bundles
    dialog = BundleImportDialog(make_importer(ws, identity, trust=[fingerprint]))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.import_button.isEnabled()
    monkeypatch.setattr(import_dialog, "ask_bundle_files", lambda parent: [str(good), str(bad)])
    qtbot.mouseClick(dialog.add_button, _left())
    dialog.add_files([good])  # already queued: not added twice
    assert dialog.table.rowCount() == 2
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    qtbot.mouseClick(dialog.import_button, _left())
    qtbot.waitUntil(lambda: running_workers() == 0 and len(dialog.outcomes) == 2, timeout=20000)
    assert [o.status for o in dialog.outcomes] == ["imported", "rejected"]
    assert dialog.table.item(0, 1).text() == "已导入"
    assert dialog.table.item(1, 1).text() == "已拒绝"
    # Why, in the interface language; the program's own words (which byte) in the tooltip.
    assert dialog.table.item(1, 2).text() == "同步包已损坏、不完整或被改动"
    assert "truncated" in dialog.table.item(1, 2).toolTip()
    assert "export the bundle again" in dialog.table.item(1, 2).toolTip()  # what to do
    assert dialog.progress.value() == 100 and len(seen) >= 2
    assert "已导入 1 个" in dialog.summary.text()

    # The same file again: already there, nothing changed.
    dialog.add_files([good])
    qtbot.mouseClick(dialog.import_button, _left())
    qtbot.waitUntil(lambda: running_workers() == 0 and len(dialog.outcomes) == 1, timeout=20000)
    assert dialog.outcomes[0].status == "already imported"
    assert dialog.table.item(2, 1).text() == "已导入过（未改动）"
    assert ws.verify().ok


def _left() -> object:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_open_asks_the_passphrase_and_refuses_a_wrong_one(
    qtbot: QtBot,
    institution: tuple[Workspace, InstitutionIdentity],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.ui import errors
    from app.ui.sync import import_dialog

    ws, _ = institution
    shown: list[str] = []
    monkeypatch.setattr(
        errors, "ask_show_user_error", lambda parent, message: shown.append(message)
    )
    monkeypatch.setattr(import_dialog, "ask_institution_passphrase", lambda parent: "wrong-one!")
    assert import_dialog.open_bundle_import(None, ws) is None
    assert shown == ["机构密钥口令不正确，请重新输入。"]
    monkeypatch.setattr(import_dialog, "ask_institution_passphrase", lambda parent: None)
    assert import_dialog.open_bundle_import(None, ws) is None
    monkeypatch.setattr(import_dialog, "ask_institution_passphrase", lambda parent: "admin-pass-1")
    dialog = import_dialog.open_bundle_import(None, ws)
    assert dialog is not None and dialog.isVisible()
    qtbot.addWidget(dialog)


def test_proofs_checked_by_the_helper_process_from_the_dialog(
    qtbot: QtBot,
    institution: tuple[Workspace, InstitutionIdentity],
    bundles: tuple[Path, Path, str],
    helper_starts: list[bool],
) -> None:
    """Imported off the GUI thread, a large bundle's seals go to the helper process."""
    from app.ui.sync.import_dialog import BundleImportDialog, make_importer
    from app.ui.workers import running_workers

    ws, identity = institution
    good, _, fingerprint = bundles
    dialog = BundleImportDialog(make_importer(ws, identity, trust=[fingerprint]))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_files([good])
    qtbot.mouseClick(dialog.import_button, _left())
    qtbot.waitUntil(lambda: running_workers() == 0 and len(dialog.outcomes) == 1, timeout=30000)
    assert [o.status for o in dialog.outcomes] == ["imported"]
    assert helper_starts == [True]
    assert ws.verify().ok


def test_device_without_kit_accepted_after_checking_its_fingerprint(
    qtbot: QtBot,
    institution: tuple[Workspace, InstitutionIdentity],
    bundles: tuple[Path, Path, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The admin sees why the bundle is refused, in Chinese, with the fingerprint; accepts the
    device only after confirming it; the file is imported again, and the device stays
    accepted."""
    from app.ui.sync import import_dialog
    from app.ui.sync.import_dialog import BundleImportDialog, make_importer
    from app.ui.workers import running_workers

    ws, identity = institution
    good, _, fingerprint = bundles
    dialog = BundleImportDialog(make_importer(ws, identity))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_files([good])
    assert "待导入 1 个文件" in dialog.summary.text()
    assert not dialog.accept_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, _left())
    qtbot.waitUntil(lambda: running_workers() == 0 and len(dialog.outcomes) == 1, timeout=20000)
    assert dialog.outcomes[0].reason == "unaccepted_device"
    detail = dialog.table.item(0, 2)
    assert detail.text().startswith("设备尚未被接受") and fingerprint in detail.text()
    # What to do here, not the command line's advice (--trust).
    assert detail.toolTip() == detail.text() and "--trust" not in detail.toolTip()
    assert "接受设备" in dialog.summary.text()

    asked: list[tuple[str, str]] = []
    answer = [False]

    def ask(parent: object, name: str, shown: str) -> bool:
        asked.append((name, shown))
        return answer[0]

    monkeypatch.setattr(import_dialog, "ask_accept_device", ask)
    dialog.table.selectRow(0)
    assert dialog.accept_button.isEnabled() and not dialog.remove_button.isEnabled()
    qtbot.mouseClick(dialog.accept_button, _left())  # declined: nothing happens
    assert asked == [(good.name, fingerprint)] and running_workers() == 0
    assert dialog.table.item(0, 1).text() == "已拒绝"

    answer[0] = True
    qtbot.mouseClick(dialog.accept_button, _left())
    qtbot.waitUntil(
        lambda: running_workers() == 0 and dialog.outcomes[0].status == "imported", timeout=20000
    )
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "已导入"
    assert not dialog.accept_button.isEnabled()
    assert ws.verify().ok
    # Accepted for good: a fresh dialog with no acceptance imports the same device again.
    again = BundleImportDialog(make_importer(ws, identity))
    qtbot.addWidget(again)
    again.add_files([good])
    qtbot.mouseClick(again.import_button, _left())
    qtbot.waitUntil(lambda: running_workers() == 0 and len(again.outcomes) == 1, timeout=20000)
    assert again.outcomes[0].status == "already imported"
    assert again.table.item(0, 2).text() == "此前已导入，本次未作改动"


def test_queued_files_can_be_removed_before_import(
    qtbot: QtBot,
    institution: tuple[Workspace, InstitutionIdentity],
    bundles: tuple[Path, Path, str],
) -> None:
    from app.ui.sync.import_dialog import BundleImportDialog, make_importer
    from app.ui.workers import running_workers

    ws, identity = institution
    good, bad, fingerprint = bundles
    dialog = BundleImportDialog(make_importer(ws, identity, trust=[fingerprint]))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_files([bad, good])
    assert "待导入 2 个文件" in dialog.summary.text()
    assert not dialog.remove_button.isEnabled()
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.remove_button, _left())
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 0).text() == good.name
    assert "待导入 1 个文件" in dialog.summary.text()
    qtbot.mouseClick(dialog.import_button, _left())
    qtbot.waitUntil(lambda: running_workers() == 0 and len(dialog.outcomes) == 1, timeout=20000)
    assert dialog.outcomes[0].status == "imported"
    assert dialog.table.item(0, 1).text() == "已导入"
    dialog.table.selectRow(0)
    assert not dialog.remove_button.isEnabled()  # imported rows stay, as the record of it


def test_every_reason_the_import_gives_has_its_own_words(qtbot: QtBot) -> None:
    from app.core.sync.checking import MALFORMED, REASONS, UNACCEPTED_DEVICE
    from app.ui.sync import import_dialog

    assert import_dialog.UNACCEPTED_DEVICE == UNACCEPTED_DEVICE
    texts = {reason: import_dialog.reason_text(reason) for reason in REASONS}
    assert len(set(texts.values())) == len(REASONS)  # none falls back to another's words
    assert import_dialog.reason_text("something new") == texts[MALFORMED]
