//! Single sign-on in a real headless Chromium: a hardware champion clicks "Sign in with
//! …" on Tenure's sign-in page, fills the identity provider's own login form (the
//! `oidc-provider` npm package, started by the test with Node) and lands in Tenure on
//! the page they asked for, as a hardware champion — Settings neither offered nor open.

mod common;

use common::browser::{Page, browser};
use common::oidc::{Sso, account, provider_available};
use fantoccini::Locator;
use tenure::auth::password::hash_password;
use tenure_store::UserRecord;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_champion_signs_in_with_the_identity_provider_in_the_browser() {
    if !provider_available() {
        return;
    }
    let sso = Sso::start(
        &[account("00u-hank", "hank@acme.test", &["it-hardware"])],
        |_| {},
    )
    .await;
    // The appliance has its first (local) admin, so the sign-in page is what opens.
    sso.state
        .store
        .create_user(&UserRecord {
            id: "root".into(),
            name: "Root".into(),
            email: "root@acme.test".into(),
            admin: true,
            password_hash: hash_password("a long enough password").unwrap(),
            created_at: 0,
            disabled: false,
            oidc_subject: None,
        })
        .unwrap();
    let (_driver, client) = browser().await;
    let page = Page {
        client: client.clone(),
        base: sso.base.clone(),
        shots: None,
    };

    // Asked for the hardware page, the browser is sent to sign in first.
    page.go("/hardware").await;
    page.arrives("/login").await;
    page.shows(&["Sign in to Tenure", "Sign in with Acme SSO", "User name"])
        .await;
    page.press("Sign in with Acme SSO").await;

    // The identity provider's own login form.
    page.arrives("/interaction/").await;
    page.fill("input[name=login]", "00u-hank").await;
    page.fill("input[name=password]", "their IdP password")
        .await;
    page.click("button[type=submit]").await;

    // Back in Tenure, signed in, on the page asked for, as a hardware champion.
    page.arrives("/hardware").await;
    page.shows(&["Hardware", "00u-hank (IdP)"]).await;
    assert!(
        client
            .find(Locator::Css("a[href='/settings']"))
            .await
            .is_err(),
        "no Settings for a champion"
    );
    page.go("/settings").await;
    page.shows(&["Not allowed"]).await;
    let hank = sso.state.store.user("hank").unwrap().expect("an account");
    assert_eq!(hank.oidc_subject.as_deref(), Some("00u-hank"));
    client.close().await.unwrap();
}
