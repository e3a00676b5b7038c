"""Entry point: ``proctor-desk`` with no arguments starts the GUI, otherwise the CLI."""

from __future__ import annotations

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
    from app.cli.main import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
