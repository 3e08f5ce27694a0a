//! The real `tenure` binary serving HTTPS itself: a self-signed certificate made on
//! first start (its fingerprint printed), pinned by a client; HSTS and Secure cookies;
//! no plain http on the TLS port; SIGHUP picks up a new certificate (and keeps the old
//! one when the new files are bad); the http listener redirects to the https address.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

mod common;

use common::{BIN, free_port};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use sha2::Digest;

/// `tenure serve` with its stderr kept; killed when dropped.
struct Tenure {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
}

impl Tenure {
    fn start(data: &Path, config: &Path, port: u16) -> Tenure {
        let mut child = Command::new(BIN)
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .arg("--data-dir")
            .arg(data)
            .arg("--config")
            .arg(config)
            .env("TENURE_LOG_FORMAT", "json")
            .env_remove("TENURE_SECRET_KEY")
            .env_remove("TENURE_PUBLIC_URL")
            .env_remove("TENURE_TLS_CERT")
            .env_remove("TENURE_TLS_KEY")
            .env_remove("TENURE_TLS_SELF_SIGNED")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tenure serve starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let kept = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[tenure] {line}");
                kept.lock().unwrap().push(line);
            }
        });
        let mut tenure = Tenure { child, log };
        let listening =
            tenure.wait_for(|| std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
        assert!(listening, "tenure serve never listened");
        tenure
    }

    /// Polls `done` up to 1,200 times, 50 ms apart; false when it never held.
    fn wait_for(&mut self, mut done: impl FnMut() -> bool) -> bool {
        for _ in 0..1200 {
            if done() {
                return true;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("tenure serve exited: {status}\n{}", self.log_text());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    fn log_text(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    fn wait_for_log(&mut self, text: &str) {
        let log = self.log.clone();
        let found = self.wait_for(|| log.lock().unwrap().iter().any(|l| l.contains(text)));
        assert!(found, "tenure never printed `{text}`:\n{}", self.log_text());
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([&format!("-{name}"), &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tenure {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn leaf_der(pem: &[u8]) -> Vec<u8> {
    CertificateDer::pem_slice_iter(pem)
        .next()
        .expect("a certificate")
        .expect("valid PEM")
        .to_vec()
}

fn browser_fingerprint(der: &[u8]) -> String {
    sha2::Sha256::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// A client that trusts exactly the certificate in `pem` and nothing else.
fn pinned(pem: &[u8], addr: SocketAddr) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(pem).unwrap()])
        .resolve("tenure.test", addr)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .tls_info(true)
        .build()
        .unwrap()
}

/// The certificate the server showed on this response.
fn peer_cert(res: &reqwest::Response) -> Vec<u8> {
    res.extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|i| i.peer_certificate())
        .expect("TLS info")
        .to_vec()
}

#[tokio::test(flavor = "multi_thread")]
async fn serves_https_with_a_self_signed_certificate_it_reloads_on_sighup() {
    tenure_runtime::install_crypto_provider();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("tenure.toml");
    let port = free_port();
    let redirect_port = free_port();
    std::fs::write(
        &config,
        format!(
            "[server]\npublic_url = \"https://tenure.test:{port}\"\n\n\
             [server.tls]\nself_signed = true\nredirect_http_from = \"127.0.0.1:{redirect_port}\"\n"
        ),
    )
    .unwrap();
    let mut tenure = Tenure::start(&data, &config, port);
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let base = format!("https://tenure.test:{port}");

    // The certificate it made, with a private key only the service user reads, and
    // its fingerprint printed as a browser shows it.
    let cert_pem = std::fs::read(data.join("tls/cert.pem")).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("tls/key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "key.pem is private");
    }
    let first = leaf_der(&cert_pem);
    tenure.wait_for_log(&browser_fingerprint(&first));
    tenure.wait_for_log(&format!("serving on https://127.0.0.1:{port}"));

    // Pinned to that certificate: the public host and 127.0.0.1 both answer, with HSTS.
    let client = pinned(&cert_pem, addr);
    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(
        health.headers()["strict-transport-security"],
        "max-age=31536000"
    );
    assert_eq!(peer_cert(&health), first);
    let by_ip = client
        .get(format!("https://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(by_ip.status(), 200, "the certificate names 127.0.0.1");

    // Without the pin the certificate is refused; plain http on the TLS port fails.
    let unpinned = reqwest::Client::builder()
        .resolve("tenure.test", addr)
        .build()
        .unwrap();
    let refused = unpinned
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap_err();
    assert!(
        format!("{refused:?}")
            .to_lowercase()
            .contains("certificate"),
        "{refused:?}"
    );
    let plain = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .await;
    assert!(plain.is_err(), "plain http answered on the TLS port");

    // Signing in (the first admin) over https: the session cookie is Secure.
    const MARK: &str = "with the setup code: ";
    tenure.wait_for_log(MARK);
    let log = tenure.log_text();
    let at = log.find(MARK).unwrap() + MARK.len();
    let code: String = log[at..].trim().chars().take(23).collect();
    let created = client
        .post(format!("{base}/setup"))
        .header("content-type", "application/x-www-form-urlencoded")
        // As a browser on the https page sends it: the Origin check passes.
        .header("origin", base.as_str())
        .body(format!(
            "code={code}&user=ada&name=Ada&email=ada%40acme.test&password=correct+horse+battery"
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303, "{}", tenure.log_text());
    let session = created
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("tenure_session="))
        .expect("a session cookie")
        .to_string();
    assert!(
        session.split(';').any(|a| a.trim() == "Secure"),
        "{session}"
    );
    assert!(created.headers().contains_key("strict-transport-security"));

    // SIGHUP with bad files keeps the certificate in use and says so.
    let cert_file = data.join("tls/cert.pem");
    let key_file = data.join("tls/key.pem");
    std::fs::write(&cert_file, "not a certificate").unwrap();
    tenure.signal("HUP");
    tenure.wait_for_log("NOT reloaded");
    let still = pinned(&cert_pem, addr)
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(peer_cert(&still), first);

    // SIGHUP with a new pair: new connections get the new certificate.
    let key = rcgen::KeyPair::generate().unwrap();
    let params =
        rcgen::CertificateParams::new(vec!["tenure.test".to_string(), "127.0.0.1".into()]).unwrap();
    let new_cert = params.self_signed(&key).unwrap();
    std::fs::write(&key_file, key.serialize_pem()).unwrap();
    std::fs::write(&cert_file, new_cert.pem()).unwrap();
    tenure.signal("HUP");
    let new_pem = new_cert.pem().into_bytes();
    let mut seen = None;
    for _ in 0..100 {
        if let Ok(res) = pinned(&new_pem, addr)
            .get(format!("{base}/healthz"))
            .send()
            .await
        {
            seen = Some((res.status(), peer_cert(&res)));
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (status, cert) = seen.expect("the new certificate was never served");
    assert_eq!(status, 200);
    assert_eq!(cert, new_cert.der().to_vec());
    tenure.wait_for_log(&browser_fingerprint(new_cert.der()));
    assert!(
        pinned(&cert_pem, addr)
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_err(),
        "the old certificate is no longer served"
    );

    // The http listener sends people to the https public URL, whatever Host they sent.
    let redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!(
            "http://127.0.0.1:{redirect_port}/tasks?page=2&q=a%20b"
        ))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), 308);
    assert_eq!(
        redirect.headers()["location"],
        format!("https://tenure.test:{port}/tasks?page=2&q=a%20b").as_str()
    );

    tenure.signal("TERM");
    let mut stopped = false;
    for _ in 0..400 {
        if let Ok(Some(status)) = tenure.child.try_wait() {
            assert!(status.success(), "graceful shutdown exits 0");
            stopped = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(stopped, "tenure did not stop on SIGTERM");
}

#[tokio::test(flavor = "multi_thread")]
async fn reuses_its_certificate_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("tenure.toml");
    std::fs::write(&config, "[server.tls]\nself_signed = true\n").unwrap();
    let first = {
        let _tenure = Tenure::start(&data, &config, free_port());
        std::fs::read(data.join("tls/cert.pem")).unwrap()
    };
    let mut again = Tenure::start(&data, &config, free_port());
    assert_eq!(std::fs::read(data.join("tls/cert.pem")).unwrap(), first);
    again.wait_for_log(&browser_fingerprint(&leaf_der(&first)));
}

#[tokio::test(flavor = "multi_thread")]
async fn sighup_without_tls_leaves_the_server_running() {
    tenure_runtime::install_crypto_provider();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("tenure.toml");
    std::fs::write(&config, "").unwrap();
    let port = free_port();
    let mut tenure = Tenure::start(&dir.path().join("data"), &config, port);
    tenure.wait_for_log(&format!("serving on http://127.0.0.1:{port}"));
    tenure.signal("HUP");
    tenure.wait_for_log("nothing to reload");
    let health = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert!(!health.headers().contains_key("strict-transport-security"));
}
