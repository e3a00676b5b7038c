"""How the command line gives the laptop's key passphrase to the core (``key_vault``): from
``--device-passphrase-file``, else ``$PROCTOR_DESK_DEVICE_PASSPHRASE``, else the terminal
(twice when a new one is chosen), asked only when a command first needs the keys."""

from __future__ import annotations

from app.cli.errors import CliError


def use_device_passphrase(file: str | None) -> None:
    from app.cli.institution import read_passphrase
    from app.core.seal import key_vault

    def source(kind: key_vault.Kind) -> str | None:
        prompt = (
            "Choose this laptop's key passphrase (site head, at least "
            f"{key_vault.MIN_PASSPHRASE} characters)"
            if kind == "new"
            else "This laptop's key passphrase"
        )
        passphrase = read_passphrase(
            file,
            key_vault.ENV,
            prompt,
            confirm=kind == "new",
            required=False,
            option="--device-passphrase-file",
        )
        if passphrase is not None and kind == "new":
            problem = key_vault.passphrase_problem(passphrase)
            if problem:
                raise CliError(problem)
        return passphrase

    key_vault.set_passphrase_source(source)
