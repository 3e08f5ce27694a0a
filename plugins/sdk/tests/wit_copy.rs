//! The SDK carries its own copy of the contract (`plugins/sdk/wit/`), so that a plugin
//! depends on one crate and nothing reaches into the project's `wit/`. This test keeps
//! the copy identical to the frozen version it copies (`wit/v<WIT_VERSION>`): edit the
//! project's WIT, then copy it here (`cp wit/v0.2.0/*.wit plugins/sdk/wit/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn wit_files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "wit"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

fn sdk_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_sdks_wit_is_the_projects_frozen_version() {
    let copy = wit_files(&sdk_dir().join("wit"));
    let source = sdk_dir()
        .join("../../wit")
        .join(format!("v{}", tenure_sdk::WIT_VERSION));
    if !source.is_dir() {
        // A packaged SDK (crates.io, a vendored copy) has no project around it.
        eprintln!(
            "skipped: {} is not here (the SDK is outside the Tenure repository)",
            source.display()
        );
        return;
    }
    let original = wit_files(&source);
    assert_eq!(
        copy.keys().collect::<Vec<_>>(),
        original.keys().collect::<Vec<_>>(),
        "plugins/sdk/wit/ must hold the same files as {}",
        source.display()
    );
    for (name, text) in &original {
        assert!(
            copy[name] == *text,
            "plugins/sdk/wit/{name} differs from {}/{name}: copy it again \
             (cp wit/v{v}/*.wit plugins/sdk/wit/)",
            source.display(),
            v = tenure_sdk::WIT_VERSION
        );
    }
}

#[test]
fn wit_version_names_the_package_in_the_copy() {
    let copy = wit_files(&sdk_dir().join("wit"));
    let line = format!("package tenure:plugin@{};", tenure_sdk::WIT_VERSION);
    for (name, text) in copy {
        assert!(
            text.lines().any(|l| l.trim() == line),
            "{name} does not declare `{line}`"
        );
    }
}
