//! HTTPS served by the appliance itself (`[server.tls]`): the certificate comes from PEM
//! files or is made on first start (self-signed, kept in `<data dir>/tls/`); SIGHUP
//! reads it again from disk; every response carries HSTS; and an optional plain-http
//! listener sends people to the https address.

mod redirect;
mod self_signed;

pub use redirect::{location, spawn_redirect};

use crate::config::Config;
use anyhow::{Context, bail};
use axum::http::HeaderValue;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use serde::Deserialize;
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// `[server.tls]`. Off unless `cert_file` and `key_file`, or `self_signed`, are set.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TlsConfig {
    /// PEM file: the server's certificate, then any intermediate certificates.
    pub cert_file: Option<PathBuf>,
    /// PEM file: the certificate's private key (PKCS#8, RSA or EC).
    pub key_file: Option<PathBuf>,
    /// Makes a certificate on first start and keeps it in `<data dir>/tls/` (cert.pem,
    /// key.pem). Browsers warn about it: compare the SHA-256 fingerprint printed at start.
    pub self_signed: bool,
    /// A plain-http address (e.g. `0.0.0.0:80`) that answers every request with a
    /// permanent redirect to the same path on the https public URL.
    pub redirect_http_from: Option<String>,
    /// Adds `includeSubDomains` to the `Strict-Transport-Security` header.
    pub hsts_include_subdomains: bool,
}

/// How much a certificate or key file may hold; real ones are a few KiB.
const MAX_PEM_BYTES: u64 = 1 << 20;

impl TlsConfig {
    /// Whether the appliance serves HTTPS.
    pub fn enabled(&self) -> bool {
        self.self_signed || self.cert_file.is_some() || self.key_file.is_some()
    }

    pub fn check(&self) -> anyhow::Result<()> {
        match (&self.cert_file, &self.key_file) {
            (Some(_), None) => bail!("server.tls.cert_file is set without server.tls.key_file"),
            (None, Some(_)) => bail!("server.tls.key_file is set without server.tls.cert_file"),
            (Some(_), Some(_)) if self.self_signed => bail!(
                "server.tls: set either cert_file and key_file, or self_signed = true, not both"
            ),
            _ => {}
        }
        if let Some(from) = &self.redirect_http_from {
            if !self.enabled() {
                bail!(
                    "server.tls.redirect_http_from needs TLS on (cert_file and key_file, or self_signed)"
                );
            }
            if from.trim().is_empty() {
                bail!("server.tls.redirect_http_from is empty: give an address such as 0.0.0.0:80");
            }
        }
        Ok(())
    }

    /// `TENURE_TLS_CERT` and `TENURE_TLS_KEY` (PEM files), or `TENURE_TLS_SELF_SIGNED`
    /// (`true`/`false`), replace what the file says.
    pub fn apply_env(&mut self) -> anyhow::Result<()> {
        self.apply_overrides(|name| std::env::var(name).ok())
    }

    fn apply_overrides(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        let var = |name: &str| var(name).filter(|v| !v.trim().is_empty());
        let cert = var("TENURE_TLS_CERT");
        let key = var("TENURE_TLS_KEY");
        if cert.is_some() || key.is_some() {
            self.cert_file = cert.map(PathBuf::from);
            self.key_file = key.map(PathBuf::from);
            self.self_signed = false;
        }
        if let Some(flag) = var("TENURE_TLS_SELF_SIGNED") {
            self.self_signed = match flag.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => true,
                "0" | "false" | "no" | "off" => false,
                other => bail!("TENURE_TLS_SELF_SIGNED must be true or false, not `{other}`"),
            };
            if self.self_signed && (self.cert_file.is_some() || self.key_file.is_some()) {
                if cert_or_key_from_env(&var) {
                    bail!("set TENURE_TLS_SELF_SIGNED or TENURE_TLS_CERT/TENURE_TLS_KEY, not both");
                }
                // The environment's choice wins over the file's certificate.
                self.cert_file = None;
                self.key_file = None;
            }
        }
        self.check()
    }
}

