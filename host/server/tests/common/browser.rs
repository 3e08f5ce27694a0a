//! A real headless Chromium for the UI tests: Debian's `chromium` driven through
//! `chromedriver` (WebDriver) with fantoccini, and a [`Page`] that acts as a person
//! would (fill, click, press a button by its text) and waits for what it expects.

use super::free_port;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `chromedriver` on a free port; killed when dropped.
pub struct Driver {
    child: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn binary(env: &str, default: &str) -> PathBuf {
    let path = std::env::var_os(env).map_or_else(|| PathBuf::from(default), PathBuf::from);
    assert!(
        path.exists(),
        "{} is missing: install Debian's chromium and chromium-driver (`cargo xtask test` does), or set {env}",
        path.display()
    );
    path
}

pub async fn browser() -> (Driver, Client) {
    let chromedriver = binary("TENURE_CHROMEDRIVER", "/usr/bin/chromedriver");
    let chromium = binary("TENURE_CHROMIUM", "/usr/bin/chromium");
    let port = free_port();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver never listened"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let profile = tempfile::tempdir().unwrap();
    let caps = json!({
        "goog:chromeOptions": {
            "binary": chromium,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1100,860", "--hide-scrollbars",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }
    });
    let url = format!("http://127.0.0.1:{port}");
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&url)
        .await
        .expect("a Chromium session");
    (
        Driver {
            child,
            _profile: profile,
        },
        client,
    )
}

/// The page as a person sees it, and helpers to act on it.
pub struct Page {
    pub client: Client,
    pub base: String,
    /// Where screenshots go, when they are kept.
    pub shots: Option<PathBuf>,
}

impl Page {
    pub async fn go(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap();
    }

    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// The body's text; retried while a navigation replaces the page.
    pub async fn text(&self) -> String {
        for _ in 0..50 {
            if let Ok(body) = self.client.find(Locator::Css("body")).await
                && let Ok(text) = body.text().await
            {
                return text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the page never settled")
    }

    /// Waits (up to 5 s) for the browser to arrive at a path starting with `prefix`.
    pub async fn arrives(&self, prefix: &str) {
        let started = Instant::now();
        loop {
            let here = self.path().await;
            if here.starts_with(prefix) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "at {here}, not {prefix}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let e = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        e.clear().await.unwrap();
        e.send_keys(value).await.unwrap();
    }

    pub async fn click(&self, css: &str) {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Clicks the link or button with exactly this text.
    pub async fn press(&self, text: &str) {
        let xpath =
            format!("//a[normalize-space()='{text}'] | //button[normalize-space()='{text}']");
        self.client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no link or button `{text}`: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// Waits (up to 10 s) until the islands' bundle has hydrated the page.
    pub async fn hydrated(&self) {
        let started = Instant::now();
        loop {
            let v = self
                .client
                .execute(
                    "return document.documentElement.dataset.hydrated || ''",
                    vec![],
                )
                .await
                .unwrap();
            if v == "true" {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the page never hydrated"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn visible(&self, css: &str) -> bool {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .is_displayed()
            .await
            .unwrap()
    }

    pub async fn checked(&self, css: &str) -> bool {
        self.client
            .find(Locator::Css(css))
            .await
            .unwrap()
            .prop("checked")
            .await
            .unwrap()
            .as_deref()
            == Some("true")
    }

    /// Waits (up to 5 s, the page may still be loading) until the page shows every text.
    pub async fn shows(&self, wanted: &[&str]) {
        let started = Instant::now();
        loop {
            let text = self.text().await;
            let missing: Vec<&&str> = wanted.iter().filter(|w| !text.contains(**w)).collect();
            if missing.is_empty() {
                return;
            }
            if started.elapsed() > Duration::from_secs(5) {
                panic!("{missing:?} not on {}:\n{text}", self.path().await);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn shot(&self, name: &str) {
        self.client
            .execute(
                "window.scrollTo(0, 0); document.activeElement.blur()",
                vec![],
            )
            .await
            .unwrap();
        let png = self.client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        if let Some(dir) = &self.shots {
            std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        }
    }
}
