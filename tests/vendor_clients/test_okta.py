"""Okta's official Python SDK (okta 3.x, async, pydantic models) against the
`tenure-fakes okta` fake.

The SDK refuses http:// org URLs unless its `testing.testingDisableHttpsCheck` is set.
That key sits beside `client` in the SDK's configuration, out of reach of the dict
given to `Client(...)` (which all lands under `client`), so the tests set it through
the environment: `OKTA_TESTING_TESTINGDISABLEHTTPSCHECK=true`. The SDK authenticates with `SSWS <token>`,
follows `Link: <...>; rel="next"` headers for paging, raises errors as `OktaAPIError`
from Okta's `{errorCode, errorSummary, errorCauses}` bodies, and on a 429 waits
`X-Rate-Limit-Reset - Date + 1` seconds before it retries.
"""

import asyncio
import time

import pytest

from okta.client import Client as OktaClient
from okta.errors.okta_api_error import OktaAPIError
from okta.models import CreateUserRequest
from okta.pagination import PaginationHelper

SEEDED = 25


@pytest.fixture(autouse=True)
def plain_http_org(monkeypatch):
    """Lets the SDK talk to the fake's http:// origin (see the module's docstring)."""
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")


def run(coro):
    return asyncio.run(coro)


def client_for(fake, **extra):
    config = {
        "orgUrl": fake.origin,
        "token": fake.api_token,
        "cache": {"enabled": False},
        **extra,
    }
    return OktaClient(config)


def new_user(login, password=None):
    body = {
        "profile": {
            "login": login,
            "email": login,
            "firstName": "New",
            "lastName": login.split("@")[0].title(),
        }
    }
    if password:
        body["credentials"] = {"password": {"value": password}}
    return CreateUserRequest.from_dict(body)


def test_creates_a_user_and_gets_it_by_login(okta_fake):
    async def go():
        client = client_for(okta_fake)
        user, _, err = await client.create_user(
            new_user("ada.new@tenure-test.example", "Temp-Passw0rd!"),
            activate=True,
            next_login="changePassword",
        )
        assert err is None, err
        assert user.id.startswith("00u") and len(user.id) == 20
        assert user.status.value == "PASSWORD_EXPIRED"
        found, _, err = await client.get_user("ada.new@tenure-test.example")
        assert err is None, err
        assert found.id == user.id
        assert found.profile.login == "ada.new@tenure-test.example"

        invited, _, err = await client.create_user(new_user("bo.new@tenure-test.example"), activate=True)
        assert err is None, err
        assert invited.status.value == "PROVISIONED"
        staged, _, err = await client.create_user(new_user("cy.new@tenure-test.example"), activate=False)
        assert staged.status.value == "STAGED"

    run(go())


def test_a_duplicate_login_is_an_okta_api_error_e0000001(okta_fake):
    async def go():
        client = client_for(okta_fake)
        _, _, err = await client.create_user(new_user("user0001@tenure-test.example"), activate=True)
        assert isinstance(err, OktaAPIError), err
        assert err.status == 400
        assert err.error_code == "E0000001"
        assert "already exists" in err.error_causes[0]["errorSummary"]

    run(go())


def test_lists_users_across_pages_by_link(okta_fake):
    async def go():
        client = client_for(okta_fake)
        users, resp, err = await client.list_users(limit=10)
        assert err is None, err
        assert len(users) == 10
        pages = 1
        # okta 3.x hands back the headers; the `after` cursor is in Link rel="next".
        cursor = PaginationHelper.extract_next_cursor(resp.headers)
        while cursor and pages < 20:
            more, resp, err = await client.list_users(limit=10, after=cursor)
            assert err is None, err
            users.extend(more)
            pages += 1
            cursor = PaginationHelper.extract_next_cursor(resp.headers)
        logins = [u.profile.login for u in users]
        assert len(logins) == len(set(logins))
        assert {f"user{i:04}@tenure-test.example" for i in range(1, SEEDED + 1)} <= set(logins)
        assert pages >= 3

        found, _, err = await client.list_users(search='profile.login eq "USER0007@tenure-test.example"')
        assert [u.profile.login for u in found] == ["user0007@tenure-test.example"]

    run(go())


def test_groups_list_and_members_come_and_go(okta_fake):
    async def go():
        client = client_for(okta_fake)
        groups, _, err = await client.list_groups(q="engineering")
        assert err is None, err
        names = sorted(g.profile.actual_instance.name for g in groups)
        assert names == ["Engineering", "Engineering Leads"]
        eng = next(g for g in groups if g.profile.actual_instance.name == "Engineering")
        user, _, _ = await client.get_user("user0003@tenure-test.example")

        for _ in range(2):  # adding twice is one membership
            *_, err = await client.assign_user_to_group(eng.id, user.id)
            assert err is None, err
        members, _, err = await client.list_group_users(eng.id)
        assert [m.id for m in members] == [user.id]
        mine, _, err = await client.list_user_groups(user.id)
        assert sorted(g.profile.actual_instance.name for g in mine) == ["Engineering", "Everyone"]

        *_, err = await client.unassign_user_from_group(eng.id, user.id)
        assert err is None, err
        members, _, _ = await client.list_group_users(eng.id)
        assert members == []

    run(go())


def test_suspends_clears_sessions_and_unsuspends(okta_fake):
    async def go():
        client = client_for(okta_fake)
        user, _, _ = await client.get_user("user0005@tenure-test.example")
        *_, err = await client.revoke_user_sessions(user.id, oauth_tokens=True)
        assert err is None, err
        *_, err = await client.suspend_user(user.id)
        assert err is None, err
        got, _, _ = await client.get_user(user.id)
        assert got.status.value == "SUSPENDED"
        *_, err = await client.suspend_user(user.id)
        assert isinstance(err, OktaAPIError) and err.error_code == "E0000001"
        *_, err = await client.unsuspend_user(user.id)
        assert err is None, err
        got, _, _ = await client.get_user(user.id)
        assert got.status.value == "ACTIVE"

    run(go())


def test_a_429_is_retried_after_the_rate_limit_reset(start_okta_fake):
    fake = start_okta_fake(users=3, rate_limit=2, rate_window_secs=2)

    async def go():
        client = client_for(fake, rateLimit={"maxRetries": 2})
        for _ in range(2):
            _, _, err = await client.list_users()
            assert err is None, err
        started = time.monotonic()
        users, resp, err = await client.list_users()  # the third call of the window: 429, then retried
        assert err is None, err
        assert len(users) == 3
        assert time.monotonic() - started >= 0.5

    run(go())


def test_a_wrong_token_is_e0000011(okta_fake):
    async def go():
        client = client_for(okta_fake, token="not-the-token")
        _, _, err = await client.list_users()
        assert isinstance(err, OktaAPIError), err
        assert (err.status, err.error_code) == (401, "E0000011")

    run(go())
