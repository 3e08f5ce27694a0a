"""Google's official API client (google-api-python-client, google-auth) against the
`tenure-fakes google` fake.

google-auth signs the service account's JWT assertion (RS256, with `sub` for
domain-wide delegation) and trades it at the fake's token endpoint, which verifies the
signature; the API client builds requests from Google's own discovery documents
(shipped with the client, `static_discovery=True`) with the fake's origin as
`api_endpoint`.
"""

import json

import pytest
from google.auth.exceptions import RefreshError
from google.oauth2 import service_account
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

SEEDED = 250
USER = "https://www.googleapis.com/auth/admin.directory.user"
USER_SECURITY = "https://www.googleapis.com/auth/admin.directory.user.security"
GROUP_MEMBER = "https://www.googleapis.com/auth/admin.directory.group.member"
DATATRANSFER = "https://www.googleapis.com/auth/admin.datatransfer"
SCOPES = [USER, USER_SECURITY, GROUP_MEMBER, DATATRANSFER]
DRIVE = "55656082996"
CALENDAR = "435070579839"


def credentials_for(fake, scopes=SCOPES, subject=None, info=None):
    return service_account.Credentials.from_service_account_info(
        info or fake.service_account_info(), scopes=scopes, subject=subject or fake.admin
    )


def directory_for(fake, **kw):
    # The discovery document's rootUrl is https://admin.googleapis.com/ and its paths
    # start with admin/directory/v1/, so the origin alone is the api_endpoint.
    return build(
        "admin",
        "directory_v1",
        credentials=credentials_for(fake, **kw),
        static_discovery=True,
        client_options={"api_endpoint": fake.origin},
        cache_discovery=False,
    )


def datatransfer_for(fake):
    return build(
        "admin",
        "datatransfer_v1",
        credentials=credentials_for(fake),
        static_discovery=True,
        client_options={"api_endpoint": fake.origin},
        cache_discovery=False,
    )


def new_user(fake, local):
    return {
        "primaryEmail": f"{local}@{fake.domain}",
        "name": {"givenName": "New", "familyName": local.title()},
        "password": "Welcome-2026!",
        "changePasswordAtNextLogin": True,
        "orgUnitPath": "/",
        "recoveryEmail": f"{local}@personal.example",
    }


def test_inserts_a_user_and_gets_it_by_email(google_fake):
    directory = directory_for(google_fake)
    request = directory.users().insert(body=new_user(google_fake, "ada.new"))
    assert request.uri == f"{google_fake.origin}/admin/directory/v1/users?alt=json"
    created = request.execute()
    assert created["kind"] == "admin#directory#user"
    assert created["id"].isdigit() and len(created["id"]) == 21
    assert created["name"]["fullName"] == "New Ada.New"
    assert created["suspended"] is False
    assert created["orgUnitPath"] == "/"
    assert "password" not in created
    got = directory.users().get(userKey=f"ADA.NEW@{google_fake.domain}").execute()
    assert got["id"] == created["id"]
    assert directory.users().get(userKey=created["id"]).execute()["primaryEmail"] == f"ada.new@{google_fake.domain}"
    with pytest.raises(HttpError) as e:
        directory.users().get(userKey=f"nobody@{google_fake.domain}").execute()
    assert e.value.status_code == 404
    assert json.loads(e.value.content)["error"]["errors"][0]["reason"] == "notFound"
    found = directory.users().list(customer="my_customer", query=f"email:ada.new@{google_fake.domain}").execute()
    assert [u["id"] for u in found["users"]] == [created["id"]]
    none = directory.users().list(customer="my_customer", query=f"email:nobody@{google_fake.domain}").execute()
    assert "users" not in none


def test_lists_every_user_across_pages(google_fake):
    directory = directory_for(google_fake)
    users = directory.users()
    request = users.list(customer="my_customer", maxResults=100, orderBy="email")
    pages = []
    while request is not None:
        page = request.execute()
        pages.append(page)
        request = users.list_next(request, page)
    assert len(pages) >= 3
    emails = [u["primaryEmail"] for p in pages for u in p["users"]]
    assert len(emails) == len(set(emails)) >= SEEDED + 1
    assert emails == sorted(emails)
    assert "nextPageToken" not in pages[-1]


def test_suspends_and_signs_out_a_user(google_fake):
    directory = directory_for(google_fake)
    user = directory.users().insert(body=new_user(google_fake, "leaver")).execute()
    patched = directory.users().patch(userKey=user["id"], body={"suspended": True, "orgUnitPath": "/Leavers"}).execute()
    assert patched["suspended"] is True
    assert patched["orgUnitPath"] == "/Leavers"
    assert patched["name"]["givenName"] == "New"
    assert directory.users().get(userKey=user["primaryEmail"]).execute()["suspended"] is True
    assert directory.users().signOut(userKey=user["primaryEmail"]).execute() == ""


def test_sign_out_needs_the_security_scope(google_fake):
    directory = directory_for(google_fake, scopes=[USER])
    user = directory.users().insert(body=new_user(google_fake, "scoped")).execute()
    with pytest.raises(HttpError) as e:
        directory.users().signOut(userKey=user["id"]).execute()
    assert e.value.status_code == 403
    assert "insufficient authentication scopes" in json.loads(e.value.content)["error"]["message"]


def test_a_duplicate_insert_raises_http_error_409(google_fake):
    directory = directory_for(google_fake)
    directory.users().insert(body=new_user(google_fake, "twice")).execute()
    with pytest.raises(HttpError) as e:
        directory.users().insert(body=new_user(google_fake, "TWICE")).execute()
    assert e.value.status_code == 409
    assert json.loads(e.value.content) == {
        "error": {
            "code": 409,
            "message": "Entity already exists.",
            "errors": [{"message": "Entity already exists.", "domain": "global", "reason": "duplicate"}],
        }
    }


