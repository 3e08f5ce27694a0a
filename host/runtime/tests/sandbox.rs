//! The sandbox holds against a plugin built to misbehave: after each attack the
//! plugin (and every other) still answers normally.

mod common;

use common::*;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tenure_runtime::{CallError, RuntimeConfig, types::EmploymentStatus};

async fn name_of(p: &tenure_runtime::Plugin, cmd: &str, arg: &str) -> Result<String, CallError> {
    let page = p.hr_fetch(Some(cmd), Some(arg)).await?;
    Ok(page.employees[0].given_name.clone())
}

async fn still_works(p: &tenure_runtime::Plugin) {
    let page = p
        .hr_fetch(None, None)
        .await
        .expect("a normal call succeeds");
    assert_eq!(page.employees[0].given_name, "ok");
    assert!(matches!(page.employees[0].status, EmploymentStatus::Active));
}

#[tokio::test]
async fn an_infinite_loop_is_interrupted_at_the_deadline() {
    let (rt, _) = strict_runtime();
    let p = load_hostile(&rt, "hostile");
    let started = Instant::now();
    let err = name_of(&p, "loop", "").await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, CallError::Deadline(2)), "got {err:?}");
    assert!(took < Duration::from_secs(4), "stopped after {took:?}");
    still_works(&p).await;
}

#[tokio::test]
async fn a_loop_is_stopped_when_its_cpu_budget_is_spent() {
    let (rt, _) = runtime_with(RuntimeConfig {
        call_deadline: Duration::from_secs(30),
        cpu_budget: Duration::from_secs(1),
        ..strict_config()
    });
    let p = load_hostile(&rt, "hostile");
    let started = Instant::now();
    let err = name_of(&p, "loop", "").await.unwrap_err();
    let took = started.elapsed();
    assert!(matches!(err, CallError::CpuBudget(1)), "got {err:?}");
    assert!(err.to_string().contains("CPU budget of 1 s"), "{err}");
    assert!(took < Duration::from_secs(10), "stopped after {took:?}");
    still_works(&p).await;
}

/// Guest code yields to the async runtime at every epoch tick: with both worker
/// threads' worth of plugins spinning, other calls and plain tasks still get answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn looping_calls_leave_the_async_runtime_responsive() {
    let (rt, _) = runtime_with(RuntimeConfig {
        call_deadline: Duration::from_secs(5),
        ..strict_config()
    });
    let looping = Arc::new(load_hostile(&rt, "looping"));
    let other = Arc::new(load_hostile(&rt, "other"));
    let loops: Vec<_> = (0..3)
        .map(|_| {
            let p = looping.clone();
            tokio::spawn(async move { name_of(&p, "loop", "").await })
        })
        .collect();
    // Let the loops take the workers. (This thread drives the test, not a worker: a
    // blocking sleep here takes nothing from the runtime.)
    std::thread::sleep(Duration::from_millis(300));

    let started = Instant::now();
    let plain = tokio::spawn(async { 42 });
    let same = {
        let p = looping.clone();
        tokio::spawn(async move { name_of(&p, "normal", "").await })
    };
    let another = {
        let p = other.clone();
        tokio::spawn(async move { name_of(&p, "normal", "").await })
    };
    assert_eq!(plain.await.unwrap(), 42);
    assert_eq!(another.await.unwrap().unwrap(), "ok");
    assert_eq!(same.await.unwrap().unwrap(), "ok");
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "other work waited {took:?} behind looping plugins"
    );
    assert!(
        loops.iter().all(|l| !l.is_finished()),
        "the loops are still running"
    );
    for l in loops {
        let err = l.await.unwrap().unwrap_err();
        assert!(matches!(err, CallError::Deadline(5)), "got {err:?}");
    }
}

#[tokio::test]
async fn a_memory_bomb_fails_at_the_cap() {
    let (rt, _) = strict_runtime();
    let p = load_hostile(&rt, "hostile");
    let err = name_of(&p, "bomb", "").await.unwrap_err();
    assert!(matches!(err, CallError::OutOfMemory(32)), "got {err:?}");
    assert!(err.to_string().contains("32 MiB"));
    still_works(&p).await;
}

