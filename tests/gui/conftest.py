"""Fixtures for the pytest-qt tests: the app font, rulebooks, and a shown browser pane."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.rulebook.loader import load_rulebook
from app.core.rulebook.model import Rulebook

if TYPE_CHECKING:
    from app.ui.rulebook_browser import RulebookBrowser
    from tests.support.incident import Site

# app.ui is imported inside the fixtures: this file loads before the root conftest's
# pytest_configure has compiled the forms that app.ui imports.

NATIONAL = "cn-national-2021"
EXTENSION = "example-gd-2024"


@pytest.fixture(scope="session")
def cjk_family(qapp: QApplication) -> str | None:
    """Registers the CJK font as the app does at start-up; its family, or None if absent."""
    from app.ui.fonts import register_cjk_font

    return register_cjk_font(qapp)


@pytest.fixture(scope="session")
def national() -> Rulebook:
    return load_rulebook(NATIONAL)


@pytest.fixture(scope="session")
def extension() -> Rulebook:
    return load_rulebook(EXTENSION)


@pytest.fixture
def browser(qtbot: QtBot, cjk_family: str | None) -> Iterator[RulebookBrowser]:
    from app.ui.rulebook_browser import RulebookBrowser

    widget = RulebookBrowser()
    qtbot.addWidget(widget)
    widget.resize(1366, 740)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


@pytest.fixture(scope="session")
def site_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with a session, rosters and PINs, built once and copied for each test."""
    from tests.support.incident import build_site

    folder = tmp_path_factory.mktemp("site") / "data"
    build_site(folder)
    return folder


@pytest.fixture
def site(site_template: Path, tmp_path: Path, cjk_family: str | None) -> Iterator[Site]:
    """A fresh copy of the site's data folder, opened (the incident-window tests use it)."""
    from tests.support.incident import open_site

    opened = open_site(site_template, tmp_path / "data")
    yield opened
    opened.workspace.close()
