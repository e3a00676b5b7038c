"""The self-test: every step passes on a healthy installation, in a folder of its own; a step
that breaks is named with its one-line reason, and the steps that need it are skipped."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import selftest
from app.core.selftest import CORE_STEPS, SelfTestRun, Step, run_self_test, summary
from app.core.sync.export import ExportError

NAMES = [step.name for step in CORE_STEPS]


def test_a_healthy_installation_passes_every_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("PROCTOR_DESK_HOME", str(home))
    heard: list[str] = []
    report = run_self_test(on_result=lambda result: heard.append(result.name))
    assert report.ok, [r.to_dict() for r in report.results if not r.ok]
    assert [r.name for r in report.results] == heard == NAMES
    assert NAMES == [
        "resources",
        "classify",
        "institution",
        "kit",
        "record",
        "report",
        "export",
        "verify",
        "import",
    ]
    details = {r.name: r.detail for r in report.results}
    assert "cn-national-2021" in details["resources"]
    assert "6.1" in details["classify"]
    assert "trusted through the institution's root" in details["report"]
    assert "encrypted to the institution" in details["export"]
    assert "imported 1 incident version" in details["import"]
    assert all(r.seconds >= 0 and not r.skipped for r in report.results)
    assert not home.exists()  # the real data folder is never opened


def test_a_failing_step_is_named_and_the_steps_that_need_it_are_skipped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ExportError("the disk is full\n  (no space left)")

    monkeypatch.setattr("app.core.sync.export.export_bundle", refuse)
    # Without the PDF step (the slowest): the export then carries no PDF.
    steps = [step for step in CORE_STEPS if step.name != "report"]
    report = run_self_test(steps)
    assert not report.ok
    assert report.failed == ["export"]
    by_name = {r.name: r for r in report.results}
    assert by_name["export"].detail == "the disk is full; (no space left)"
    assert by_name["verify"].skipped and "export" in by_name["verify"].detail
    assert by_name["import"].skipped and by_name["import"].status == "skipped"
    assert all(by_name[n].ok for n in ("resources", "classify", "institution", "kit", "record"))
    assert report.to_dict()["steps"][-1] == {
        "name": "import",
        "title": by_name["import"].title,
        "ok": False,
        "status": "skipped",
        "detail": by_name["import"].detail,
        "seconds": 0.0,
    }


def test_missing_rulebooks_fail_the_first_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "rulebooks"
    empty.mkdir()
    monkeypatch.setattr("app.core.rulebook.loader.builtin_dir", lambda: empty)
    report = run_self_test()
    assert report.failed == ["resources", "classify", "institution"]
    assert "no rulebook 'cn-national-2021'" in report.results[0].detail
    assert [r.name for r in report.results if r.skipped] == NAMES[3:]


def test_an_unexpected_error_is_one_line_with_its_kind() -> None:
    def boom(_run: SelfTestRun) -> str:
        raise RuntimeError("first line\nsecond line")

    report = run_self_test([Step("boom", "爆炸 (boom)", boom), Step("after", "t", boom, ("boom",))])
    assert [r.status for r in report.results] == ["failed", "skipped"]
    assert report.results[0].detail == "RuntimeError: first line; second line"
    assert summary(KeyError()) == "KeyError"
    assert summary(selftest.CheckFailed("not sealed")) == "not sealed"
