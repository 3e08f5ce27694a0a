"""Microsoft's official Graph SDK (msgraph-sdk) against the `tenure-fakes graph` fake.

The SDK's own request builders, serializers, error mapping (ODataError), retry handler
and page iterator talk to the fake; only the credential is ours, a small async
TokenCredential that gets client-credentials tokens from the fake's token endpoint (as
azure-identity's ClientSecretCredential would from login.microsoftonline.com).
"""

import asyncio
import time

import httpx
import pytest
from azure.core.credentials import AccessToken
from azure.core.exceptions import ClientAuthenticationError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph import GraphRequestAdapter, GraphServiceClient
from msgraph.generated.groups.groups_request_builder import GroupsRequestBuilder
from msgraph.generated.models.assigned_license import AssignedLicense
from msgraph.generated.models.automatic_replies_setting import AutomaticRepliesSetting
from msgraph.generated.models.automatic_replies_status import AutomaticRepliesStatus
from msgraph.generated.models.email_address import EmailAddress
from msgraph.generated.models.mailbox_settings import MailboxSettings
from msgraph.generated.models.message_rule import MessageRule
from msgraph.generated.models.message_rule_actions import MessageRuleActions
from msgraph.generated.models.o_data_errors.o_data_error import ODataError
from msgraph.generated.models.password_profile import PasswordProfile
from msgraph.generated.models.recipient import Recipient
from msgraph.generated.models.reference_create import ReferenceCreate
from msgraph.generated.models.user import User
from msgraph.generated.users.item.assign_license.assign_license_post_request_body import (
    AssignLicensePostRequestBody,
)
from msgraph.generated.users.item.user_item_request_builder import UserItemRequestBuilder
from msgraph.generated.users.users_request_builder import UsersRequestBuilder
from msgraph_core import PageIterator
from msgraph_core.authentication import AzureIdentityAuthenticationProvider

GRAPH_SCOPE = "https://graph.microsoft.com/.default"
ENTERPRISEPACK = "6fd2c87f-b296-42f0-b197-1e91e994b900"
SEEDED = 250


class FakeTokenCredential:
    """An async azure.core TokenCredential: client credentials against `token_url`."""

    def __init__(self, token_url, client_id, client_secret):
        self.token_url = token_url
        self.client_id = client_id
        self.client_secret = client_secret
        self.requests = 0
        self._token = None

    async def get_token(self, *scopes, claims=None, tenant_id=None, enable_cae=False, **kwargs):
        if self._token and self._token.expires_on > time.time() + 60:
            return self._token
        self.requests += 1
        async with httpx.AsyncClient(timeout=30) as http:
            r = await http.post(
                self.token_url,
                data={
                    "client_id": self.client_id,
                    "client_secret": self.client_secret,
                    "grant_type": "client_credentials",
                    "scope": " ".join(scopes),
                },
            )
        body = r.json()
        if r.status_code != 200:
            raise ClientAuthenticationError(message=f"{body['error']}: {body['error_description']}")
        self._token = AccessToken(body["access_token"], int(time.time()) + int(body["expires_in"]))
        return self._token

    async def close(self):
        pass

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        pass


def client_for(fake, client_secret=None):
    credential = FakeTokenCredential(fake.token_url, fake.client_id, client_secret or fake.client_secret)
    auth = AzureIdentityAuthenticationProvider(credential, scopes=[GRAPH_SCOPE], allowed_hosts=["127.0.0.1"])
    adapter = GraphRequestAdapter(auth)
    adapter.base_url = fake.api_base
    return GraphServiceClient(request_adapter=adapter), adapter


def run(coro):
    return asyncio.run(coro)


def new_user(upn, nick, password="Welcome-2026!"):
    return User(
        account_enabled=True,
        display_name=f"New {nick}",
        mail_nickname=nick,
        user_principal_name=upn,
        given_name="New",
        surname=nick,
        password_profile=PasswordProfile(password=password, force_change_password_next_sign_in=True),
    )


def select(*props):
    return RequestConfiguration(query_parameters=UserItemRequestBuilder.UserItemRequestBuilderGetQueryParameters(select=list(props)))


async def find_by_upn(client, upn):
    params = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(
        filter=f"userPrincipalName eq '{upn}'", select=["id", "userPrincipalName", "accountEnabled"]
    )
    page = await client.users.get(request_configuration=RequestConfiguration(query_parameters=params))
    return page.value


