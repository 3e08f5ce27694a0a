//! Outbound HTTPS goes through rustls with certificate verification: a server with a
//! certificate from an unknown CA is refused until that CA is configured.

mod common;

use common::*;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;
use tenure_runtime::RuntimeConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A CA and a `localhost` certificate it signed, made with the openssl CLI.
fn make_certs(dir: &std::path::Path) -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let run = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Tenure Test CA",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "srv.key",
        "-out",
        "srv.csr",
        "-subj",
        "/CN=localhost",
    ]);
    std::fs::write(dir.join("ext.cnf"), "subjectAltName=DNS:localhost\n").unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "srv.pem",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
    ]);
    let read = |f: &str| std::fs::read(dir.join(f)).unwrap();
    (read("ca.pem"), read("srv.pem"), read("srv.key"))
}

/// An HTTPS server answering every request with `200 secure`.
async fn https_server(cert_pem: &[u8], key_pem: &[u8]) -> u16 {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    tenure_runtime::install_crypto_provider();
    let certs: Vec<CertificateDer> = CertificateDer::pem_slice_iter(cert_pem)
        .collect::<Result<_, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(key_pem).unwrap();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let (tcp, _) = listener.accept().await.unwrap();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                let mut buf = [0u8; 4096];
                let _ = tls.read(&mut buf).await;
                let _ = tls
                    .write_all(
                        b"HTTP/1.1 200 OK\r\ncontent-length: 6\r\nconnection: close\r\n\r\nsecure",
                    )
                    .await;
                let _ = tls.shutdown().await;
            });
        }
    });
    port
}

#[tokio::test]
async fn https_is_verified_against_trusted_roots() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = make_certs(dir.path());
    let port = https_server(&cert, &key).await;
    let origin = format!("https://localhost:{port}");
    let strict = RuntimeConfig {
        call_deadline: Duration::from_secs(5),
        // The test server is on this machine.
        allow_local_http: true,
        ..RuntimeConfig::default()
    };

    // Unknown CA: the TLS handshake fails, and the plugin is told why.
    let (rt, state) = runtime_with(strict.clone());
    state.set_setting("hostile", "base_url", &origin);
    let p = load_hostile(&rt, "hostile");
    let err = p
        .hr_fetch(Some("http"), Some(&format!("{origin}/")))
        .await
        .unwrap_err();
    let msg = err.to_string().to_lowercase();
    assert!(
        msg.contains("certificate") || msg.contains("unknownissuer"),
        "{msg}"
    );

    // With the CA configured, the same request succeeds over TLS.
    let (rt, state) = runtime_with(RuntimeConfig {
        extra_root_certs_pem: vec![ca],
        ..strict
    });
    state.set_setting("hostile", "base_url", &origin);
    let p = load_hostile(&rt, "hostile");
    let page = p
        .hr_fetch(Some("http"), Some(&format!("{origin}/")))
        .await
        .unwrap();
    assert_eq!(page.employees[0].given_name, "status 200");
}
