"""The data folder: chosen by option, environment or platform; the demo's is apart from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.paths import ENV_VAR, data_dir


def test_the_environment_names_the_real_folder_and_the_demo_sits_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "site"))
    assert data_dir() == tmp_path / "site"
    assert data_dir(demo=True) == tmp_path / "site-demo"
    assert (tmp_path / "site-demo").is_dir()


def test_an_explicit_folder_is_used_as_given_even_for_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "site"))
    assert data_dir(tmp_path / "chosen", demo=True) == tmp_path / "chosen"


def test_the_platform_folder_and_its_demo_differ(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    real = data_dir(create=False)
    demo = data_dir(create=False, demo=True)
    assert demo != real and demo.parent == real.parent and demo.name == real.name + "-demo"
