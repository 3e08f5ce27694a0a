//! Which versions of the WIT contract this host runs.
//!
//! A plugin names its contract version in every interface it exports
//! (`tenure:plugin/hr-source@0.1.0`). The host runs a plugin built for a version with
//! the same major and a minor no newer than its own; within 0.x, where every minor
//! may break, the minor must match and the patch may be older. An older version the
//! host still supports gets its own bindings and an adapter (none yet: 0.1 is the first).

/// The contract version this host implements.
pub const HOST: Version = Version {
    major: 0,
    minor: 1,
    patch: 0,
};

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

/// Checks a guest's contract version against this host.
pub fn check(guest: Version) -> Result<(), String> {
    if HOST.runs(guest) {
        Ok(())
    } else if guest > HOST {
        Err(format!(
            "it was built for the plugin contract {PACKAGE}@{guest}, newer than this tenure's \
             {PACKAGE}@{HOST}: upgrade tenure or use a plugin built for {HOST}"
        ))
    } else {
        Err(format!(
            "it was built for the plugin contract {PACKAGE}@{guest}, which this tenure \
             ({PACKAGE}@{HOST}) no longer runs: rebuild the plugin against {HOST}"
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
        let newer = check(v("0.2.0")).unwrap_err();
        assert!(newer.contains("0.2.0") && newer.contains("0.1.0") && newer.contains("upgrade"));
        assert!(check(v("0.1.0")).is_ok());
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
