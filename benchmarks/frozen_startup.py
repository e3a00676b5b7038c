"""The frozen app beside a frozen bare PySide6 window: start-up time and folder size.

    .venv/bin/python benchmarks/frozen_startup.py [--app dist/proctor-desk] [--runs 7]

Builds the bare window (the same QMainWindow as benchmarks/startup.py) with the same PyInstaller
into build/bare-window, then starts each program alternately, timed from spawn until it reports
its first paint, as on a laptop that has been set up and has a current session. Prints the
median and best times, their ratio (target: at most 1.5×), and the size of both folders
(target for the app: at most 150 MB). Build the app first with ``make package``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

# The temporary data folders' keys open with a benchmark passphrase (there is no key store
# here); the app started in a child process inherits it.
os.environ.setdefault("PROCTOR_DESK_DEVICE_PASSPHRASE", "benchmark passphrase")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: the benchmarks import the app's own helpers

from benchmarks.startup import BARE, TARGET_RATIO, _prepare, _time  # noqa: E402

SIZE_TARGET_MB = 150


def _folder_mb(folder: Path) -> float:
    total = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1_000_000


def _build_bare(work: Path) -> Path:
    work.mkdir(parents=True, exist_ok=True)
    script = work / "bare_window.py"
    script.write_text(BARE, encoding="utf-8")
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "WARN", "--onedir",
         "--name", "bare-window", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"),
         "--specpath", str(work), "--exclude-module", "tkinter", str(script)],
        check=True,
    )  # fmt: skip
    return work / "dist" / "bare-window"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="frozen app vs frozen bare PySide6 window")
    parser.add_argument("--app", type=Path, default=ROOT / "dist" / "proctor-desk")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    app_exe = args.app / "proctor-desk"
    if not app_exe.is_file():
        raise SystemExit(f"frozen_startup: no frozen app at {args.app}: run make package first")
    env = {**os.environ, "PROCTOR_DESK_STARTUP_PROBE": "1"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    bare_folder = _build_bare(ROOT / "build" / "bare-window")
    with tempfile.TemporaryDirectory(prefix="proctor-frozen-startup-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        _prepare(data_dir)
        app_cmd = [str(app_exe), "--data-dir", str(data_dir)]
        bare_cmd = [str(bare_folder / "bare-window")]
        _time(bare_cmd, env)  # warm the disk cache for both, so run 1 is no outlier
        _time(app_cmd, env)
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(_time(bare_cmd, env))
            app.append(_time(app_cmd, env))
    bare_ms, app_ms = statistics.median(bare), statistics.median(app)
    ratio = app_ms / bare_ms
    app_mb, bare_mb = _folder_mb(args.app), _folder_mb(bare_folder)
    print(
        f"frozen bare PySide6 window: median {bare_ms:.0f} ms, best {min(bare):.0f} ms, "
        f"{bare_mb:.0f} MB"
    )
    print(f"frozen Proctor Desk lock screen: median {app_ms:.0f} ms, best {min(app):.0f} ms")
    verdict = "within" if ratio <= TARGET_RATIO else "over"
    print(f"ratio {ratio:.2f}× ({verdict} the {TARGET_RATIO}× target, {args.runs} runs each)")
    size_verdict = "within" if app_mb <= SIZE_TARGET_MB else "over"
    print(f"app folder {app_mb:.0f} MB ({size_verdict} the {SIZE_TARGET_MB} MB target)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
