"""``proctor-desk institution``: the institution's identity (keys and root certificate) and
which devices it accepts or revoked.

Passphrases are read from ``--passphrase-file``, else ``$PROCTOR_DESK_PASSPHRASE``, else asked
for on the terminal; they are never taken from the command line, where others could see them.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.acting import ACT, LOOK, acting, record
from app.cli.errors import CliError
from app.cli.filing import register_filing
from app.cli.workspace import existing_folder

if TYPE_CHECKING:
    from app.core.trust.institution import InstitutionIdentity

PASSPHRASE_ENV = "PROCTOR_DESK_PASSPHRASE"
SITE_PASSPHRASE_ENV = "PROCTOR_DESK_SITE_PASSPHRASE"
RECOVERY_PASSPHRASE_ENV = "PROCTOR_DESK_RECOVERY_PASSPHRASE"


def read_passphrase(
    file: str | None,
    env: str,
    prompt: str,
    *,
    confirm: bool = False,
    required: bool = True,
    option: str = "--passphrase-file",
    what: str = "passphrase",
) -> str | None:
    """A passphrase (or another secret, ``what``) from a file (first line), the environment,
    or the terminal; ``option`` names the file option in the message when none is given."""
    if file:
        try:
            # utf-8-sig drops the byte-order mark Windows Notepad writes at the start.
            lines = Path(file).read_text(encoding="utf-8-sig").splitlines()
        except OSError as exc:
            raise CliError(f"{file}: cannot read the {what} ({exc.strerror})") from None
        return lines[0] if lines else ""
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        if not required:
            return None
        raise CliError(f"a {what} is needed: give {option} FILE or set ${env}")
    first = getpass.getpass(f"{prompt}: ")
    if confirm and getpass.getpass(f"{prompt} (again): ") != first:
        raise CliError(f"the two {what}s differ")
    return first


def data_folder(args: argparse.Namespace) -> Path:
    """Where the data folder is, without creating it: ``init`` and the workspace create what
    they need, and a command that only looks (``bundle verify``) should leave no folder behind."""
    from app.core.paths import data_dir

    return data_dir(args.data_dir, create=False)


def load_identity(args: argparse.Namespace) -> InstitutionIdentity:
    from app.core.trust.institution import load_identity as load

    passphrase = read_passphrase(
        getattr(args, "passphrase_file", None), PASSPHRASE_ENV, "Institution passphrase"
    )
    assert passphrase is not None
    return load(data_folder(args), passphrase)


def add_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help=f"file whose first line is the institution passphrase (or set ${PASSPHRASE_ENV})",
    )


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "institution", help="the institution's keys, root certificate and accepted devices"
    )
    commands = parser.add_subparsers(dest="institution_command", metavar="COMMAND", required=True)

    p_init = commands.add_parser("init", help="create the institution's identity (once)")
    p_init.add_argument("--name", required=True, help="the institution's name")
    add_passphrase_option(p_init)
    p_init.set_defaults(func=_init)

    p_show = commands.add_parser("show", help="the institution's public keys and fingerprint")
    p_show.set_defaults(func=_show)

    p_root = commands.add_parser("root-cert", help="write the root certificate (PEM)")
    p_root.add_argument("--out", required=True, metavar="FILE")
    p_root.set_defaults(func=_root_cert)

    p_trust = commands.add_parser(
        "accept-device", help="accept a device key by fingerprint (sessions without a kit)"
    )
    p_trust.add_argument(
        "fingerprint", metavar="FINGERPRINT", help="the whole fingerprint (64 hex digits)"
    )
    p_trust.set_defaults(func=_accept)

    p_revoke = commands.add_parser(
        "revoke-device", help="revoke a device (a lost laptop): its bundles are refused"
    )
    p_revoke.add_argument(
        "fingerprint", metavar="FINGERPRINT", help="the whole fingerprint (64 hex digits)"
    )
    p_revoke.add_argument(
        "--reason", required=True, help="why (kept with the revocation and in the audit log)"
    )
    p_revoke.set_defaults(func=_revoke)

    p_devices = commands.add_parser("devices", help="devices seen, accepted or revoked")
    p_devices.set_defaults(func=_devices)

    register_filing(commands)

    p_export_keys = commands.add_parser(
        "export-keys", help="write the institution's keys to a recovery file (a new file)"
    )
    p_export_keys.add_argument("--out", required=True, metavar="FILE")
    add_passphrase_option(p_export_keys)
    add_recovery_passphrase_option(p_export_keys)
    p_export_keys.set_defaults(func=_export_keys)

    p_restore_keys = commands.add_parser(
        "restore-keys", help="put the institution's keys back from a recovery file"
    )
    p_restore_keys.add_argument("file", metavar="FILE")
    add_recovery_passphrase_option(p_restore_keys)
    p_restore_keys.add_argument(
        "--passphrase-file",
        metavar="FILE",
        help="file whose first line is the institution passphrase to protect the restored "
        f"keys with, the old one or a new one (or set ${PASSPHRASE_ENV})",
    )
    p_restore_keys.set_defaults(func=_restore_keys)


def add_recovery_passphrase_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--recovery-passphrase-file",
        metavar="FILE",
        help="file whose first line is the recovery file's passphrase "
        f"(or set ${RECOVERY_PASSPHRASE_ENV})",
    )


def _recovery_passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    passphrase = read_passphrase(
        args.recovery_passphrase_file,
        RECOVERY_PASSPHRASE_ENV,
        "Recovery passphrase" if not confirm else "New recovery passphrase",
        confirm=confirm,
        option="--recovery-passphrase-file",
    )
    assert passphrase is not None
    return passphrase


def _export_keys(args: argparse.Namespace) -> int:
    from app.cli.files import refuse_existing, write_new
    from app.core.trust.key_recovery import export_keys

    out = refuse_existing(args.out)
    account = acting(args, ACT)
    passphrase = read_passphrase(args.passphrase_file, PASSPHRASE_ENV, "Institution passphrase")
    assert passphrase is not None
    recovery = _recovery_passphrase(args, confirm=True)
    if recovery == passphrase:
        raise CliError("the recovery passphrase must differ from the institution passphrase")
    data = export_keys(data_folder(args), passphrase, recovery)
    write_new(out, data)
    if account is not None:
        from app.core.records.service import Workspace

        with Workspace.open(args.data_dir) as workspace:
            record(workspace, account, "export_keys", {"file": out.name})
    print(f"已写入机构密钥恢复文件 {out} (wrote the institution's recovery file)")
    print("keep it and its passphrase apart from this computer, and apart from each other")
    return 0


def _restore_keys(args: argparse.Namespace) -> int:
    from app.core.trust.institution import exists
    from app.core.trust.key_recovery import MAX_FILE_BYTES, restore_keys
    from app.core.trust.presence import folder_of

    folder = data_folder(args)
    if exists(folder):  # said before any passphrase is asked
        raise CliError(f"{folder_of(folder)} already holds an institution identity; it is kept")
    try:
        with open(args.file, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CliError(f"{args.file}: cannot be read ({exc.strerror})") from None
    recovery = _recovery_passphrase(args, confirm=False)
    passphrase = read_passphrase(
        args.passphrase_file, PASSPHRASE_ENV, "Institution passphrase (old or new)", confirm=True
    )
    assert passphrase is not None
    identity = restore_keys(folder, data, recovery, passphrase)
    print(f"已恢复机构密钥：{identity.public.name}")
    print(f"(restored the institution's keys for {identity.public.name})")
    print(f"fingerprint: {identity.public.fingerprint}")
    return 0


def _init(args: argparse.Namespace) -> int:
    from app.core.trust.institution import init_institution

    passphrase = read_passphrase(
        args.passphrase_file, PASSPHRASE_ENV, "New institution passphrase", confirm=True
    )
    assert passphrase is not None
    identity = init_institution(data_folder(args), args.name, passphrase)
    print(f"已创建机构身份：{identity.public.name}")
    print(f"(created the institution identity for {identity.public.name})")
    print(f"fingerprint: {identity.public.fingerprint}")
    return 0


def _show(args: argparse.Namespace) -> int:
    from app.core.trust import site_state
    from app.core.trust.institution import exists, load_public

    folder = existing_folder(args.data_dir)
    acting(args, LOOK, folder)
    pinned = site_state.pinned_institution(folder)
    if not exists(folder) and pinned is not None:
        # A site laptop: it holds the institution's public keys from its kit, not the identity.
        public = pinned
        print("本机为考点设备 (a site laptop): the institution its kit came from")
    else:
        public = load_public(folder)
    print(f"institution: {public.name} ({public.institution_id})")
    print(f"fingerprint: {public.fingerprint}")
    print(f"encryption key: {public.encryption_key.hex()}")
    print(f"root certificate: {public.root_certificate.subject.rfc4514_string()}")
    return 0


def _root_cert(args: argparse.Namespace) -> int:
    from app.core.trust.institution import load_public

    folder = existing_folder(args.data_dir)
    acting(args, LOOK, folder)
    public = load_public(folder)
    from app.cli.files import write_new

    out = write_new(args.out, public.root_pem().encode("ascii"))
    print(f"wrote the root certificate to {out}")
    return 0


def _accept(args: argparse.Namespace) -> int:
    from app.core.institution import devices

    account = acting(args, ACT)
    try:
        printed, changed = devices.accept(
            data_folder(args), args.fingerprint, account=account.name if account else None
        )
    except devices.UnknownDeviceError as exc:
        raise CliError(str(exc)) from None
    print(f"accepted device {printed}" if changed else f"device {printed} was already accepted")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    from app.core.institution import devices
    from app.core.trust.device_trust import whole_fingerprint

    if not args.reason.strip():
        whole_fingerprint(args.fingerprint)  # the fingerprint's fault is named first
        raise CliError("--reason: say why the device is revoked (it is kept with the record)")
    account = acting(args, ACT)
    printed = devices.revoke(
        data_folder(args), args.fingerprint, args.reason, account=account.name if account else None
    )
    print(f"已吊销设备 (revoked device) {printed}: {args.reason.strip()}")
    return 0


def _devices(args: argparse.Namespace) -> int:
    from app.core.institution import devices

    folder = existing_folder(args.data_dir)
    acting(args, LOOK, folder)
    rows = devices.devices(folder)
    for row in rows:
        status = row.status
        if row.status == "revoked" and row.changed_on is not None:
            status += f" {row.changed_on.isoformat()}: {row.note}"
        print(f"{row.fingerprint}  code {row.code or '?'}  {status}")
    if not rows:
        print("no devices yet")  # an institution with nothing imported has no database
    return 0
