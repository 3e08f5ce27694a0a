"""Fixtures that run the `tenure-fakes` binary for vendor SDKs to talk to.

The binary comes from $TENURE_FAKES_BIN, default <repo>/target/debug/tenure-fakes
(build it with `cargo build -p tenure-fakes`).
"""

import json
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

GRAPH_TENANT = "tenure-test.onmicrosoft.com"
GRAPH_CLIENT_ID = "3f1b2c4d-0000-4000-8000-00000000c11e"
GRAPH_CLIENT_SECRET = "test-graph-client-secret"

GOOGLE_DOMAIN = "tenure-test.example"
GOOGLE_ADMIN = "admin@tenure-test.example"
# The fakes crate's test-only service account (see tests/fakes/src/google/mod.rs).
GOOGLE_SERVICE_ACCOUNT = REPO / "tests" / "fakes" / "src" / "google" / "test_service_account.json"


@dataclass
class RunningFake:
    origin: str
    api_key: str
    account_token: str
    process: subprocess.Popen


@dataclass
class RunningGraphFake:
    origin: str
    tenant: str
    client_id: str
    client_secret: str
    process: subprocess.Popen

    @property
    def token_url(self):
        return f"{self.origin}/{self.tenant}/oauth2/v2.0/token"

    @property
    def api_base(self):
        return f"{self.origin}/v1.0"


@dataclass
class RunningGoogleFake:
    origin: str
    domain: str
    admin: str
    process: subprocess.Popen

    def service_account_info(self):
        """The test service account's key file, its token_uri pointed at the fake."""
        info = json.loads(GOOGLE_SERVICE_ACCOUNT.read_text())
        info["token_uri"] = f"{self.origin}/token"
        return info


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


GRAPH_GROUPS = ["Engineering", "All Staff"]
GOOGLE_GROUPS = ["engineering@tenure-test.example", "all-staff@tenure-test.example"]


def _graph_args(users, faults=None, rate_limit=None, client_secret=GRAPH_CLIENT_SECRET):
    args = [
        "graph",
        "--port", "0",
        "--tenant", GRAPH_TENANT,
        "--client-id", GRAPH_CLIENT_ID,
        "--client-secret", client_secret,
        "--users", str(users),
    ]
    for g in GRAPH_GROUPS:
        args += ["--group", g]
    if faults is not None:
        args += ["--faults", str(faults)]
    if rate_limit is not None:
        args += ["--rate-limit", str(rate_limit)]
    return args


@pytest.fixture(scope="module")
def graph_fake():
    """A Microsoft Graph fake seeded with 250 users and two groups, shared by a test module."""
    proc, origin = _start(_graph_args(250))
    yield RunningGraphFake(origin, GRAPH_TENANT, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, proc)
    _stop(proc)


@pytest.fixture
def start_graph_fake():
    """Starts a Graph fake with the given seed / faults; stops every one started at teardown."""
    started = []

    def start(users=0, faults=None, rate_limit=None):
        proc, origin = _start(_graph_args(users, faults, rate_limit))
        started.append(proc)
        return RunningGraphFake(origin, GRAPH_TENANT, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, proc)

    yield start
    for proc in started:
        _stop(proc)


def _google_args(users, faults=None):
    args = [
        "google",
        "--port", "0",
        "--domain", GOOGLE_DOMAIN,
        "--admin", GOOGLE_ADMIN,
        "--service-account", str(GOOGLE_SERVICE_ACCOUNT),
        "--users", str(users),
    ]
    for g in GOOGLE_GROUPS:
        args += ["--group", g]
    if faults is not None:
        args += ["--faults", str(faults)]
    return args


@pytest.fixture(scope="module")
def google_fake():
    """A Google Workspace fake seeded with 250 users besides its admin and two groups, shared by a test module."""
    proc, origin = _start(_google_args(250))
    yield RunningGoogleFake(origin, GOOGLE_DOMAIN, GOOGLE_ADMIN, proc)
    _stop(proc)