#[tokio::test]
async fn a_panic_fails_the_call_with_its_message() {
    let (rt, _) = strict_runtime();
    let p = load_hostile(&rt, "hostile");
    let err = name_of(&p, "panic", "").await.unwrap_err();
    match &err {
        CallError::Trap(m) => assert!(m.contains("panics on purpose"), "{m}"),
        other => panic!("expected a trap, got {other:?}"),
    }
    still_works(&p).await;
}

#[tokio::test]
async fn outbound_http_reaches_only_allowed_hosts() {
    let (rt, state) = strict_runtime();
    let allowed = hello_server().await;
    let other = hello_server().await;
    state.set_setting("hostile", "base_url", &allowed);
    let p = load_hostile(&rt, "hostile");

    let ok = name_of(&p, "http", &format!("{allowed}/anything"))
        .await
        .unwrap();
    assert_eq!(ok, "status 200");

    let refused = name_of(&p, "http", &format!("{other}/anything"))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("not among the allowed hosts"),
        "got {refused}"
    );
    // Counted under one label whatever the host, so a plugin cannot grow the metrics.
    assert!(
        rt.metrics()
            .http_count("hostile", "(not allowed)", "denied")
            >= 1
    );
    // A URL that smuggles the allowed origin elsewhere is refused too.
    let smuggled = format!("{other}/?next={allowed}");
    assert!(name_of(&p, "http", &smuggled).await.is_err());
    still_works(&p).await;
}

#[tokio::test]
async fn a_plugin_reads_only_its_own_secrets_and_key_value() {
    let (rt, state) = strict_runtime();
    state.set_secret("victim", "token", "s3cret");
    state.set_secret("attacker", "other", "x");
    let victim = load_hostile(&rt, "victim");
    let attacker = load_hostile(&rt, "attacker");

    assert_eq!(
        name_of(&victim, "secret", "token").await.unwrap(),
        "present"
    );
    // Same key name, other plugin: its own (absent) secret, never the victim's.
    assert_eq!(
        name_of(&attacker, "secret", "token").await.unwrap(),
        "absent"
    );
    // A key the manifest does not declare as a secret is never handed out.
    assert_eq!(
        name_of(&attacker, "secret", "other").await.unwrap(),
        "absent"
    );

    name_of(&victim, "kv-write", "victim data").await.unwrap();
    assert_eq!(
        name_of(&victim, "kv-read", "").await.unwrap(),
        "victim data"
    );
    assert_eq!(name_of(&attacker, "kv-read", "").await.unwrap(), "absent");
    still_works(&attacker).await;
}

#[tokio::test]
async fn one_plugin_failing_leaves_others_running() {
    let (rt, _) = strict_runtime();
    let bad = load_hostile(&rt, "bad");
    let good = load_hostile(&rt, "good");
    let (looped, normal) = tokio::join!(name_of(&bad, "loop", ""), good.hr_fetch(None, None));
    assert!(matches!(looped, Err(CallError::Deadline(_))), "{looped:?}");
    assert_eq!(normal.unwrap().employees.len(), 1);
}

#[tokio::test]
async fn calling_the_wrong_world_is_a_clear_error() {
    let (rt, _) = strict_runtime();
    let p = load_hostile(&rt, "hostile");
    let err = p.app_test_connection().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("is a hr-source plugin, not a app-connector plugin"),
        "{err}"
    );
}

#[tokio::test]
async fn the_host_header_cannot_be_forged() {
    let (rt, state) = strict_runtime();
    let app = axum::Router::new().fallback(|headers: axum::http::HeaderMap| async move {
        headers
            .get("host")
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .to_string()
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    state.set_setting("hostile", "base_url", &format!("http://{addr}"));
    let p = load_hostile(&rt, "hostile");
    let seen = name_of(&p, "http-host", &format!("http://{addr}/"))
        .await
        .unwrap();
    assert_eq!(seen, addr.to_string(), "the server saw the real host");
}

#[tokio::test]
async fn raw_sockets_stay_closed() {
    let (rt, _) = strict_runtime();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let p = load_hostile(&rt, "hostile");
    assert_eq!(name_of(&p, "socket", &addr).await.unwrap(), "refused");
    still_works(&p).await;
}
