//! Where plugins' outbound HTTP may go, by address. The allowlist says which origins a
//! plugin may name; this says which addresses any origin may reach, checked on the
//! address actually connected to: IP literals before sending, names in the DNS
//! resolver the HTTP client uses (so a name that resolves to 127.0.0.1 is caught too).
//!
//! - Link-local (169.254.0.0/16, fe80::/10, and IPv4 embedded in IPv6): never. Cloud
//!   metadata services live there and hand out credentials.
//! - Loopback, the unspecified address, the appliance's own addresses, and plain
//!   `http://`: only with `[runtime] allow_local_http = true` (the demo and tests).
//! - Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) are allowed: on-premises
//!   MDM and SCIM servers live there.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use url::{Host, Url};

/// The setting that lets plugins reach local and plain-http systems.
pub(crate) const ALLOW_SETTING: &str = "`[runtime] allow_local_http = true`";

/// Why an address or URL is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    LinkLocal,
    Loopback,
    Unspecified,
    OwnAddress,
    PlainHttp,
}

impl Refusal {
    fn reason(self) -> &'static str {
        match self {
            Refusal::LinkLocal => {
                "it is a link-local address, where cloud metadata services hand out credentials"
            }
            Refusal::Loopback => "it is a loopback address (this machine)",
            Refusal::Unspecified => "it is the unspecified address (this machine)",
            Refusal::OwnAddress => "it is an address of the appliance itself",
            Refusal::PlainHttp => "plain http:// would send credentials unencrypted",
        }
    }

    fn fix(self) -> String {
        match self {
            Refusal::LinkLocal => "plugins may never reach link-local addresses".into(),
            Refusal::PlainHttp => format!(
                "use an https:// URL, or set {ALLOW_SETTING} in tenure.toml to allow plain http (tests, demos)"
            ),
            _ => format!(
                "set {ALLOW_SETTING} in tenure.toml to let plugins reach this machine (tests, demos)"
            ),
        }
    }
}

/// A refused request; its message names the reason and the fix.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{target} is refused: {}; {}", .why.reason(), .why.fix())]
pub(crate) struct Refused {
    pub target: String,
    pub why: Refusal,
}

/// The address policy of one runtime.
#[derive(Debug, Clone, Default)]
pub(crate) struct EgressPolicy {
    allow_local_http: bool,
    own_addresses: Vec<IpAddr>,
}

impl EgressPolicy {
    pub fn new(allow_local_http: bool, own_addresses: Vec<IpAddr>) -> Self {
        Self {
            allow_local_http,
            own_addresses: own_addresses.into_iter().map(canonical).collect(),
        }
    }

    /// The checks that need no DNS: the scheme, and the host when it is an IP literal.
    pub fn check_url(&self, url: &Url) -> Result<(), Refused> {
        let refused = |why| Refused {
            target: url.origin().ascii_serialization(),
            why,
        };
        if url.scheme() == "http" && !self.allow_local_http {
            return Err(refused(Refusal::PlainHttp));
        }
        let ip = match url.host() {
            Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
            _ => return Ok(()),
        };
        self.check_ip(ip).map_err(refused)
    }

    /// Whether a plugin may connect to `ip`.
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Refusal> {
        let ip = canonical(ip);
        match always_local(ip) {
            Some(Refusal::LinkLocal) => Err(Refusal::LinkLocal),
            _ if self.allow_local_http => Ok(()),
            Some(why) => Err(why),
            None if self.is_own(ip) => Err(Refusal::OwnAddress),
            None => Ok(()),
        }
    }

    fn is_own(&self, ip: IpAddr) -> bool {
        self.own_addresses
            .iter()
            .any(|own| *own == ip || (own.is_unspecified() && is_this_machine(ip)))
    }
}

/// Link-local, loopback or unspecified, whatever the configuration says about them.
fn always_local(ip: IpAddr) -> Option<Refusal> {
    match ip {
        IpAddr::V4(v4) if v4.is_link_local() => Some(Refusal::LinkLocal),
        IpAddr::V4(v4) if v4.is_loopback() => Some(Refusal::Loopback),
        // 0.0.0.0/8: "this network"; connecting to it reaches this machine.
        IpAddr::V4(v4) if v4.octets()[0] == 0 => Some(Refusal::Unspecified),
        IpAddr::V4(_) => None,
        IpAddr::V6(v6) if v6.is_unicast_link_local() => Some(Refusal::LinkLocal),
        IpAddr::V6(v6) if v6.is_loopback() => Some(Refusal::Loopback),
        IpAddr::V6(v6) if v6.is_unspecified() => Some(Refusal::Unspecified),
        IpAddr::V6(v6) => embedded_v4(v6).and_then(|v4| always_local(IpAddr::V4(v4))),
    }
}

/// IPv4-mapped (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`) addresses become
/// the IPv4 address they are.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None if v6.segments()[..6] == [0; 6] && !v6.is_loopback() && !v6.is_unspecified() => {
                IpAddr::V4(Ipv4Addr::from_bits(v6.to_bits() as u32))
            }
            None => ip,
        },
        v4 => v4,
    }
}

/// The IPv4 address a NAT64 (`64:ff9b::/96`) or 6to4 (`2002::/16`) address reaches.
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return Some(Ipv4Addr::from_bits(v6.to_bits() as u32));
    }
    if s[0] == 0x2002 {
        return Some(Ipv4Addr::from_bits(
            (u32::from(s[1]) << 16) | u32::from(s[2]),
        ));
    }
    None
}

