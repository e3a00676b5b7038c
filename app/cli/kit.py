"""``proctor-desk kit``: site kits. ``export`` at the institution (signed with its key),
``import`` on the laptop (checked, then the session is created and the device certified)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.acting import ACT, acting, record
from app.cli.filing import add_acknowledge_option, check_scope
from app.cli.institution import (
    SITE_PASSPHRASE_ENV,
    add_passphrase_option,
    load_identity,
    read_passphrase,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "kit", help="site kits: export at the institution, import on site"
    )
    commands = parser.add_subparsers(dest="kit_command", metavar="COMMAND", required=True)

    p_export = commands.add_parser("export", help="write a session's site kit (institution)")
    p_export.add_argument("--session", required=True, metavar="ID", help="session id")
    p_export.add_argument("--out", required=True, metavar="FILE", help="kit file to write")
    add_passphrase_option(p_export)
    p_export.add_argument(
        "--site-passphrase-file",
        metavar="FILE",
        help="first line: the passphrase for the site certificate, given to the site head "
        f"separately (or set ${SITE_PASSPHRASE_ENV})",
    )
    add_acknowledge_option(p_export)
    p_export.set_defaults(func=_export)

    p_import = commands.add_parser("import", help="check a kit and create its session (laptop)")
    p_import.add_argument("file", metavar="FILE")
    p_import.add_argument(
        "--site-passphrase-file",
        metavar="FILE",
        help="the site passphrase, which opens the kit and certifies this device "
        f"(or set ${SITE_PASSPHRASE_ENV})",
    )
    p_import.add_argument(
        "--no-certify",
        action="store_true",
        help="create the session without certifying the device (the passphrase still opens "
        "the kit; a kit of 0.1.0, not encrypted, needs none)",
    )
    p_import.add_argument(
        "--expect",
        metavar="FINGERPRINT",
        help="the institution's fingerprint as given by its admin; another is refused",
    )
    p_import.set_defaults(func=_import)


def _export(args: argparse.Namespace) -> int:
    from app.core.institution.filing import kit_scope
    from app.core.kits.kit_export import export_kit
    from app.core.records.service import Workspace

    account = acting(args, ACT)
    identity = load_identity(args)
    site_passphrase = read_passphrase(
        args.site_passphrase_file, SITE_PASSPHRASE_ENV, "Site passphrase", confirm=True
    )
    assert site_passphrase is not None
    with Workspace.open(args.data_dir) as workspace:
        # A plan outside the filing is said before the kit is written (Art. 14(2)).
        scope = check_scope(args, kit_scope(workspace, args.session))
        result = export_kit(workspace, identity, args.session, Path(args.out), site_passphrase)
        record(
            workspace,
            account,
            "export_kit",
            {
                "file": Path(args.out).name,
                "sha256": result.receipt.sha256,
                "filing_code": result.filing_code,
                **scope,
            },
            session_id=result.session_id,
        )
    print(f"已写入考点包 {args.out} (wrote the site kit)")
    print(f"session {result.session_id}, site certificate {result.site_subject}")
    print(f"备案码 filing code: {result.filing_code}")
    print(f"institution fingerprint: {identity.public.fingerprint}")
    print(f"SHA-256 {result.receipt.sha256}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from app.core.kits.kit_import import import_kit
    from app.core.records.service import Workspace

    account = acting(args, ACT)  # a kit is for a laptop; at the institution, only an admin
    passphrase = read_passphrase(
        args.site_passphrase_file,
        SITE_PASSPHRASE_ENV,
        "Site passphrase",
        required=not args.no_certify,
        option="--site-passphrase-file",
    )
    with Workspace.open(args.data_dir) as workspace:
        result = import_kit(
            workspace,
            Path(args.file),
            passphrase,
            certify=not args.no_certify,
            expect_institution=args.expect,
        )
        record(workspace, account, "import_kit", session_id=result.session_id)
    print(f"已导入考点包 (imported the site kit): session {result.session_id}")
    print(f"institution: {result.institution.name} ({result.institution.fingerprint})")
    if result.certified:
        print(f"device certified by the site: {result.device_certificate_subject}")
        print("reports are now signed with the site certificate; bundles are encrypted")
    else:
        print("device NOT certified (no site passphrase); import again with it to certify")
    return 0
