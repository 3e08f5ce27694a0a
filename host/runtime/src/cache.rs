//! Compiled components, cached on disk: compiling takes ~0.5 s per plugin, loading
//! a cached artifact a few milliseconds. The key is the wasm's SHA-256 and the
//! engine's compatibility hash (wasmtime version and settings), so a new tenure or a
//! changed setting never loads a stale artifact.

use sha2::{Digest, Sha256};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use wasmtime::Engine;
use wasmtime::component::Component;

fn path_for(engine: &Engine, dir: &Path, wasm: &[u8]) -> PathBuf {
    let mut engine_hash = std::collections::hash_map::DefaultHasher::new();
    engine
        .precompile_compatibility_hash()
        .hash(&mut engine_hash);
    let wasm_hash = hex::encode(Sha256::digest(wasm));
    dir.join(format!(
        "{}-{:016x}.cwasm",
        &wasm_hash[..32],
        engine_hash.finish()
    ))
}

pub(crate) fn load(engine: &Engine, dir: &Path, wasm: &[u8]) -> Option<Component> {
    let path = path_for(engine, dir, wasm);
    if !path.exists() {
        return None;
    }
    // SAFETY: the file lives in the appliance's own cache folder and was written by
    // `store` below from `Engine::precompile`-equivalent output of this same engine
    // configuration (the name carries the compatibility hash). wasmtime still checks
    // the header and refuses an artifact from another version or configuration.
    #[allow(unsafe_code)]
    match unsafe { Component::deserialize_file(engine, &path) } {
        Ok(c) => Some(c),
        Err(e) => {
            tracing::warn!(path = %path.display(), "ignoring unusable compiled plugin: {e:#}");
            let _ = std::fs::remove_file(&path);
            None
        }
    }
}

pub(crate) fn store(engine: &Engine, dir: &Path, wasm: &[u8], component: &Component) {
    let path = path_for(engine, dir, wasm);
    let result = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let bytes = component
            .serialize()
            .map_err(|e| std::io::Error::other(format!("{e:#}")))?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &path)
    })();
    if let Err(e) = result {
        tracing::warn!(dir = %dir.display(), "could not cache a compiled plugin: {e}");
    }
}