/// Whether `ip` is assigned to this machine: only then can a socket bind to it.
fn is_this_machine(ip: IpAddr) -> bool {
    std::net::UdpSocket::bind(SocketAddr::new(ip, 0)).is_ok()
}

/// The HTTP client's DNS resolver: resolves with tokio and drops the addresses the
/// policy refuses; fails, naming the reason and the fix, when none remain.
pub(crate) struct CheckedResolver(pub Arc<EgressPolicy>);

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0.clone();
        let host = name.as_str().to_string();
        Box::pin(async move {
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut refused = None;
            let allowed: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| match policy.check_ip(a.ip()) {
                    Ok(()) => true,
                    Err(why) => {
                        refused.get_or_insert((a.ip(), why));
                        false
                    }
                })
                .collect();
            match (allowed.is_empty(), refused) {
                (true, Some((ip, why))) => Err(Box::new(Refused {
                    target: format!("{host} (at {ip})"),
                    why,
                }) as _),
                _ => Ok(Box::new(allowed.into_iter()) as Addrs),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn link_local_is_refused_even_when_local_http_is_allowed() {
        for policy in [
            EgressPolicy::new(false, vec![]),
            EgressPolicy::new(true, vec![]),
        ] {
            for a in [
                "169.254.169.254",
                "169.254.0.1",
                "fe80::1",
                "febf::1",
                "::ffff:169.254.169.254",
                "::169.254.169.254",
                "64:ff9b::a9fe:a9fe",
                "2002:a9fe:a9fe::1",
            ] {
                assert_eq!(policy.check_ip(ip(a)), Err(Refusal::LinkLocal), "{a}");
            }
        }
    }

    #[test]
    fn this_machine_is_refused_unless_allowed() {
        let strict = EgressPolicy::new(false, vec![ip("10.1.2.3")]);
        let local = EgressPolicy::new(true, vec![ip("10.1.2.3")]);
        for (a, why) in [
            ("127.0.0.1", Refusal::Loopback),
            ("127.8.9.10", Refusal::Loopback),
            ("::1", Refusal::Loopback),
            ("::ffff:127.0.0.1", Refusal::Loopback),
            ("64:ff9b::7f00:1", Refusal::Loopback),
            ("0.0.0.0", Refusal::Unspecified),
            ("::", Refusal::Unspecified),
            ("10.1.2.3", Refusal::OwnAddress),
            ("::ffff:10.1.2.3", Refusal::OwnAddress),
        ] {
            assert_eq!(strict.check_ip(ip(a)), Err(why), "{a}");
            assert_eq!(local.check_ip(ip(a)), Ok(()), "{a}");
        }
    }

    #[test]
    fn private_and_public_addresses_are_allowed() {
        let strict = EgressPolicy::new(false, vec![]);
        for a in [
            "10.0.0.5",
            "172.16.3.4",
            "192.168.1.10",
            "fd00::5",
            "203.0.113.9",
            "2001:db8::1",
        ] {
            assert_eq!(strict.check_ip(ip(a)), Ok(()), "{a}");
        }
    }

    #[test]
    fn an_unspecified_listen_address_stands_for_every_address_here() {
        let p = EgressPolicy::new(false, vec![ip("0.0.0.0")]);
        // 127.0.0.1 is assigned to this machine, but it is caught as loopback first;
        // an address that is not this machine's passes.
        assert_eq!(p.check_ip(ip("203.0.113.9")), Ok(()));
        assert!(is_this_machine(ip("127.0.0.1")));
        assert!(!is_this_machine(ip("203.0.113.9")));
    }

    #[test]
    fn urls_are_checked_by_scheme_and_ip_literal() {
        let strict = EgressPolicy::new(false, vec![]);
        let local = EgressPolicy::new(true, vec![]);
        let url = |s: &str| Url::parse(s).unwrap();
        let err = strict
            .check_url(&url("http://api.example.com/x"))
            .unwrap_err();
        assert_eq!(err.why, Refusal::PlainHttp);
        assert!(err.to_string().contains("allow_local_http = true"), "{err}");
        assert!(local.check_url(&url("http://api.example.com/x")).is_ok());
        assert!(strict.check_url(&url("https://api.example.com/x")).is_ok());
        // The URL parser normalises odd spellings of 127.0.0.1 to the literal.
        for s in [
            "https://127.1/",
            "https://2130706433/",
            "https://[::ffff:7f00:1]/",
        ] {
            assert_eq!(
                strict.check_url(&url(s)).unwrap_err().why,
                Refusal::Loopback
            );
        }
        let meta = local
            .check_url(&url("http://169.254.169.254/latest/meta-data/"))
            .unwrap_err();
        assert_eq!(meta.why, Refusal::LinkLocal);
        assert!(meta.to_string().contains("never"), "{meta}");
    }

    #[tokio::test]
    async fn the_resolver_drops_refused_addresses() {
        let strict = CheckedResolver(Arc::new(EgressPolicy::new(false, vec![])));
        let err = match strict.resolve("localhost".parse().unwrap()).await {
            Ok(_) => panic!("localhost must be refused"),
            Err(e) => e,
        };
        let refused = err.downcast_ref::<Refused>().expect("a refusal");
        assert_eq!(refused.why, Refusal::Loopback);
        assert!(
            refused.to_string().contains("allow_local_http"),
            "{refused}"
        );

        let local = CheckedResolver(Arc::new(EgressPolicy::new(true, vec![])));
        let addrs: Vec<_> = local
            .resolve("localhost".parse().unwrap())
            .await
            .map_err(|e| e.to_string())
            .unwrap()
            .collect();
        assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
    }
}