fn cert_or_key_from_env(var: &impl Fn(&str) -> Option<String>) -> bool {
    var("TENURE_TLS_CERT").is_some() || var("TENURE_TLS_KEY").is_some()
}

/// The running HTTPS side: the certificate in use (replaced by [`Tls::reload`]) and
/// the HSTS header every response gets.
pub struct Tls {
    cert_file: PathBuf,
    key_file: PathBuf,
    current: RwLock<Arc<rustls::ServerConfig>>,
    hsts: HeaderValue,
}

impl Tls {
    /// Loads the certificate (making the self-signed one first if asked for and
    /// absent) and prints its fingerprint. `None` when TLS is off.
    pub fn start(config: &Config) -> anyhow::Result<Option<Arc<Tls>>> {
        let tls = &config.server.tls;
        if !tls.enabled() {
            return Ok(None);
        }
        tls.check()?;
        let public_url = config.public_url();
        if !public_url.starts_with("https://") {
            bail!(
                "server.public_url is `{public_url}` but [server.tls] serves https: \
                 make it an https:// address"
            );
        }
        let (cert_file, key_file) = if tls.self_signed {
            let dir = config.server.data_dir.join(self_signed::DIR);
            let names = self_signed::names(config);
            if let Some(why) = self_signed::ensure(&dir, &names)? {
                tracing::warn!(
                    dir = %dir.display(),
                    "made a new self-signed TLS certificate ({why}) for {}",
                    names.join(", ")
                );
            }
            self_signed::paths(&dir)
        } else {
            match (&tls.cert_file, &tls.key_file) {
                (Some(c), Some(k)) => (c.clone(), k.clone()),
                _ => bail!("server.tls needs both cert_file and key_file"),
            }
        };
        let (server_config, fingerprint) = load(&cert_file, &key_file)?;
        let hsts = if tls.hsts_include_subdomains {
            "max-age=31536000; includeSubDomains"
        } else {
            "max-age=31536000"
        };
        tracing::info!(
            cert = %cert_file.display(),
            %fingerprint,
            "TLS certificate loaded; its SHA-256 fingerprint is {fingerprint}"
        );
        eprintln!(
            "\n  HTTPS certificate {}\n  SHA-256 fingerprint: {fingerprint}\n  (compare it with what the browser shows for this site)\n",
            cert_file.display()
        );
        Ok(Some(Arc::new(Tls {
            cert_file,
            key_file,
            current: RwLock::new(Arc::new(server_config)),
            hsts: HeaderValue::from_static(hsts),
        })))
    }

    /// The acceptor for the next connection, with the certificate in use now.
    pub fn acceptor(&self) -> tokio_rustls::TlsAcceptor {
        let config = match self.current.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        tokio_rustls::TlsAcceptor::from(config)
    }

    /// `Strict-Transport-Security`, for every response.
    pub fn hsts(&self) -> HeaderValue {
        self.hsts.clone()
    }

    /// Reads the certificate and key again; on any error the one in use stays.
    /// Returns the new certificate's fingerprint.
    pub fn reload(&self) -> anyhow::Result<String> {
        let (server_config, fingerprint) = load(&self.cert_file, &self.key_file)?;
        let mut current = match self.current.write() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        *current = Arc::new(server_config);
        Ok(fingerprint)
    }
}

