//! Which versions of the WIT contract this host runs.
//!
//! A plugin names its contract version in every interface it exports
//! (`tenure:plugin/hr-source@0.1.0`); the host reads it from the component's export
//! names before instantiating anything. The host implements the newest version,
//! [`HOST`], and keeps running every version in [`SUPPORTED`]: each gets its own
//! bindings (`bindings::v0_1`, `bindings::v0_2`) and the older ones an adapter to the
//! newest (`adapt_v0_1`), so the rest of the host only ever sees 0.2 calls and types.
//!
//! A host of version `h` runs a guest built for `g` when they share the major and `g`'s
//! minor is no newer than `h`'s; within 0.x, where every minor may break, the minor
//! must match and the patch may be older. A guest for a version no supported line
//! runs is refused with a message that names both versions and what to do.

/// The contract version this host implements: the types and calls it works with.
pub const HOST: Version = Version {
    major: 0,
    minor: 2,
    patch: 0,
};

/// Every contract version this host runs, oldest first; the last is [`HOST`].
pub const SUPPORTED: &[Version] = &[
    Version {
        major: 0,
        minor: 1,
        patch: 0,
    },
    HOST,
];

/// The contract line a loadable plugin was built for, which decides its bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contract {
    /// `tenure:plugin@0.1.x`, run through the 0.1 → 0.2 adapter.
    V0_1,
    /// `tenure:plugin@0.2.x`, the host's own.
    V0_2,
}

pub const PACKAGE: &str = "tenure:plugin";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

impl Version {
    pub fn parse(s: &str) -> Option<Version> {
        let mut it = s.split('.').map(|p| p.parse::<u32>().ok());
        let v = Version {
            major: it.next()??,
            minor: it.next()??,
            patch: it.next()??,
        };
        it.next().is_none().then_some(v)
    }

    /// Whether a host of version `self` runs a guest built for `guest`.
    pub fn runs(self, guest: Version) -> bool {
        if self.major != guest.major {
            return false;
        }
        if self.major == 0 {
            guest.minor == self.minor && guest.patch <= self.patch
        } else {
            guest.minor <= self.minor
        }
    }
}

/// Splits `tenure:plugin/hr-source@0.1.0` into (`hr-source`, version).
pub fn parse_export_name(name: &str) -> Option<(&str, Option<Version>)> {
    let rest = name.strip_prefix(PACKAGE)?.strip_prefix('/')?;
    match rest.split_once('@') {
        Some((iface, v)) => Some((iface, Some(Version::parse(v)?))),
        None => Some((rest, None)),
    }
}

/// Checks a guest's contract version against the versions this host runs, and says
/// which bindings it gets.
pub fn check(guest: Version) -> Result<Contract, String> {
    match SUPPORTED
        .iter()
        .find(|v| v.runs(guest))
        .map(|v| (v.major, v.minor))
    {
        Some((0, 1)) => return Ok(Contract::V0_1),
        Some((0, 2)) => return Ok(Contract::V0_2),
        _ => {}
    }
    let runs = SUPPORTED
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    // The newest version of the guest's own line this host knows, else the host's.
    let line = SUPPORTED
        .iter()
        .rev()
        .find(|v| v.major == guest.major && (v.major > 0 || v.minor == guest.minor))
        .copied()
        .unwrap_or(HOST);
    if guest > line {
        Err(format!(
            "it was built for the plugin contract {PACKAGE}@{guest}, newer than this tenure \
             knows (it runs {runs}): upgrade tenure or use a plugin built for {line}"
        ))
    } else {
        Err(format!(
            "it was built for the plugin contract {PACKAGE}@{guest}, which this tenure does \
             not run (it runs {runs}): rebuild the plugin against {HOST}"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn zero_major_needs_the_same_minor() {
        assert!(v("0.1.0").runs(v("0.1.0")));
        assert!(v("0.1.3").runs(v("0.1.0")));
        assert!(!v("0.1.0").runs(v("0.1.1")));
        assert!(!v("0.2.0").runs(v("0.1.0")));
    }

    #[test]
    fn later_majors_run_older_minors() {
        assert!(v("1.3.0").runs(v("1.1.7")));
        assert!(!v("1.1.0").runs(v("1.2.0")));
        assert!(!v("2.0.0").runs(v("1.0.0")));
    }

    #[test]
    fn messages_name_both_versions() {
        let newer = check(v("0.3.0")).unwrap_err();
        assert!(newer.contains("0.3.0") && newer.contains("0.2.0") && newer.contains("upgrade"));
        let patch = check(v("0.1.1")).unwrap_err();
        assert!(
            patch.contains("upgrade") && patch.contains("built for 0.1.0"),
            "{patch}"
        );
        let older = check(v("0.0.9")).unwrap_err();
        assert!(
            older.contains("0.0.9") && older.contains("rebuild"),
            "{older}"
        );
        assert!(check(v("1.0.0")).unwrap_err().contains("upgrade"));
    }

    #[test]
    fn runs_the_0_1_and_0_2_lines() {
        assert_eq!(check(v("0.1.0")), Ok(Contract::V0_1));
        assert_eq!(check(v("0.2.0")), Ok(Contract::V0_2));
        assert_eq!(SUPPORTED.last(), Some(&HOST));
    }

    #[test]
    fn parses_export_names() {
        assert_eq!(
            parse_export_name("tenure:plugin/hr-source@0.1.0"),
            Some(("hr-source", Some(v("0.1.0"))))
        );
        assert_eq!(parse_export_name("wasi:cli/run@0.2.0"), None);
    }
}
