//! Set-up-and-go commands for a fresh machine. Each first installs what is missing
//! (idempotently), then builds and runs:
//!
//! - `cargo xtask run`: the appliance with a demo HR system, data in ./tenure-data.
//! - `cargo xtask test`: every test (Rust workspace with the browser tests in Debian's
//!   Chromium, guest SDK and plugins, and the vendor-client checks of the fakes).
//! - `cargo xtask lint`: rustfmt and clippy, as CI runs them.
//! - `cargo xtask bench [--quick] [--no-build]`: every performance figure beside its target (see
//!   `bench/mod.rs`).

mod bench;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const WASM_TARGET: &str = "wasm32-wasip2";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let root = root.canonicalize().unwrap_or(root);
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&root, &args[1..]),
        Some("test") => test(&root),
        Some("lint") => lint(&root),
        Some("bench") => bench::bench(&root, &args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [-- tenure serve args]|test|lint|bench [--quick] [--no-build]>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

type Result<T = ()> = std::result::Result<T, String>;

fn sh(root: &Path, program: &str, args: &[&str]) -> Result {
    eprintln!("+ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run {program}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{program} {}` failed ({status})", args.join(" ")))
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn has(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The guest target, via rustup.
fn ensure_wasm_target(root: &Path) -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == WASM_TARGET)
        })
        .unwrap_or(false);
    if !installed {
        sh(root, "rustup", &["target", "add", WASM_TARGET])?;
    }
    Ok(())
}

/// A virtualenv with the vendors' official clients, for checking the fakes.
fn ensure_python(root: &Path) -> Result<PathBuf> {
    let venv = root.join("tests/.venv");
    let python = venv.join("bin/python");
    let requirements = root.join("tests/vendor_clients/requirements.txt");
    let stamp = venv.join(".requirements");
    let wanted = std::fs::read_to_string(&requirements)
        .map_err(|e| format!("cannot read {}: {e}", requirements.display()))?;
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) && python.exists() {
        return Ok(python);
    }
    if !python.exists() {
        sh(root, "python3", &["-m", "venv", venv.to_str().unwrap()])?;
    }
    let py = python.to_str().unwrap();
    sh(
        root,
        py,
        &[
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-r",
            requirements.to_str().unwrap(),
        ],
    )?;
    std::fs::write(&stamp, wanted).map_err(|e| e.to_string())?;
    Ok(python)
}

/// What the web UI's browser bundle needs (see host/server/build.rs): the
/// wasm32-unknown-unknown target and wasm-bindgen-cli at the version of the
/// wasm-bindgen crate in Cargo.lock (the two must match exactly).
fn ensure_web_bundle_tools(root: &Path) -> Result {
    let installed = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "wasm32-unknown-unknown")
        })
        .unwrap_or(false);
    if !installed {
        sh(root, "rustup", &["target", "add", "wasm32-unknown-unknown"])?;
    }
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| e.to_string())?;
    let version = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"wasm-bindgen\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = ")))
        .map(|v| v.trim_matches('"').to_string())
        .ok_or("Cargo.lock has no wasm-bindgen")?;
    let have = Command::new("wasm-bindgen")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    if have != format!("wasm-bindgen {version}") {
        // Not --locked: that fails on a registry gap here; the version pin is exact.
        sh(
            root,
            &cargo(),
            &[
                "install",
                "wasm-bindgen-cli",
                "--version",
                &format!("={version}"),
            ],
        )?;
    }
    Ok(())
}

/// Debian's Chromium and ChromeDriver, for the browser tests. Installed with apt when
/// missing and running as root; otherwise the tests say what to install.
fn ensure_browser(root: &Path) -> Result {
    let present = |p: &str| Path::new(p).exists();
    let wanted =
        std::env::var("TENURE_CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    if present(&wanted)
        && (present("/usr/bin/chromium") || std::env::var_os("TENURE_CHROMIUM").is_some())
    {
        return Ok(());
    }
    let root_user = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if !root_user || !has("apt-get", &["--version"]) {
        return Err(
            "the browser tests need Debian's chromium and chromium-driver: \
             `sudo apt-get install chromium chromium-driver`"
                .into(),
        );
    }
    sh(root, "apt-get", &["update", "-qq"])?;
    sh(
        root,
        "apt-get",
        &["install", "-y", "-qq", "chromium", "chromium-driver"],
    )
}

fn run(root: &Path, extra: &[String]) -> Result {
    ensure_wasm_target(root)?;
    ensure_web_bundle_tools(root)?;
    let mut args: Vec<&str> = vec!["run", "--release", "--package", "tenure", "--", "serve"];
    if extra.is_empty() {
        args.extend(["--demo", "--data-dir", "tenure-data"]);
    } else {
        args.extend(extra.iter().map(String::as_str));
    }
    sh(root, &cargo(), &args)
}

fn test(root: &Path) -> Result {
    ensure_wasm_target(root)?;
    ensure_web_bundle_tools(root)?;
    ensure_browser(root)?;
    let python = ensure_python(root)?;
    let cargo = cargo();
    // The host workspace (builds the plugins for wasm32-wasip2 on the way).
    if has(&cargo, &["nextest", "--version"]) {
        sh(
            root,
            &cargo,
            &["nextest", "run", "--workspace", "--no-fail-fast"],
        )?;
    } else {
        sh(root, &cargo, &["test", "--workspace", "--no-fail-fast"])?;
    }
    // The guest workspace's own unit tests (SDK helpers, connector mappings), natively.
    sh(
        root,
        &cargo,
        &[
            "test",
            "--manifest-path",
            "plugins/Cargo.toml",
            "--workspace",
            "--target-dir",
            "target/plugins-native",
        ],
    )?;
    // The fakes, checked with the vendors' official Python clients.
    sh(
        root,
        &cargo,
        &[
            "build",
            "--package",
            "tenure-fakes",
            "--bin",
            "tenure-fakes",
        ],
    )?;
    sh(
        root,
        python.to_str().unwrap(),
        &["-m", "pytest", "tests/vendor_clients", "-q"],
    )
}

fn lint(root: &Path) -> Result {
    ensure_wasm_target(root)?;
    ensure_web_bundle_tools(root)?;
    let cargo = cargo();
    sh(root, &cargo, &["fmt", "--all", "--check"])?;
    sh(
        root,
        &cargo,
        &[
            "fmt",
            "--all",
            "--check",
            "--manifest-path",
            "plugins/Cargo.toml",
        ],
    )?;
    sh(
        root,
        &cargo,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    )?;
    sh(
        root,
        &cargo,
        &[
            "clippy",
            "--manifest-path",
            "plugins/Cargo.toml",
            "--workspace",
            "--all-targets",
            "--target-dir",
            "target/plugins-native",
            "--",
            "-D",
            "warnings",
        ],
    )
}
