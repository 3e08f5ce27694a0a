//! Security review (issue 9), findings 14 and 15: a lost or wrong secret key stops the
//! start with what to do; backups are readable by their owner only; an installed plugin
//! cannot take the id (and so the stored secrets) of a bundled or another plugin.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_tenure");
const SECRET: &str = "sk-live-never-in-a-message";

/// `tenure ARGS --data-dir DATA` without TENURE_SECRET_KEY, plus `env`.
fn tenure(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("TENURE_SECRET_KEY")
        .envs(env.iter().copied())
        .output()
        .expect("tenure runs")
}

/// The same, under `umask 022` (a plainly created file would be 0644).
fn tenure_umask_022(data: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "umask 022 && exec \"$0\" \"$@\"", BIN])
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("TENURE_SECRET_KEY");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `tenure serve` on any port, which must exit (within a minute) instead of serving.
fn serve_must_exit(data: &Path, env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .env_remove("TENURE_SECRET_KEY")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tenure runs");
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("tenure started although its secrets do not decrypt");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

/// Starting fails, and says why and what to do, without the secret's value.
fn refused(out: &Output, cause: &str) -> String {
    let err = text(&out.stderr);
    assert!(!out.status.success(), "started: {err}");
    for needle in [
        "refusing to start: the secret key cannot decrypt 1 stored secret(s): merge-hris/api_key",
        cause,
        "To keep them:",
        "TENURE_SECRET_KEY",
        "tenure secrets forget-unreadable",
    ] {
        assert!(err.contains(needle), "no {needle:?} in: {err}");
    }
    assert!(!err.contains(SECRET), "{err}");
    err
}

#[test]
fn a_lost_or_wrong_secret_key_stops_the_start_until_restored_or_forgotten() {
    tenure_runtime::install_crypto_provider();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let key_file = data.join("secret.key");
    tenure::app::open_store(&data)
        .unwrap()
        .set_secret("merge-hris", "api_key", SECRET)
        .unwrap();
    let original = std::fs::read(&key_file).unwrap();

    // The key file is deleted: no new key is made behind the operator's back.
    std::fs::remove_file(&key_file).unwrap();
    refused(&serve_must_exit(&data, &[]), "secret.key is missing");
    assert!(
        !key_file.exists(),
        "the refused start left a new key behind"
    );
    let mut config = tenure::config::Config::default();
    config.server.data_dir = data.clone();
    let err = tenure::app::AppState::build(&config, false).err().unwrap();
    assert!(format!("{err:#}").contains("refusing to start"), "{err:#}");

    // Another key, in the file or in the environment.
    let other = format!("{}\n", "ab".repeat(32));
    std::fs::write(&key_file, &other).unwrap();
    refused(
        &serve_must_exit(&data, &[]),
        "secret.key is not the key they were stored with",
    );
    refused(
        &serve_must_exit(&data, &[("TENURE_SECRET_KEY", &"cd".repeat(32))]),
        "TENURE_SECRET_KEY is not the key they were stored with",
    );

    // The original key back: everything reads, nothing is discarded.
    std::fs::write(&key_file, &original).unwrap();
    let out = tenure(&data, &["secrets", "forget-unreadable"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("nothing discarded"));
    let store = tenure::key_check::open_store_checked(&data).unwrap();
    assert_eq!(
        store.secret("merge-hris", "api_key").unwrap().as_deref(),
        Some(SECRET)
    );
    drop(store);

    // Starting over with the other key: the unreadable secret is discarded, by name.
    std::fs::write(&key_file, &other).unwrap();
    let out = tenure(&data, &["secrets", "forget-unreadable"], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("discarded merge-hris/api_key"), "{stdout}");
    assert!(!stdout.contains(SECRET));
    let state = tenure::app::AppState::build(&config, false).unwrap();
    assert!(state.store.secret_names("merge-hris").unwrap().is_empty());
    // ... and the new key is now the store's key.
    state
        .store
        .set_secret("merge-hris", "api_key", "new")
        .unwrap();
}

#[test]
fn a_store_without_secrets_starts_with_any_key() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    tenure::app::open_store(&data)
        .unwrap()
        .set_setting("merge-hris", "base_url", "https://api.merge.dev")
        .unwrap();
    std::fs::remove_file(data.join("secret.key")).unwrap();
    let store = tenure::key_check::open_store_checked(&data).unwrap();
    assert!(data.join("secret.key").exists(), "a new key is made");
    assert!(store.setting("merge-hris", "base_url").unwrap().is_some());
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
/// `tenure serve` under umask 022, until dropped.
struct Serving(std::process::Child);

#[cfg(unix)]
impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[cfg(unix)]
#[test]
fn backups_are_readable_by_their_owner_only_whatever_the_umask() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    tenure::app::open_store(&data)
        .unwrap()
        .set_secret("merge-hris", "api_key", SECRET)
        .unwrap();

    // Directly, with no server holding the database.
    let direct = dir.path().join("direct.redb");
    let out = tenure_umask_022(&data, &["backup", direct.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        mode(&direct),
        0o600,
        "direct backup mode {:o}",
        mode(&direct)
    );

    // Through the admin socket of a running server (which writes the file).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = Serving(
        tenure_umask_022(&data, &["serve", "--listen", &listen])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
    );
    let started = Instant::now();
    while !(data.join("admin.sock").exists()
        && std::net::TcpStream::connect(("127.0.0.1", port)).is_ok())
    {
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!("tenure serve exited: {status}");
        }
        assert!(started.elapsed() < Duration::from_secs(120), "never served");
        std::thread::sleep(Duration::from_millis(50));
    }
    let online: PathBuf = dir.path().join("online.redb");
    let out = tenure_umask_022(&data, &["backup", online.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        mode(&online),
        0o600,
        "online backup mode {:o}",
        mode(&online)
    );
    drop(server);
}

/// Writes `<name>.wasm` and `<name>.toml` into `<data>/plugins`.
fn install_by_hand(data: &Path, name: &str, manifest: &str, wasm: &[u8]) -> PathBuf {
    let dir = data.join("plugins");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.toml")), manifest).unwrap();
    let path = dir.join(format!("{name}.wasm"));
    std::fs::write(&path, wasm).unwrap();
    path
}

#[test]
fn an_installed_plugin_may_not_take_a_bundled_or_installed_plugins_id() {
    tenure_runtime::install_crypto_provider();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let hostile = tenure_plugins::TESTING
        .iter()
        .find(|p| p.manifest.contains("id = \"hostile\""))
        .expect("the hostile test plugin is built");
    let impostor_manifest = hostile
        .manifest
        .replace("id = \"hostile\"", "id = \"merge-hris\"");
    let impostor = install_by_hand(&data, "impostor", &impostor_manifest, hostile.wasm);
    let first = install_by_hand(&data, "a-hostile", hostile.manifest, hostile.wasm);
    let second = install_by_hand(&data, "b-hostile", hostile.manifest, hostile.wasm);

    let (candidates, problems) = tenure::plugins::discover(&data);
    let origin = |id: &str| {
        let c = candidates.iter().find(|c| c.manifest.id == id).unwrap();
        c.origin.to_string()
    };
    assert_eq!(origin("merge-hris"), "bundled");
    assert_eq!(origin("hostile"), first.display().to_string());
    let bundled_taken = format!(
        "plugin not loaded: `merge-hris` in {} has the id of a bundled plugin",
        impostor.display()
    );
    let installed_taken = format!(
        "plugin not loaded: `hostile` in {} has the id of the plugin installed in {}",
        second.display(),
        first.display()
    );
    for expected in [&bundled_taken, &installed_taken] {
        assert!(
            problems.iter().any(|p| p.starts_with(expected.as_str())),
            "{expected:?} not in {problems:#?}"
        );
    }
    assert!(problems.iter().all(|p| p.ends_with("give it another id")));

    // Loading lists the refusals, and the bundled plugin is the one loaded.
    let runtime = tenure_runtime::Runtime::new(
        tenure_runtime::RuntimeConfig::default(),
        Arc::new(tenure_runtime::MemoryStateStore::default()),
        tenure_runtime::RuntimeMetrics::default(),
    )
    .unwrap();
    let set = tenure::plugins::PluginSet::load(&runtime, &data);
    assert!(set.failed().iter().any(|f| f.starts_with(&bundled_taken)));
    assert!(set.failed().iter().any(|f| f.starts_with(&installed_taken)));
    let merge = set.get("merge-hris").unwrap();
    assert_ne!(merge.manifest().name, "Hostile test plugin");

    // `tenure plugin install` refuses a bundled id up front.
    let src = dir.path().join("impostor.wasm");
    std::fs::write(&src, hostile.wasm).unwrap();
    std::fs::write(dir.path().join("impostor.toml"), &impostor_manifest).unwrap();
    let out = tenure(
        &dir.path().join("other-data"),
        &["plugin", "install", src.to_str().unwrap()],
        &[],
    );
    let err = text(&out.stderr);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("not installed: `merge-hris` is the id of a bundled plugin"),
        "{err}"
    );
}
