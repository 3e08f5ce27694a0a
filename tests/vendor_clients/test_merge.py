"""Merge's official Python SDK (mergepythonclient) against the `tenure-fakes merge` fake.

The SDK is generated from Merge's API definition, so what it sends and what its models
accept are Merge's shapes. Besides the SDK's own (lenient) parsing, the raw JSON is also
validated strictly with the SDK's pydantic models.
"""

import datetime as dt

import httpx
import pydantic
import pytest
from merge import Merge
from merge.core.api_error import ApiError
from merge.resources.hris import (
    Employee,
    Employment,
    Group,
    Location,
    PaginatedEmployeeList,
    PaginatedEmploymentList,
    PaginatedGroupList,
    PaginatedLocationList,
    PaginatedSyncStatusList,
    Team,
)

SEEDED = 250
EXPAND = ["groups", "team", "work_location", "home_location", "employments", "manager", "company", "pay_group"]


def client_for(fake, api_key=None, account_token=None):
    # The SDK's environments are ".../api" and its paths "hris/v1/...": base_url replaces
    # the environment.
    return Merge(
        base_url=f"{fake.origin}/api",
        api_key=api_key or fake.api_key,
        account_token=account_token or fake.account_token,
        timeout=30,
    )


def list_all(list_page, **params):
    """Follows `next` cursors; returns the pages."""
    pages = []
    cursor = None
    while True:
        page = list_page(cursor=cursor, **params)
        pages.append(page)
        cursor = page.next
        if cursor is None:
            return pages


def capturing_client(fake):
    """A client whose HTTP responses' JSON bodies are also kept, as sent by the fake."""
    bodies = []

    def keep(response):
        response.read()
        bodies.append(response.json())

    http = httpx.Client(timeout=30, event_hooks={"response": [keep]})
    client = Merge(base_url=f"{fake.origin}/api", api_key=fake.api_key, account_token=fake.account_token, httpx_client=http)
    return client, bodies


def test_lists_every_employee_once_across_pages(merge_fake):
    client = client_for(merge_fake)
    pages = list_all(client.hris.employees.list, page_size=100)
    assert [len(p.results) for p in pages] == [100, 100, 50]
    assert pages[0].previous is None
    assert pages[1].previous is not None
    employees = [e for p in pages for e in p.results]
    assert all(isinstance(e, Employee) for e in employees)
    ids = [e.id for e in employees]
    assert len(ids) == SEEDED
    assert len(set(ids)) == SEEDED
    # Stable order: by created_at, then id.
    assert [(e.created_at, e.id) for e in employees] == sorted((e.created_at, e.id) for e in employees)

    # `previous` leads back.
    back = client.hris.employees.list(cursor=pages[1].previous, page_size=100)
    assert [e.id for e in back.results] == [e.id for e in pages[0].results]


def test_employee_json_validates_strictly_against_the_sdk_models(merge_fake):
    client, bodies = capturing_client(merge_fake)
    client.hris.employees.list(page_size=100, expand=EXPAND)
    raw = bodies[-1]
    page = PaginatedEmployeeList.model_validate(raw)
    assert len(page.results) == 100
    known = set(Employee.model_fields)
    for obj in raw["results"]:
        assert set(obj) <= known, f"fields the SDK does not know: {set(obj) - known}"
        for field in ("id", "remote_id", "created_at", "modified_at", "employment_status", "hire_date"):
            assert obj[field] is not None, field
        assert isinstance(obj["groups"][0], dict) and isinstance(obj["team"], dict)
    assert {e.employment_status for e in page.results} <= {"ACTIVE", "PENDING", "INACTIVE"}

    client.hris.employees.list(page_size=100)
    plain = PaginatedEmployeeList.model_validate(bodies[-1])
    assert all(isinstance(g, str) for e in plain.results for g in e.groups)

    for model, list_page in [
        (PaginatedGroupList, client.hris.groups.list),
        (PaginatedLocationList, client.hris.locations.list),
        (PaginatedEmploymentList, client.hris.employments.list),
        (PaginatedSyncStatusList, client.hris.sync_status.list),
    ]:
        list_page()
        parsed = model.model_validate(bodies[-1])
        assert parsed.results, model.__name__


