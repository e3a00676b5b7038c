"""Records and their proofs checked on a second core while the import goes on.

An import of 10,000 sealed records spends as long verifying seals as on everything else it
checks. Threads do not help: the library releases the GIL while it verifies, but a worker
thread then waits for the GIL after every signature while the caller runs Python. So a large
import's records go to a helper process (started only once there are enough proofs to repay
its start-up, and only where there is a second core), whole entries at a time: it checks
each record's shape and limits and its proofs (``record_checks``, ``record_proofs``) while
the import writes the records into its open transaction. A small bundle is checked in place.

One helper serves every bundle of an import in turn (``ProofHelper``): each bundle's jobs
end with a mark, and the helper answers each bundle's failures in order.

The helper is this module run on its own (``python -c``, or the frozen program with
``SERVE_FLAG``), not ``multiprocessing``, which would import the caller's main module again
in the child. It answers only which jobs fail and why; if it cannot be started, or dies,
or answers nonsense, every job is checked in place instead. Nothing is decided before
``failures()`` has every answer, and the import commits only after it (``Prepared.settle``):
nothing unverified is ever committed.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, BinaryIO

import orjson

from app.core.sync.record_proofs import AUDITS, INCIDENTS, Job, job_problem

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


# A unit of the helper's queue: a bundle's jobs [start, end), or its end (start None).
_Unit = tuple["ProofChecks", int | None, int]


def serve(stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
    """The helper: check the jobs of each frame; at an empty frame (a bundle's end), write
    the failures since the last one as ``[[index, reason], …]`` (indices counted from there);
    stop at the end of the input."""
    source = stdin or sys.stdin.buffer
    sink = stdout or sys.stdout.buffer
    failed: list[list[Any]] = []
    seen = 0
    try:
        while True:
            size = _LENGTH.unpack(_read(source, _LENGTH.size))[0]
            if not size:
                sink.write(_frame(failed))
                sink.flush()
                failed, seen = [], 0
                continue
            for job in orjson.loads(_read(source, size)):
                reason = job_problem(job)
                if reason:
                    failed.append([seen, reason])
                seen += 1
    except (EOFError, OSError):  # the end, or the caller gave up (its import was refused)
        pass


def _command() -> tuple[list[str], dict[str, str]]:
    if getattr(sys, "frozen", False):  # a packaged program: its own entry point serves
        return [sys.executable, SERVE_FLAG], dict(os.environ)
    root = str(Path(__file__).resolve().parents[3])  # the folder holding the app package
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
    code = "from app.core.sync.proof_worker import serve; serve()"
    return [sys.executable, "-c", code], env


class ProofHelper:
    """One helper process for the bundles of one import, started once they announce enough
    proofs. Frames go to it from a thread (a whole record entry waits in the pipe until the
    helper reads it, and the import goes on meanwhile); each bundle's jobs end with a mark,
    and its answer is read when the bundle needs it (answers come in the order of the marks).
    """

    def __init__(self, files: int = 1) -> None:
        """``files``: how many bundles the import was given (each may announce proofs)."""
        self._files = files
        self._bundles = 0  # bundles that announced their proofs so far
        self._process: subprocess.Popen[bytes] | None = None
        # What is still to be sent, in order: a bundle's jobs [start, end), a bundle's end
        # (start None), the end of the input (None). A bundle waiting for its answer takes
        # back its jobs not yet sent, from the last, and checks them itself meanwhile.
        self._queue: deque[_Unit | None] = deque()
        self._ready = threading.Condition()
        self._writer: threading.Thread | None = None
        self._unsent = False  # the helper stopped reading: it was not given everything
        self._broken = False  # it failed once: every later bundle is checked in place
        self._announced = 0
        self._marks = 0  # bundles ended so far
        self._read = 0  # answers read so far
        self._answers: dict[int, Any] = {}

    @property
    def running(self) -> bool:
        return self._process is not None and not self._broken

    def take(self, expected: int) -> bool:
        """Whether a bundle announcing ``expected`` proofs is checked here (else in place).
        The files still to come are counted as bringing as many each, so the first of many
        small bundles already starts the helper rather than being checked in place."""
        self._announced += expected
        self._bundles += 1
        coming = expected * max(0, self._files - self._bundles)
        if (
            self._process is None
            and not self._broken
            and self._announced + coming >= PROCESS_THRESHOLD
            and (os.cpu_count() or 1) > 1
        ):
            self._start()
        return self.running

    def _start(self) -> None:
        command, env = _command()
        try:
            self._process = subprocess.Popen(
                command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env=env,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except OSError:
            self._broken = True  # checked in place, as a small batch is
            return
        self._writer = threading.Thread(target=self._write, args=(self._process,), daemon=True)
        self._writer.start()

    def _write(self, process: subprocess.Popen[bytes]) -> None:
        stdin = process.stdin
        assert stdin is not None
        try:
            while (frame := self._next_frame()) is not None:
                stdin.write(frame)
                stdin.flush()  # a bundle's end mark is a few bytes the helper waits for
            stdin.close()
        except (OSError, ValueError):  # gone, or closed by ``close``
            self._unsent = True
        except Exception:  # a frame that cannot be made: never leave the caller waiting
            self._unsent = True
            process.kill()  # its output ends, so a caller waiting for an answer gets none

    def _put(self, unit: _Unit | None) -> None:
        with self._ready:
            self._queue.append(unit)
            self._ready.notify()

    def _next_frame(self) -> bytes | None:
        with self._ready:
            while not self._queue:
                self._ready.wait()
            unit = self._queue.popleft()
            if unit is None:
                return None
            checks, start, end = unit
            if start is None:
                return _LENGTH.pack(0)
            checks.given.extend(range(start, end))  # the helper's indices, in order
            return _frame(checks.jobs[start:end])

    def send(self, checks: ProofChecks, start: int, end: int) -> None:
        self._put((checks, start, end))

    def take_back(self, checks: ProofChecks) -> tuple[int, int] | None:
        """The last jobs of ``checks`` not yet sent, taken out of the queue (or None)."""
        with self._ready:
            for position in range(len(self._queue) - 1, -1, -1):
                unit = self._queue[position]
                if unit is not None and unit[0] is checks and unit[1] is not None:
                    del self._queue[position]
                    return unit[1], unit[2]
        return None

    def end_bundle(self, checks: ProofChecks) -> int:
        """Mark the end of a bundle's jobs; the number its answer is asked for by."""
        self._put((checks, None, 0))
        self._marks += 1
        return self._marks - 1

    def answer(self, mark: int) -> Any:
        """The helper's answer for the bundle ended by ``mark`` (as it said it, unchecked),
        or None when none can be trusted: then this and every later bundle are checked in
        place."""
        process = self._process
        output = None if process is None else process.stdout
        while mark not in self._answers and not self._broken and output is not None:
            try:
                size = _LENGTH.unpack(_read(output, _LENGTH.size))[0]
                self._answers[self._read] = orjson.loads(_read(output, size))
                self._read += 1
            except (OSError, EOFError, ValueError):
                self._broken = True
        if self._unsent:
            self._broken = True
        return None if self._broken else self._answers.pop(mark, None)

    def finish_input(self) -> None:
        """No bundle follows: the helper's input ends once what was given is sent."""
        self._put(None)

    def forget(self, mark: int) -> None:
        """A bundle refused for another reason: its answer is not wanted."""
        self._answers.pop(mark, None)

    def close(self) -> None:
        """Stop the helper: every answer is in, or none is wanted any more, so it is not
        left to finish what it was given."""
        process, self._process = self._process, None
        self._broken = True
        if process is None:
            return
        if process.poll() is None:
            process.kill()
        with self._ready:
            self._queue.clear()
        self._put(None)
        if self._writer is not None:
            self._writer.join()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                with suppress(OSError, ValueError):
                    stream.close()
        process.wait()


class ProofChecks:
    """The jobs of one bundle; ``failures()`` gives ``(label, reason)`` for those that fail.
    Checked by ``helper`` (shared by the bundles of an import; a helper of its own if not
    given) once enough proofs are announced, else in place."""

    def __init__(self, expected: int, helper: ProofHelper | None = None) -> None:
        self._labels: list[str] = []
        self.jobs: list[Job] = []
        self.given: list[int] = []  # the jobs the helper was sent, in the order it counts them
        self._sent = 0  # jobs handed to the helper (or checked here) so far
        self._failed: list[tuple[int, str]] = []
        self._own = helper is None
        self._helper = helper if helper is not None else ProofHelper()
        self._mark: int | None = None  # set once this bundle's jobs are ended
        self._answered = False
        self.in_helper = self._helper.take(expected)

    def add(self, label: str, job: Job) -> None:
        self._labels.append(label)
        self.jobs.append(job)
        whole_entry = job[0] in (INCIDENTS, AUDITS)
        if whole_entry or len(self.jobs) - self._sent >= _BATCH or not self.in_helper:
            self._flush()

    def _check_here(self, indices: Iterable[int]) -> list[tuple[int, str]]:
        found = []
        for index in indices:
            reason = job_problem(self.jobs[index])
            if reason:
                found.append((index, reason))
        return found

    def _flush(self) -> None:
        if self._sent == len(self.jobs):
            return
        if not self.in_helper:
            self._failed += self._check_here(range(self._sent, len(self.jobs)))
        else:
            self._helper.send(self, self._sent, len(self.jobs))
        self._sent = len(self.jobs)

    def end(self) -> None:
        """Every job of this bundle is added: the helper may answer once it has checked them
        (so the next bundle's jobs can follow)."""
        if self.in_helper and self._mark is None:
            self._flush()
            self._mark = self._helper.end_bundle(self)
            if self._own:
                self._helper.finish_input()

    def failures(self) -> list[tuple[str, str]]:
        """Wait for every answer: ``(label, reason)`` of each job that fails, in order. Jobs
        the helper has not been sent yet are taken back and checked here meanwhile."""
        self._flush()
        if self.in_helper and not self._answered:
            self.end()
            assert self._mark is not None
            here: list[tuple[int, str]] = []
            while (taken := self._helper.take_back(self)) is not None:
                here += self._check_here(range(*taken))
            found = self._valid(self._helper.answer(self._mark))
            self._answered = True
            # No trustworthy answer: check here what the helper had, rather than trust nothing.
            self._failed = sorted(
                here + (found if found is not None else self._check_here(self.given))
            )
            if self._own:
                self._helper.close()
        return [(self._labels[index], reason) for index, reason in self._failed]

    def _valid(self, answer: Any) -> list[tuple[int, str]] | None:
        """The answer's failures by job index, or None if it is no answer to what was sent."""
        try:
            found = [(int(index), str(reason)) for index, reason in answer]
        except (TypeError, ValueError):
            return None
        if any(not 0 <= index < len(self.given) or not reason for index, reason in found):
            return None
        return [(self.given[index], reason) for index, reason in found]

    def close(self) -> None:
        """Done with this bundle (answered, or refused for another reason)."""
        if self.in_helper and not self._answered:
            self.end()
            assert self._mark is not None
            self._helper.forget(self._mark)
            self._answered = True
        if self._own:
            self._helper.close()


@contextmanager
def proof_checks(expected: int) -> Iterator[ProofChecks]:
    checks = ProofChecks(expected)
    try:
        yield checks
    finally:
        checks.close()
