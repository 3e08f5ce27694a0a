//! `cargo xtask package`: the Debian package and the OCI image of one `tenure` binary,
//! built without cargo-deb or a container engine, and `--check` to prove them.
//!
//! - `deb.rs`: a staged tree (binary, hardened unit, sysusers.d user, conffile, maintainer
//!   scripts from `packaging/`) built with `dpkg-deb --root-owner-group --build`.
//! - `oci.rs` and `tar.rs`: an OCI image layout (one gzipped layer: the binary, the C
//!   libraries it links, CA certificates, a non-root user) written directly.
//! - `check.rs`: installs, upgrades, removes and purges the .deb in a throwaway root,
//!   verifies the unit with systemd-analyze, and checks the image's digests and contents.

mod check;
mod deb;
mod oci;
mod tar;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::Result;

const USAGE: &str = "\
usage: cargo xtask package [--binary PATH] [--out DIR] [--check]

Builds target/release/tenure (cargo build --release -p tenure) and writes to DIR
(default target/package):
  tenure_<version>_<arch>.deb      the Debian package (apt install ./tenure_..._amd64.deb)
  tenure-oci/                      the container image as an OCI image layout
  container/tenure-rootfs.tar.gz   the image's file system, for packaging/Containerfile

  --binary PATH  package this binary instead of building a release one (CI passes the
                 debug binary its tests already built, to save a release build; such
                 packages are for checking, not for shipping)
  --out DIR      where to write (default target/package)
  --check        then check both: install, upgrade, remove and purge the .deb in a
                 throwaway root, `systemd-analyze verify` its unit, check the image's
                 digests, contents and user, and run the binary on the image's libraries
                 (with --check, the .deb is uncompressed and the layer lightly
                 compressed, for speed)";

struct Options {
    binary: Option<PathBuf>,
    out: Option<PathBuf>,
    check: bool,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut opts = Options {
        binary: None,
        out: None,
        check: false,
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--binary" => {
                let path = it.next().ok_or("--binary needs a path")?;
                opts.binary = Some(PathBuf::from(path));
            }
            "--out" => {
                let path = it.next().ok_or("--out needs a directory")?;
                opts.out = Some(PathBuf::from(path));
            }
            "--check" => opts.check = true,
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(opts)
}

/// What both packages are built from.
pub(super) struct Build {
    /// The workspace's version, as Cargo spells it (0.2.0-rc.1).
    pub version: String,
    /// Debian's architecture name (amd64, arm64).
    pub deb_arch: String,
    pub binary: PathBuf,
    /// The shared libraries the binary loads, as `ldd` resolves them on this machine.
    pub libraries: Vec<PathBuf>,
    /// Fast compression (checks) rather than small (releases).
    pub fast: bool,
}

/// `cargo xtask package [--binary PATH] [--out DIR] [--check]`.
pub(crate) fn package(root: &Path, args: &[String]) -> Result {
    let opts = parse_args(args)?;
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let out = opts
        .out
        .map(|p| cwd.join(p))
        .unwrap_or_else(|| root.join("target/package"));
    let binary = match opts.binary {
        Some(path) => cwd.join(path),
        None => {
            crate::ensure_wasm_target(root)?;
            crate::ensure_web_bundle_tools(root)?;
            crate::sh(
                root,
                &crate::cargo(),
                &["build", "--release", "--package", "tenure"],
            )?;
            target_dir(root).join("release/tenure")
        }
    };
    if !binary.is_file() {
        return Err(format!("no binary at {}", binary.display()));
    }
    let started = Instant::now();
    let build = Build {
        version: workspace_version(root)?,
        deb_arch: deb_arch()?,
        libraries: linked_libraries(&binary)?,
        binary,
        fast: opts.check,
    };
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let deb = deb::build(root, &build, &out)?;
    let image = oci::build(root, &build, &out)?;
    eprintln!(
        "packaged {} in {:.1} s:\n  {}\n  {}/\n  {}",
        build.version,
        started.elapsed().as_secs_f64(),
        deb.display(),
        image.layout.display(),
        image.rootfs.display()
    );
    if opts.check {
        let started = Instant::now();
        check::check(root, &build, &deb, &image.layout, &out)?;
        eprintln!(
            "package check passed in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        oci::docker_load(&image.layout, &build.version);
    }
    Ok(())
}

/// The end of `cargo xtask test`: packages the debug binary the tests built and checks
/// the packages, where Debian's tools are at hand.
pub(crate) fn check_after_tests(root: &Path) -> Result {
    let binary = target_dir(root).join("debug/tenure");
    if !crate::has("dpkg-deb", &["--version"]) {
        eprintln!("package check skipped: dpkg-deb is not installed (Debian's dpkg package)");
        return Ok(());
    }
    if !binary.is_file() {
        eprintln!(
            "package check skipped: no {} (built by the workspace tests)",
            binary.display()
        );
        return Ok(());
    }
    let args = [
        "--check".to_string(),
        "--binary".to_string(),
        binary.display().to_string(),
    ];
    package(root, &args)
}

fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// The `tenure` crate's version (host/server/Cargo.toml, usually the workspace's).
fn workspace_version(root: &Path) -> Result<String> {
    let read = |p: &str| {
        std::fs::read_to_string(root.join(p)).map_err(|e| format!("cannot read {p}: {e}"))
    };
    version_from_manifests(&read("host/server/Cargo.toml")?, &read("Cargo.toml")?)
}

fn version_from_manifests(server: &str, workspace: &str) -> Result<String> {
    let inherited = toml_lines(server, "package").any(|l| {
        l.replace(' ', "") == "version.workspace=true"
            || l.replace(' ', "") == "version={workspace=true}"
    });
    let (text, section) = if inherited {
        (workspace, "workspace.package")
    } else {
        (server, "package")
    };
    let version = toml_lines(text, section)
        .find_map(|l| {
            let (key, value) = l.split_once('=')?;
            (key.trim() == "version").then(|| value.trim().trim_matches('"').to_string())
        })
        .ok_or_else(|| format!("no version in [{section}]"))?;
    let valid = !version.is_empty()
        && version.starts_with(|c: char| c.is_ascii_digit())
        && version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c));
    if valid {
        Ok(version)
    } else {
        Err(format!(
            "the version `{version}` is not a plain semver version"
        ))
    }
}

