//! `tenure plugin list|install|remove|keygen|sign`.
//!
//! `install` and `remove` go through the running server's admin socket when there is
//! one (the plugin changes at once, after the same checks and approval as in the UI);
//! otherwise they change `<data dir>/plugins` for the next start.

use super::admin_client;
use crate::config::Config;
use crate::http::admin::SOCKET_NAME;
use crate::http::admin_plugins::RemoveRequest;
use crate::plugin_install::{Capabilities, Installed, Removed, Upload, install_offline};
use crate::plugins::{Origin, discover, is_bundled_id};
use anyhow::{Context, bail};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tenure_runtime::signature;
use tenure_runtime::{Manifest, MemoryStateStore, Runtime, RuntimeMetrics};

/// The private key file `keygen` writes.
pub const KEY_FILE: &str = "plugin-signing-key.pk8";

pub fn list(config: &Config) -> anyhow::Result<()> {
    let (candidates, problems) = discover(&config.server.data_dir);
    let trust = config.plugins.trust()?;
    println!(
        "{:<20} {:<10} {:<15} {:<10} {:<28} ALLOWED HOSTS",
        "ID", "VERSION", "WORLD", "ORIGIN", "SIGNATURE"
    );
    for c in &candidates {
        let m = &c.manifest;
        let origin = match c.origin {
            Origin::Bundled => "bundled".to_string(),
            Origin::Installed(_) => "installed".to_string(),
        };
        let signed = match trust.check(m, &c.manifest_text, &c.wasm) {
            Ok(s) => s.to_string(),
            Err(signature::SignatureError::Unsigned) => "unsigned (refused)".into(),
            Err(_) => "REFUSED (see below)".into(),
        };
        println!(
            "{:<20} {:<10} {:<15} {:<10} {:<28} {}",
            m.id,
            m.version,
            m.world.to_string(),
            origin,
            signed,
            m.allowed_hosts.join(", ")
        );
        if let Err(e) = trust.check(m, &c.manifest_text, &c.wasm) {
            eprintln!("warning: `{}` will not load: {e}", m.id);
        }
    }
    for p in problems {
        eprintln!("warning: {p}");
    }
    Ok(())
}

/// Whether a server answers on the admin socket of this data directory.
fn server_running(data_dir: &Path) -> bool {
    std::os::unix::net::UnixStream::connect(data_dir.join(SOCKET_NAME)).is_ok()
}

/// Reads a component and its manifest (found beside it unless given).
fn read_plugin(
    wasm_path: &Path,
    manifest_path: Option<&Path>,
) -> anyhow::Result<(PathBuf, String, Vec<u8>)> {
    let manifest_path = match manifest_path {
        Some(p) => p.to_path_buf(),
        None => manifest_beside(wasm_path)?,
    };
    let manifest_text = std::fs::read_to_string(&manifest_path)
        .with_context(|| format!("cannot read the manifest {}", manifest_path.display()))?;
    let wasm =
        std::fs::read(wasm_path).with_context(|| format!("cannot read {}", wasm_path.display()))?;
    Ok((manifest_path, manifest_text, wasm))
}

/// Installs a plugin. With a server running: stages it there, shows what it asks for,
/// and approves on `y` (or `--yes`). Without: checks it (signature, manifest,
/// compilation) and writes it into `<data dir>/plugins` for the next start.
pub async fn install(
    config: &Config,
    wasm_path: &Path,
    manifest_path: Option<&Path>,
    yes: bool,
) -> anyhow::Result<()> {
    let (manifest_path, manifest_text, wasm) = read_plugin(wasm_path, manifest_path)?;
    let data_dir = &config.server.data_dir;
    if server_running(data_dir) {
        return install_live(data_dir, manifest_text, &wasm, yes).await;
    }
    let manifest = Manifest::from_toml(&manifest_text)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("{} is not a valid manifest", manifest_path.display()))?;
    if is_bundled_id(&manifest.id) {
        bail!(
            "not installed: `{}` is the id of a bundled plugin (it would receive that plugin's \
             stored settings and secrets); give it another id in {}",
            manifest.id,
            manifest_path.display()
        );
    }
    let runtime = Runtime::new(
        config.runtime_config()?,
        Arc::new(MemoryStateStore::default()),
        RuntimeMetrics::default(),
    )
    .map_err(anyhow::Error::msg)?;
    let (manifest, signed) = install_offline(
        &config.plugins.trust()?,
        &runtime,
        data_dir,
        &manifest_text,
        &wasm,
    )
    .map_err(|e| {
        if e.starts_with("not installed") {
            anyhow::anyhow!(e)
        } else {
            anyhow::anyhow!("not installed: {e}")
        }
    })?;
    println!(
        "installed {} {} ({}, {signed}) into {}; it loads when tenure starts",
        manifest.id,
        manifest.version,
        manifest.world,
        data_dir.join("plugins").display()
    );
    Ok(())
}

async fn install_live(
    data_dir: &Path,
    manifest_text: String,
    wasm: &[u8],
    yes: bool,
) -> anyhow::Result<()> {
    let caps: Capabilities = admin_client::post(
        data_dir,
        "/plugins/install",
        &Upload::new(manifest_text, wasm),
    )
    .await
    .context("not installed")?;
    print!("{}", describe(&caps));
    let approve = if yes {
        true
    } else if std::io::stdin().is_terminal() {
        print!("Install? [y/N] ");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        matches!(answer.trim(), "y" | "Y" | "yes")
    } else {
        let _: () = admin_client::post(
            data_dir,
            &format!("/plugins/install/{}/cancel", caps.approval),
            &(),
        )
        .await?;
        bail!("not installed: pass --yes to install without a prompt");
    };
    if !approve {
        let _: () = admin_client::post(
            data_dir,
            &format!("/plugins/install/{}/cancel", caps.approval),
            &(),
        )
        .await?;
        println!("not installed");
        return Ok(());
    }
    let done: Installed = admin_client::post(
        data_dir,
        &format!("/plugins/install/{}/approve", caps.approval),
        &(),
    )
    .await?;
    match done.replaced {
        Some(old) => println!(
            "upgraded {} from {old} to {}; it runs now, with its settings",
            done.id, done.version
        ),
        None => println!(
            "installed {} {}; it runs now (fill in its settings under Settings → Integrations)",
            done.id, done.version
        ),
    }
    Ok(())
}

