//! Set-up-and-go commands for a fresh machine. Each first installs what is missing
//! (idempotently), then builds and runs:
//!
//! - `cargo xtask run`: the appliance with a demo HR system, data in ./tenure-data.
//! - `cargo xtask test`: every test (Rust workspace with the browser tests in Debian's
//!   Chromium, guest SDK and plugins, and the vendor-client checks of the fakes).
//! - `cargo xtask lint`: rustfmt and clippy, as CI runs them.
//! - `cargo xtask bench [--quick] [--no-build]`: every performance figure beside its target (see
//!   `bench/mod.rs`).
//! - `cargo xtask package [--binary PATH] [--out DIR] [--check]`: the Debian package and
//!   the OCI image in target/package, and with `--check` proof that both work (see
//!   `package/mod.rs`).

mod bench;
mod package;

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
        Some("package") => package::package(&root, &args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <run [-- tenure serve args]|test|lint|bench [--quick] [--no-build]|package [--binary PATH] [--out DIR] [--check]>"
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

/// `npm ci` in `dir` (the single sign-on tests' OpenID Connect provider) when its
/// node_modules is missing or older than its package-lock.json. Without npm the tests
/// that need it say they were skipped (and fail under CI).
fn ensure_node_modules(root: &Path, dir: &str) -> Result {
    if !has("npm", &["--version"]) {
        eprintln!(
            "npm is not installed: the single sign-on tests will be skipped (install Node.js 20+)"
        );
        return Ok(());
    }
    let modified = |p: PathBuf| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let lock = modified(root.join(dir).join("package-lock.json"));
    let installed = modified(root.join(dir).join("node_modules/.package-lock.json"));
    if installed.is_none() || lock > installed {
        sh(
            root,
            "npm",
            &["ci", "--prefix", dir, "--no-audit", "--no-fund"],
        )?;
    }
    Ok(())
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
/// wasm32-unknown-unknown target. (wasm-bindgen is a build-dependency: nothing to install.)
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
    // The `demo` profile: optimized like a release, built minutes faster (no LTO); the
    // packages (`cargo xtask package`) ship the release profile.
    let mut args: Vec<&str> = vec![
        "run",
        "--profile",
        "demo",
        "--package",
        "tenure",
        "--",
        "serve",
    ];
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
    ensure_node_modules(root, "tests/oidc")?;
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
    )?;
    // A Python client generated from /api/v1/openapi.json works unedited against the
    // tenure binary the workspace tests built (target/debug/tenure).
    sh(
        root,
        python.to_str().unwrap(),
        &["-m", "pytest", "tests/openapi_client", "-q"],
    )?;
    // The .deb and the image, from the debug binary the tests built, installed and checked.
    package::check_after_tests(root)
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
