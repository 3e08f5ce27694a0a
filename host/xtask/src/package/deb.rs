//! The Debian package: a staged tree of the binary and `packaging/`'s files, built with
//! `dpkg-deb --root-owner-group --build` (every file root's, modes as staged).

use std::path::{Path, PathBuf};

use super::{Build, output, remove_dir};
use crate::Result;

/// Where each file of the package comes from.
enum Source {
    /// The binary being packaged.
    Binary,
    /// A file of the repository.
    Repo(&'static str),
}

/// A file the package installs (path without the leading slash) and its mode.
pub(super) struct Installed {
    pub path: &'static str,
    pub mode: u32,
    source: Source,
}

pub(super) const BINARY: &str = "usr/bin/tenure";
pub(super) const UNIT: &str = "lib/systemd/system/tenure.service";
pub(super) const SYSUSERS: &str = "usr/lib/sysusers.d/tenure.conf";
pub(super) const CONFIG: &str = "etc/tenure/tenure.toml";
pub(super) const COPYRIGHT: &str = "usr/share/doc/tenure/copyright";
pub(super) const DATA_DIR: &str = "/var/lib/tenure";

pub(super) const FILES: &[Installed] = &[
    Installed {
        path: BINARY,
        mode: 0o755,
        source: Source::Binary,
    },
    Installed {
        path: UNIT,
        mode: 0o644,
        source: Source::Repo("packaging/tenure.service"),
    },
    Installed {
        path: SYSUSERS,
        mode: 0o644,
        source: Source::Repo("packaging/debian/tenure.sysusers"),
    },
    // May hold secrets: postinst makes it root:tenure.
    Installed {
        path: CONFIG,
        mode: 0o640,
        source: Source::Repo("packaging/tenure.toml"),
    },
    Installed {
        path: COPYRIGHT,
        mode: 0o644,
        source: Source::Repo("packaging/debian/copyright"),
    },
];

/// Maintainer scripts, from packaging/debian/.
pub(super) const SCRIPTS: &[&str] = &["postinst", "prerm", "postrm"];

/// The package's control fields that vary.
pub(super) struct Control<'a> {
    pub version: &'a str,
    pub arch: &'a str,
    pub depends: &'a str,
    pub installed_kib: u64,
    pub maintainer: &'a str,
}

pub(super) fn control(c: &Control) -> String {
    format!(
        "Package: tenure
Version: {version}
Architecture: {arch}
Maintainer: {maintainer}
Installed-Size: {size}
Depends: {depends}
Section: admin
Priority: optional
Homepage: https://github.com/tenure-dev/tenure
Description: self-hosted employee-lifecycle appliance for IT teams
 Tenure reads HR data (TriNet HR Plus, or any HR system through Merge) and turns
 every hire, department change and termination into IT work: accounts created
 and revoked, groups and channels updated, hardware bought, assigned, locked,
 wiped and returned. What a connector can automate it does; the rest becomes a
 task for a named person in the browser.
 .
 One binary with a web UI, an embedded database in /var/lib/tenure and
 sandboxed WebAssembly connectors, run by systemd as the tenure user.
",
        version = c.version,
        arch = c.arch,
        maintainer = c.maintainer,
        size = c.installed_kib,
        depends = c.depends,
    )
}

/// Debian's spelling of a Cargo version: a pre-release sorts before its release
/// (0.2.0-rc.1 becomes 0.2.0~rc.1).
pub(super) fn deb_version(cargo: &str) -> String {
    cargo.replacen('-', "~", 1)
}

/// The packages that provide the libraries the binary links.
pub(super) fn depends(libraries: &[PathBuf], min_glibc: Option<&str>) -> Result<String> {
    let mut packages: Vec<String> = Vec::new();
    for lib in libraries {
        let name = lib.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let package = if name.starts_with("libgcc_s.so") {
            "libgcc-s1".to_string()
        } else if [
            "libc.so",
            "libm.so",
            "ld-linux",
            "libpthread.so",
            "libdl.so",
            "librt.so",
        ]
        .iter()
        .any(|p| name.starts_with(p))
        {
            match min_glibc {
                Some(v) => format!("libc6 (>= {v})"),
                None => "libc6".to_string(),
            }
        } else {
            return Err(format!(
                "the binary links {name}, which the package does not know the Debian package \
                 of: add it to depends() in host/xtask/src/package/deb.rs"
            ));
        };
        if !packages.contains(&package) {
            packages.push(package);
        }
    }
    packages.sort();
    Ok(packages.join(", "))
}

/// The newest GLIBC_x.y symbol version among `objdump -T`'s dynamic symbols.
pub(super) fn newest_glibc(objdump: &str) -> Option<String> {
    objdump
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter_map(|word| word.strip_prefix("GLIBC_"))
        .filter_map(|v| {
            let parts: Option<Vec<u32>> = v.split('.').map(|n| n.parse().ok()).collect();
            parts.map(|p| (p, v))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, v)| v.to_string())
}

