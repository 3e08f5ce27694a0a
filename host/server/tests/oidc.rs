//! Single sign-on against a real OpenID Connect provider (`oidc-provider`, started by
//! the test with Node): the provider's groups become roles, accounts are created or
//! linked, forged, replayed and refused answers are turned away, failures are
//! throttled, and local accounts keep working (break-glass) whatever the provider does.

mod common;

use common::oidc::{Browser, Sso, account, oidc_config, provider_available};
use reqwest::StatusCode;
use tenure::auth::password::hash_password;
use tenure_store::UserRecord;

fn local_user(id: &str, email: &str, admin: bool) -> UserRecord {
    UserRecord {
        id: id.into(),
        name: id.to_uppercase(),
        email: email.into(),
        admin,
        password_hash: hash_password("a long enough password").unwrap(),
        created_at: 0,
        disabled: false,
        oidc_subject: None,
    }
}

/// Signs in with the local password form; the session cookie.
async fn local_sign_in(sso: &Sso, id: &str) -> Option<String> {
    let b = Browser::default();
    let r = b
        .post_form(
            &format!("{}/login", sso.base),
            &[
                ("user", id),
                ("password", "a long enough password"),
                ("next", "/tasks"),
            ],
        )
        .await;
    (r.status == StatusCode::SEE_OTHER).then(|| b.cookie("tenure_session").unwrap())
}