@pytest.fixture
def start_google_fake():
    """Starts a Google fake with the given seed / faults; stops every one started at teardown."""
    started = []

    def start(users=0, faults=None):
        proc, origin = _start(_google_args(users, faults))
        started.append(proc)
        return RunningGoogleFake(origin, GOOGLE_DOMAIN, GOOGLE_ADMIN, proc)

    yield start
    for proc in started:
        _stop(proc)


OKTA_API_TOKEN = "test-okta-api-token"
OKTA_GROUPS = ["Engineering", "Engineering Leads", "All Staff"]


@dataclass
class RunningOktaFake:
    origin: str
    api_token: str
    process: subprocess.Popen


def _okta_args(users, rate_limit=None, rate_window_secs=None):
    args = [
        "okta",
        "--port", "0",
        "--api-token", OKTA_API_TOKEN,
        "--users", str(users),
        "--domain", "tenure-test.example",
    ]
    for g in OKTA_GROUPS:
        args += ["--group", g]
    if rate_limit is not None:
        args += ["--rate-limit", str(rate_limit)]
    if rate_window_secs is not None:
        args += ["--rate-window-secs", str(rate_window_secs)]
    return args


@pytest.fixture(scope="module")
def okta_fake():
    """An Okta fake seeded with 25 users and three groups, shared by a test module."""
    proc, origin = _start(_okta_args(25))
    yield RunningOktaFake(origin, OKTA_API_TOKEN, proc)
    _stop(proc)


@pytest.fixture
def start_okta_fake():
    """Starts an Okta fake with the given seed / rate limit; stops every one started at teardown."""
    started = []

    def start(users=0, rate_limit=None, rate_window_secs=None):
        proc, origin = _start(_okta_args(users, rate_limit, rate_window_secs))
        started.append(proc)
        return RunningOktaFake(origin, OKTA_API_TOKEN, proc)

    yield start
    for proc in started:
        _stop(proc)


SLACK_BOT_TOKEN = "xoxb-test-bot-token"
SLACK_SCIM_TOKEN = "xoxp-test-scim-token"


@dataclass
class RunningSlackFake:
    origin: str
    process: subprocess.Popen

    @property
    def api_base(self):
        return f"{self.origin}/api/"

    @property
    def scim_base(self):
        return f"{self.origin}/scim/v2/"


@pytest.fixture
def start_slack_fake():
    """Starts a Slack fake; stops every one started at teardown."""
    started = []

    def start(channels=(), private_channels=(), hidden_channels=(), users=(), no_scim=False,
              ratelimited=0, ratelimit_ok_false=False):
        args = ["slack", "--port", "0", "--bot-token", SLACK_BOT_TOKEN, "--scim-token", SLACK_SCIM_TOKEN,
                "--ratelimited", str(ratelimited)]
        for flag, values in (("--channel", channels), ("--private-channel", private_channels),
                             ("--hidden-channel", hidden_channels), ("--user", users)):
            for v in values:
                args += [flag, v]
        if no_scim:
            args.append("--no-scim")
        if ratelimit_ok_false:
            args.append("--ratelimit-ok-false")
        proc, origin = _start(args)
        started.append(proc)
        return RunningSlackFake(origin, proc)

    yield start
    for proc in started:
        _stop(proc)


GRAPH_PICKER_GROUPS = ["Eng Berlin", "Eng Paris", "Eng Tokyo", "Finance"]
GRAPH_DYNAMIC_GROUP = 'Eng (all)=user.department -eq "Engineering"'


@pytest.fixture
def graph_groups_fake():
    """A Graph fake with a few users, the usual groups, groups for the picker (three named
    Eng ...) and one dynamic group (Eng (all)), for group membership tests."""
    args = _graph_args(5)
    for g in GRAPH_PICKER_GROUPS:
        args += ["--group", g]
    args += ["--dynamic-group", GRAPH_DYNAMIC_GROUP]
    proc, origin = _start(args)
    yield RunningGraphFake(origin, GRAPH_TENANT, GRAPH_CLIENT_ID, GRAPH_CLIENT_SECRET, proc)
    _stop(proc)
