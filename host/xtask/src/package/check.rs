//! `cargo xtask package --check`: proves the packages as an administrator would meet
//! them. The .deb's fields and file list; its install, upgrade (with a changed
//! configuration and data present), remove and purge in a throwaway root with dpkg
//! itself; its unit through `systemd-analyze verify`; the image layout's digests,
//! sizes, user and files; and the binary run on nothing but the image's libraries.

use std::collections::BTreeMap;
use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::deb::{self, FILES, SCRIPTS};
use super::oci::{self, CONFIG_TYPE, LAYER_TYPE, MANIFEST_TYPE};
use super::{Build, output, remove_dir};
use crate::Result;

pub(super) fn check(
    root: &Path,
    build: &Build,
    deb_file: &Path,
    layout: &Path,
    out: &Path,
) -> Result {
    let work = out.join("check");
    remove_dir(&work)?;
    std::fs::create_dir_all(&work).map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    let mut summary = Vec::new();

    let problems = unit_problems(&read(&root.join("packaging/tenure.service"))?);
    if !problems.is_empty() {
        return Err(format!("tenure.service: {}", problems.join("; ")));
    }
    deb_fields(build, deb_file)?;
    deb_contents(deb_file)?;
    summary.push(format!(
        "{}: fields, {} files (root-owned, modes as shipped), maintainer scripts",
        file_name(deb_file),
        FILES.len()
    ));
    summary.extend(deb_lifecycle(deb_file, &work)?);
    summary.extend(image(build, layout, &work)?);

    remove_dir(&work)?;
    eprintln!("package check:");
    for line in summary {
        eprintln!("  ok  {line}");
    }
    Ok(())
}

/// What the unit must say (and must not): the hardening the package promises.
pub(super) fn unit_problems(unit: &str) -> Vec<String> {
    let lines: Vec<&str> = unit.lines().map(str::trim).collect();
    let mut problems = Vec::new();
    for wanted in [
        "User=tenure",
        "ExecStart=/usr/bin/tenure serve --config /etc/tenure/tenure.toml",
        "ExecReload=/bin/kill -HUP $MAINPID",
        "Environment=TENURE_DATA_DIR=/var/lib/tenure",
        "StateDirectory=tenure",
        "StateDirectoryMode=0700",
        "ConfigurationDirectory=tenure",
        "UMask=0077",
        "Restart=on-failure",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "PrivateDevices=yes",
        "ProtectKernelTunables=yes",
        "ProtectKernelModules=yes",
        "ProtectKernelLogs=yes",
        "ProtectControlGroups=yes",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "RestrictNamespaces=yes",
        "LockPersonality=yes",
        "SystemCallArchitectures=native",
        "CapabilityBoundingSet=CAP_NET_BIND_SERVICE",
        "AmbientCapabilities=CAP_NET_BIND_SERVICE",
        "WantedBy=multi-user.target",
    ] {
        if !lines.contains(&wanted) {
            problems.push(format!("missing `{wanted}`"));
        }
    }
    // wasmtime writes plugin code and then makes it executable.
    for refused in [
        "MemoryDenyWriteExecute=",
        "DynamicUser=yes",
        "PrivateUsers=",
    ] {
        if lines.iter().any(|l| l.starts_with(refused)) {
            problems.push(format!("`{refused}` breaks tenure"));
        }
    }
    problems
}

fn deb_fields(build: &Build, deb_file: &Path) -> Result {
    let info = output("dpkg-deb", &["--info", &deb_file.display().to_string()])?;
    let version = deb::deb_version(&build.version);
    for field in [
        "Package: tenure".to_string(),
        format!("Version: {version}"),
        format!("Architecture: {}", build.deb_arch),
        "Depends: libc6".to_string(),
        "Maintainer: ".to_string(),
        "Description: ".to_string(),
    ] {
        if !info.lines().any(|l| l.trim_start().starts_with(&field)) {
            return Err(format!("dpkg-deb --info shows no `{field}`:\n{info}"));
        }
    }
    for member in SCRIPTS.iter().chain(&["conffiles", "control"]) {
        let listed = info
            .lines()
            .any(|l| l.contains(" bytes,") && l.split_whitespace().any(|w| w == *member));
        if !listed {
            return Err(format!("the package has no {member}:\n{info}"));
        }
    }
    let conffiles = output(
        "dpkg-deb",
        &["--info", &deb_file.display().to_string(), "conffiles"],
    )?;
    if conffiles.trim() != format!("/{}", deb::CONFIG) {
        return Err(format!("conffiles is `{}`", conffiles.trim()));
    }
    Ok(())
}

