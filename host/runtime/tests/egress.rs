//! Where a plugin's requests may go, by address, whatever its settings say: never to
//! link-local addresses (cloud metadata); to this machine and over plain http only
//! when `allow_local_http` is on. Each refusal names the setting that changes it.

mod common;

use common::*;
use tenure_runtime::{Plugin, RuntimeConfig};

/// The hostile plugin GETs `url`; the error it fails with, as the host shows it.
async fn refusal(p: &Plugin, url: &str) -> String {
    match p.hr_fetch(Some("http"), Some(url)).await {
        Ok(page) => panic!("{url} was reached: {}", page.employees[0].given_name),
        Err(e) => e.to_string(),
    }
}

fn production_runtime() -> (
    std::sync::Arc<tenure_runtime::Runtime>,
    std::sync::Arc<tenure_runtime::MemoryStateStore>,
) {
    runtime_with(RuntimeConfig {
        allow_local_http: false,
        ..strict_config()
    })
}

#[tokio::test]
async fn this_machine_and_plain_http_are_refused_by_default() {
    let origin = hello_server().await;
    let port = origin.rsplit(':').next().unwrap().to_string();
    let (rt, state) = production_runtime();
    let p = load_hostile(&rt, "hostile");

    state.set_setting("hostile", "base_url", &origin);
    let err = refusal(&p, &format!("{origin}/x")).await;
    assert!(err.contains("plain http://"), "{err}");
    assert!(err.contains("allow_local_http = true"), "{err}");
    assert!(rt.metrics().http_count("hostile", "127.0.0.1", "denied") >= 1);

    // Over https: an IP literal is checked before anything is sent, and a name is
    // checked on what it resolves to, at connect time.
    for (base, shown) in [
        (format!("https://127.0.0.1:{port}"), "https://127.0.0.1"),
        (
            format!("https://[::ffff:127.0.0.1]:{port}"),
            "https://[::ffff:7f00:1]",
        ),
        (format!("https://localhost:{port}"), "localhost (at "),
        (format!("https://0.0.0.0:{port}"), "unspecified address"),
    ] {
        state.set_setting("hostile", "base_url", &base);
        let err = refusal(&p, &format!("{base}/x")).await;
        assert!(err.contains(shown), "{base}: {err}");
        assert!(err.contains("this machine"), "{base}: {err}");
        assert!(err.contains("allow_local_http = true"), "{base}: {err}");
    }
    assert!(rt.metrics().http_count("hostile", "localhost", "denied") >= 1);

    // The same plugin and server with the setting on: reached.
    let (rt, state) = strict_runtime();
    state.set_setting("hostile", "base_url", &origin);
    let p = load_hostile(&rt, "hostile");
    let page = p
        .hr_fetch(Some("http"), Some(&format!("{origin}/x")))
        .await
        .unwrap();
    assert_eq!(page.employees[0].given_name, "status 200");
}

#[tokio::test]
async fn link_local_is_refused_even_when_local_http_is_allowed() {
    for (rt, state) in [strict_runtime(), production_runtime()] {
        let p = load_hostile(&rt, "hostile");
        for base in [
            "http://169.254.169.254",
            "https://169.254.169.254",
            "http://[fe80::1]",
            "https://[::ffff:169.254.169.254]",
        ] {
            state.set_setting("hostile", "base_url", base);
            let err = refusal(&p, &format!("{base}/latest/meta-data/")).await;
            if base.starts_with("https") || rt.config().allow_local_http {
                assert!(err.contains("link-local"), "{base}: {err}");
                assert!(err.contains("never"), "{base}: {err}");
            } else {
                assert!(err.contains("refused"), "{base}: {err}");
            }
        }
    }
}

#[tokio::test]
async fn urls_with_credentials_or_a_fragment_are_refused() {
    let origin = hello_server().await;
    let (rt, state) = strict_runtime();
    let p = load_hostile(&rt, "hostile");
    state.set_setting("hostile", "base_url", &origin);
    let with_user = origin.replace("http://", "http://user:pw@");
    let err = refusal(&p, &format!("{with_user}/x")).await;
    assert!(err.contains("user@"), "{err}");
    let err = refusal(&p, &format!("{origin}/x#frag")).await;
    assert!(err.contains("#fragment"), "{err}");

    // Such a setting does not put its host on the allowlist either.
    state.set_setting("hostile", "base_url", &with_user);
    let err = refusal(&p, &format!("{origin}/x")).await;
    assert!(err.contains("not among the allowed hosts"), "{err}");
}
