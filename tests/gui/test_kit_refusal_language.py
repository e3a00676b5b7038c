"""A refused kit is explained in the interface language only: in Chinese no English line of the
core's message shows, but what it names (the institutions, their fingerprints, the rulebook
versions) does; in English the lead sentence is English and the core's detail follows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from app.core.kits.kit_export import KitError
from app.core.kits.kit_import import import_kit
from app.core.records.service import Workspace
from tests.gui.test_kit_import import SITE_PASS, Kit, make_kit

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORDS = re.compile(r"\b(kit|passphrase|institution|damaged|laptop|file|version)\b", re.I)


@pytest.fixture(scope="module")
def two_kits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Kit, Kit]:
    folder = tmp_path_factory.mktemp("kits")
    return make_kit(folder, "浙江鉴定中心"), make_kit(folder, "江苏鉴定中心")


@pytest.fixture(scope="module")
def refusals(two_kits: tuple[Kit, Kit], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The core's own messages for the refusals a site head meets."""
    first, other = two_kits
    folder = tmp_path_factory.mktemp("laptops")
    said: dict[str, str] = {}

    def refused(name: str, laptop: str, path: Path, passphrase: str) -> None:
        with Workspace.open(folder / laptop) as ws, pytest.raises(KitError) as caught:
            import_kit(ws, path, passphrase)
        said[name] = str(caught.value)

    refused("wrong passphrase", "a", first.path, "not-the-pass")
    refused("missing", "a", folder / "moved.kit", SITE_PASS)
    damaged = folder / "damaged.kit"
    data = bytearray(first.path.read_bytes())
    data[len(data) // 2] ^= 0x55
    damaged.write_bytes(bytes(data))
    refused("damaged", "a", damaged, SITE_PASS)
    with Workspace.open(folder / "b") as ws:
        import_kit(ws, first.path, SITE_PASS)
    refused("another institution", "b", other.path, SITE_PASS)
    # Messages whose cases take more to set up, in the core's words.
    said["rulebook version"] = (
        "kit uses rulebook cn-national-2021 version 2020.1; this laptop has version "
        "2021.12-1 — update the app before importing"
    )
    said["no passphrase"] = (
        "this kit is encrypted under the site passphrase: give the site passphrase to import it"
    )
    said["disagrees"] = (
        "kit disagrees with the session already on this laptop: rooms differ; subjects differ"
    )
    said["malformed"] = "kit content is malformed: session_rows: not a list"
    return said


@pytest.fixture
def english(qapp: QApplication) -> Iterator[None]:
    from app.ui.i18n import available_languages, switch_language

    if "en" not in available_languages():
        pytest.skip("the English translation is not built (tools/translations.py build)")
    switch_language(qapp, "en")
    try:
        yield
    finally:
        switch_language(qapp, "zh_CN")


def test_in_chinese_no_english_line(qapp: QApplication, refusals: dict[str, str]) -> None:
    from app.ui.start.kit_dialog import refusal_text

    for case, message in refusals.items():
        shown = refusal_text(message)
        for line in shown.splitlines():
            assert CJK.search(line), (case, shown)
            assert not ENGLISH_WORDS.search(line), (case, shown)
    # The laptop's institution by name, both by fingerprint (the other kit is refused before
    # it is opened, so its name is not known).
    another = refusal_text(refusals["another institution"])
    assert "浙江鉴定中心" in another and "另一评价机构" in another
    fingerprints = re.findall(r"[0-9a-f]{4}(?: [0-9a-f]{4}){7,}", refusals["another institution"])
    assert len(fingerprints) == 2 and all(f in another for f in fingerprints)
    version = refusal_text(refusals["rulebook version"])
    assert "2020.1" in version and "2021.12-1" in version and "更新" in version


def test_in_english_the_lead_is_english(english: None, refusals: dict[str, str]) -> None:
    from app.ui.start.kit_dialog import refusal_text

    for case, message in refusals.items():
        lead, *_ = refusal_text(message).splitlines()
        assert not CJK.search(lead), (case, lead)
        assert message in refusal_text(message)  # the core's detail follows
