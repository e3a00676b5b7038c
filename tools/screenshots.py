"""Write PNGs of the main screens in Chinese and English to ``screenshots/``.

    python tools/screenshots.py [--out screenshots] [--languages zh_CN en]

Runs on any Qt platform: under ``xvfb-run`` (as ``make screenshots`` does) or with
``QT_QPA_PLATFORM=offscreen``. The screens show the demo session in a temporary data folder,
so nothing on this machine is read or changed. Each window is shown at 1366×768, the size of
the laptops the app is built for.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.records.service import Workspace
    from app.core.records.tables import Staff

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1366, 768)
INSTITUTION_PASSPHRASE = "demo institution passphrase"  # the temporary institution's only
ADMIN_PASSWORD = "demo admin password"


def _build_translations() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "translations.py"), "build"],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"screenshots: translations did not build: {result.stderr.strip()}")


def _settle(widget: object) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(widget, QWidget)
    QTest.qWaitForWindowExposed(widget, 5000)
    for _ in range(6):
        QApplication.processEvents()
        QTest.qWait(25)


def _grab(widget: object, path: Path) -> Path:
    from PySide6.QtWidgets import QWidget

    assert isinstance(widget, QWidget)
    _settle(widget)
    if not widget.grab().save(str(path), "PNG"):
        raise SystemExit(f"screenshots: could not write {path}")
    return path


def _language_pass(
    workspace: Workspace, session_id: str, head: Staff, language: str, out_dir: Path
) -> list[Path]:
    """Every main screen in ``language`` (already installed), as the demo's site head."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from app.core.records.app_state import AppSettings, save_settings
    from app.ui.main_window import MainWindow

    settings = AppSettings("Demo laptop", language=language)
    save_settings(workspace.data_dir, settings)
    window = MainWindow(workspace.data_dir, settings, workspace=workspace)
    window.resize(*SIZE)
    window.show()
    written: list[Path] = []

    def shot(name: str, show: Callable[[], object]) -> None:
        show()
        written.append(_grab(window, out_dir / f"{name}-{language}.png"))

    shot("start", window.show_start)
    shot("new-session", window.show_session_form)
    shot("settings", window.show_settings)
    shot("lock", lambda: window.open_session(session_id))
    window.operator = head  # the demo's synthetic site head; see launch.py
    shot("clock", window._show_clock_check)
    shot("dashboard", window.show_dashboard)
    dashboard = window.dashboard
    assert dashboard is not None
    shot("incidents", lambda: dashboard.ui.tabs.setCurrentWidget(dashboard.ui.incidentTab))
    incident = window.open_incident(None)
    if incident is not None:
        incident.resize(*SIZE)
        written.append(_grab(incident, out_dir / f"new-incident-{language}.png"))
        incident.close()
    window.close()
    window.deleteLater()
    # Deleted now, not at the next event loop: a later language switch must not retranslate
    # (and so query) a window whose pass is over.
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return written


def _institution(laptop: Workspace, session_id: str, folder: Path) -> Workspace:
    """An institution that imported the demo laptop's bundle, with one admin account."""
    from app.core.accounts.service import ADMIN, add_account
    from app.core.records.service import Workspace
    from app.core.sync.export import export_bundle
    from app.core.sync.importing import import_bundles
    from app.core.trust.institution import init_institution

    workspace = Workspace.open(folder)
    identity = init_institution(folder, "示范职业技能评价中心", INSTITUTION_PASSPHRASE)
    bundle = folder.parent / "demo.pdbundle"
    export_bundle(laptop, session_id, bundle)
    import_bundles(workspace, identity, [bundle], trust=[laptop.device.fingerprint])
    add_account(
        workspace,
        "wang.admin",
        ADMIN,
        ADMIN_PASSWORD,
        institution_passphrase=INSTITUTION_PASSPHRASE,
    )
    return workspace