/// `ls -l`'s spelling of a regular file's mode.
pub(super) fn mode_string(mode: u32) -> String {
    let mut s = String::from("-");
    for shift in [6, 3, 0] {
        let bits = (mode >> shift) & 7;
        s.push(if bits & 4 != 0 { 'r' } else { '-' });
        s.push(if bits & 2 != 0 { 'w' } else { '-' });
        s.push(if bits & 1 != 0 { 'x' } else { '-' });
    }
    s
}

/// `dpkg-deb --contents` (tar -tv) lines: path → (mode string, owner).
pub(super) fn parse_listing(text: &str) -> BTreeMap<String, (String, String)> {
    text.lines()
        .filter_map(|line| {
            let mut words = line.split_whitespace();
            let mode = words.next()?.to_string();
            let owner = words.next()?.to_string();
            let path = words.nth(3)?;
            let path = path.trim_start_matches("./").trim_end_matches('/');
            Some((path.to_string(), (mode, owner)))
        })
        .collect()
}

fn deb_contents(deb_file: &Path) -> Result {
    let text = output("dpkg-deb", &["--contents", &deb_file.display().to_string()])?;
    let listing = parse_listing(&text);
    for file in FILES {
        let want = mode_string(file.mode);
        match listing.get(file.path) {
            Some((mode, owner)) if *mode == want && owner == "root/root" => {}
            Some((mode, owner)) => {
                return Err(format!(
                    "/{} is {mode} {owner} in the package, not {want} root/root",
                    file.path
                ));
            }
            None => return Err(format!("the package lacks /{}:\n{text}", file.path)),
        }
    }
    let stray: Vec<&String> = listing
        .iter()
        .filter(|(path, (mode, _))| {
            !mode.starts_with('d') && !FILES.iter().any(|f| f.path == path.as_str())
        })
        .map(|(path, _)| path)
        .collect();
    if !stray.is_empty() {
        return Err(format!("the package holds unexpected files: {stray:?}"));
    }
    Ok(())
}

/// Install, upgrade, remove and purge in a throwaway root (dpkg --root, scripts run
/// outside a chroot with DPKG_ROOT set, so it works without root too).
fn deb_lifecycle(deb_file: &Path, work: &Path) -> Result<Vec<String>> {
    let root = work.join("root");
    let admin = root.join("var/lib/dpkg");
    for dir in ["info", "updates", "triggers"] {
        mkdir(&admin.join(dir))?;
    }
    for file in ["status", "available"] {
        write(&admin.join(file), "")?;
    }
    let path = format!(
        "/usr/local/sbin:/usr/sbin:/sbin:{}",
        std::env::var("PATH").unwrap_or_else(|_| "/usr/local/bin:/usr/bin:/bin".into())
    );
    let dpkg = |args: &[&str]| -> Result<String> {
        let out = Command::new("dpkg")
            .arg(format!("--root={}", root.display()))
            .arg(format!("--log={}", work.join("dpkg.log").display()))
            .args([
                "--force-not-root",
                "--force-script-chrootless",
                // The throwaway root has no libc6 package registered.
                "--force-depends",
                "--force-unsafe-io",
                "--force-confdef",
                "--force-confold",
            ])
            .args(args)
            .env("HOME", work)
            .env("PATH", &path)
            .env_remove("DPKG_ROOT")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run dpkg: {e}"))?;
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            Ok(text)
        } else {
            Err(format!(
                "`dpkg {}` failed ({}):\n{text}",
                args.join(" "),
                out.status
            ))
        }
    };
    let deb_arg = deb_file.display().to_string();
    let at = |p: &str| root.join(p);
    let status = |wanted: &str| -> Result {
        let text = dpkg(&["--status", "tenure"])?;
        if text.lines().any(|l| l == format!("Status: {wanted}")) {
            Ok(())
        } else {
            Err(format!("dpkg --status tenure is not `{wanted}`:\n{text}"))
        }
    };

    dpkg(&["--install", &deb_arg])?;
    status("install ok installed")?;
    for file in FILES {
        let meta = std::fs::metadata(at(file.path))
            .map_err(|e| format!("installed root lacks /{}: {e}", file.path))?;
        let mode = meta.permissions().mode() & 0o7777;
        if !meta.is_file() || mode != file.mode {
            return Err(format!(
                "installed /{} has mode {mode:o}, not {:o}",
                file.path, file.mode
            ));
        }
    }
    let mut done = vec![format!(
        "dpkg --root install: {} files in place, binary executable, config a conffile",
        FILES.len()
    )];
    done.push(verify_unit(&root, work)?);

    // An administrator's edit and the appliance's data, both to be kept.
    let config = at(deb::CONFIG);
    let edited = format!("{}\n# changed by the administrator\n", read(&config)?);
    write(&config, &edited)?;
    let data = at(&format!(
        "{}/tenure.redb",
        deb::DATA_DIR.trim_start_matches('/')
    ));
    mkdir(data.parent().ok_or("no data directory")?)?;
    write(&data, "employees")?;

    dpkg(&["--install", &deb_arg])?;
    status("install ok installed")?;
    if read(&config)? != edited || !data.exists() {
        return Err("reinstalling (upgrade) lost the edited configuration or the data".into());
    }
    done.push("upgrade (reinstall): edited configuration and data kept".into());

    dpkg(&["--remove", "tenure"])?;
    status("deinstall ok config-files")?;
    if at(deb::BINARY).exists() || at(deb::UNIT).exists() {
        return Err("dpkg --remove left the binary or the unit".into());
    }
    if read(&config)? != edited || !data.exists() {
        return Err("dpkg --remove deleted the configuration or the data".into());
    }
    done.push("remove: binary and unit gone, configuration and data kept".into());

    dpkg(&["--purge", "tenure"])?;
    if read(&admin.join("status"))?.contains("Package: tenure") {
        return Err("dpkg --purge left tenure in the package database".into());
    }
    for gone in [config.as_path(), &at("etc/tenure"), &at("var/lib/tenure")] {
        if gone.exists() {
            return Err(format!("dpkg --purge left {}", gone.display()));
        }
    }
    done.push("purge: configuration and /var/lib/tenure deleted".into());
    Ok(done)
}