/// Builds `tenure_<version>_<arch>.deb` in `out`; returns its path.
pub(super) fn build(root: &Path, build: &Build, out: &Path) -> Result<PathBuf> {
    let config = std::fs::read_to_string(root.join("packaging/tenure.toml"))
        .map_err(|e| format!("cannot read packaging/tenure.toml: {e}"))?;
    if !config
        .lines()
        .any(|l| l.replace(' ', "") == format!("data_dir=\"{DATA_DIR}\""))
    {
        return Err(format!(
            "packaging/tenure.toml must set data_dir = \"{DATA_DIR}\" (the unit's StateDirectory)"
        ));
    }
    let stage = out.join("deb-root");
    remove_dir(&stage)?;
    let mut installed_bytes = 0u64;
    for file in FILES {
        let from = match file.source {
            Source::Binary => build.binary.clone(),
            Source::Repo(path) => root.join(path),
        };
        installed_bytes += place(&stage, &from, file.path, file.mode)?;
    }
    for script in SCRIPTS {
        let from = root.join("packaging/debian").join(script);
        place(&stage, &from, &format!("DEBIAN/{script}"), 0o755)?;
    }
    write(&stage, "DEBIAN/conffiles", &format!("/{CONFIG}\n"), 0o644)?;

    let objdump = output("objdump", &["-T", &build.binary.display().to_string()]);
    let min_glibc = objdump.as_deref().ok().and_then(newest_glibc);
    if min_glibc.is_none() {
        eprintln!("note: no objdump (binutils): the package depends on libc6 of any version");
    }
    let depends = depends(&build.libraries, min_glibc.as_deref())?;
    let maintainer = match (std::env::var("DEBFULLNAME"), std::env::var("DEBEMAIL")) {
        (Ok(name), Ok(email)) => format!("{name} <{email}>"),
        _ => "Tenure developers <tenure@localhost>".to_string(),
    };
    let version = deb_version(&build.version);
    let text = control(&Control {
        version: &version,
        arch: &build.deb_arch,
        depends: &depends,
        installed_kib: installed_bytes.div_ceil(1024),
        maintainer: &maintainer,
    });
    write(&stage, "DEBIAN/control", &text, 0o644)?;

    let deb = out.join(format!("tenure_{version}_{}.deb", build.deb_arch));
    // xz makes the smallest package; a checked debug build is left uncompressed (fast).
    let compression = if build.fast { "-Znone" } else { "-Zxz" };
    let stage_arg = stage.display().to_string();
    let deb_arg = deb.display().to_string();
    let mut args = vec!["--root-owner-group"];
    args.push(compression);
    args.extend(["--build", &stage_arg, &deb_arg]);
    crate::sh(out, "dpkg-deb", &args)?;
    remove_dir(&stage)?;
    Ok(deb)
}

/// Copies `from` to `stage`/`to` (creating its directories) with `mode`; returns its size.
fn place(stage: &Path, from: &Path, to: &str, mode: u32) -> Result<u64> {
    let to = make_parents(stage, to)?;
    let size = std::fs::copy(from, &to)
        .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))?;
    set_mode(&to, mode)?;
    Ok(size)
}

fn write(stage: &Path, to: &str, text: &str, mode: u32) -> Result {
    let to = make_parents(stage, to)?;
    std::fs::write(&to, text).map_err(|e| format!("cannot write {}: {e}", to.display()))?;
    set_mode(&to, mode)
}

/// Creates the directories of `stage`/`path`, all 0755 whatever the umask (as dpkg-deb
/// wants); returns the full path.
fn make_parents(stage: &Path, path: &str) -> Result<PathBuf> {
    let full = stage.join(path);
    let parent = full.parent().ok_or("a file without a directory")?;
    std::fs::create_dir_all(parent)
        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    for dir in parent.ancestors().take_while(|d| d.starts_with(stage)) {
        set_mode(dir, 0o755)?;
    }
    Ok(full)
}

fn set_mode(path: &Path, mode: u32) -> Result {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .map_err(|e| format!("cannot chmod {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_has_every_field_dpkg_needs() {
        let text = control(&Control {
            version: "0.2.0~rc.1",
            arch: "amd64",
            depends: "libc6 (>= 2.34), libgcc-s1",
            installed_kib: 40_000,
            maintainer: "Tenure developers <tenure@localhost>",
        });
        for line in [
            "Package: tenure\n",
            "Version: 0.2.0~rc.1\n",
            "Architecture: amd64\n",
            "Depends: libc6 (>= 2.34), libgcc-s1\n",
            "Installed-Size: 40000\n",
            "Maintainer: Tenure developers <tenure@localhost>\n",
        ] {
            assert!(text.contains(line), "{line}");
        }
        // Continuation lines start with a space; a paragraph break is " .".
        let description = text.split_once("Description: ").unwrap().1;
        assert!(description.lines().skip(1).all(|l| l.starts_with(' ')));
        assert!(text.ends_with('\n') && !text.contains("\n\n"));
    }

    #[test]
    fn versions_and_dependencies() {
        assert_eq!(deb_version("0.1.0"), "0.1.0");
        assert_eq!(deb_version("0.2.0-rc.1"), "0.2.0~rc.1");
        let libs = [
            "/lib/x86_64-linux-gnu/libgcc_s.so.1",
            "/lib/x86_64-linux-gnu/libm.so.6",
            "/lib/x86_64-linux-gnu/libc.so.6",
            "/lib64/ld-linux-x86-64.so.2",
        ]
        .map(PathBuf::from);
        assert_eq!(
            depends(&libs, Some("2.34")).unwrap(),
            "libc6 (>= 2.34), libgcc-s1"
        );
        assert_eq!(depends(&libs[2..], None).unwrap(), "libc6");
        let unknown = [PathBuf::from("/usr/lib/libssl.so.3")];
        assert!(depends(&unknown, None).unwrap_err().contains("libssl.so.3"));
    }

    #[test]
    fn newest_glibc_compares_numerically() {
        let objdump = "0000 DF *UND* 0000 (GLIBC_2.9) memcpy\n\
                       0000 DF *UND* 0000 (GLIBC_2.34) __libc_start_main\n\
                       0000 DF *UND* 0000 GLIBC_2.3.4 __sprintf_chk\n\
                       0000 DF *UND* 0000 (GLIBC_PRIVATE) x\n";
        assert_eq!(newest_glibc(objdump).as_deref(), Some("2.34"));
        assert_eq!(newest_glibc("no versions"), None);
    }
}