def test_modified_after_returns_only_later_changes(merge_fake):
    client = client_for(merge_fake)
    everyone = [e for p in list_all(client.hris.employees.list) for e in p.results]
    stamps = sorted({e.modified_at for e in everyone})
    threshold = stamps[len(stamps) // 2]
    expected = {e.id for e in everyone if e.modified_at > threshold}
    assert 0 < len(expected) < SEEDED

    later = [e for p in list_all(client.hris.employees.list, modified_after=threshold) for e in p.results]
    assert {e.id for e in later} == expected
    assert all(e.modified_at > threshold for e in later)

    earlier = [e for p in list_all(client.hris.employees.list, modified_before=threshold) for e in p.results]
    assert {e.id for e in earlier} == {e.id for e in everyone if e.modified_at < threshold}

    future = client.hris.employees.list(modified_after=dt.datetime(2100, 1, 1, tzinfo=dt.timezone.utc))
    assert future.results == []
    assert future.next is None


def test_expand_gives_sdk_model_objects(merge_fake):
    client = client_for(merge_fake)
    plain = client.hris.employees.list(page_size=50)
    assert all(isinstance(g, str) for e in plain.results for g in e.groups)
    assert all(isinstance(e.team, str) and isinstance(e.work_location, str) for e in plain.results)

    page = client.hris.employees.list(page_size=50, expand=EXPAND)
    assert [e.id for e in page.results] == [e.id for e in plain.results]
    with_manager = 0
    for e in page.results:
        assert e.groups and all(isinstance(g, Group) for g in e.groups)
        assert {g.type for g in e.groups} & {"DEPARTMENT"}
        assert isinstance(e.team, Team) and e.team.name
        assert isinstance(e.work_location, Location) and e.work_location.location_type == "WORK"
        assert isinstance(e.home_location, Location) and e.home_location.location_type == "HOME"
        assert e.employments and all(isinstance(j, Employment) for j in e.employments)
        assert all(j.employee == e.id for j in e.employments)
        if e.manager is not None:
            assert isinstance(e.manager, Employee)
            with_manager += 1
    assert with_manager >= 45


def test_wrong_credentials_raise_401(merge_fake):
    with pytest.raises(ApiError) as wrong_key:
        client_for(merge_fake, api_key="not-the-key").hris.employees.list()
    assert wrong_key.value.status_code == 401
    assert "detail" in wrong_key.value.body

    with pytest.raises(ApiError) as wrong_token:
        client_for(merge_fake, account_token="not-the-token").hris.employees.list()
    assert wrong_token.value.status_code == 401


def test_retrieves_one_employee_by_id(merge_fake):
    client = client_for(merge_fake)
    listed = client.hris.employees.list(page_size=5).results[3]
    one = client.hris.employees.retrieve(listed.id)
    assert isinstance(one, Employee)
    assert one == listed
    expanded = client.hris.employees.retrieve(listed.id, expand=["groups", "team"])
    assert all(isinstance(g, Group) for g in expanded.groups)
    assert isinstance(expanded.team, Team)

    with pytest.raises(ApiError) as missing:
        client.hris.employees.retrieve("no-such-employee")
    assert missing.value.status_code == 404


def test_lists_groups_locations_employments_and_sync_status(merge_fake):
    client = client_for(merge_fake)
    groups = [g for p in list_all(client.hris.groups.list) for g in p.results]
    assert all(isinstance(g, Group) for g in groups)
    names = {g.name for g in groups}
    assert {"Engineering", "Sales", "Finance", "People", "IT"} <= names
    assert {g.type for g in groups} >= {"DEPARTMENT", "TEAM", "COST_CENTER"}
    departments = client.hris.groups.list(types="DEPARTMENT").results
    assert departments and all(g.type == "DEPARTMENT" for g in departments)

    offices = client.hris.locations.list(location_type="WORK").results
    assert len({o.country for o in offices}) >= 5

    jobs = [j for p in list_all(client.hris.employments.list) for j in p.results]
    assert len(jobs) >= SEEDED
    assert {j.employment_type for j in jobs} <= {"FULL_TIME", "PART_TIME", "INTERN", "CONTRACTOR", "FREELANCE"}

    statuses = client.hris.sync_status.list().results
    employee = next(s for s in statuses if s.model_name == "Employee")
    assert employee.model_id == "hris.Employee"
    assert employee.status == "DONE"
    assert employee.last_sync_finished is not None


def test_filters_by_status_email_and_remote_id(merge_fake):
    client = client_for(merge_fake)
    pending = [e for p in list_all(client.hris.employees.list, employment_status="PENDING") for e in p.results]
    assert pending and all(e.employment_status == "PENDING" for e in pending)
    now = dt.datetime.now(dt.timezone.utc)
    assert all(e.start_date > now for e in pending)
    inactive = client.hris.employees.list(employment_status="INACTIVE").results
    assert inactive and all(e.termination_date is not None for e in inactive)

    someone = client.hris.employees.list(page_size=1).results[0]
    assert [e.id for e in client.hris.employees.list(work_email=someone.work_email).results] == [someone.id]
    assert [e.id for e in client.hris.employees.list(remote_id=someone.remote_id).results] == [someone.id]


def test_rate_limit_gives_429_with_retry_after(start_merge_fake):
    fake = start_merge_fake(employees=5, rate_limit_per_minute=3)
    client = client_for(fake)
    no_retries = {"max_retries": 0}
    for _ in range(3):
        client.hris.employees.list(request_options=no_retries)
    with pytest.raises(ApiError) as throttled:
        client.hris.employees.list(request_options=no_retries)
    assert throttled.value.status_code == 429
    retry_after = int(throttled.value.headers["retry-after"])
    assert 1 <= retry_after <= 60


def test_strict_model_validation_rejects_wrong_shapes():
    # Guards the strict check above: a related object that is neither an id nor the
    # model's shape does not validate.
    with pytest.raises(pydantic.ValidationError):
        Employee.model_validate({"id": "x", "groups": [{"name": 5}], "created_at": "not a date"})