/// Answers every SIGHUP (`systemctl reload`) for as long as the task runs: reloads the
/// certificate when serving TLS, otherwise says there is nothing to reload (rather than
/// letting the signal end the process).
pub fn reload_on_sighup(tls: Option<Arc<Tls>>) -> anyhow::Result<tokio::task::JoinHandle<()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hangups = signal(SignalKind::hangup()).context("cannot listen for SIGHUP")?;
    Ok(tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            let Some(tls) = tls.clone() else {
                tracing::info!("SIGHUP: nothing to reload ([server.tls] is off)");
                continue;
            };
            let t = tls.clone();
            match tokio::task::spawn_blocking(move || t.reload()).await {
                Ok(Ok(fingerprint)) => tracing::info!(
                    cert = %tls.cert_file.display(),
                    %fingerprint,
                    "SIGHUP: TLS certificate reloaded; its SHA-256 fingerprint is {fingerprint}"
                ),
                Ok(Err(e)) => tracing::error!(
                    cert = %tls.cert_file.display(),
                    key = %tls.key_file.display(),
                    "SIGHUP: the TLS certificate was NOT reloaded, the previous one stays in use: {e:#}"
                ),
                Err(e) => tracing::error!("SIGHUP: the TLS reload stopped: {e}"),
            }
        }
    }))
}

/// A rustls server configuration (ALPN http/1.1) from PEM files, and the SHA-256
/// fingerprint of the server's certificate.
pub fn load(cert_file: &Path, key_file: &Path) -> anyhow::Result<(rustls::ServerConfig, String)> {
    let cert_pem = read_pem(cert_file, "certificate")?;
    let key_pem = read_pem(key_file, "private key")?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            anyhow::anyhow!(
                "the certificate file {} is not valid PEM: {e:?}",
                cert_file.display()
            )
        })?;
    let Some(leaf) = chain.first() else {
        bail!(
            "the certificate file {} holds no `BEGIN CERTIFICATE` block",
            cert_file.display()
        );
    };
    let fingerprint = fingerprint(leaf);
    let key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        anyhow::anyhow!(
            "the key file {} holds no PKCS#8, RSA or EC private key ({e:?})",
            key_file.display()
        )
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .with_context(|| {
            format!(
                "the certificate {} and key {} cannot be used together",
                cert_file.display(),
                key_file.display()
            )
        })?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((config, fingerprint))
}

fn read_pem(path: &Path, what: &str) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let file = std::fs::File::open(path)
        .with_context(|| format!("cannot open the TLS {what} file {}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_PEM_BYTES + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read the TLS {what} file {}", path.display()))?;
    if bytes.len() as u64 > MAX_PEM_BYTES {
        bail!(
            "the TLS {what} file {} is larger than 1 MiB: is it the right file?",
            path.display()
        );
    }
    Ok(bytes)
}

