"""``proctor-desk keys``: where this laptop's private keys are kept, and their passphrase.

``keys show`` prints the device's fingerprint (the anchor for ``verify --anchor``) and the
fingerprints of the institution roots that certified it; at the institution, the institution
key's fingerprint (the anchor there) and the signed-in account's key. ``keys passphrase``
changes the key passphrase (an audited action).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.cli.acting import ACT, LOOK

NEW_ENV = "PROCTOR_DESK_NEW_DEVICE_PASSPHRASE"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("keys", help="this laptop's keys and their passphrase (密钥)")
    commands = parser.add_subparsers(dest="keys_command", required=True)
    show = commands.add_parser("show", help="the device fingerprint and where the keys are kept")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(func=_show, needs_role=LOOK)
    change = commands.add_parser("passphrase", help="change the key passphrase (site head)")
    change.add_argument(
        "--new-passphrase-file",
        metavar="FILE",
        help=f"file whose first line is the new passphrase (or set ${NEW_ENV})",
    )
    change.set_defaults(func=_change, needs_role=ACT)


def _show(args: argparse.Namespace) -> int:
    from app.cli.workspace import open_existing
    from app.core.seal import key_vault
    from app.core.trust.anchor import kit_roots, root_fingerprint
    from app.core.trust.presence import institution_here

    with open_existing(args.data_dir) as ws:
        if institution_here(ws.data_dir):
            return _show_institution(args, ws.data_dir, ws.device)
        device = ws.device
        vault = key_vault.vault_for(ws.data_dir)
        if vault.exists():
            kept = (
                "the operating system's key store and the key passphrase"
                if vault.unlock_from_store()
                else "under the key passphrase (no key store on this computer)"
            )
        elif (ws.data_dir / key_vault.LEGACY_DEVICE_KEY).is_file():
            kept = "in the clear, as an earlier version kept them (moved under the key "
            kept += "passphrase at the next change)"
        else:
            kept = "not made yet (made with the first record)"
        roots = [
            {"session_id": session, "root_fingerprint": root_fingerprint(der)}
            for session, der, key in kit_roots(ws.data_dir)
            if key == device.public_bytes
        ]
        shown = {
            "device_id": device.device_id,
            "code": device.code,
            "fingerprint": device.fingerprint if vault.exists() or "clear" in kept else None,
            "keys_kept": kept,
            "institution_roots": roots,
        }
    if args.json:
        return _print_json(shown)
    print(f"Device {shown['code']} ({shown['device_id']})")
    print(f"Fingerprint: {shown['fingerprint'] or '(no key yet)'}")
    print(f"Private keys: {kept}")
    for root in roots:
        print(
            f"Certified by institution root {root['root_fingerprint']} (kit session "
            f"{root['session_id']})"
        )
    print("Check with: proctor-desk verify --anchor FINGERPRINT")
    return 0


def _print_json(shown: dict[str, Any]) -> int:
    json.dump(shown, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def _show_institution(args: argparse.Namespace, data_dir: Path, signer: Any) -> int:
    """The institution key every account key's certificate leads to, and the signed-in
    account's own key (an institution has no device key)."""
    from app.core.seal.device_keys import fingerprint
    from app.core.trust.institution import load_public

    shown = {
        "institution_key": fingerprint(load_public(data_dir).signing_key),
        "account": getattr(signer, "account", None),
        "account_key_id": signer.device_id,
        "account_key": signer.fingerprint or None,
    }
    if args.json:
        return _print_json(shown)
    print(f"Institution key {shown['institution_key']} (every account key is certified by it)")
    print(f"Account {shown['account']}: key {shown['account_key'] or '(none)'}")
    print("Check with: proctor-desk verify --anchor INSTITUTION-KEY-FINGERPRINT")
    return 0


def _change(args: argparse.Namespace) -> int:
    from app.cli.errors import CliError
    from app.cli.institution import read_passphrase
    from app.core.records.service import Workspace
    from app.core.seal import key_vault

    with Workspace.open(args.data_dir) as ws:
        vault = key_vault.vault_for(ws.data_dir)
        if not vault.exists():
            raise CliError("this laptop's keys are not set up yet: nothing to change")
        vault.unlock()  # the current passphrase before a new one is asked for
        new = read_passphrase(
            args.new_passphrase_file,
            NEW_ENV,
            "New key passphrase",
            confirm=True,
            option="--new-passphrase-file",
        )
        assert new is not None
        ws.change_key_passphrase(new)
    print("The key passphrase is changed; give the new one from now on.")
    return 0