async fn status_of(b: &Browser, sso: &Sso, path: &str) -> StatusCode {
    b.get(&format!("{}{path}", sso.base)).await.status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_identity_providers_groups_become_roles() {
    if !provider_available() {
        return;
    }
    let sso = Sso::start(
        &[
            account("00u-hank", "hank@acme.test", &["it-hardware", "everyone"]),
            account("00u-ada", "Ada@Acme.test", &["tenure-admins"]),
            account("00u-lee", "lee@acme.test", &["it-onboarding"]),
            account("00u-nobody", "nobody@acme.test", &["everyone"]),
        ],
        |_| {},
    )
    .await;
    // Lee has a local account already (the break-glass admin, say).
    sso.state
        .store
        .create_user(&local_user("lee", "lee@acme.test", true))
        .unwrap();
    sso.state
        .store
        .create_user(&local_user("root", "root@acme.test", true))
        .unwrap();

    // The sign-in page offers the provider above the local form.
    let page = Browser::default().get(&format!("{}/login", sso.base)).await;
    assert!(page.body.contains("Sign in with Acme SSO"), "{}", page.body);
    assert!(page.body.contains("/auth/oidc/start"));

    // A hardware champion by group: lands where they were going, sees hardware, not
    // settings.
    let hank = Browser::default();
    let r = hank.sign_in(&sso, "00u-hank", "/hardware").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("{}/hardware", sso.base));
    assert!(hank.cookie("tenure_session").is_some());
    assert!(
        hank.cookie("tenure_oidc").is_none(),
        "the binding cookie is spent"
    );
    assert_eq!(status_of(&hank, &sso, "/hardware").await, StatusCode::OK);
    assert_eq!(
        status_of(&hank, &sso, "/settings").await,
        StatusCode::FORBIDDEN
    );
    let record = sso.state.store.user("hank").unwrap().expect("an account");
    assert_eq!(record.oidc_subject.as_deref(), Some("00u-hank"));
    assert_eq!(record.email, "hank@acme.test");
    assert!(!record.admin);
    let champions = sso.state.engine.read(|k| k.catalog.champions.clone()).await;
    assert!(champions.hardware.iter().any(|c| c.user.0 == "hank"));
    assert!(!champions.onboarding.iter().any(|c| c.user.0 == "hank"));
    // Its password form never opens it.
    assert_eq!(local_sign_in(&sso, "hank").await, None);

    // An admin by group.
    let ada = Browser::default();
    let r = ada.sign_in(&sso, "00u-ada", "/settings").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(status_of(&ada, &sso, "/settings").await, StatusCode::OK);
    assert!(sso.state.store.user("ada").unwrap().unwrap().admin);

    // No group that gives a role: no account, no session, a sentence saying why.
    let nobody = Browser::default();
    let r = nobody.sign_in(&sso, "00u-nobody", "/").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body
            .contains("your account at Acme SSO is not in any group that may use Tenure"),
        "{}",
        r.body
    );
    assert!(nobody.cookie("tenure_session").is_none());
    assert!(sso.state.store.user("nobody").unwrap().is_none());

    // Lee's local account is found by the verified email and linked; the provider now
    // decides Lee's roles (onboarding champion, admin no more: root is still admin),
    // and Lee's password still opens the account when the provider cannot.
    let lee = Browser::default();
    let r = lee.sign_in(&sso, "00u-lee", "/tasks").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let record = sso.state.store.user("lee").unwrap().unwrap();
    assert_eq!(record.oidc_subject.as_deref(), Some("00u-lee"));
    assert!(!record.admin);
    let champions = sso.state.engine.read(|k| k.catalog.champions.clone()).await;
    assert!(champions.onboarding.iter().any(|c| c.user.0 == "lee"));
    assert!(local_sign_in(&sso, "lee").await.is_some(), "break-glass");
    assert!(local_sign_in(&sso, "root").await.is_some(), "break-glass");

    // Roles are the provider's on every sign-in: a role given by hand goes again.
    let mut catalog = sso.state.engine.read(|k| k.catalog.clone()).await;
    catalog
        .champions
        .onboarding
        .push(common::ui_client::champion("hank"));
    sso.state
        .engine
        .set_catalog(catalog, tenure_domain::UserId("root".into()))
        .await
        .unwrap();
    let again = Browser::default();
    assert_eq!(
        again.sign_in(&sso, "00u-hank", "/").await.status,
        StatusCode::SEE_OTHER
    );
    let champions = sso.state.engine.read(|k| k.catalog.champions.clone()).await;
    assert!(!champions.onboarding.iter().any(|c| c.user.0 == "hank"));
    assert!(champions.hardware.iter().any(|c| c.user.0 == "hank"));

    // A disabled account stays out, provider or not.
    let mut record = sso.state.store.user("ada").unwrap().unwrap();
    record.disabled = true;
    sso.state.store.update_user(&record).unwrap();
    let r = Browser::default().sign_in(&sso, "00u-ada", "/").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body.contains("your Tenure account is disabled"),
        "{}",
        r.body
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_replayed_and_refused_answers_are_turned_away() {
    if !provider_available() {
        return;
    }
    let sso = Sso::start(
        &[account("00u-ada", "ada@acme.test", &["tenure-admins"])],
        |_| {},
    )
    .await;
    let b = Browser::default();
    let callback = b.callback_url(&sso, "00u-ada", "/tasks").await;

    // Another state than the one this browser started with.
    let url = url::Url::parse(&callback).unwrap();
    let mut forged = url.clone();
    forged
        .query_pairs_mut()
        .clear()
        .extend_pairs(url.query_pairs().map(|(k, v)| {
            (
                k.to_string(),
                if k == "state" {
                    "forged".into()
                } else {
                    v.to_string()
                },
            )
        }));
    let r = b.get(forged.as_str()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(
        r.body.contains("the sign-in link expired, try again"),
        "{}",
        r.body
    );
    assert!(b.cookie("tenure_session").is_none());

    // The same answer in another browser (a link someone was sent): not theirs.
    let other = Browser::default();
    let r = other.get(&callback).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert!(other.cookie("tenure_session").is_none());

    // The real answer, in the browser that started it... was spent by the attempt from
    // the other browser: a state is taken once, whoever brings it.
    let r = b.get(&callback).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);

    // A fresh sign-in works, once.
    let b = Browser::default();
    let callback = b.callback_url(&sso, "00u-ada", "/tasks").await;
    let r = b.get(&callback).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = b.get(&callback).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "replayed: {}", r.body);
    assert!(r.body.contains("the sign-in link expired"), "{}", r.body);

    // The used code under a new sign-in's state: the provider refuses the code.
    let old_code = url::Url::parse(&callback)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "code")
        .unwrap()
        .1
        .to_string();
    let c = Browser::default();
    let fresh = url::Url::parse(&c.callback_url(&sso, "00u-ada", "/").await).unwrap();
    let mut replay = fresh.clone();
    replay
        .query_pairs_mut()
        .clear()
        .extend_pairs(fresh.query_pairs().map(|(k, v)| {
            (
                k.to_string(),
                if k == "code" {
                    old_code.clone()
                } else {
                    v.to_string()
                },
            )
        }));
    let r = c.get(replay.as_str()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert!(
        r.body
            .contains("the identity provider refused the sign-in code (invalid_grant)"),
        "{}",
        r.body
    );
    assert!(c.cookie("tenure_session").is_none());

    // The person cancels at the provider.
    let d = Browser::default();
    let form = d.open_login_form(&sso, "/").await;
    let abort = format!("{}/abort", common::oidc::form_action(&form));
    let back = d
        .through_provider(d.get(&abort).await, &sso.provider.as_ref().unwrap().issuer)
        .await;
    let r = d.get(&back.location()).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    assert!(
        r.body
            .contains("the identity provider refused: access_denied"),
        "{}",
        r.body
    );
    assert!(d.cookie("tenure_session").is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_make_the_address_wait_but_not_local_accounts() {
    if !provider_available() {
        return;
    }
    let sso = Sso::start(
        &[account("00u-ada", "ada@acme.test", &["tenure-admins"])],
        |_| {},
    )
    .await;
    sso.state
        .store
        .create_user(&local_user("root", "root@acme.test", true))
        .unwrap();
    // A real answer, brought back after the failures.
    let c = Browser::default();
    let callback = c.callback_url(&sso, "00u-ada", "/").await;
    let b = Browser::default();
    let mut waited = None;
    for _ in 0..10 {
        let r = b
            .get(&format!(
                "{}/auth/oidc/callback?state=guess&code=guess",
                sso.base
            ))
            .await;
        if r.status == StatusCode::TOO_MANY_REQUESTS {
            waited = Some(r);
            break;
        }
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{}", r.body);
    }
    let r = waited.expect("a wait after repeated failures");
    assert!(r.headers.contains_key("retry-after"));
    assert!(r.body.contains("Too many failed sign-ins"), "{}", r.body);
    // Even a real answer from that address waits now.
    assert_eq!(c.get(&callback).await.status, StatusCode::TOO_MANY_REQUESTS);
    // The local break-glass account is not held by single sign-on's failures.
    assert!(local_sign_in(&sso, "root").await.is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_that_is_down_leaves_local_sign_in_working() {
    // Nobody listens on this port: the provider is down. (No Node needed.)
    let port = common::free_port();
    let sso = Sso::without_provider(oidc_config(&format!("http://127.0.0.1:{port}"))).await;
    sso.state
        .store
        .create_user(&local_user("root", "root@acme.test", true))
        .unwrap();
    let b = Browser::default();
    let r = b.get(&format!("{}/auth/oidc/start", sso.base)).await;
    assert_eq!(r.status, StatusCode::BAD_GATEWAY);
    assert!(
        r.body
            .contains("the identity provider could not be reached"),
        "{}",
        r.body
    );
    assert!(r.body.contains("local accounts still sign in"));
    assert!(
        r.body.contains("name=\"password\""),
        "the local form is there"
    );
    assert!(local_sign_in(&sso, "root").await.is_some());
}
