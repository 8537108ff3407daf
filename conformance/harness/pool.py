"""The runner's side of the worker protocol (see worker.py): start, talk to, time out and restart
worker processes, so that a backend that crashes or hangs costs one test cell, not the run.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

CONFORMANCE_DIR = Path(__file__).resolve().parents[1]


class WorkerDied(Exception):
    """The worker exited or stopped answering; `reason` says which, with the tail of its stderr."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WorkerClient:
    """One worker process hosting the named backends; restarted on demand after a crash."""

    def __init__(
        self,
        key: str,
        backend_names: list[str],
        *,
        registry: str = "harness.backends:all_backends",
        timeout: float = 60.0,
        log_dir: Path | None = None,
        extra_path: list[str] | None = None,
    ) -> None:
        self.key = key
        self.backend_names = backend_names
        self.registry = registry
        self.timeout = timeout
        self.log_path = (log_dir or Path(os.environ.get("TMPDIR", "/tmp"))) / f"worker-{_safe(key)}.log"
        self.extra_path = extra_path or []
        self.proc: subprocess.Popen | None = None
        self.seq = 0
        self.restarts = 0
        self._buffer = b""
        self.max_deaths_in_a_row = 5
        self.last_death = ""
        self.proc_started = False

    # -- process management -------------------------------------------------------------------

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        path = [str(CONFORMANCE_DIR), *self.extra_path, env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in path if p)
        # A fresh log per run; a restarted worker appends, so the log tells the whole story.
        log = open(self.log_path, "ab" if self.proc_started else "wb")  # noqa: SIM115 - the child owns it
        self.proc_started = True
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "harness.worker",
                "--registry",
                self.registry,
                "--backends",
                ",".join(self.backend_names),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env=env,
            start_new_session=True,  # A hang is killed with its whole process group.
        )
        log.close()
        self._buffer = b""

    def stop(self) -> None:
        if self.proc is None:
            return
        try:
            if self.proc.poll() is None:
                self.proc.stdin.write(b'{"cmd": "exit"}\n')
                self.proc.stdin.flush()
                self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            self._kill()
        self._close()

    def restart(self) -> None:
        self._kill()
        self._close()
        self.restarts += 1
        self.start()

    def _kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def _close(self) -> None:
        if self.proc is not None:
            for stream in (self.proc.stdin, self.proc.stdout):
                with contextlib.suppress(OSError):
                    stream.close()
        self.proc = None

    def stderr_tail(self, lines: int = 12) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "\n".join(text[-lines:])

    # -- protocol -----------------------------------------------------------------------------

    def _send(self, message: dict) -> int:
        if self.proc is None:
            self.start()
        elif self.proc.poll() is not None:
            self.restart()
        self.seq += 1
        message = {**message, "seq": self.seq}
        try:
            self.proc.stdin.write((json.dumps(message) + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            pass  # The read below reports the death with its exit status.
        return self.seq

    def _death(self, what: str) -> WorkerDied:
        code = self.proc.poll() if self.proc else None
        if code is None:
            reason = what
        elif code < 0:
            reason = f"{what}: worker killed by signal {signal.Signals(-code).name}"
        else:
            reason = f"{what}: worker exited with status {code}"
        tail = self.stderr_tail()
        return WorkerDied(f"{reason}\n{tail}" if tail else reason)

    def _read(self, seq: int, timeout: float) -> dict:
        """The next reply to request `seq`, or WorkerDied after `timeout` seconds of silence."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while True:
                newline = self._buffer.find(b"\n")
                if newline >= 0:
                    line, self._buffer = (
                        self._buffer[:newline],
                        self._buffer[newline + 1 :],
                    )
                    reply = json.loads(line)
                    if reply.get("seq") == seq:
                        return reply
                    continue  # A stale reply to an abandoned request.
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    self._kill()
                    raise self._death(f"no answer within {timeout:g} s (hang); worker killed")
                if not selector.select(remaining):
                    continue
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    self.proc.wait()
                    raise self._death("worker died")
                self._buffer += chunk

    def hello(self) -> dict[str, str | None]:
        """Each hosted backend's unavailable() reason (None when it can run)."""
        seq = self._send({"cmd": "hello"})
        reply = self._read(seq, max(self.timeout, 120.0))
        return {name: info["unavailable"] for name, info in reply["backends"].items()}

    def run_tests(
        self,
        backend: str,
        tests: list[dict],
        on_outcome: Callable[[dict, dict], None],
        batch_size: int = 200,
    ) -> None:
        """Runs tests in batches; every test gets exactly one outcome. When the worker dies or hangs,
        the test it was running is marked as a crash and the rest are resent to a fresh worker."""
        deaths_in_a_row = 0
        for start in range(0, len(tests), batch_size):
            pending = tests[start : start + batch_size]
            while pending:
                if deaths_in_a_row >= self.max_deaths_in_a_row:
                    # The backend cannot even start (a crash in setup, say): stop paying restarts.
                    for test in pending + tests[start + batch_size :]:
                        on_outcome(
                            test,
                            {"kind": "crash", "message": f"not run: {self.last_death}"},
                        )
                    return
                seq = self._send({"cmd": "run", "backend": backend, "tests": pending})
                answered = 0
                try:
                    while True:
                        reply = self._read(seq, self.timeout)
                        if reply.get("done"):
                            break
                        on_outcome(pending[reply["index"]], reply["outcome"])
                        answered = reply["index"] + 1
                        deaths_in_a_row = 0
                    pending = []
                except WorkerDied as died:
                    # Replies arrive in order, so the first unanswered test is the one that was running.
                    deaths_in_a_row += 1
                    self.last_death = died.reason.splitlines()[0]
                    if answered < len(pending):
                        on_outcome(pending[answered], {"kind": "crash", "message": died.reason})
                    pending = pending[answered + 1 :]
                    self.restart()

    def time(self, request: dict, timeout: float) -> dict:
        """One timing request; a crash or hang comes back as a crash outcome."""
        seq = self._send({"cmd": "time", **request})
        try:
            return self._read(seq, timeout)["outcome"]
        except WorkerDied as died:
            self.restart()
            return {"kind": "crash", "message": died.reason}


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
