"""Fixtures that run the `tenure-fakes` binary for vendor SDKs to talk to.

The binary comes from $TENURE_FAKES_BIN, default <repo>/target/debug/tenure-fakes
(build it with `cargo build -p tenure-fakes`).
"""

import os
import pathlib
import select
import subprocess
from dataclasses import dataclass

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
FAKES_BIN = os.environ.get("TENURE_FAKES_BIN", str(REPO / "target" / "debug" / "tenure-fakes"))

MERGE_API_KEY = "test-merge-api-key"
MERGE_ACCOUNT_TOKEN = "test-merge-account-token"


@dataclass
class RunningFake:
    origin: str
    api_key: str
    account_token: str
    process: subprocess.Popen


def _start(args, timeout=60.0):
    if not os.path.exists(FAKES_BIN):
        pytest.fail(f"{FAKES_BIN} not found: run `cargo build -p tenure-fakes` or set TENURE_FAKES_BIN")
    proc = subprocess.Popen(
        [FAKES_BIN, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready, _, _ = select.select([proc.stdout], [], [], timeout)
    line = proc.stdout.readline().strip() if ready else ""
    prefix = "listening on "
    if not line.startswith(prefix):
        _stop(proc)
        raise RuntimeError(f"tenure-fakes did not start (got {line!r}): {proc.stderr.read()}")
    return proc, line[len(prefix):]


def _stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


@pytest.fixture
def start_merge_fake():
    """Starts a Merge fake with the given seed / limits; stops every one started at teardown."""
    started = []

    def start(employees=250, rate_limit_per_minute=None, now=None):
        args = [
            "merge",
            "--port", "0",
            "--api-key", MERGE_API_KEY,
            "--account-token", MERGE_ACCOUNT_TOKEN,
            "--employees", str(employees),
        ]
        if rate_limit_per_minute is not None:
            args += ["--rate-limit-per-minute", str(rate_limit_per_minute)]
        if now is not None:
            args += ["--now", now]
        proc, origin = _start(args)
        started.append(proc)
        return RunningFake(origin, MERGE_API_KEY, MERGE_ACCOUNT_TOKEN, proc)

    yield start
    for proc in started:
        _stop(proc)


@pytest.fixture(scope="module")
def merge_fake():
    """A Merge fake seeded with 250 employees, shared by a test module."""
    args = [
        "merge",
        "--port", "0",
        "--api-key", MERGE_API_KEY,
        "--account-token", MERGE_ACCOUNT_TOKEN,
        "--employees", "250",
        "--rate-limit-per-minute", "0",
    ]
    proc, origin = _start(args)
    yield RunningFake(origin, MERGE_API_KEY, MERGE_ACCOUNT_TOKEN, proc)
    _stop(proc)
