"""Checks the real SCIM server the scim connector is tested against (`scim2-server`,
started as host/runtime/tests/scim_server.rs starts it) with the official SCIM client
`scim2-client`: what the connector relies on is what a standard client sees.
"""

import socket
import subprocess
import sys
import time

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_models import Error, Group, ListResponse, PatchOp, PatchOperation, SearchRequest, User

TOKEN = "scim-test-token-0123"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def scim_origin():
    """scim2-server on a free port with a bearer token; its /v2 base URL."""
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "scim2_server.testserver.cli", "--hostname", "127.0.0.1",
         "--port", str(port), "--bearer-token", TOKEN],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("scim2-server did not start")
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/v2"
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def scim(scim_origin):
    http = httpx2.Client(base_url=scim_origin, headers={"Authorization": f"Bearer {TOKEN}"})
    client = SyncSCIMClient(http)
    client.discover()
    yield client
    http.close()


def test_discovery_announces_filter_and_patch(scim):
    config = scim.provider.config
    assert config.filter.supported
    assert config.patch.supported


def test_a_wrong_token_is_refused(scim_origin):
    http = httpx2.Client(base_url=scim_origin, headers={"Authorization": "Bearer nope"})
    r = http.get("/Users")
    assert r.status_code == 401
    assert r.json()["status"] == "401"


def test_users_are_created_once_found_by_quoted_user_name_and_deactivated(scim):
    ada = scim.create(User(user_name="ada@example.com", active=True, external_id="emp-1"))
    assert ada.id

    again = scim.create(User(user_name="ada@example.com"), raise_scim_errors=False)
    assert isinstance(again, Error)
    assert again.status == 409 and again.scim_type == "uniqueness"

    found = scim.query(User, query_parameters=SearchRequest(filter='userName eq "ADA@example.com"'))
    assert isinstance(found, ListResponse)
    assert [u.id for u in found.resources] == [ada.id]
    quoted = scim.query(User, query_parameters=SearchRequest(filter=r'userName eq "a\"b"'))
    assert quoted.total_results == 0

    patch = PatchOp[User](operations=[PatchOperation(op="replace", path="active", value=False)])
    scim.modify(User, ada.id, patch)
    assert scim.query(User, ada.id).active is False

    scim.delete(User, ada.id)
    gone = scim.query(User, ada.id, raise_scim_errors=False)
    assert isinstance(gone, Error) and gone.status == 404


def test_group_members_are_added_listed_by_filter_and_removed(scim):
    bob = scim.create(User(user_name="bob@example.com"))
    group = scim.create(Group(display_name="Engineering"))

    add = PatchOp[Group](operations=[PatchOperation(op="add", path="members", value=[{"value": bob.id}])])
    scim.modify(Group, group.id, add)
    scim.modify(Group, group.id, add)  # twice is fine
    by_member = scim.query(Group, query_parameters=SearchRequest(filter=f'members[value eq "{bob.id}"]'))
    assert [g.id for g in by_member.resources] == [group.id]
    by_name = scim.query(Group, query_parameters=SearchRequest(filter='displayName eq "engineering"'))
    assert [g.id for g in by_name.resources] == [group.id]

    remove = PatchOp[Group](operations=[PatchOperation(op="remove", path=f'members[value eq "{bob.id}"]')])
    scim.modify(Group, group.id, remove)
    scim.modify(Group, group.id, remove, raise_scim_errors=False)  # not a member: no harm
    by_member = scim.query(Group, query_parameters=SearchRequest(filter=f'members[value eq "{bob.id}"]'))
    assert by_member.total_results == 0


def test_lists_page_by_start_index_and_count(scim):
    for i in range(5):
        scim.create(Group(display_name=f"paging-{i}"))
    first = scim.query(Group, query_parameters=SearchRequest(filter='displayName sw "paging-"', start_index=1, count=2))
    assert first.total_results == 5 and len(first.resources) == 2 and first.start_index == 1
    last = scim.query(Group, query_parameters=SearchRequest(filter='displayName sw "paging-"', start_index=5, count=2))
    assert len(last.resources) == 1
