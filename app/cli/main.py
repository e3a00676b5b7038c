"""The ``proctor-desk`` command line: argparse over the core services.

Each command group lives in its own module with a ``register(subparsers)`` function that adds
its parser and sets ``func`` (``Callable[[argparse.Namespace], int]``) on it. Errors the user can
cause are raised as ``CliError`` (or a core error) and printed as one line on stderr, exit 2.
Anything else is a fault of ours: its traceback goes to the log file (``app.cli.logfile``) and
the person gets one line naming that file, exit 1.

This module never imports the GUI: with no command, ``app.__main__`` starts the app instead
(``tests/unit/test_layers.py`` holds the CLI to that).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from app.cli.errors import CliError

# Command modules, imported only when their command runs, so `--version` and the app start fast.
COMMAND_MODULES: dict[str, str] = {
    "rules": "app.cli.rules",
    "roster": "app.cli.roster",
    "report": "app.cli.report",
    "session": "app.cli.sessions",
    "incident": "app.cli.incidents",
    "verify": "app.cli.verify",
    "demo": "app.cli.demo",
    "evidence": "app.cli.evidence",
    "institution": "app.cli.institution",
    "kit": "app.cli.kit",
    "bundle": "app.cli.bundle",
    "backup": "app.cli.backup",
    "restore": "app.cli.restore",
    "keys": "app.cli.keys",
    "user": "app.cli.user",
    "case": "app.cli.case",
    "search": "app.cli.search",
    "stats": "app.cli.stats",
    "register": "app.cli.register",
}


class _VersionAction(argparse.Action):
    """Reads the version only when asked: importlib.metadata costs start-up time."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from app.version import version

        sys.stdout.write(f"proctor-desk {version()}\n")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse's default prints usage plus the message; we keep one clear line, exit 2.
        sys.stderr.write(f"proctor-desk: error: {message}\n")
        raise SystemExit(2)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    parser = _Parser(prog="proctor-desk", description="Proctor Desk 考场违纪违规记录")
    parser.add_argument("--version", action=_VersionAction, help="print the version and exit")
    parser.add_argument(
        "--data-dir",
        help="data folder (default: the platform's user data folder, or $PROCTOR_DESK_HOME)",
    )
    from app.cli.acting import add_global_options

    add_global_options(parser)  # --user, --password-file: who acts at the institution
    parser.add_argument(
        "--device-passphrase-file",
        metavar="FILE",
        help="file whose first line is this laptop's key passphrase (or set "
        "$PROCTOR_DESK_DEVICE_PASSPHRASE; else it is asked for at the terminal)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="the institution's shared records database, e.g. postgresql+psycopg://user@host/db "
        "(or set $PROCTOR_DESK_DATABASE_URL; default: the data folder's own SQLite file)",
    )
    parser.add_argument("--demo", action="store_true", help="open the demo session in the app")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="say on stderr what the command does, and an unexpected error's details",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="start the app, save a screenshot of its first window to PNG and quit",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this installation end to end in a temporary data folder, one line per "
        "step; exit 0 only when every step passes",
    )
    parser.add_argument(
        "--json", dest="self_test_json", action="store_true", help="with --self-test: print JSON"
    )
    subparsers = parser.add_subparsers(dest="command", parser_class=_Parser)
    for name, module_name in COMMAND_MODULES.items():
        if name != only:
            # Register a placeholder so argparse lists the command in --help.
            subparsers.add_parser(name, help=f"{name} commands", add_help=False)
            continue
        module = importlib.import_module(module_name)
        module.register(subparsers)
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names, found by argparse itself.

    Scanning for the first word equal to a command name would take an option's value (``--data-dir
    verify``) for the command; the placeholder parser knows which options take a value.
    """
    args, _rest = build_parser().parse_known_args(argv)
    command: str | None = args.command
    return command


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The parsed arguments; ``command`` is None when ``argv`` names none (the app's options
    alone). A malformed line exits with status 2, ``--version`` and ``--help`` with 0."""
    argv = list(argv)
    parser = build_parser(only=command_of(argv))
    args = parser.parse_args(argv)
    if args.self_test and args.command is not None:
        parser.error("--self-test runs on its own: give it no command")
    if args.self_test_json and not args.self_test:
        parser.error("--json goes with --self-test here; a command's --json comes after it")
    return args


