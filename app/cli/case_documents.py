"""``proctor-desk case notice|decide|review|report-regulator|certificates|export``: the steps
that make documents, and the lists (``docs/case-documents.md``).

Each document is made from the case, signed in the institution's name (the institution's
passphrase opens its root: ``--passphrase-file`` or ``$PROCTOR_DESK_PASSPHRASE``, as for
``bundle import``), kept in the data folder or the shared database with the step, and written
to ``--out``. An output file that exists is refused before anything is done; a refused step is
one line on stderr, exit 2, and keeps nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.acting import ACT, LOOK
from app.cli.case import _account, _day, _step, _yes_no
from app.cli.files import refuse_existing, write_new
from app.cli.institution import add_passphrase_option, load_identity

if TYPE_CHECKING:
    from app.core.casework.documents import CaseDocument
    from app.core.records.service import Workspace


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The document commands, added to the ``case`` group's ``commands``."""
    p = _document_step(commands, "notice", "告知书 (Art. 17 ¶1): the intended decision, signed")
    p.add_argument(
        "--respond-by",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the date to answer by (the institution's practice; default: its response period)",
    )
    p.set_defaults(func=_notice)

    p = _document_step(commands, "decide", "处理决定书 (Art. 17 ¶2, Art. 19 route), signed")
    p.add_argument("--decision-date", type=_day, metavar="YYYY-MM-DD", required=True)
    p.add_argument(
        "--announced",
        action="store_true",
        help="the copy to announce (公告): the ID number masked, the person's answer left out",
    )
    p.set_defaults(func=_decide)

    p = _document_step(commands, "review", "复核决定书 (Art. 19) by an admin who took no part")
    p.add_argument("--outcome", choices=("upheld", "changed", "annulled"), required=True)
    p.add_argument("--severity", choices=("minor", "serious"), help="with changed: Art. 7")
    p.add_argument("--adverse-effect", type=_yes_no, metavar="yes|no", help="with changed: Art. 11")
    p.set_defaults(func=_review)

    p = _document_step(
        commands, "report-regulator", "报备表 (Art. 16 ¶2): a staff case reported, PDF and XLSX"
    )
    p.add_argument("--to", metavar="REGULATOR", required=True)
    p.add_argument("--date", type=_day, metavar="YYYY-MM-DD", required=True)
    p.add_argument("--xlsx", metavar="FILE", required=True, help="the XLSX list to write")
    p.set_defaults(func=_report_regulator)

    p = _step(commands, "certificates", "Art. 8: the certificate list of a decided case (XLSX)")
    p.add_argument("--xlsx", metavar="FILE", required=True, help="the XLSX list to write")
    p.set_defaults(func=_certificates)

    p = commands.add_parser(
        "export", help="every case with its steps and documents into a new folder (Art. 20)"
    )
    p.add_argument("--out", metavar="FOLDER", required=True, help="a new or empty folder")
    p.set_defaults(func=_export, needs_role=LOOK)


def _document_step(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str
) -> argparse.ArgumentParser:
    p = _step(commands, name, text)
    p.add_argument("--out", metavar="PDF", required=True, help="the signed PDF to write")
    add_passphrase_option(p)
    p.set_defaults(needs_role=ACT)
    return p


def _seen(workspace: Workspace, args: argparse.Namespace) -> int:
    from app.core.casework.service import CaseDesk

    if args.seen_version is not None:
        seen: int = args.seen_version
        return seen
    return CaseDesk(workspace).version_of(_account(args), args.id)


def _make(args: argparse.Namespace, name: str, *, xlsx: str | None = None, **kwargs: Any) -> int:
    from app.core.casework import documents
    from app.core.records.service import Workspace

    account = _account(args)
    refuse_existing(args.out)
    if xlsx is not None:
        refuse_existing(xlsx)
    identity = load_identity(args)
    with Workspace.open(args.data_dir) as workspace:
        made: CaseDocument = getattr(documents, name)(
            workspace, account, identity, args.id, _seen(workspace, args), **kwargs
        )
    assert made.pdf is not None
    out = write_new(args.out, made.pdf)
    written = [str(out)]
    if xlsx is not None and made.xlsx is not None:
        written.append(str(write_new(xlsx, made.xlsx)))
    case = made.case
    print(
        f"案件 (case) {case['id'][:8]}: {case['status']} (version {case['version']}); "
        f"{made.kind} {made.sha256[:12]}… signed and kept; wrote {', '.join(written)}"
    )
    return 0


def _notice(args: argparse.Namespace) -> int:
    return _make(args, "notice", respond_by=args.respond_by)


def _decide(args: argparse.Namespace) -> int:
    delivery = "announced" if args.announced else "served"
    return _make(args, "decide", decision_date=args.decision_date, delivery=delivery)


def _review(args: argparse.Namespace) -> int:
    facts: dict[str, Any] = {}
    if args.severity is not None:
        facts["severity"] = args.severity
    if args.adverse_effect is not None:
        facts["adverse_effect"] = args.adverse_effect
    return _make(args, "review", outcome=args.outcome, **facts)


def _report_regulator(args: argparse.Namespace) -> int:
    date: dt.date = args.date
    return _make(args, "report_to_regulator", xlsx=args.xlsx, to=args.to, date=date)


def _certificates(args: argparse.Namespace) -> int:
    from app.core.casework import documents
    from app.core.casework.errors import EditConflict
    from app.core.records.service import Workspace

    account = _account(args)
    refuse_existing(args.xlsx)
    with Workspace.open(args.data_dir) as workspace:
        if args.seen_version is not None and _seen_now(workspace, args) != args.seen_version:
            raise EditConflict(
                f"case {args.id}: changed since it was read (version {args.seen_version}); "
                "look at it again (`case show`)"
            )
        data = documents.certificate_list(workspace, account, args.id)
    out = write_new(args.xlsx, data)
    print(f"证书及证书数据处理清单 (Art. 8 certificate list): wrote {out}")
    return 0


def _seen_now(workspace: Workspace, args: argparse.Namespace) -> int:
    from app.core.casework.service import CaseDesk

    return CaseDesk(workspace).version_of(_account(args), args.id)


def _export(args: argparse.Namespace) -> int:
    from app.core.casework import documents
    from app.core.records.service import Workspace

    account = _account(args)
    with Workspace.open(args.data_dir) as workspace:
        written = documents.export_cases(workspace, account, Path(args.out))
    pdfs = sum(1 for p in written if p.suffix == ".pdf")
    print(f"已导出 (exported) the cases and {pdfs} documents to {args.out}")
    return 0