/// `systemd-analyze verify` on the installed unit, its ExecStart pointed at the
/// installed binary; any complaint about the unit fails.
fn verify_unit(root: &Path, work: &Path) -> Result<String> {
    if !crate::has("systemd-analyze", &["--version"]) {
        return Ok("systemd-analyze verify: skipped (systemd is not installed here)".into());
    }
    let installed = format!("ExecStart={}", root.join(deb::BINARY).display());
    let unit = read(&root.join(deb::UNIT))?;
    let rewritten = unit.replacen("ExecStart=/usr/bin/tenure", &installed, 1);
    if rewritten == unit {
        return Err("the unit's ExecStart does not run /usr/bin/tenure".into());
    }
    let dir = work.join("unit");
    mkdir(&dir)?;
    let file = dir.join("tenure.service");
    write(&file, &rewritten)?;
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&file)
        .output()
        .map_err(|e| format!("cannot run systemd-analyze: {e}"))?;
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let complaints: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("tenure.service") || l.contains(&*dir.display().to_string()))
        .collect();
    if !out.status.success() || !complaints.is_empty() {
        return Err(format!("systemd-analyze verify tenure.service:\n{text}"));
    }
    Ok("systemd-analyze verify tenure.service: no complaints".into())
}

/// A descriptor's media type, digest (hex) and size, checked for form.
pub(super) fn descriptor(value: &Value) -> Result<(&str, &str, u64)> {
    let media = value["mediaType"]
        .as_str()
        .ok_or("descriptor without mediaType")?;
    let digest = value["digest"]
        .as_str()
        .ok_or("descriptor without digest")?;
    let size = value["size"].as_u64().ok_or("descriptor without size")?;
    let hex = digest
        .strip_prefix("sha256:")
        .filter(|h| {
            h.len() == 64
                && h.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
        .ok_or_else(|| format!("`{digest}` is not a sha256 digest"))?;
    Ok((media, hex, size))
}

/// Checks that the blob a descriptor names exists with that digest and size.
pub(super) fn check_blob(layout: &Path, value: &Value, media_type: &str) -> Result<PathBuf> {
    let (media, hex, size) = descriptor(value)?;
    if media != media_type {
        return Err(format!("descriptor is {media}, expected {media_type}"));
    }
    let path = layout.join("blobs/sha256").join(hex);
    let (actual, actual_size) = oci::sha256_file(&path)?;
    if actual != hex || actual_size != size {
        return Err(format!(
            "blob {hex}: content is sha256:{actual} of {actual_size} bytes, descriptor says {size}"
        ));
    }
    Ok(path)
}

fn json_file(path: &Path) -> Result<Value> {
    serde_json::from_str(&read(path)?).map_err(|e| format!("{}: {e}", path.display()))
}

/// Whether an image config's User names someone other than root.
pub(super) fn non_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or("");
    !name.is_empty() && name != "0" && name != "root"
}

fn image(build: &Build, layout: &Path, work: &Path) -> Result<Vec<String>> {
    let version = json_file(&layout.join("oci-layout"))?;
    if version["imageLayoutVersion"] != "1.0.0" {
        return Err(format!("oci-layout is {version}"));
    }
    let index = json_file(&layout.join("index.json"))?;
    let manifests = index["manifests"]
        .as_array()
        .ok_or("index.json has no manifests")?;
    let [entry] = manifests.as_slice() else {
        return Err(format!(
            "index.json has {} manifests, not 1",
            manifests.len()
        ));
    };
    let manifest = json_file(&check_blob(layout, entry, MANIFEST_TYPE)?)?;
    let config = json_file(&check_blob(layout, &manifest["config"], CONFIG_TYPE)?)?;
    let layers = manifest["layers"]
        .as_array()
        .ok_or("manifest without layers")?;
    let [layer] = layers.as_slice() else {
        return Err(format!("manifest has {} layers, not 1", layers.len()));
    };
    let layer = check_blob(layout, layer, LAYER_TYPE)?;

    let user = config["config"]["User"].as_str().unwrap_or("");
    if !non_root(user) {
        return Err(format!("the image runs as `{user}`, not a non-root user"));
    }
    let diff_id = config["rootfs"]["diff_ids"][0].as_str().unwrap_or("");
    let uncompressed = gunzip_sha256(&layer)?;
    if diff_id != uncompressed {
        return Err(format!(
            "config's diff_id {diff_id} is not the uncompressed layer's {uncompressed}"
        ));
    }
    let mut done = vec![format!(
        "OCI layout: index → manifest → config and layer, digests and sizes match; user {user}"
    )];

    let listing = parse_listing(&output(
        "tar",
        &["--numeric-owner", "-tvzf", &layer.display().to_string()],
    )?);
    let mut wanted: Vec<(String, &str)> = vec![
        (oci::BINARY.into(), "-rwxr-xr-x"),
        ("etc/passwd".into(), "-rw-r--r--"),
        ("etc/group".into(), "-rw-r--r--"),
        (oci::DATA_DIR.into(), "drwx------"),
    ];
    for lib in &build.libraries {
        wanted.push((
            lib.display().to_string().trim_start_matches('/').into(),
            "-rwxr-xr-x",
        ));
    }
    for (path, mode) in &wanted {
        match listing.get(path.as_str()) {
            Some((m, _)) if m == mode => {}
            other => return Err(format!("layer: {path} is {other:?}, expected {mode}")),
        }
    }
    let data_owner = &listing[oci::DATA_DIR].1;
    if *data_owner != format!("{0}/{0}", oci::USER_ID) {
        return Err(format!("layer: {} is owned by {data_owner}", oci::DATA_DIR));
    }
    done.push(format!(
        "layer: tenure, {} libraries, passwd/group, /{} owned by {}",
        build.libraries.len(),
        oci::DATA_DIR,
        data_owner
    ));

    // A second opinion, where containers' own tooling is installed.
    if crate::has("skopeo", &["--version"]) {
        let reference = format!("oci:{}:{}", layout.display(), oci::tag(&build.version));
        let inspect: Value = serde_json::from_str(&output("skopeo", &["inspect", &reference])?)
            .map_err(|e| format!("skopeo inspect {reference}: {e}"))?;
        if inspect["Layers"].as_array().map(Vec::len) != Some(1) {
            return Err(format!("skopeo inspect {reference}: {inspect}"));
        }
        done.push(format!("skopeo inspect {reference}: readable"));
    }

    let rootfs = work.join("rootfs");
    mkdir(&rootfs)?;
    output(
        "tar",
        &[
            "-xzf",
            &layer.display().to_string(),
            "-C",
            &rootfs.display().to_string(),
        ],
    )?;
    done.push(run_from_rootfs(build, &rootfs)?);
    Ok(done)
}

/// Runs `tenure --version` on nothing but the layer's files: chrooted as the image's
/// user when root, else through the layer's own dynamic loader and libraries.
fn run_from_rootfs(build: &Build, rootfs: &Path) -> Result<String> {
    let is_root = output("id", &["-u"]).is_ok_and(|u| u.trim() == "0");
    let rootfs_arg = rootfs.display().to_string();
    let (text, how) = if is_root && crate::has("chroot", &["--version"]) {
        let user = format!("--userspec={0}:{0}", oci::USER_ID);
        let text = output(
            "chroot",
            &[&user, &rootfs_arg, "/usr/bin/tenure", "--version"],
        )?;
        (text, format!("chroot as {}", oci::USER_ID))
    } else {
        let Some(loader) = build.libraries.iter().find(|l| {
            l.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("ld-"))
        }) else {
            return Ok("run: skipped (static binary, not root)".into());
        };
        let lib_dirs: Vec<String> = build
            .libraries
            .iter()
            .filter_map(|l| l.parent())
            .map(|d| {
                rootfs
                    .join(d.strip_prefix("/").unwrap_or(d))
                    .display()
                    .to_string()
            })
            .collect();
        let loader = rootfs.join(loader.strip_prefix("/").unwrap_or(loader));
        let text = output(
            &loader.display().to_string(),
            &[
                "--inhibit-cache",
                "--library-path",
                &lib_dirs.join(":"),
                &rootfs.join(oci::BINARY).display().to_string(),
                "--version",
            ],
        )?;
        (text, "the layer's loader and libraries".to_string())
    };
    if !text.contains(&build.version) {
        return Err(format!(
            "the image's tenure --version says `{}`, not {}",
            text.trim(),
            build.version
        ));
    }
    Ok(format!("`tenure --version` ({how}): {}", text.trim()))
}

