"""Slack's official Python SDK (slack-sdk) against the Slack fake: the Web API methods
the slack connector calls, Slack's error and rate-limit signals, and SCIM v2 users."""

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.scim import SCIMClient

from conftest import SLACK_BOT_TOKEN, SLACK_SCIM_TOKEN


def web(fake, token=SLACK_BOT_TOKEN, **kw):
    return WebClient(token=token, base_url=fake.api_base, **kw)


def all_channels(client, **kw):
    names, cursor = [], None
    for _ in range(20):
        page = client.conversations_list(types="public_channel,private_channel", exclude_archived=True,
                                         limit=2, cursor=cursor, **kw)
        names += [c["name"] for c in page["channels"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            return names
    pytest.fail("paging does not end")


def test_channels_page_and_private_ones_show_only_with_the_bot(start_slack_fake):
    fake = start_slack_fake(channels=["general", "eng", "sales"], private_channels=["eng-leads"],
                            hidden_channels=["board"])
    names = all_channels(web(fake))
    assert sorted(names) == ["eng", "eng-leads", "general", "sales"]


def test_invite_kick_and_memberships(start_slack_fake):
    fake = start_slack_fake(channels=["general", "eng"], users=["ada@example.com"])
    client = web(fake)
    ada = client.users_lookupByEmail(email="ada@example.com")["user"]["id"]
    eng = next(c["id"] for c in client.conversations_list()["channels"] if c["name"] == "eng")

    client.conversations_invite(channel=eng, users=[ada])
    with pytest.raises(SlackApiError) as again:
        client.conversations_invite(channel=eng, users=ada)
    assert again.value.response["error"] == "already_in_channel"
    mine = client.users_conversations(user=ada, types="public_channel,private_channel")
    assert [c["id"] for c in mine["channels"]] == [eng]

    client.conversations_kick(channel=eng, user=ada)
    with pytest.raises(SlackApiError) as gone:
        client.conversations_kick(channel=eng, user=ada)
    assert gone.value.response["error"] == "not_in_channel"


def test_errors_arrive_as_ok_false(start_slack_fake):
    fake = start_slack_fake(channels=["eng"])
    with pytest.raises(SlackApiError) as bad:
        web(fake, token="xoxb-wrong").auth_test()
    assert bad.value.response.status_code == 200
    assert bad.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as nobody:
        web(fake).users_lookupByEmail(email="nobody@example.com")
    assert nobody.value.response["error"] == "users_not_found"
    with pytest.raises(SlackApiError) as missing:
        web(fake).conversations_invite(channel="C404", users="U404")
    assert missing.value.response["error"] in ("user_not_found", "channel_not_found")


def test_rate_limits_are_retried_by_the_sdks_handler(start_slack_fake):
    fake = start_slack_fake(ratelimited=2)
    client = web(fake, retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=3)])
    assert client.auth_test()["ok"]

    fake = start_slack_fake(ratelimited=1)
    with pytest.raises(SlackApiError) as limited:
        web(fake, retry_handlers=[]).auth_test()
    assert limited.value.response.status_code == 429
    assert limited.value.response.headers["retry-after"] == "1"

    fake = start_slack_fake(ratelimited=1, ratelimit_ok_false=True)
    with pytest.raises(SlackApiError) as soft:
        web(fake, retry_handlers=[]).auth_test()
    assert soft.value.response["error"] == "ratelimited"


def test_scim_users_are_created_searched_and_deactivated(start_slack_fake):
    fake = start_slack_fake()
    scim = SCIMClient(token=SLACK_SCIM_TOKEN, base_url=fake.scim_base)
    made = scim.create_user({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "ada",
                             "name": {"givenName": "Ada", "familyName": "Lovelace"},
                             "emails": [{"value": "ada@example.com", "primary": True}]})
    assert made.status_code == 201
    uid = made.user.id

    found = scim.search_users(start_index=1, count=10, filter='email eq "ada@example.com"')
    assert [u.id for u in found.users] == [uid]

    assert scim.delete_user(uid).status_code == 204
    assert scim.read_user(uid).user.active is False
    assert scim.patch_user(uid, {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                 "Operations": [{"op": "replace", "path": "active", "value": True}]}).status_code == 200
    assert scim.read_user(uid).user.active is True

    dup = scim.create_user({"userName": "ada", "emails": [{"value": "ada@example.com", "primary": True}]})
    assert dup.status_code == 409
    assert dup.errors.code == 409


def test_a_plan_without_scim_is_refused(start_slack_fake):
    fake = start_slack_fake(no_scim=True)
    scim = SCIMClient(token=SLACK_SCIM_TOKEN, base_url=fake.scim_base)
    r = scim.search_users(start_index=1, count=1)
    assert r.status_code == 403
    assert r.errors.code == 403
