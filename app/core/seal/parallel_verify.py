"""Ed25519 signatures verified on a second core while the caller goes on checking records.

An import of 10,000 sealed records spends as long verifying seals as on everything else it
checks. Threads do not help: the library releases the GIL while it verifies, but a worker
thread then waits for the GIL after every signature while the caller runs Python. So a large
batch goes to a helper process (started only when there are enough signatures to repay its
start-up, and only where there is a second core); a small one is verified in place.

The helper is this module run on its own (``python -c``, or the frozen program with
``SERVE_FLAG``), not ``multiprocessing``, which would import the caller's main module again
in the child. It only answers which signatures fail; if it cannot be started or dies, every
signature is verified in place instead. Nothing is decided before ``failures()`` has every
answer, so a caller that writes only after it keeps its rule: verify everything, then write.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from app.core.seal.device_keys import verify_signature

# Below this many signatures, starting a process (about 0.1 s) costs more than it saves.
PROCESS_THRESHOLD = 1500
SERVE_FLAG = "--serve-seal-verifier"
_BATCH = 500
_COUNT = struct.Struct("<I")
_SIZES = struct.Struct("<HHI")

Item = tuple[bytes, bytes, bytes]  # (raw public key, signature, message)


def _read(stream: BinaryIO, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError
    return data


def serve(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """The helper: read batches of items until an empty one, then write the failing indices.

    A batch is a count, then per item the three lengths and the three byte strings.
    """
    source = stdin or sys.stdin.buffer
    sink = stdout or sys.stdout.buffer
    failed: list[int] = []
    seen = 0
    try:
        while count := _COUNT.unpack(_read(source, _COUNT.size))[0]:
            for _ in range(count):
                sizes = _SIZES.unpack(_read(source, _SIZES.size))
                public, signature, message = (_read(source, n) for n in sizes)
                if not verify_signature(public, signature, message):
                    failed.append(seen)
                seen += 1
        sink.write(_COUNT.pack(len(failed)) + b"".join(_COUNT.pack(i) for i in failed))
        sink.flush()
    except (EOFError, OSError):  # the caller gave up (its import was refused): nothing to say
        pass


def _command() -> tuple[list[str], dict[str, str]]:
    if getattr(sys, "frozen", False):  # a packaged program: its own entry point serves
        return [sys.executable, SERVE_FLAG], dict(os.environ)
    root = str(Path(__file__).resolve().parents[3])  # the folder holding the app package
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    code = "from app.core.seal.parallel_verify import serve; serve()"
    return [sys.executable, "-c", code], env


def _pack(batch: list[Item]) -> bytes:
    parts = [_COUNT.pack(len(batch))]
    for public, signature, message in batch:
        parts += [_SIZES.pack(len(public), len(signature), len(message)), public, signature]
        parts.append(message)
    return b"".join(parts)


class SignatureChecks:
    """Collects (label, key, signature, message); ``failures()`` names those that fail."""

    def __init__(self, expected: int) -> None:
        self._labels: list[str] = []
        self._items: list[Item] = []
        self._sent = 0  # items handed to the helper (or verified here) so far
        self._failed: list[int] = []
        self._helper: subprocess.Popen[bytes] | None = None
        if expected >= PROCESS_THRESHOLD and (os.cpu_count() or 1) > 1:
            self._start()

    @property
    def in_helper(self) -> bool:
        return self._helper is not None

    def _start(self) -> None:
        command, env = _command()
        try:
            self._helper = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except OSError:
            self._helper = None  # verified in place, as for a small batch

    def add(self, label: str, public: bytes, signature: bytes, message: bytes) -> None:
        self._labels.append(label)
        self._items.append((public, signature, message))
        if len(self._items) - self._sent >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        batch = self._items[self._sent :]
        if not batch:
            return
        if self._helper is None:
            self._failed += self._verify(self._sent)
        else:
            try:
                assert self._helper.stdin is not None
                self._helper.stdin.write(_pack(batch))
            except OSError:  # the helper is gone: what it was given is verified here too
                self.close()
                self._failed = self._verify(0)
        self._sent = len(self._items)

    def _verify(self, start: int) -> list[int]:
        return [
            index
            for index, (public, signature, message) in enumerate(self._items[start:], start)
            if not verify_signature(public, signature, message)
        ]

    def _answers(self) -> list[int] | None:
        helper = self._helper
        assert helper is not None and helper.stdin is not None and helper.stdout is not None
        try:
            helper.stdin.write(_COUNT.pack(0))
            helper.stdin.close()
            count = _COUNT.unpack(_read(helper.stdout, _COUNT.size))[0]
            data = _read(helper.stdout, count * _COUNT.size)
        except (OSError, EOFError, struct.error):
            return None
        return [index for (index,) in _COUNT.iter_unpack(data)]

    def failures(self) -> list[str]:
        """Wait for every answer; the labels of the signatures that do not verify, in order."""
        self._flush()
        if self._helper is not None:
            answers = self._answers()
            self.close()
            if answers is None or any(i >= len(self._items) for i in answers):
                answers = self._verify(0)  # no trustworthy answer: verify everything here
            self._failed = sorted(answers)
        return [self._labels[index] for index in self._failed]

    def close(self) -> None:
        helper, self._helper = self._helper, None
        if helper is None:
            return
        for stream in (helper.stdin, helper.stdout):
            if stream is not None:
                with suppress(OSError):
                    stream.close()
        try:
            helper.wait(timeout=5)
        except subprocess.TimeoutExpired:
            helper.kill()
            helper.wait()


@contextmanager
def signature_checks(expected: int) -> Iterator[SignatureChecks]:
    checks = SignatureChecks(expected)
    try:
        yield checks
    finally:
        checks.close()