/// The lines of one `[section]` of a TOML file, trimmed, comments and blanks skipped.
fn toml_lines<'a>(text: &'a str, section: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let mut inside = false;
    text.lines().filter_map(move |line| {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line.trim_start_matches('[').trim_end_matches(']').trim() == section;
            return None;
        }
        (inside && !line.is_empty() && !line.starts_with('#')).then_some(line)
    })
}

/// Debian's name for this machine's architecture.
fn deb_arch() -> Result<String> {
    if let Ok(out) = Command::new("dpkg").arg("--print-architecture").output()
        && out.status.success()
    {
        let arch = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !arch.is_empty() {
            return Ok(arch);
        }
    }
    match std::env::consts::ARCH {
        "x86_64" => Ok("amd64".into()),
        "aarch64" => Ok("arm64".into()),
        "riscv64" => Ok("riscv64".into()),
        "s390x" => Ok("s390x".into()),
        other => Err(format!(
            "no Debian architecture name known for {other}; install dpkg"
        )),
    }
}

/// The shared libraries `binary` loads, with the dynamic loader, from `ldd`.
fn linked_libraries(binary: &Path) -> Result<Vec<PathBuf>> {
    let out = Command::new("ldd")
        .arg(binary)
        .output()
        .map_err(|e| format!("cannot run ldd (Debian's libc-bin): {e}"))?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    if text.contains("not a dynamic executable") || text.contains("statically linked") {
        return Ok(Vec::new());
    }
    if !out.status.success() {
        return Err(format!("ldd {} failed: {}", binary.display(), text.trim()));
    }
    parse_ldd(&text)
}

fn parse_ldd(text: &str) -> Result<Vec<PathBuf>> {
    let mut libraries = Vec::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if line.contains("not found") {
            return Err(format!(
                "the binary needs a library this machine lacks: {line}"
            ));
        }
        let path = match line.split_once("=>") {
            Some((_, resolved)) => resolved.trim(),
            None => line,
        };
        let path = path.split(" (").next().unwrap_or("").trim();
        // linux-vdso.so.1 and friends live in the kernel, not in a file.
        if path.starts_with('/') {
            libraries.push(PathBuf::from(path));
        }
    }
    libraries.sort();
    libraries.dedup();
    Ok(libraries)
}

/// A command's standard output, or an error naming the command and its output.
fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "`{program} {}` failed ({}): {}{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout).trim(),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Removes a directory tree if present.
fn remove_dir(dir: &Path) -> Result {
    match std::fs::remove_dir_all(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("cannot remove {}: {e}", dir.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_inherited_from_the_workspace() {
        let server = "[package]\nname = \"tenure\"\nversion.workspace = true\n\n[dependencies]\nversion = \"9\"\n";
        let workspace = "[workspace]\nmembers = []\n\n[workspace.package]\nversion = \"0.3.1\"\nedition = \"2024\"\n";
        assert_eq!(version_from_manifests(server, workspace).unwrap(), "0.3.1");
    }

    #[test]
    fn a_crate_version_wins_and_junk_is_refused() {
        let server = "[package]\nname = \"tenure\"\nversion = \"1.2.0-rc.1\"\n";
        assert_eq!(version_from_manifests(server, "").unwrap(), "1.2.0-rc.1");
        let bad = "[package]\nversion = \"1.0; rm -rf\"\n";
        assert!(version_from_manifests(bad, "").is_err());
        assert!(version_from_manifests("[package]\nname = \"x\"\n", "").is_err());
    }

    #[test]
    fn ldd_output_gives_library_paths() {
        let text = "\tlinux-vdso.so.1 (0x00007ffd)\n\
                    \tlibgcc_s.so.1 => /lib/x86_64-linux-gnu/libgcc_s.so.1 (0x00007f60)\n\
                    \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f60)\n\
                    \t/lib64/ld-linux-x86-64.so.2 (0x00007f60)\n";
        let libs = parse_ldd(text).unwrap();
        let libs: Vec<_> = libs.iter().map(|p| p.to_str().unwrap()).collect();
        assert_eq!(
            libs,
            [
                "/lib/x86_64-linux-gnu/libc.so.6",
                "/lib/x86_64-linux-gnu/libgcc_s.so.1",
                "/lib64/ld-linux-x86-64.so.2"
            ]
        );
        let missing = "\tlibssl.so.3 => not found\n";
        assert!(parse_ldd(missing).unwrap_err().contains("libssl.so.3"));
    }

    #[test]
    fn arguments_are_parsed_and_unknown_ones_refused() {
        let args: Vec<String> = ["--check", "--binary", "target/debug/tenure"]
            .map(String::from)
            .to_vec();
        let opts = parse_args(&args).unwrap();
        assert!(opts.check);
        assert_eq!(opts.binary.unwrap(), Path::new("target/debug/tenure"));
        assert!(parse_args(&["--binary".to_string()]).is_err());
        assert!(parse_args(&["--frobnicate".to_string()]).is_err());
    }
}
