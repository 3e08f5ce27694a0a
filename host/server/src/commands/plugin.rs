//! `tenure plugin list|install`.

use crate::config::Config;
use crate::plugins::discover;
use anyhow::{Context, bail};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tenure_runtime::{Manifest, MemoryStateStore, Runtime, RuntimeMetrics};

pub fn list(config: &Config) -> anyhow::Result<()> {
    let (candidates, problems) = discover(&config.server.data_dir);
    println!(
        "{:<20} {:<10} {:<15} {:<10} ALLOWED HOSTS",
        "ID", "VERSION", "WORLD", "ORIGIN"
    );
    for c in &candidates {
        let m = &c.manifest;
        let origin = match c.origin {
            crate::plugins::Origin::Bundled => "bundled".to_string(),
            crate::plugins::Origin::Installed(_) => "installed".to_string(),
        };
        println!(
            "{:<20} {:<10} {:<15} {:<10} {}",
            m.id,
            m.version,
            m.world.to_string(),
            origin,
            m.allowed_hosts.join(", ")
        );
    }
    for p in problems {
        eprintln!("warning: {p}");
    }
    Ok(())
}

/// Checks the component loads (contract version, world, imports) before copying it
/// into `<data dir>/plugins`. A running server picks it up at its next start.
pub fn install(
    config: &Config,
    wasm_path: &Path,
    manifest_path: Option<&Path>,
) -> anyhow::Result<()> {
    let manifest_path = match manifest_path {
        Some(p) => p.to_path_buf(),
        None => manifest_beside(wasm_path)?,
    };
    let manifest_text = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("cannot read the manifest {}", manifest_path.display()))?;
    let manifest = Manifest::from_toml(&manifest_text)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("{} is not a valid manifest", manifest_path.display()))?;
    if crate::plugins::is_bundled_id(&manifest.id) {
        bail!(
            "not installed: `{}` is the id of a bundled plugin (it would receive that plugin's \
             stored settings and secrets); give it another id in {}",
            manifest.id,
            manifest_path.display()
        );
    }
    let wasm =
        std::fs::read(wasm_path).with_context(|| format!("cannot read {}", wasm_path.display()))?;
    let runtime = Runtime::new(
        config.runtime_config()?,
        Arc::new(MemoryStateStore::default()),
        RuntimeMetrics::default(),
    )
    .map_err(anyhow::Error::msg)?;
    if let Err(e) = runtime.load(manifest.clone(), &wasm) {
        bail!("not installed: {e}");
    }
    let dir = config.server.data_dir.join("plugins");
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    std::fs::write(dir.join(format!("{}.wasm", manifest.id)), &wasm)?;
    std::fs::write(dir.join(format!("{}.toml", manifest.id)), manifest_text)?;
    println!(
        "installed {} {} ({}) into {}; restart tenure to load it",
        manifest.id,
        manifest.version,
        manifest.world,
        dir.display()
    );
    Ok(())
}

/// The manifest of a component given without `--manifest`: `<file stem>.toml` beside
/// it (`acme.wasm` → `acme.toml`), else `manifest.toml` in the same folder (as a plugin
/// crate keeps it). Without either, the error names both paths and the option.
pub fn manifest_beside(wasm_path: &Path) -> anyhow::Result<PathBuf> {
    let named = wasm_path.with_extension("toml");
    let generic = wasm_path
        .parent()
        .unwrap_or(Path::new(""))
        .join("manifest.toml");
    for candidate in [&named, &generic] {
        if candidate.is_file() {
            return Ok(candidate.clone());
        }
    }
    bail!(
        "no manifest found for {}: looked for {} and {}; pass --manifest <path>",
        wasm_path.display(),
        named.display(),
        generic.display()
    )
}

#[cfg(test)]
mod tests {
    use super::manifest_beside;

    #[test]
    fn the_manifest_is_found_by_the_file_stem_then_as_manifest_toml() {
        let dir = tempfile::tempdir().unwrap();
        let wasm = dir.path().join("acme_connector.wasm");
        std::fs::write(&wasm, b"").unwrap();

        let err = manifest_beside(&wasm).unwrap_err().to_string();
        let named = dir.path().join("acme_connector.toml");
        let generic = dir.path().join("manifest.toml");
        assert_eq!(
            err,
            format!(
                "no manifest found for {}: looked for {} and {}; pass --manifest <path>",
                wasm.display(),
                named.display(),
                generic.display()
            )
        );

        std::fs::write(&generic, "").unwrap();
        assert_eq!(manifest_beside(&wasm).unwrap(), generic);
        std::fs::write(&named, "").unwrap();
        assert_eq!(manifest_beside(&wasm).unwrap(), named, "the stem's wins");
    }
}