/// What a staged plugin asks for, as lines for a person.
pub fn describe(c: &Capabilities) -> String {
    let mut s = format!(
        "{} ({}) {}\n  world: {}\n",
        c.name, c.id, c.version, c.world
    );
    match &c.publisher {
        Some(p) => s.push_str(&format!("  signed by: {p} (trusted)\n")),
        None => s.push_str("  UNSIGNED: nobody vouches for this component\n"),
    }
    if let Some(r) = &c.replaces {
        s.push_str(&format!(
            "  replaces version {} (its settings and secrets are kept)\n",
            r.version
        ));
    }
    if c.allowed_hosts.is_empty() {
        s.push_str("  may reach: no host\n");
    }
    for h in &c.allowed_hosts {
        let new = c
            .replaces
            .as_ref()
            .is_some_and(|r| !r.allowed_hosts.contains(h));
        s.push_str(&format!(
            "  may reach: {h}{}\n",
            if new { " (new)" } else { "" }
        ));
    }
    let secrets: Vec<&str> = c
        .settings
        .iter()
        .filter(|x| x.secret)
        .map(|x| x.key.as_str())
        .collect();
    if !secrets.is_empty() {
        s.push_str(&format!("  asks for secrets: {}\n", secrets.join(", ")));
    }
    let others: Vec<&str> = c
        .settings
        .iter()
        .filter(|x| !x.secret)
        .map(|x| x.key.as_str())
        .collect();
    if !others.is_empty() {
        s.push_str(&format!("  settings: {}\n", others.join(", ")));
    }
    s
}

/// Removes an installed plugin: from the running server at once, else from the data
/// directory.
pub async fn remove(config: &Config, id: &str) -> anyhow::Result<()> {
    let data_dir = &config.server.data_dir;
    if server_running(data_dir) {
        let removed: Removed = admin_client::post(
            data_dir,
            "/plugins/remove",
            &RemoveRequest { id: id.into() },
        )
        .await?;
        println!("removed {} {}", removed.id, removed.version);
        return Ok(());
    }
    if is_bundled_id(id) {
        bail!("`{id}` is bundled with tenure and cannot be removed");
    }
    let (candidates, _) = discover(data_dir);
    let Some(Origin::Installed(path)) = candidates
        .into_iter()
        .find(|c| c.manifest.id == id)
        .map(|c| c.origin)
    else {
        bail!(
            "no plugin `{id}` is installed in {}",
            data_dir.join("plugins").display()
        );
    };
    for p in [path.clone(), path.with_extension("toml")] {
        std::fs::remove_file(&p).with_context(|| format!("cannot delete {}", p.display()))?;
    }
    println!("removed {id} ({})", path.display());
    Ok(())
}

/// Writes a new signing key into `out` and prints its public line.
pub fn keygen(out: &Path, publisher: &str) -> anyhow::Result<()> {
    let pkcs8 = signature::generate_pkcs8().map_err(anyhow::Error::msg)?;
    let public = signature::public_key(publisher, &pkcs8).map_err(anyhow::Error::msg)?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let path = out.join(KEY_FILE);
    let mut file = {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
        o.open(&path).with_context(|| {
            format!(
                "cannot create {} (an existing key is never replaced)",
                path.display()
            )
        })?
    };
    file.write_all(&pkcs8)?;
    file.sync_all()?;
    println!(
        "wrote the private key to {} (mode 0600; keep it secret, back it up)",
        path.display()
    );
    println!("appliances that trust your plugins add to [plugins] trusted_keys:");
    println!("  \"{}\"", public.line());
    Ok(())
}

/// Signs a plugin with a key from `keygen`: rewrites its manifest (temporary file and
/// rename) with `publisher` and `signature`.
pub fn sign(
    key: &Path,
    publisher: &str,
    wasm_path: &Path,
    manifest_path: Option<&Path>,
) -> anyhow::Result<()> {
    let (manifest_path, manifest_text, wasm) = read_plugin(wasm_path, manifest_path)?;
    let pkcs8 = std::fs::read(key).with_context(|| format!("cannot read {}", key.display()))?;
    let signed = signature::sign(&pkcs8, publisher, &wasm, &manifest_text)
        .map_err(|e| anyhow::anyhow!("cannot sign: {e}"))?;
    let manifest = Manifest::from_toml(&signed)
        .map_err(|e| anyhow::anyhow!("the signed manifest is not valid: {e}"))?;
    let tmp = manifest_path.with_extension("toml.tmp");
    std::fs::write(&tmp, &signed)
        .and_then(|()| std::fs::rename(&tmp, &manifest_path))
        .with_context(|| format!("cannot write {}", manifest_path.display()))?;
    let public = signature::public_key(publisher, &pkcs8).map_err(anyhow::Error::msg)?;
    println!(
        "signed {} {} as {publisher} in {}; trusted with \"{}\"",
        manifest.id,
        manifest.version,
        manifest_path.display(),
        public.line()
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
