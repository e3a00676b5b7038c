"""Record proofs (seals, audit hashes) checked on a second core while the import goes on.

An import of 10,000 sealed records spends as long verifying seals as on everything else it
checks. Threads do not help: the library releases the GIL while it verifies, but a worker
thread then waits for the GIL after every signature while the caller runs Python. So a large
batch goes to a helper process (started only when there are enough proofs to repay its
start-up, and only where there is a second core); a small one is checked in place.

The helper is this module run on its own (``python -c``, or the frozen program with
``SERVE_FLAG``), not ``multiprocessing``, which would import the caller's main module again
in the child. It answers only which proofs fail and why; if it cannot be started, or dies,
or answers nonsense, every proof is checked in place instead. Nothing is decided before
``failures()`` has every answer, so a caller that writes only after it keeps its rule:
check everything, then write.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, BinaryIO

import orjson

from app.core.sync.record_proofs import Job, job_problem

# Below this many proofs, starting a process (about 0.1 s) costs more than it saves.
PROCESS_THRESHOLD = 1500
SERVE_FLAG = "--serve-proof-checks"
_BATCH = 500
_LENGTH = struct.Struct("<Q")


def _read(stream: IO[bytes], size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise EOFError
    return data


def _frame(value: Any) -> bytes:
    data = orjson.dumps(value)
    return _LENGTH.pack(len(data)) + data


def serve(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """The helper: check each batch of jobs until an empty frame, then write the failures
    as ``[[index, reason], …]`` (indices counted over all batches)."""
    source = stdin or sys.stdin.buffer
    sink = stdout or sys.stdout.buffer
    failed: list[list[Any]] = []
    seen = 0
    try:
        while size := _LENGTH.unpack(_read(source, _LENGTH.size))[0]:
            for job in orjson.loads(_read(source, size)):
                reason = job_problem(job)
                if reason:
                    failed.append([seen, reason])
                seen += 1
        sink.write(_frame(failed))
        sink.flush()
    except (EOFError, OSError):  # the caller gave up (its import was refused): nothing to say
        pass


def _command() -> tuple[list[str], dict[str, str]]:
    if getattr(sys, "frozen", False):  # a packaged program: its own entry point serves
        return [sys.executable, SERVE_FLAG], dict(os.environ)
    root = str(Path(__file__).resolve().parents[3])  # the folder holding the app package
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    code = "from app.core.sync.proof_worker import serve; serve()"
    return [sys.executable, "-c", code], env


class ProofChecks:
    """Collects labelled jobs; ``failures()`` gives ``(label, reason)`` for those that fail."""

    def __init__(self, expected: int) -> None:
        self._labels: list[str] = []
        self._jobs: list[Job] = []
        self._sent = 0  # jobs handed to the helper (or checked here) so far
        self._failed: list[tuple[int, str]] = []
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
            self._helper = None  # checked in place, as a small batch is

    def add(self, label: str, job: Job) -> None:
        self._labels.append(label)
        self._jobs.append(job)
        if len(self._jobs) - self._sent >= _BATCH or self._helper is None:
            self._flush()

    def _check_here(self, start: int) -> list[tuple[int, str]]:
        found = []
        for index in range(start, len(self._jobs)):
            reason = job_problem(self._jobs[index])
            if reason:
                found.append((index, reason))
        return found

    def _flush(self) -> None:
        if self._sent == len(self._jobs):
            return
        if self._helper is None:
            self._failed += self._check_here(self._sent)
        else:
            try:
                assert self._helper.stdin is not None
                self._helper.stdin.write(_frame(self._jobs[self._sent :]))
            except OSError:  # the helper is gone: what it was given is checked here too
                self.close()
                self._failed = self._check_here(0)
        self._sent = len(self._jobs)

    def _answers(self) -> list[tuple[int, str]] | None:
        helper = self._helper
        assert helper is not None and helper.stdin is not None and helper.stdout is not None
        try:
            helper.stdin.write(_LENGTH.pack(0))
            helper.stdin.close()
            size = _LENGTH.unpack(_read(helper.stdout, _LENGTH.size))[0]
            answers = orjson.loads(_read(helper.stdout, size))
            found = [(int(index), str(reason)) for index, reason in answers]
        except (OSError, EOFError, ValueError, TypeError):
            return None
        if any(not 0 <= index < len(self._jobs) or not reason for index, reason in found):
            return None
        return found

    def failures(self) -> list[tuple[str, str]]:
        """Wait for every answer: ``(label, reason)`` of each proof that fails, in order."""
        self._flush()
        if self._helper is not None:
            answers = self._answers()
            self.close()
            # No trustworthy answer: check everything here rather than trust nothing.
            self._failed = sorted(answers) if answers is not None else self._check_here(0)
        return [(self._labels[index], reason) for index, reason in self._failed]

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
def proof_checks(expected: int) -> Iterator[ProofChecks]:
    checks = ProofChecks(expected)
    try:
        yield checks
    finally:
        checks.close()
