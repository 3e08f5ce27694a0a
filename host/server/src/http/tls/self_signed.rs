//! The self-signed certificate of `[server.tls] self_signed`: made on first start in
//! `<data dir>/tls/` (cert.pem, key.pem with mode 0600), reused on later starts, and
//! made again when it nears its end or no longer names the public host.
//!
//! cert.pem starts with a few lines of text before the PEM block (ignored by PEM
//! readers) saying what the certificate covers and until when; a certificate put
//! there by hand, without them, is used as it is and never replaced.

use crate::config::Config;
use anyhow::Context;
use rcgen::{
    CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, KeyPair, SanType,
};
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

/// The folder in the data directory.
pub const DIR: &str = "tls";

/// Validity: 825 days is the longest that Apple platforms accept for a TLS server
/// certificate, even one a person trusted by hand.
const VALID_DAYS: i64 = 825;
/// Made again at a start this close to its end.
const RENEW_DAYS: i64 = 30;

const NAMES_LINE: &str = "Names: ";
const NOT_AFTER_LINE: &str = "Not after: ";

/// cert.pem and key.pem in `dir`.
pub fn paths(dir: &Path) -> (PathBuf, PathBuf) {
    (dir.join("cert.pem"), dir.join("key.pem"))
}

/// What the certificate must cover: the public URL's host, `localhost`, the loopback
/// addresses and the listen address (unless it is every address, 0.0.0.0 or ::).
pub fn names(config: &Config) -> Vec<String> {
    let mut names = Vec::new();
    let public = config.server.public_url.trim();
    if let Ok(url) = url::Url::parse(public)
        && let Some(host) = url.host_str()
    {
        names.push(
            host.trim_start_matches('[')
                .trim_end_matches(']')
                .to_string(),
        );
    }
    names.extend(["localhost".to_string(), "127.0.0.1".into(), "::1".into()]);
    let listen = config.server.listen.trim();
    let host = match listen.parse::<std::net::SocketAddr>() {
        Ok(addr) => Some(addr.ip().to_string()).filter(|_| !addr.ip().is_unspecified()),
        Err(_) => listen
            .rsplit_once(':')
            .map(|(h, _)| h.trim_start_matches('[').trim_end_matches(']').to_string())
            .filter(|h| !h.is_empty()),
    };
    names.extend(host);
    let mut seen = std::collections::HashSet::new();
    names.retain(|n| seen.insert(n.to_ascii_lowercase()));
    names
}

/// Makes the pair when it is absent, was made by Tenure and ends within 30 days, or
/// was made by Tenure for other names. Returns why it made one, if it did.
pub fn ensure(dir: &Path, names: &[String]) -> anyhow::Result<Option<&'static str>> {
    let (cert_file, key_file) = paths(dir);
    let why = match std::fs::read_to_string(&cert_file) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => "first start",
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read {}", cert_file.display()));
        }
        Ok(_) if !key_file.exists() => "its key.pem was missing",
        Ok(text) => match renewal_reason(&text, names, OffsetDateTime::now_utc()) {
            Some(why) => why,
            None => return Ok(None),
        },
    };
    let (cert_pem, key_pem) = generate(names)?;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the TLS folder {}", dir.display()))?;
    restrict(dir, 0o700);
    // Key first: a crash between the two leaves a certificate whose key does not
    // match, which the next start refuses loudly rather than serving something odd.
    write_new(&key_file, key_pem.as_bytes(), 0o600)?;
    write_new(&cert_file, cert_pem.as_bytes(), 0o644)?;
    Ok(Some(why))
}

/// Why a certificate made by Tenure should be made again, if it should.
fn renewal_reason(cert_text: &str, names: &[String], now: OffsetDateTime) -> Option<&'static str> {
    let line = |prefix: &str| {
        cert_text
            .lines()
            .take_while(|l| !l.starts_with("-----BEGIN"))
            .find_map(|l| l.strip_prefix(prefix))
            .map(str::trim)
    };
    // Not made by Tenure (no header): the administrator's own; leave it be.
    let (covered, not_after) = (line(NAMES_LINE)?, line(NOT_AFTER_LINE)?);
    let Ok(not_after) = OffsetDateTime::parse(not_after, &Rfc3339) else {
        return Some("its end date was unreadable");
    };
    if not_after - now < Duration::days(RENEW_DAYS) {
        return Some("the previous one was about to end");
    }
    let covered: Vec<String> = covered
        .split(',')
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    if names
        .iter()
        .any(|n| !covered.contains(&n.to_ascii_lowercase()))
    {
        return Some("the previous one did not name every address, e.g. a new public_url");
    }
    None
}

