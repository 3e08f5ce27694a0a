"""A Python client generated from Tenure's /api/v1/openapi.json with
openapi-python-client, used as is (no hand edits, no raw HTTP) against the real binary
in demo mode: it lists employees, adds a pre-hire, lists open tasks, completes one and
reads it back as done. A schema the generator cannot read, or one that does not match
what the server answers, fails here.
"""

import datetime
import importlib
import json
import os
import pathlib
import subprocess
import sys
import time
import urllib.request

import pytest

VENV_BIN = pathlib.Path(sys.executable).parent
PACKAGE = "tenure_api_client"
# How long the demo's first HR sync may take to bring its employees in.
SYNC_DEADLINE_SECS = 300


@pytest.fixture(scope="session")
def generated(appliance, tmp_path_factory):
    """Generates the client from the served document and imports it."""
    out = tmp_path_factory.mktemp("client")
    document = out / "openapi.json"
    with urllib.request.urlopen(f"{appliance.origin}/api/v1/openapi.json", timeout=30) as resp:
        assert resp.status == 200
        document.write_bytes(resp.read())
    doc = json.loads(document.read_text())
    assert doc["openapi"] == "3.1.0"
    generator = VENV_BIN / "openapi-python-client"
    env = dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(
        [str(generator), "generate", "--path", str(document),
         "--output-path", str(out / PACKAGE), "--meta", "none"],
        capture_output=True, text=True, timeout=300, env=env,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # Every operation is generated (text/csv beside application/octet-stream only warns).
    assert "will not be generated" not in output, output
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))


def _import(name):
    return importlib.import_module(f"{PACKAGE}.{name}")


@pytest.fixture(scope="session")
def client(generated, appliance):
    return generated.AuthenticatedClient(base_url=appliance.origin, token=appliance.token)


def _employees_once_synced(client):
    list_employees = _import("api.employees.list_employees")
    deadline = time.monotonic() + SYNC_DEADLINE_SECS
    while True:
        page = list_employees.sync(client=client, limit=20)
        if page.total >= 100 or time.monotonic() > deadline:
            return page
        time.sleep(1)


def test_lists_employees_with_typed_profiles(client):
    models = _import("models")
    page = _employees_once_synced(client)
    assert isinstance(page, models.EmployeePage), page
    assert page.total >= 100, f"the demo HR sync brought {page.total} employees"
    assert len(page.items) == 20
    first = page.items[0]
    assert isinstance(first, models.Employee)
    assert isinstance(first.profile, models.Profile)
    assert "@" in first.profile.work_email
    assert first.profile.family_name

    # Searching narrows the same typed page.
    list_employees = _import("api.employees.list_employees")
    found = list_employees.sync(client=client, q=first.profile.work_email)
    assert found.total >= 1
    assert found.items[0].id == first.id

    get_employee = _import("api.employees.get_employee")
    detail = get_employee.sync(first.id, client=client)
    assert isinstance(detail, models.EmployeeDetail), detail
    assert detail.employee.id == first.id
    assert detail.work_zone.name


def test_completes_an_open_task(client):
    models = _import("models")
    add_pre_hire = _import("api.employees.add_pre_hire")
    list_tasks = _import("api.tasks.list_tasks")
    task_action = _import("api.tasks.task_action")
    get_task = _import("api.tasks.get_task")

    _employees_once_synced(client)
    email = "openapi.client@example.com"
    start = datetime.date.today() + datetime.timedelta(days=30)
    effects = add_pre_hire.sync(client=client, body=models.NewPreHire(
        given_name="Client", family_name="Generated", work_email=email, start_date=start,
    ))
    assert isinstance(effects, models.Effects), effects

    employees = _import("api.employees.list_employees").sync(client=client, q=email)
    assert employees.total == 1, employees
    hire = employees.items[0]
    assert hire.start_date == start

    open_tasks = list_tasks.sync(client=client, state="open", employee=hire.id)
    assert isinstance(open_tasks, models.TaskPage), open_tasks
    assert open_tasks.total >= 1, "a pre-hire opens Complete IT Setup"
    task = open_tasks.items[0]
    assert isinstance(task.state, models.TaskStateOpen)
    assert isinstance(task.kind, models.TaskKindCompleteItSetup), task.kind
    assert task.employee.id == hire.id

    every_open = list_tasks.sync(client=client, state="open", limit=5)
    assert every_open.total >= open_tasks.total
    assert all(isinstance(t.state, models.TaskStateOpen) for t in every_open.items)

    answer = task_action.sync(task.id, client=client, body=models.TaskActionComplete(
        action="complete", note="completed by the generated client",
    ))
    assert isinstance(answer, models.Task), answer
    assert isinstance(answer.state, models.TaskStateDone), answer.state

    again = get_task.sync(task.id, client=client)
    assert isinstance(again, models.Task)
    assert isinstance(again.state, models.TaskStateDone)
    assert again.state.note == "completed by the generated client"
    assert isinstance(again.state.at, datetime.datetime)

    # Acting on a closed task is refused with the documented error body.
    refused = task_action.sync(task.id, client=client, body=models.TaskActionComplete(action="complete"))
    assert isinstance(refused, models.Error), refused
    assert refused.error


def test_a_viewer_is_refused_with_a_typed_error(generated, appliance):
    models = _import("models")
    list_tasks = _import("api.tasks.list_tasks")
    anonymous = generated.Client(base_url=appliance.origin)
    answer = list_tasks.sync_detailed(client=anonymous)
    assert answer.status_code == 401
    assert isinstance(answer.parsed, models.Error)
    assert "Bearer" in answer.parsed.error
