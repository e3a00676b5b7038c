"""Evidence thumbnails when an institution's records are on PostgreSQL (docs/postgresql.md):
another admin's computer, with an empty data folder of its own, shows the picture from a
checked copy of the database's bytes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from app.core.records import file_store
from app.core.records.service import Workspace
from app.ui.incident.attachments import EvidenceList
from tests.support.incident import OFFSCREEN_NOISE
from tests.support.sync import make_institution, record_incident

pytestmark = OFFSCREEN_NOISE


def test_a_thumbnail_on_another_computer_comes_from_the_database(
    qtbot: QtBot, tmp_path: Path, pg_url: str
) -> None:
    photo = tmp_path / "desk.png"
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#3070c0"))
    assert image.save(str(photo))
    inst = make_institution(tmp_path, pg_url)
    inst.ws.set_device_code("H")
    incident_id = record_incident(inst.ws, inst.session_id, 0, evidence=photo)
    [entry] = inst.ws.incident(incident_id)["content"]["evidence"]

    with Workspace.open(tmp_path / "second", database_url=pg_url) as second:
        view = QListWidget()
        qtbot.addWidget(view)
        evidence = EvidenceList(view, second.data_dir, second.engine)
        evidence.set_entries([entry])
        pixmap = view.item(0).icon().pixmap(96, 72)
        assert QColor(pixmap.toImage().pixel(pixmap.width() // 2, pixmap.height() // 2)) == (
            QColor("#3070c0")
        )  # the picture itself, though this folder never had the file
        path = evidence.local_path(entry["sha256"])
        assert path is not None and path.is_relative_to(second.data_dir / file_store.CACHE_DIR)
        assert path.read_bytes() == photo.read_bytes()
        assert not (second.data_dir / file_store.EVIDENCE_DIR).exists()
