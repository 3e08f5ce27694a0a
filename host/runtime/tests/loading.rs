//! What the runtime refuses to load, and why it says so.

mod common;

use common::*;
use tenure_runtime::{LoadError, World};

#[test]
fn a_component_whose_exports_do_not_match_its_world_is_refused() {
    let (rt, _) = strict_runtime();
    let (mut manifest, wasm) = hostile();
    manifest.world = World::AppConnector;
    let err = rt.load(manifest, wasm).unwrap_err();
    assert!(matches!(err, LoadError::WorldMismatch { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("app-connector") && msg.contains("hr-source"),
        "{msg}"
    );
}

#[test]
fn bytes_that_are_not_a_component_are_refused() {
    let (rt, _) = strict_runtime();
    let (manifest, _) = hostile();
    let err = rt.load(manifest.clone(), b"not wasm at all").unwrap_err();
    assert!(err.to_string().contains("not WebAssembly"), "{err}");
    // A core module (not a component).
    let core = b"\0asm\x01\0\0\0";
    assert!(matches!(
        rt.load(manifest, core),
        Err(LoadError::NotAComponent { .. })
    ));
}

#[test]
fn a_component_for_an_unknown_contract_version_is_refused_with_what_to_do() {
    let (rt, _) = strict_runtime();
    let (manifest, wasm) = hostile();
    // The same component with the minor of its contract version in the export name
    // made 9 (one byte, so the binary stays well-formed): `hr-source@0.9.x`.
    let prefix = b"tenure:plugin/hr-source@0.";
    let mut bytes = wasm.to_vec();
    let mut replaced = 0;
    for i in 0..bytes.len().saturating_sub(prefix.len()) {
        if bytes[i..].starts_with(prefix) {
            bytes[i + prefix.len()] = b'9';
            replaced += 1;
        }
    }
    assert!(replaced > 0, "the hostile plugin exports hr-source@0.x");
    let err = rt.load(manifest, &bytes).unwrap_err();
    assert!(matches!(err, LoadError::Version { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("@0.9.") && msg.contains("upgrade tenure"),
        "{msg}"
    );
}

#[test]
fn compiled_components_are_cached_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let (rt, _) = runtime_with(tenure_runtime::RuntimeConfig {
        cache_dir: Some(dir.path().to_path_buf()),
        ..Default::default()
    });
    let (manifest, wasm) = hostile();
    rt.load(manifest.clone(), wasm).unwrap();
    let cached: Vec<_> = std::fs::read_dir(dir.path()).unwrap().flatten().collect();
    assert_eq!(cached.len(), 1, "one artifact written");
    // Loading again uses the artifact (and a corrupt one is ignored, not fatal).
    rt.load(manifest.clone(), wasm).unwrap();
    std::fs::write(cached[0].path(), b"garbage").unwrap();
    rt.load(manifest, wasm).unwrap();
}

#[test]
fn every_bundled_plugin_loads() {
    let (rt, _) = strict_runtime();
    for b in tenure_plugins::BUNDLED {
        let manifest = tenure_runtime::Manifest::from_toml(b.manifest).unwrap();
        let id = manifest.id.clone();
        let p = rt
            .load(manifest, b.wasm)
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        // 0.1 until the SDK moves to 0.2, then 0.2: both run.
        let v = p.contract_version();
        assert!(
            tenure_runtime::version::check(v).is_ok(),
            "{id} is built for {v}"
        );
    }
}
