"""Runs the real `tenure` binary in demo mode (a fake HR system with sample employees,
already connected) in a temporary data directory, and hands out an admin API token.

The binary comes from $TENURE_BIN, default <repo>/target/debug/tenure (built by
`cargo nextest run --workspace`, or `cargo build -p tenure`).
"""

import os
import pathlib
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
TENURE_BIN = os.environ.get("TENURE_BIN", str(REPO / "target" / "debug" / "tenure"))
# How long the appliance may take to start (compile its plugins) and answer.
START_DEADLINE_SECS = 300


@dataclass
class Appliance:
    origin: str
    token: str
    data_dir: pathlib.Path


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(origin, proc, log):
    deadline = time.monotonic() + START_DEADLINE_SECS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"tenure serve exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{origin}/healthz", timeout=5) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"tenure serve did not answer /healthz in {START_DEADLINE_SECS} s:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="session")
def appliance(tmp_path_factory):
    if not os.path.exists(TENURE_BIN):
        pytest.fail(f"{TENURE_BIN} not found: run `cargo build -p tenure` or set TENURE_BIN")
    data_dir = tmp_path_factory.mktemp("tenure") / "data"
    log = data_dir.parent / "serve.log"
    origin = f"http://127.0.0.1:{_free_port()}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TENURE_")}
    env["TENURE_DEMO_EMPLOYEES"] = "250"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [TENURE_BIN, "serve", "--demo", "--data-dir", str(data_dir),
             "--listen", origin.removeprefix("http://")],
            stdout=out, stderr=subprocess.STDOUT, env=env,
        )
    try:
        _wait_healthy(origin, proc, log)
        created = subprocess.run(
            [TENURE_BIN, "token", "create", "--name", "openapi-client", "--data-dir", str(data_dir)],
            capture_output=True, text=True, timeout=60, env=env,
        )
        assert created.returncode == 0, created.stderr
        token = created.stdout.split()[-1]
        assert token.startswith("tnr_"), created.stdout
        yield Appliance(origin=origin, token=token, data_dir=data_dir)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
