"""Run the Azurite blob emulator (from the repo's pinned npm package) for tests and benchmarks.

Azurite runs as a child process on 127.0.0.1 and a free port, keeps its data
in ``location`` (so a restart on the same folder sees the same blobs), and is
stopped by its own process id: terminate, then kill.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

ACCOUNT = "devstoreaccount1"
# Azurite's documented, public development key (not a secret of any real account).
ACCOUNT_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
EXECUTABLE = Path("node_modules") / ".bin" / "azurite-blob"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


class AzuriteUnavailable(RuntimeError):
    """Azurite is not installed or did not start; the message says what to do."""


def find_executable(repo_root: Path) -> Path:
    """The pinned ``azurite-blob`` under ``repo_root/node_modules``, or ``AzuriteUnavailable``."""
    executable = repo_root / EXECUTABLE
    if not executable.exists():
        raise AzuriteUnavailable(
            f"Azurite is not installed ({executable} is missing): run `npm ci` in {repo_root} "
            "(scripts/setup.sh does it; .ci/run installs Node.js and npm first)"
        )
    if shutil.which("node") is None:
        raise AzuriteUnavailable("Node.js is not installed: Azurite needs `node` on the PATH")
    return executable


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Azurite:
    """One Azurite blob service process; restartable on the same port and data folder."""

    def __init__(self, executable: Path, location: Path, port: int | None = None) -> None:
        self.executable = executable
        self.location = location
        self.port = port or free_port()
        self.log_path = location.with_name(f"{location.name}.log")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def blob_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/{ACCOUNT}"

    @property
    def connection_string(self) -> str:
        """The emulator's connection string (its key is public, but treated as a secret)."""
        return (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
            f"BlobEndpoint={self.blob_endpoint};"
        )

    def start(self) -> Azurite:
        """Start the process and wait until its port accepts connections."""
        if self.process is not None and self.process.poll() is None:
            return self  # already running
        self.location.mkdir(parents=True, exist_ok=True)
        command = [
            str(self.executable), "--blobHost", "127.0.0.1", "--blobPort", str(self.port),
            "--location", str(self.location), "--disableTelemetry", "--skipApiVersionCheck",
            "--loose", "--silent",
        ]  # fmt: skip
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_for_port()
        return self

    def stop(self) -> None:
        """Terminate the process (Azurite saves its data), killing it if it hangs."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)

    def kill(self) -> None:
        """Stop the process abruptly (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(STOP_TIMEOUT)
        self.process = None

    def __enter__(self) -> Azurite:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _wait_for_port(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AzuriteUnavailable(f"Azurite exited at start:\n{self._log_tail()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5),
            ):
                return
            time.sleep(0.05)
        self.stop()
        raise AzuriteUnavailable(f"Azurite did not listen on port {self.port}:\n{self._log_tail()}")

    def _log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-2000:]
        return "(no log)"