/// sha256 of a gzip file's uncompressed content, as `sha256:<hex>`.
fn gunzip_sha256(path: &Path) -> Result<String> {
    let mut child = Command::new("gzip")
        .arg("-dc")
        .arg(path)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    let mut stdout = child.stdout.take().ok_or("gzip has no output")?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = stdout
            .read(&mut buf)
            .map_err(|e| format!("cannot read gzip's output: {e}"))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let status = child.wait().map_err(|e| format!("gzip: {e}"))?;
    if !status.success() {
        return Err(format!("gzip -dc {} failed ({status})", path.display()));
    }
    let hex: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(format!("sha256:{hex}"))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn mkdir(path: &Path) -> Result {
    std::fs::create_dir_all(path).map_err(|e| format!("cannot create {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_shipped_unit_is_hardened_and_lets_wasmtime_compile() {
        let unit = include_str!("../../../../packaging/tenure.service");
        assert_eq!(unit_problems(unit), Vec::<String>::new());
        let weakened = unit.replace("ProtectSystem=strict", "ProtectSystem=full")
            + "MemoryDenyWriteExecute=yes\n";
        let problems = unit_problems(&weakened);
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn modes_and_listings() {
        assert_eq!(mode_string(0o755), "-rwxr-xr-x");
        assert_eq!(mode_string(0o640), "-rw-r-----");
        let listing = parse_listing(
            "drwxr-xr-x root/root         0 2026-12-02 16:44 ./usr/bin/\n\
             -rwxr-xr-x root/root 322892368 2026-12-02 16:44 ./usr/bin/tenure\n\
             drwx------ 65532/65532       0 1970-01-01 00:00 var/lib/tenure/\n",
        );
        assert_eq!(
            listing["usr/bin/tenure"],
            ("-rwxr-xr-x".to_string(), "root/root".to_string())
        );
        assert_eq!(listing["var/lib/tenure"].1, "65532/65532");
        assert!(listing.contains_key("usr/bin"));
    }

    #[test]
    fn blobs_must_match_their_descriptors() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = dir.path().join("blobs/sha256");
        std::fs::create_dir_all(&blobs).unwrap();
        // sha256("{}")
        let hex = "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a";
        std::fs::write(blobs.join(hex), "{}").unwrap();
        let good = json!({"mediaType": CONFIG_TYPE, "digest": format!("sha256:{hex}"), "size": 2});
        assert!(check_blob(dir.path(), &good, CONFIG_TYPE).is_ok());
        assert!(check_blob(dir.path(), &good, LAYER_TYPE).is_err());
        let wrong_size =
            json!({"mediaType": CONFIG_TYPE, "digest": format!("sha256:{hex}"), "size": 3});
        assert!(check_blob(dir.path(), &wrong_size, CONFIG_TYPE).is_err());
        // Tampered content no longer matches its name.
        std::fs::write(blobs.join(hex), "[]").unwrap();
        assert!(
            check_blob(dir.path(), &good, CONFIG_TYPE)
                .unwrap_err()
                .contains("content")
        );
        for bad in [
            "sha256:abc",
            "md5:44136fa355b3678a1146ad16f7e8649e",
            "sha256:../../etc/passwd",
        ] {
            let d = json!({"mediaType": CONFIG_TYPE, "digest": bad, "size": 2});
            assert!(descriptor(&d).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_a_named_non_root_user_passes() {
        assert!(non_root("65532:65532"));
        assert!(non_root("tenure"));
        for user in ["", "0", "0:0", "root", "root:root", ":65532"] {
            assert!(!non_root(user), "{user}");
        }
    }
}