def test_group_members(google_fake):
    directory = directory_for(google_fake)
    user = directory.users().insert(body=new_user(google_fake, "joiner")).execute()
    group = "engineering@tenure-test.example"
    member = directory.members().insert(groupKey=group, body={"email": user["primaryEmail"], "role": "MEMBER"}).execute()
    assert member["id"] == user["id"]
    with pytest.raises(HttpError) as e:
        directory.members().insert(groupKey=group, body={"email": user["primaryEmail"], "role": "MEMBER"}).execute()
    assert e.value.status_code == 409
    assert json.loads(e.value.content)["error"]["message"] == "Member already exists."
    listed = directory.members().list(groupKey=group).execute()
    assert [m["email"] for m in listed["members"]] == [user["primaryEmail"]]
    directory.members().delete(groupKey=group, memberKey=user["primaryEmail"]).execute()
    with pytest.raises(HttpError) as e:
        directory.members().delete(groupKey=group, memberKey=user["primaryEmail"]).execute()
    assert e.value.status_code == 404


def test_transfers_drive_and_calendar_data(google_fake):
    directory = directory_for(google_fake)
    transfer_api = datatransfer_for(google_fake)
    apps = transfer_api.applications().list().execute()["applications"]
    assert {a["id"]: a["name"] for a in apps} == {DRIVE: "Drive and Docs", CALENDAR: "Calendar"}
    leaver = directory.users().insert(body=new_user(google_fake, "drive.leaver")).execute()
    manager = directory.users().get(userKey=google_fake.admin).execute()
    body = {
        "oldOwnerUserId": leaver["id"],
        "newOwnerUserId": manager["id"],
        "applicationDataTransfers": [
            {"applicationId": DRIVE, "applicationTransferParams": [{"key": "PRIVACY_LEVEL", "value": ["PRIVATE", "SHARED"]}]},
            {"applicationId": CALENDAR, "applicationTransferParams": [{"key": "RELEASE_RESOURCES", "value": ["TRUE"]}]},
        ],
    }
    transfer = transfer_api.transfers().insert(body=body).execute()
    assert transfer["overallTransferStatusCode"] == "inProgress"
    statuses = []
    for _ in range(10):
        polled = transfer_api.transfers().get(dataTransferId=transfer["id"]).execute()
        statuses.append(polled["overallTransferStatusCode"])
        if statuses[-1] == "completed":
            break
    assert statuses == ["inProgress", "completed"]
    listed = transfer_api.transfers().list(oldOwnerUserId=leaver["id"]).execute()["dataTransfers"]
    assert [t["id"] for t in listed] == [transfer["id"]]
    # Emails are not user ids.
    with pytest.raises(HttpError) as e:
        transfer_api.transfers().insert(body={**body, "oldOwnerUserId": leaver["primaryEmail"]}).execute()
    assert e.value.status_code == 400


def test_a_key_the_fake_does_not_trust_is_refused(google_fake):
    info = google_fake.service_account_info()
    info["client_email"] = "someone-else@tenure-fakes-test.iam.gserviceaccount.com"
    directory = directory_for(google_fake, info=info)
    with pytest.raises(RefreshError, match="invalid_grant"):
        directory.users().get(userKey=google_fake.admin).execute()


def test_the_client_retries_through_injected_faults(start_google_fake):
    fake = start_google_fake(users=20, faults=0.3)
    directory = directory_for(fake)
    for i in range(5):
        directory.users().insert(body=new_user(fake, f"retry{i}")).execute(num_retries=8)
    users = directory.users()
    request = users.list(customer="my_customer", maxResults=5)
    emails = []
    while request is not None:
        page = request.execute(num_retries=8)
        emails += [u["primaryEmail"] for u in page["users"]]
        request = users.list_next(request, page)
    assert len(emails) == 26


def test_group_search_by_address_prefix(google_fake):
    directory = directory_for(google_fake, scopes=[*SCOPES, "https://www.googleapis.com/auth/admin.directory.group.readonly"])
    everything = directory.groups().list(customer="my_customer").execute()
    assert len(everything["groups"]) == 2
    # Google's search syntax: `email:{prefix}*` (case-insensitive), `name:'...'`.
    found = directory.groups().list(customer="my_customer", query="email:ENG*").execute()
    assert [g["email"] for g in found["groups"]] == ["engineering@tenure-test.example"]
    # Clauses are ANDed; `name` is the display name (the fake's CLI names a group by its
    # address's local part).
    both = directory.groups().list(customer="my_customer", query="email:all* name:'all-staff'").execute()
    assert [g["email"] for g in both["groups"]] == ["all-staff@tenure-test.example"]
    assert "groups" not in directory.groups().list(customer="my_customer", query="email:all* name:eng*").execute()
    none = directory.groups().list(customer="my_customer", query="email:nobody*").execute()
    assert "groups" not in none
    # Paged by pageToken with the query kept.
    first = directory.groups().list(customer="my_customer", query="email:*", maxResults=1).execute()
    assert len(first["groups"]) == 1 and first["nextPageToken"]
    rest = directory.groups().list(
        customer="my_customer", query="email:*", maxResults=1, pageToken=first["nextPageToken"]
    ).execute()
    assert len(rest["groups"]) == 1 and "nextPageToken" not in rest
    with pytest.raises(HttpError) as e:
        directory.groups().list(customer="my_customer", query="color:blue").execute()
    assert e.value.status_code == 400
