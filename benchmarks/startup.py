"""Cold start to the first window painted: the app beside a bare PySide6 QMainWindow.

    python benchmarks/startup.py [--runs 7]

Each run is a fresh process, timed from spawn until it reports its first paint, the app and
the bare window alternating so both see the same machine load. The app starts as on a
laptop that has been set up and has a current session: the lock screen shows while the
records open in a worker. Prints the median and best times in ms and their ratio; the
target is at most 1.5× the bare window.

Both run with their bytecode cached, as an installed app does (pip and PyInstaller ship or
write ``.pyc`` files): the cache goes to a temporary ``PYTHONPYCACHEPREFIX`` filled by the
warm-up runs, and ``PYTHONDONTWRITEBYTECODE`` (set in some shells and CI) is dropped for the
children, since with it every start would recompile each of the app's modules from source.
``--no-bytecode-cache`` measures that case instead.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# The temporary data folders' keys open with a benchmark passphrase (there is no key store
# here); the app started in a child process inherits it.
os.environ.setdefault("PROCTOR_DESK_DEVICE_PASSPHRASE", "benchmark passphrase")

TARGET_RATIO = 1.5

BARE = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv)
window = QMainWindow()
window.setWindowTitle("bare")

class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            sys.stdout.write("shown\\n")
            sys.stdout.flush()
            QTimer.singleShot(0, app.quit)
        return False

probe = Probe()
window.installEventFilter(probe)
window.resize(1366, 768)
window.show()
app.exec()
"""


def _prepare(data_dir: Path) -> None:
    """A data folder as on a laptop in use: set up, with a current session."""
    from app.core.demo.seed import seed_demo
    from app.core.records.app_state import AppSettings, save_settings
    from app.core.records.service import Workspace

    with Workspace.open(data_dir) as workspace:
        session_id = seed_demo(workspace, candidates=30, incidents=3).session_id
    save_settings(data_dir, AppSettings("Bench laptop", current_session=session_id))


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    elapsed = (time.perf_counter() - start) * 1000
    process.wait(timeout=60)
    if line.strip() != "shown":
        raise SystemExit(f"startup: {command[1:]} did not report a painted window")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="cold start: app vs bare PySide6 window")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="compile every module from source at each start (PYTHONDONTWRITEBYTECODE=1)",
    )
    args = parser.parse_args(argv)
    env = {**os.environ, "PROCTOR_DESK_STARTUP_PROBE": "1"}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="proctor-startup-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        if args.no_bytecode_cache:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        _prepare(data_dir)
        app_cmd = [sys.executable, "-m", "app", "--data-dir", str(data_dir)]
        bare_cmd = [sys.executable, "-c", BARE]
        _time(bare_cmd, env)  # warm the disk cache for both, so run 1 is no outlier
        _time(app_cmd, env)
        bare, app = [], []
        for _ in range(args.runs):
            bare.append(_time(bare_cmd, env))
            app.append(_time(app_cmd, env))
    bare_ms, app_ms = statistics.median(bare), statistics.median(app)
    ratio = app_ms / bare_ms
    print(f"bare PySide6 QMainWindow: median {bare_ms:.0f} ms, best {min(bare):.0f} ms")
    print(f"Proctor Desk lock screen: median {app_ms:.0f} ms, best {min(app):.0f} ms")
    verdict = "within" if ratio <= TARGET_RATIO else "over"
    cache = "no bytecode cache" if args.no_bytecode_cache else "bytecode cached"
    print(
        f"ratio {ratio:.2f}× ({verdict} the {TARGET_RATIO}× target, {args.runs} runs each, {cache})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