/// SHA-256 of a certificate as browsers show it: upper-case hex pairs joined by `:`.
pub fn fingerprint(der: &[u8]) -> String {
    let digest = sha2::Sha256::digest(der);
    let mut out = String::with_capacity(digest.len() * 3);
    for (i, b) in digest.iter().enumerate() {
        if i > 0 {
            out.push(':');
        }
        out.push_str(&format!("{b:02X}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(text: &str) -> anyhow::Result<Config> {
        let c: Config = toml::from_str(text)?;
        c.server.tls.check()?;
        Ok(c)
    }

    #[test]
    fn off_by_default_and_on_with_files_or_self_signed() {
        assert!(!Config::default().server.tls.enabled());
        let files = parse(
            "[server.tls]\ncert_file = \"/etc/tenure/cert.pem\"\nkey_file = \"/etc/tenure/key.pem\"\n",
        )
        .unwrap();
        assert!(files.server.tls.enabled());
        assert!(!files.server.tls.self_signed);
        let own = parse("[server.tls]\nself_signed = true\nredirect_http_from = \"0.0.0.0:80\"\n")
            .unwrap();
        assert!(own.server.tls.enabled());
        assert_eq!(
            own.server.tls.redirect_http_from.as_deref(),
            Some("0.0.0.0:80")
        );
    }

    #[test]
    fn half_or_contradictory_settings_are_refused_with_the_reason() {
        let half = parse("[server.tls]\ncert_file = \"c.pem\"\n").unwrap_err();
        assert!(format!("{half:#}").contains("without server.tls.key_file"));
        let both = parse(
            "[server.tls]\ncert_file = \"c.pem\"\nkey_file = \"k.pem\"\nself_signed = true\n",
        )
        .unwrap_err();
        assert!(format!("{both:#}").contains("not both"));
        let redirect_alone = parse("[server.tls]\nredirect_http_from = \"0.0.0.0:80\"\n");
        assert!(redirect_alone.is_err(), "a redirect to https needs https");
        assert!(toml::from_str::<Config>("[server.tls]\nself_sign = true\n").is_err());
    }

    #[test]
    fn the_environment_replaces_the_files_choice() {
        let env = |pairs: &[(&str, &str)]| {
            let map: HashMap<String, String> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            move |name: &str| map.get(name).cloned()
        };
        let mut t = TlsConfig {
            self_signed: true,
            ..TlsConfig::default()
        };
        t.apply_overrides(env(&[
            ("TENURE_TLS_CERT", "/c.pem"),
            ("TENURE_TLS_KEY", "/k.pem"),
        ]))
        .unwrap();
        assert!(!t.self_signed);
        assert_eq!(t.cert_file.as_deref(), Some(Path::new("/c.pem")));

        let mut t = TlsConfig {
            cert_file: Some("/c.pem".into()),
            key_file: Some("/k.pem".into()),
            ..TlsConfig::default()
        };
        t.apply_overrides(env(&[("TENURE_TLS_SELF_SIGNED", "true")]))
            .unwrap();
        assert!(t.self_signed && t.cert_file.is_none() && t.key_file.is_none());

        let mut t = TlsConfig::default();
        let bad = t.apply_overrides(env(&[("TENURE_TLS_SELF_SIGNED", "maybe")]));
        assert!(format!("{:#}", bad.unwrap_err()).contains("true or false"));
        let mut t = TlsConfig::default();
        assert!(
            t.apply_overrides(env(&[
                ("TENURE_TLS_SELF_SIGNED", "1"),
                ("TENURE_TLS_CERT", "/c")
            ]))
            .is_err()
        );
        let mut t = TlsConfig::default();
        t.apply_overrides(env(&[])).unwrap();
        assert!(!t.enabled(), "nothing set, nothing changed");
    }

    #[test]
    fn the_public_url_defaults_to_https_when_tls_is_on() {
        let c = parse("[server]\nlisten = \"10.0.0.5:8443\"\n[server.tls]\nself_signed = true\n")
            .unwrap();
        assert_eq!(c.public_url(), "https://10.0.0.5:8443");
        let plain = parse("[server]\nlisten = \"10.0.0.5:8080\"\n").unwrap();
        assert_eq!(plain.public_url(), "http://10.0.0.5:8080");
    }

    #[test]
    fn fingerprints_look_like_a_browsers() {
        let f = fingerprint(b"abc");
        assert_eq!(f.len(), 32 * 3 - 1);
        assert!(f.starts_with("BA:78:16:BF:"), "{f}");
    }

    #[test]
    fn bad_files_are_named_in_the_error() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("cert.pem");
        let key = dir.path().join("key.pem");
        std::fs::write(&cert, "not a certificate").unwrap();
        std::fs::write(&key, "not a key").unwrap();
        let e = format!("{:#}", load(&cert, &key).unwrap_err());
        assert!(
            e.contains("cert.pem") && e.contains("BEGIN CERTIFICATE"),
            "{e}"
        );
        let missing = format!(
            "{:#}",
            load(&dir.path().join("nope.pem"), &key).unwrap_err()
        );
        assert!(
            missing.contains("cannot open the TLS certificate file"),
            "{missing}"
        );
        // A valid pair, then a key of another certificate.
        let (c1, k1) = self_signed::generate(&["localhost".into()]).unwrap();
        let (_, k2) = self_signed::generate(&["localhost".into()]).unwrap();
        std::fs::write(&cert, c1).unwrap();
        std::fs::write(&key, k1).unwrap();
        load(&cert, &key).unwrap();
        std::fs::write(&key, k2).unwrap();
        let e = format!("{:#}", load(&cert, &key).unwrap_err());
        assert!(e.contains("cannot be used together"), "{e}");
    }
}