def test_creates_a_user_and_finds_it_by_upn(graph_fake):
    async def go():
        client, _ = client_for(graph_fake)
        created = await client.users.post(new_user("ada.new@tenure-test.onmicrosoft.com", "adanew"))
        assert isinstance(created, User)
        assert len(created.id) == 36
        assert created.user_principal_name == "ada.new@tenure-test.onmicrosoft.com"
        # Graph leaves accountEnabled out of the default properties.
        assert created.account_enabled is None
        found = await find_by_upn(client, "ADA.NEW@tenure-test.onmicrosoft.com")
        assert [u.id for u in found] == [created.id]
        assert found[0].account_enabled is True
        by_upn = await client.users.by_user_id("ada.new@tenure-test.onmicrosoft.com").get()
        assert by_upn.id == created.id
        assert await find_by_upn(client, "nobody@tenure-test.onmicrosoft.com") == []

    run(go())


def test_lists_every_user_across_pages(graph_fake):
    async def go():
        client, adapter = client_for(graph_fake)
        params = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(top=100, select=["id", "userPrincipalName"])
        first = await client.users.get(request_configuration=RequestConfiguration(query_parameters=params))
        pages = [first]
        while pages[-1].odata_next_link:
            assert pages[-1].odata_next_link.startswith(graph_fake.api_base + "/users?")
            pages.append(await client.users.with_url(pages[-1].odata_next_link).get())
        assert len(pages) >= 3
        ids = [u.id for p in pages for u in p.value]
        assert len(ids) == len(set(ids)) >= SEEDED
        # The SDK's own page iterator walks the same links.
        seen = []
        first = await client.users.get(request_configuration=RequestConfiguration(query_parameters=params))
        iterator = PageIterator(first, adapter)

        def keep(user):
            seen.append(user.id)
            return True

        await iterator.iterate(keep)
        assert seen == ids

    run(go())


def test_disables_a_user_and_revokes_its_sessions(graph_fake):
    async def go():
        client, _ = client_for(graph_fake)
        user = await client.users.post(new_user("leaver@tenure-test.onmicrosoft.com", "leaver"))
        await client.users.by_user_id(user.id).patch(User(account_enabled=False))
        got = await client.users.by_user_id(user.id).get(request_configuration=select("id", "accountEnabled"))
        assert got.account_enabled is False
        revoked = await client.users.by_user_id(user.id).revoke_sign_in_sessions.post()
        assert revoked.value is True

    run(go())


def test_assigns_a_licence_once_a_usage_location_is_set(graph_fake):
    async def go():
        client, _ = client_for(graph_fake)
        user = await client.users.post(new_user("licensed@tenure-test.onmicrosoft.com", "licensed"))
        body = AssignLicensePostRequestBody(
            add_licenses=[AssignedLicense(sku_id=ENTERPRISEPACK, disabled_plans=[])], remove_licenses=[]
        )
        with pytest.raises(ODataError) as e:
            await client.users.by_user_id(user.id).assign_license.post(body)
        assert e.value.response_status_code == 400
        assert "invalid usage location" in e.value.error.message
        before = {s.sku_part_number: s.consumed_units for s in (await client.subscribed_skus.get()).value}

        await client.users.by_user_id(user.id).patch(User(usage_location="GB"))
        licensed = await client.users.by_user_id(user.id).assign_license.post(body)
        assert licensed.id == user.id
        details = (await client.users.by_user_id(user.id).license_details.get()).value
        assert [d.sku_part_number for d in details] == ["ENTERPRISEPACK"]
        after = {s.sku_part_number: s.consumed_units for s in (await client.subscribed_skus.get()).value}
        assert after["ENTERPRISEPACK"] == before["ENTERPRISEPACK"] + 1

        # With a mailbox, mail can be forwarded and automatic replies turned on.
        rule = MessageRule(
            display_name="Forward to manager",
            sequence=1,
            is_enabled=True,
            actions=MessageRuleActions(
                forward_to=[Recipient(email_address=EmailAddress(address="manager@tenure-test.onmicrosoft.com"))],
                stop_processing_rules=True,
            ),
        )
        rules = client.users.by_user_id(user.id).mail_folders.by_mail_folder_id("inbox").message_rules
        created = await rules.post(rule)
        assert created.id
        listed = (await rules.get()).value
        assert [r.actions.forward_to[0].email_address.address for r in listed] == ["manager@tenure-test.onmicrosoft.com"]
        settings = MailboxSettings(
            automatic_replies_setting=AutomaticRepliesSetting(
                status=AutomaticRepliesStatus.AlwaysEnabled, external_reply_message="I have left the company."
            )
        )
        answered = await client.users.by_user_id(user.id).mailbox_settings.patch(settings)
        assert answered.automatic_replies_setting.status == AutomaticRepliesStatus.AlwaysEnabled

    run(go())