def run(argv: Sequence[str]) -> int:
    """Parse ``argv`` and run the command it names; without one it is an error here."""
    args = parse(argv)
    if args.self_test:  # the core's steps; app.__main__ adds the window's
        from app.cli.selftest import run_self_test

        return run_self_test(as_json=args.self_test_json)
    if args.command is None:  # the app's entry point starts the app instead (app.__main__)
        sys.stderr.write("proctor-desk: error: no command given (--help lists them)\n")
        return 2
    return run_command(args)


DATABASE_URL_ENV = "PROCTOR_DESK_DATABASE_URL"  # app.core.records.db's, not imported at start


def run_command(args: argparse.Namespace) -> int:
    """Run the command ``parse`` found; a user's error is one line on stderr, status 2; an
    unexpected one is logged with its traceback and named in one line, status 1."""
    from app.cli.logfile import command_logging
    from app.core.paths import PRIVATE_UMASK

    # What the command creates (in the data folder, and the files it writes) is the user's
    # alone; the umask is put back for whoever runs commands in this process next.
    previous = os.umask(PRIVATE_UMASK)
    url = getattr(args, "database_url", None)
    # Given on the command line, the shared database is this command's only: the setting the
    # environment held (if any) is put back afterwards.
    held = os.environ.get(DATABASE_URL_ENV)
    if url:
        os.environ[DATABASE_URL_ENV] = url
    try:
        from app.cli.passphrases import use_device_passphrase

        use_device_passphrase(getattr(args, "device_passphrase_file", None))
        with command_logging(args):
            return _run_logged(args)
    finally:
        os.umask(previous)
        if url:
            if held is None:
                os.environ.pop(DATABASE_URL_ENV, None)
            else:
                os.environ[DATABASE_URL_ENV] = held


def _run_logged(args: argparse.Namespace) -> int:
    from app.core.logs import log

    try:
        role = getattr(args, "needs_role", None)
        if role is not None:
            # A command that declares the role it needs acts as an account at the institution
            # (``acting``; nothing is asked on a site laptop). The others that need one ask
            # for it themselves, at the point where they know what they will do.
            from app.cli.acting import acting

            args.account = acting(args, role(args) if callable(role) else role)
        result: int = args.func(args)
        sys.stdout.flush()
        return result
    except BrokenPipeError:
        # The reader (``| head``) went away: not an error of ours. Point stdout at devnull so
        # the interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except CliError as exc:
        log.info("refused: %s", exc)
        sys.stderr.write(f"proctor-desk: error: {one_line(str(exc))}\n")
        return exc.status
    except Exception as exc:
        from app.core.errors import UserError
        from app.core.storage import storage_problem

        problem = None if isinstance(exc, UserError) else storage_problem(exc, _folder(args))
        if problem is not None:  # a full disk, a read-only folder: not a fault of ours
            log.info("refused: %s", problem)
            sys.stderr.write(f"proctor-desk: error: {one_line(str(problem))}\n")
            return 2
        if isinstance(exc, UserError):
            log.info("refused: %s", exc)
            sys.stderr.write(f"proctor-desk: error: {one_line(str(exc))}\n")
            return 2
        from app.cli.logfile import log_unexpected

        path = log_unexpected(exc, args)
        summary = one_line(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        sys.stderr.write(
            f"proctor-desk: error: unexpected problem ({summary}); details in {path}\n"
        )
        sys.stdout.flush()
        return 1


def _folder(args: argparse.Namespace) -> Path | None:
    from app.core.paths import data_dir

    try:
        return data_dir(getattr(args, "data_dir", None), create=False)
    except Exception:  # only names the folder in a message
        return None


def one_line(message: str) -> str:
    """A core message listing problems on indented lines (fit for a dialog), as one line."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else message
    head, rest = lines[0], "; ".join(lines[1:])
    return f"{head} {rest}" if head.endswith(":") else f"{head}; {rest}"