/// A new ECDSA P-256 key and a certificate for `names`: (cert.pem text, key.pem text).
pub fn generate(names: &[String]) -> anyhow::Result<(String, String)> {
    let mut params = CertificateParams::default();
    for name in names {
        params.subject_alt_names.push(match name.parse::<IpAddr>() {
            Ok(ip) => SanType::IpAddress(ip),
            Err(_) => SanType::DnsName(
                name.clone()
                    .try_into()
                    .with_context(|| format!("`{name}` cannot be named in a certificate"))?,
            ),
        });
    }
    let mut dn = DistinguishedName::new();
    dn.push(
        DnType::CommonName,
        names.first().map_or("localhost", String::as_str),
    );
    dn.push(DnType::OrganizationName, "Tenure (self-signed)");
    params.distinguished_name = dn;
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let now = OffsetDateTime::now_utc().replace_nanosecond(0)?;
    // An hour back: clocks of the machines that connect are rarely exact.
    params.not_before = now - Duration::hours(1);
    params.not_after = now + Duration::days(VALID_DAYS);
    let key = KeyPair::generate().context("cannot make a key for the TLS certificate")?;
    let cert = params
        .self_signed(&key)
        .context("cannot make the self-signed TLS certificate")?;
    let header = format!(
        "Tenure self-signed certificate. Delete cert.pem and key.pem and restart to make a new one.\n\
         {NAMES_LINE}{}\n{NOT_AFTER_LINE}{}\n",
        names.join(", "),
        params.not_after.format(&Rfc3339)?
    );
    Ok((header + &cert.pem(), key.serialize_pem()))
}

/// Writes `bytes` to `path` through a temporary file renamed over it, created with
/// `mode` (so a key is never readable by others, not even for a moment).
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> anyhow::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("pem.new");
    let _ = std::fs::remove_file(&tmp);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&tmp)
        .with_context(|| format!("cannot create {}", tmp.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path)
        .with_context(|| format!("cannot put {} in place", path.display()))?;
    Ok(())
}

fn restrict(dir: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        toml::from_str(text).unwrap()
    }

    #[test]
    fn names_cover_the_public_host_localhost_and_the_listen_address() {
        let c = config(
            "[server]\nlisten = \"192.0.2.7:8443\"\npublic_url = \"https://Tenure.example.com\"\n",
        );
        assert_eq!(
            names(&c),
            [
                "tenure.example.com",
                "localhost",
                "127.0.0.1",
                "::1",
                "192.0.2.7"
            ]
        );
        let any = config("[server]\nlisten = \"0.0.0.0:443\"\n");
        assert_eq!(names(&any), ["localhost", "127.0.0.1", "::1"]);
        let v6 = config("[server]\npublic_url = \"https://[2001:db8::1]:8443\"\n");
        assert_eq!(names(&v6)[0], "2001:db8::1");
    }

    #[test]
    fn made_once_then_reused_with_a_private_key() {
        let dir = tempfile::tempdir().unwrap();
        let tls = dir.path().join(DIR);
        let names = vec!["tenure.example.com".to_string(), "127.0.0.1".into()];
        assert_eq!(ensure(&tls, &names).unwrap(), Some("first start"));
        let (cert, key) = paths(&tls);
        let first = std::fs::read(&cert).unwrap();
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let (_, fingerprint) = super::super::load(&cert, &key).unwrap();
        assert_eq!(ensure(&tls, &names).unwrap(), None, "reused");
        assert_eq!(std::fs::read(&cert).unwrap(), first);
        assert_eq!(super::super::load(&cert, &key).unwrap().1, fingerprint);

        // A new public host: made again, for it.
        let more = vec!["tenure.acme.test".to_string(), "127.0.0.1".into()];
        assert!(ensure(&tls, &more).unwrap().is_some());
        let text = std::fs::read_to_string(&cert).unwrap();
        assert!(
            text.contains("Names: tenure.acme.test, 127.0.0.1"),
            "{text}"
        );
        assert_ne!(super::super::load(&cert, &key).unwrap().1, fingerprint);

        // An administrator's own certificate in that place is never replaced.
        let (own, own_key) = generate(&["other.example".to_string()]).unwrap();
        let own = own[own.find("-----BEGIN").unwrap()..].to_string();
        std::fs::write(&cert, &own).unwrap();
        std::fs::write(&key, own_key).unwrap();
        assert_eq!(ensure(&tls, &more).unwrap(), None);
        assert_eq!(std::fs::read_to_string(&cert).unwrap(), own);
    }

    #[test]
    fn renewed_when_near_its_end() {
        let names = vec!["localhost".to_string()];
        let (cert, _) = generate(&names).unwrap();
        let now = OffsetDateTime::now_utc();
        assert_eq!(renewal_reason(&cert, &names, now), None);
        let later = now + Duration::days(VALID_DAYS - RENEW_DAYS + 1);
        assert!(renewal_reason(&cert, &names, later).is_some());
    }
}
