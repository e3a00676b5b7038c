"""Entry point: ``proctor-desk`` with a command runs the CLI; without one it starts the app.

Only this module decides to start the GUI, so the CLI (``app.cli``) never imports Qt.
"""

from __future__ import annotations

import os
import sys

# The packaged program runs itself with this flag as the import's proof-checking helper
# (``app.core.sync.proof_worker.SERVE_FLAG``, kept equal by the tests; not imported here, so
# that starting the app does not load what only an import needs).
SERVE_FLAG = "--serve-proof-checks"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == [SERVE_FLAG]:
        from app.core.sync.proof_worker import serve

        serve()
        return 0
    from app.cli.main import parse, run_command

    parsed = parse(args)  # --version and --help exit here, before anything heavier loads
    if parsed.self_test:
        return _self_test(parsed.self_test_json)
    if parsed.command is None:
        from app.ui.launch import launch_gui

        return launch_gui(parsed)
    return run_command(parsed)


def _self_test(as_json: bool) -> int:
    """The core's steps and the window's: a laptop checked before exam day runs it as is,
    offscreen unless a display platform is asked for (``QT_QPA_PLATFORM``)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt loads
    from app.cli.selftest import run_self_test
    from app.ui.selftest import window_step

    return run_self_test(as_json=as_json, extra_steps=[window_step()])


if __name__ == "__main__":
    sys.exit(main())
