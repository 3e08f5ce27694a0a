//! Builds the web UI's browser bundle (the Leptos islands of `tenure-web`) and leaves it
//! in OUT_DIR/pkg for the binary to embed: `cargo rustc --crate-type cdylib` for
//! wasm32-unknown-unknown into `<target>/web-bundle`, then wasm-bindgen (the library,
//! a build-dependency, so nothing else is installed) for `--target web`.
//!
//! Needs the `wasm32-unknown-unknown` target; `cargo xtask` adds it.
//! `TENURE_WEB_BUNDLE=off` builds without the bundle: every page still works as plain
//! HTML forms, only the islands do not react until the form is posted.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

const TARGET: &str = "wasm32-unknown-unknown";

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let root = manifest_dir.join("../..").canonicalize().unwrap();
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("pkg");
    std::fs::create_dir_all(&out).unwrap();
    println!("cargo:rerun-if-env-changed=TENURE_WEB_BUNDLE");
    watch(&root.join("web/src"));
    println!(
        "cargo:rerun-if-changed={}",
        root.join("web/Cargo.toml").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        root.join("Cargo.lock").display()
    );

    let js = out.join("tenure_web.js");
    let wasm = out.join("tenure_web_bg.wasm");
    if env::var("TENURE_WEB_BUNDLE").is_ok_and(|v| v == "off") {
        println!("cargo:warning=TENURE_WEB_BUNDLE=off: building without the browser bundle");
        std::fs::write(&js, "").unwrap();
        std::fs::write(&wasm, "").unwrap();
        return;
    }
    // OUT_DIR is <target>/<profile>/build/<pkg>-<hash>/out.
    let target_root = PathBuf::from(env::var("OUT_DIR").unwrap())
        .ancestors()
        .nth(4)
        .unwrap()
        .to_path_buf();
    let bundle_target = target_root.join("web-bundle");
    let cargo = env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(&root)
        .args(["rustc", "--package", "tenure-web", "--lib", "--release"])
        .args([
            "--target",
            TARGET,
            "--features",
            "hydrate",
            "--crate-type",
            "cdylib",
        ])
        // Small and quick to build: size over speed, no LTO.
        .args(["--config", "profile.release.opt-level=\"z\""])
        .args(["--config", "profile.release.lto=false"])
        .args(["--config", "profile.release.codegen-units=16"]);
    // The host build's flags and wrappers are not the bundle's.
    for var in [
        "RUSTFLAGS",
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTC_WORKSPACE_WRAPPER",
        "RUSTC_WRAPPER",
        "CARGO_BUILD_TARGET",
        "CARGO_PRIMARY_PACKAGE",
        "CARGO_BUILD_RUSTFLAGS",
        "CARGO_MAKEFLAGS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("CARGO_TARGET_DIR", &bundle_target);
    let status = cmd.status().expect("running cargo for the web bundle");
    if !status.success() {
        panic!(
            "building the web UI's browser bundle failed (see above). If the target is \
             missing: `rustup target add {TARGET}` (or `cargo xtask test`, which installs \
             it); to build without the bundle: TENURE_WEB_BUNDLE=off"
        );
    }
    let built = bundle_target.join(TARGET).join("release/tenure_web.wasm");
    // wasm-bindgen as a library, at the exact version of the `wasm-bindgen` crate the
    // bundle links (pinned in Cargo.toml): no separate CLI to install.
    let generated = wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&built)
        .web(true)
        .and_then(|b| b.typescript(false).out_name("tenure_web").generate(&out));
    if let Err(e) = generated {
        panic!("wasm-bindgen could not prepare the browser bundle: {e:#}");
    }
    assert!(
        js.is_file() && wasm.is_file(),
        "wasm-bindgen wrote no bundle"
    );
}

/// Asks cargo to rerun when any file below `dir` changes.
fn watch(dir: &Path) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            watch(&p);
        } else {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
}
