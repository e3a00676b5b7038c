"""Entry point: ``proctor-desk`` with no arguments starts the GUI, otherwise the CLI."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    from app.core.seal.parallel_verify import SERVE_FLAG

    if args == [SERVE_FLAG]:  # the packaged program as the import's seal-verifying helper
        from app.core.seal.parallel_verify import serve

        serve()
        return 0
    from app.cli.main import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
