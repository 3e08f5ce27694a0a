//! Builds the guest workspace in `plugins/` for wasm32-wasip2 and embeds the result.
//!
//! The guests are their own cargo workspace (they cannot be native members), built by
//! a nested cargo into `<target>/plugins` so every profile of the host shares one guest
//! build. Reruns only when a file under `plugins/` or `wit/` changes.
//!
//! Each plugin built here is signed with an ed25519 key pair made for this build (its
//! private half is never written anywhere, so only this build's plugins can carry its
//! signature); the public half is embedded as `BUNDLED_PUBLISHER_KEY`, publisher
//! `tenure-bundled`, and the host verifies bundled plugins at load like any other.

use std::env;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

// The same code signs here and verifies in the host.
#[path = "../runtime/src/signature.rs"]
#[allow(dead_code)]
mod signature;

const TARGET: &str = "wasm32-wasip2";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.join("../..").canonicalize().unwrap();
    let plugins = root.join("plugins");
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    // OUT_DIR is <target>/<profile>/build/<pkg>-<hash>/out.
    let target_root = out_dir.ancestors().nth(4).unwrap().to_path_buf();
    let guest_target = target_root.join("plugins");

    watch(&plugins);
    watch(&root.join("wit"));
    println!(
        "cargo:rerun-if-changed={}",
        manifest_dir.join("../runtime/src/signature.rs").display()
    );

    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&plugins)
        .args(["build", "--release", "--workspace", "--target", TARGET])
        .arg("--manifest-path")
        .arg(plugins.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", &guest_target);
    // The host build's flags and wrappers are not the guests'.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
        "CARGO_BUILD_TARGET",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_RUSTFLAGS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("CARGO_TARGET_DIR", &guest_target);
    let status = cmd.status().expect("running cargo for the plugins");
    if !status.success() {
        panic!(
            "building the plugins for {TARGET} failed (see above). If the target is missing, \
             run `rustup target add {TARGET}` or `cargo xtask test`, which installs it."
        );
    }

    let wasm_dir = guest_target.join(TARGET).join("release");
    let pkcs8 = signature::generate_pkcs8().expect("an ed25519 key for the bundled plugins");
    let public = signature::public_key(signature::BUNDLED_PUBLISHER, &pkcs8).unwrap();
    let signer = Signer {
        pkcs8,
        out_dir: out_dir.clone(),
    };
    let mut code = format!(
        "/// The public key (ed25519, 32 bytes) that signed the bundled plugins in this build,\n\
         /// publisher `{}`. Its private half existed only during the build.\n\
         pub const BUNDLED_PUBLISHER_KEY: [u8; 32] = {:?};\n\n",
        signature::BUNDLED_PUBLISHER,
        public.public_key
    );
    code.push_str("/// Plugins bundled into the binary.\npub const BUNDLED: &[Bundled] = &[\n");
    for dir in plugin_dirs(&plugins) {
        code.push_str(&entry(&dir, &wasm_dir, &signer));
    }
    code.push_str("];\n\n/// Test-only plugins of `plugins/testing`: misbehaving ones for the sandbox tests, and\n/// ones built for older contract versions for the adapter tests.\n#[cfg(feature = \"testing\")]\npub const TESTING: &[Bundled] = &[\n");
    for dir in plugin_dirs(&plugins.join("testing")) {
        code.push_str(&entry(&dir, &wasm_dir, &signer));
    }
    code.push_str("];\n");
    std::fs::write(out_dir.join("bundled.rs"), code).unwrap();
}

/// Folders directly under `dir` with a `manifest.toml` and a `Cargo.toml`, except
/// those whose `Cargo.toml` opts out of bundling (templates, examples).
fn plugin_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("manifest.toml").is_file() && p.join("Cargo.toml").is_file())
        .filter(|p| bundled(&std::fs::read_to_string(p.join("Cargo.toml")).unwrap_or_default()))
        .collect();
    dirs.sort();
    dirs
}

/// False when the crate says `bundle = false` in its `[package.metadata.tenure]`
/// table (plugins/template-app does: it is built and tested, never shipped).
fn bundled(cargo_toml: &str) -> bool {
    let mut in_table = false;
    for line in cargo_toml.lines().map(str::trim) {
        if line.starts_with('[') {
            in_table = line == "[package.metadata.tenure]";
        } else if in_table
            && line
                .split_once('=')
                .is_some_and(|(k, v)| k.trim() == "bundle" && v.trim() == "false")
        {
            return false;
        }
    }
    true
}

/// Signs bundled plugins with the build's key.
struct Signer {
    pkcs8: Vec<u8>,
    out_dir: PathBuf,
}

impl Signer {
    /// Signs `dir`'s plugin: writes a copy of its component (so a later guest build
    /// cannot change the bytes under the signature) and its signed manifest into
    /// `OUT_DIR`, and returns their paths.
    fn sign(&self, dir: &Path, wasm: &Path) -> (PathBuf, PathBuf) {
        let text = std::fs::read_to_string(dir.join("manifest.toml")).unwrap();
        let bytes = std::fs::read(wasm).unwrap();
        let signed = signature::sign(&self.pkcs8, signature::BUNDLED_PUBLISHER, &bytes, &text)
            .unwrap_or_else(|e| panic!("signing {}: {e}", dir.display()));
        let parent = dir.parent().and_then(Path::file_name).unwrap_or_default();
        let name = format!(
            "{}-{}",
            parent.to_string_lossy(),
            dir.file_name().unwrap().to_string_lossy()
        );
        let manifest_path = self.out_dir.join(format!("{name}.manifest.toml"));
        let wasm_path = self.out_dir.join(format!("{name}.wasm"));
        std::fs::write(&manifest_path, signed).unwrap();
        std::fs::write(&wasm_path, bytes).unwrap();
        (manifest_path, wasm_path)
    }
}

fn entry(dir: &Path, wasm_dir: &Path, signer: &Signer) -> String {
    let cargo_toml = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let name = cargo_toml
        .lines()
        .find_map(|l| l.trim().strip_prefix("name = "))
        .map(|n| n.trim().trim_matches('"').to_string())
        .expect("a package name");
    let wasm = wasm_dir.join(format!("{}.wasm", name.replace('-', "_")));
    assert!(
        wasm.is_file(),
        "expected {} after the build",
        wasm.display()
    );
    let (manifest, wasm) = signer.sign(dir, &wasm);
    let mut s = String::new();
    writeln!(
        s,
        "    Bundled {{ manifest: include_str!({:?}), wasm: include_bytes!({:?}) }},",
        manifest, wasm
    )
    .unwrap();
    s
}

/// Asks cargo to rerun when any source file below `dir` changes (build output excluded).
fn watch(dir: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "target") {
                continue;
            }
            watch(&p);
        } else {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
}