def test_a_duplicate_user_raises_odata_error(graph_fake):
    async def go():
        client, _ = client_for(graph_fake)
        await client.users.post(new_user("twice@tenure-test.onmicrosoft.com", "twice"))
        with pytest.raises(ODataError) as e:
            await client.users.post(new_user("TWICE@tenure-test.onmicrosoft.com", "twice2"))
        assert e.value.response_status_code == 400
        assert e.value.error.code == "Request_BadRequest"
        assert "userPrincipalName already exists" in e.value.error.message
        assert e.value.error.inner_error is not None

    run(go())


def test_group_membership_through_refs(graph_fake):
    async def go():
        client, _ = client_for(graph_fake)
        user = await client.users.post(new_user("joiner@tenure-test.onmicrosoft.com", "joiner"))
        params = GroupsRequestBuilder.GroupsRequestBuilderGetQueryParameters(filter="displayName eq 'Engineering'")
        groups = (await client.groups.get(request_configuration=RequestConfiguration(query_parameters=params))).value
        assert [g.display_name for g in groups] == ["Engineering"]
        group = client.groups.by_group_id(groups[0].id)
        ref = ReferenceCreate(odata_id=f"https://graph.microsoft.com/v1.0/directoryObjects/{user.id}")
        await group.members.ref.post(ref)
        with pytest.raises(ODataError) as e:
            await group.members.ref.post(ref)
        assert e.value.response_status_code == 400
        assert "already exist" in e.value.error.message
        member_of = (await client.users.by_user_id(user.id).member_of.get()).value
        assert [g.id for g in member_of] == [groups[0].id]
        assert [m.id for m in (await group.members.get()).value] == [user.id]
        await group.members.by_directory_object_id(user.id).ref.delete()
        with pytest.raises(ODataError) as e:
            await group.members.by_directory_object_id(user.id).ref.delete()
        assert e.value.response_status_code == 404
        assert (await client.users.by_user_id(user.id).member_of.get()).value == []

    run(go())


def test_a_wrong_secret_fails_at_the_token_endpoint(graph_fake):
    async def go():
        client, _ = client_for(graph_fake, client_secret="not-the-secret")
        with pytest.raises(ClientAuthenticationError, match="invalid_client: AADSTS7000215"):
            await client.users.get()

    run(go())


def test_the_retry_handler_converges_through_injected_faults(start_graph_fake):
    fake = start_graph_fake(users=30, faults=0.25)

    async def go():
        client, _ = client_for(fake)
        started = time.monotonic()
        upns = []
        for i in range(6):
            u = await client.users.post(new_user(f"retry{i}@tenure-test.onmicrosoft.com", f"retry{i}"))
            upns.append(u.user_principal_name)
        for upn in upns:
            assert len(await find_by_upn(client, upn)) == 1
        params = UsersRequestBuilder.UsersRequestBuilderGetQueryParameters(top=10)
        page = await client.users.get(request_configuration=RequestConfiguration(query_parameters=params))
        total = len(page.value)
        while page.odata_next_link:
            page = await client.users.with_url(page.odata_next_link).get()
            total += len(page.value)
        assert total == 36
        # Faults were injected (each costs a Retry-After of one second) and retried.
        assert time.monotonic() - started >= 1

    run(go())


def groups_where(flt, top=None, select=None):
    params = GroupsRequestBuilder.GroupsRequestBuilderGetQueryParameters(filter=flt, top=top, select=select)
    return RequestConfiguration(query_parameters=params)