def _institution_pass(workspace: Workspace, language: str, out_dir: Path) -> list[Path]:
    """The institution's mode: its sign-in, its home, its devices, a kit, a session, its cases
    and one case."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from app.core.records.app_state import AppSettings, save_settings
    from app.ui.main_window import MainWindow

    settings = AppSettings("Institution", language=language)
    save_settings(workspace.data_dir, settings)
    window = MainWindow(workspace.data_dir, settings, workspace=workspace)
    window.resize(*SIZE)
    window.show()
    written = [_grab(window, out_dir / f"institution-login-{language}.png")]
    login = window.institution_login
    assert login is not None
    login.name_edit.setText("wang.admin")
    login.password_edit.setText(ADMIN_PASSWORD)
    login.submit()
    home = window.institution_home
    assert home is not None
    home.table.selectRow(0)
    written.append(_grab(window, out_dir / f"institution-home-{language}.png"))
    dialog = window.show_devices()
    if dialog is not None:
        written.append(_grab(dialog, out_dir / f"institution-devices-{language}.png"))
        dialog.close()
    session_id = home.selected_session()
    kit = window.show_kit_export(session_id) if session_id is not None else None
    if kit is not None:
        written.append(_grab(kit, out_dir / f"institution-kit-{language}.png"))
        kit.close()
    if session_id is not None:
        window.review_session(session_id)
        written.append(_grab(window, out_dir / f"institution-session-{language}.png"))
    window.show_cases()
    cases = window.cases_page
    if cases is not None and cases.model.rowCount():
        written.append(_grab(window, out_dir / f"institution-cases-{language}.png"))
        case = window.open_case(_walked_case(workspace, window))
        if case is not None:
            written.append(_grab(case, out_dir / f"institution-case-{language}.png"))
            case.close()
    window.show_search()
    search = window.search_page
    if search is not None and session_id is not None:
        search.edit.setText(workspace.candidates(session_id)[0].name[:1])
        search.search()
        written.append(_grab(window, out_dir / f"institution-search-{language}.png"))
    window.show_stats()
    stats = window.stats_page
    if stats is not None:
        stats.breakdown_combo.setCurrentIndex(stats.breakdown_combo.findData("clause"))
        written.append(_grab(window, out_dir / f"institution-stats-{language}.png"))
    window.close()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return written


def _walked_case(workspace: Workspace, window: object) -> str:
    """A candidate's case taken to its decision (once: the Chinese pass makes it), so the
    case window shows steps and documents."""
    from app.core.casework import documents
    from app.core.casework.cases import today
    from app.core.casework.service import CaseDesk
    from app.core.trust.institution import load_identity

    account = window.account  # type: ignore[attr-defined]
    desk = CaseDesk(workspace)
    listed = desk.list(account)
    walked = [c for c in listed if c["status"] == "decided"]
    if walked:
        return str(walked[0]["id"])
    case = next(c for c in listed if c["party"] == "candidate")
    identity = load_identity(workspace.data_dir, INSTITUTION_PASSPHRASE)
    facts = (
        {"severity": "minor"}
        if "severity" in desk.show(account, case["id"])["outcome"].get("pending", [])
        else {}
    )
    desk.determine(account, case["id"], desk.version_of(account, case["id"]), **facts)
    documents.notice(workspace, account, identity, case["id"], desk.version_of(account, case["id"]))
    documents.decide(
        workspace, account, identity, case["id"], desk.version_of(account, case["id"]),
        decision_date=today(),
    )  # fmt: skip
    return str(case["id"])


def take(out_dir: Path, languages: Sequence[str]) -> list[Path]:
    """Render every main screen in each language; return the files written."""
    from app.core.records.service import Workspace
    from app.ui.i18n import switch_language
    from app.ui.launch import create_app
    from app.ui.start.screen import ensure_demo_session

    _build_translations()
    out_dir.mkdir(parents=True, exist_ok=True)
    app = create_app()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="proctor-shots-") as tmp:
        workspace = Workspace.open(Path(tmp))
        session_id = ensure_demo_session(workspace)
        head = next(s for s in workspace.staff(session_id) if s.role == "site_head")
        institution = _institution(workspace, session_id, Path(tmp) / "institution")
        for language in languages:
            switch_language(app, language)
            written.extend(_language_pass(workspace, session_id, head, language, out_dir))
            written.extend(_institution_pass(institution, language, out_dir))
        institution.close()
        workspace.close()
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="folder for the PNGs")
    parser.add_argument("--languages", nargs="+", default=["zh_CN", "en"])
    args = parser.parse_args(argv)
    for path in take(Path(args.out), args.languages):
        print(f"screenshots: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
