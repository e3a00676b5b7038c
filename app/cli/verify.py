"""``proctor-desk verify``: recompute every hash, seal and the audit chain; exit 1 on failure."""

from __future__ import annotations

import argparse
import json
import sys

from app.cli.acting import LOOK


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "verify", help="check every record's hash and seal and the audit chain (校验)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--anchor",
        metavar="FINGERPRINT",
        help="the device's fingerprint from the export receipt or the paper log (or the "
        "institution root's, from `keys show`): every seal and audit entry must be by that key",
    )
    parser.set_defaults(func=_verify, needs_role=LOOK)


def _verify(args: argparse.Namespace) -> int:
    from app.cli.workspace import open_existing
    from app.core.seal.device_keys import fingerprint

    with open_existing(args.data_dir) as ws:
        report = ws.verify(anchor=args.anchor)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for problem in report.problems:
            print(f"FAILED {problem}")
        verdict = "OK" if report.ok else f"{len(report.problems)} problem(s)"
        purged = (
            f"; {report.purged_sessions} purged session(s) skipped"
            if report.purged_sessions
            else ""
        )
        print(
            f"{verdict}: {report.incidents} incidents, {report.seals} seals, "
            f"{report.audit_entries} audit entries checked{purged}"
        )
        if report.anchor is not None:
            if report.anchor.institution_key:  # every account key's certificate leads to it
                print(f"Institution key {fingerprint(report.anchor.institution_key)}")
            if report.anchor.fingerprint:
                print(f"Device key {report.anchor.fingerprint}")
            print(
                f"Anchored by {report.anchor.by}"
                if report.anchor.anchored
                else report.anchor.by[:1].upper() + report.anchor.by[1:]
            )
    return 0 if report.ok else 1