def test_groups_filter_by_display_name_and_prefix_with_paging(graph_groups_fake):
    async def go():
        client, adapter = client_for(graph_groups_fake)
        exact = (await client.groups.get(request_configuration=groups_where("displayName eq 'eng berlin'"))).value
        assert [g.display_name for g in exact] == ["Eng Berlin"]
        select = ["id", "displayName", "groupTypes", "mailEnabled", "securityEnabled", "membershipRule"]
        first = await client.groups.get(
            request_configuration=groups_where("startswith(displayName,'eng ')", top=2, select=select)
        )
        assert [g.display_name for g in first.value] == ["Eng Berlin", "Eng Paris"]
        assert first.odata_next_link.startswith(graph_groups_fake.api_base + "/groups?")
        rest = await client.groups.with_url(first.odata_next_link).get()
        assert [g.display_name for g in rest.value] == ["Eng Tokyo", "Eng (all)"]
        assert rest.odata_next_link is None
        dynamic = rest.value[1]
        assert dynamic.group_types == ["DynamicMembership"]
        assert dynamic.membership_rule == 'user.department -eq "Engineering"'
        assert rest.value[0].group_types == [] and rest.value[0].security_enabled is True
        # The SDK's page iterator walks the same links.
        seen = []
        first = await client.groups.get(
            request_configuration=groups_where("startswith(displayName,'eng ')", top=2, select=select)
        )
        await PageIterator(first, adapter).iterate(lambda g: seen.append(g.display_name) or True)
        assert seen == ["Eng Berlin", "Eng Paris", "Eng Tokyo", "Eng (all)"]
        quoted = (await client.groups.get(request_configuration=groups_where("displayName eq 'O''Brien'"))).value
        assert quoted == []

    run(go())


def test_member_of_cast_to_groups_pages_and_refs_add_and_remove(graph_groups_fake):
    async def go():
        client, _ = client_for(graph_groups_fake)
        user = await client.users.post(new_user("mover@tenure-test.onmicrosoft.com", "mover"))
        eng = (await client.groups.get(request_configuration=groups_where("startswith(displayName,'eng ')"))).value
        eng = [g for g in eng if "DynamicMembership" not in (g.group_types or [])]
        assert [g.display_name for g in eng] == ["Eng Berlin", "Eng Paris", "Eng Tokyo"]
        ref = ReferenceCreate(odata_id=f"https://graph.microsoft.com/v1.0/directoryObjects/{user.id}")
        for g in eng:
            await client.groups.by_group_id(g.id).members.ref.post(ref)
        # Already a member: Graph's 400.
        with pytest.raises(ODataError) as e:
            await client.groups.by_group_id(eng[0].id).members.ref.post(ref)
        assert e.value.response_status_code == 400
        assert e.value.error.code == "Request_BadRequest"
        assert e.value.error.message.startswith("One or more added object references already exist")

        member_of = client.users.by_user_id(user.id).member_of.graph_group
        params = member_of.GraphGroupRequestBuilderGetQueryParameters(select=["id", "displayName"], top=2)
        page = await member_of.get(request_configuration=RequestConfiguration(query_parameters=params))
        names = [g.display_name for g in page.value]
        assert "/memberOf/graph.group?" in page.odata_next_link
        page = await member_of.with_url(page.odata_next_link).get()
        names += [g.display_name for g in page.value]
        assert names == ["Eng Berlin", "Eng Paris", "Eng Tokyo"]
        assert page.odata_next_link is None

        # Removing: 204, then 404 once not a member.
        await client.groups.by_group_id(eng[1].id).members.by_directory_object_id(user.id).ref.delete()
        with pytest.raises(ODataError) as e:
            await client.groups.by_group_id(eng[1].id).members.by_directory_object_id(user.id).ref.delete()
        assert e.value.response_status_code == 404
        left = (await member_of.get()).value
        assert [g.display_name for g in left] == ["Eng Berlin", "Eng Tokyo"]

    run(go())


def test_a_dynamic_group_refuses_members(graph_groups_fake):
    async def go():
        client, _ = client_for(graph_groups_fake)
        user = await client.users.post(new_user("rule@tenure-test.onmicrosoft.com", "rule"))
        dynamic = (await client.groups.get(request_configuration=groups_where("displayName eq 'Eng (all)'"))).value[0]
        ref = ReferenceCreate(odata_id=f"https://graph.microsoft.com/v1.0/directoryObjects/{user.id}")
        with pytest.raises(ODataError) as e:
            await client.groups.by_group_id(dynamic.id).members.ref.post(ref)
        assert e.value.response_status_code == 400
        assert "dynamic membership" in e.value.error.message
        got = await client.groups.by_group_id(dynamic.id).get()
        assert got.group_types == ["DynamicMembership"]

    run(go())


def test_throttled_group_listing_is_retried_after_retry_after(start_graph_fake):
    fake = start_graph_fake(users=0, rate_limit=3)

    async def go():
        client, _ = client_for(fake)
        started = time.monotonic()
        for _ in range(5):
            groups = (await client.groups.get(request_configuration=groups_where("startswith(displayName,'eng')"))).value
            assert [g.display_name for g in groups] == ["Engineering"]
        # The SDK's retry handler waited out the fake's Retry-After at least once.
        assert time.monotonic() - started >= 1

    run(go())
