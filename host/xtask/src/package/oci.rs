//! The container image, written as an OCI image layout (oci-layout, index.json,
//! blobs/sha256/…) with no engine: one gzipped layer holding the binary, the C
//! libraries it links (so the base is empty, distroless-style), CA certificates for
//! the connectors' HTTPS, and a non-root user owning the data volume.
//! packaging/Containerfile builds the same image from the same layer with a builder.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::tar::{Owner, ROOT, TarWriter};
use super::{Build, remove_dir};
use crate::Result;

/// The image's user: not root, and not an id a host user is likely to have.
pub(super) const USER_ID: u32 = 65532;
const TENURE: Owner = Owner {
    uid: USER_ID,
    gid: USER_ID,
    name: "tenure",
};
pub(super) const BINARY: &str = "usr/bin/tenure";
pub(super) const DATA_DIR: &str = "var/lib/tenure";
const CA_BUNDLE: &str = "etc/ssl/certs/ca-certificates.crt";
const LISTEN_PORT: u16 = 8080;
/// HTTPS, when TLS is configured.
const TLS_PORT: u16 = 8443;

pub(super) const MANIFEST_TYPE: &str = "application/vnd.oci.image.manifest.v1+json";
pub(super) const CONFIG_TYPE: &str = "application/vnd.oci.image.config.v1+json";
pub(super) const LAYER_TYPE: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
const INDEX_TYPE: &str = "application/vnd.oci.image.index.v1+json";

/// What `build` wrote.
pub(super) struct Image {
    /// The OCI image layout directory.
    pub layout: PathBuf,
    /// The layer again, as packaging/Containerfile's build context.
    pub rootfs: PathBuf,
}

/// A content descriptor: what a blob is, its digest and its size.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Descriptor {
    pub media_type: &'static str,
    pub digest: String,
    pub size: u64,
}

impl Descriptor {
    fn of(media_type: &'static str, bytes: &[u8]) -> Self {
        Descriptor {
            media_type,
            digest: format!("sha256:{}", hex(&Sha256::digest(bytes))),
            size: bytes.len() as u64,
        }
    }

    fn json(&self) -> Value {
        json!({"mediaType": self.media_type, "digest": self.digest, "size": self.size})
    }
}

/// OCI's name for a Debian architecture.
pub(super) fn oci_arch(deb_arch: &str) -> &str {
    match deb_arch {
        "i386" => "386",
        "armhf" | "armel" => "arm",
        "ppc64el" => "ppc64le",
        other => other,
    }
}

/// An OCI tag for a Cargo version (`+` is not allowed in tags).
pub(super) fn tag(version: &str) -> String {
    version.replace('+', "_")
}

pub(super) fn config_json(
    version: &str,
    arch: &str,
    diff_id: &str,
    ca_bundle: bool,
    revision: Option<&str>,
) -> Value {
    let mut env = vec![
        "PATH=/usr/bin".to_string(),
        format!("TENURE_DATA_DIR=/{DATA_DIR}"),
        format!("TENURE_LISTEN=0.0.0.0:{LISTEN_PORT}"),
        "TENURE_LOG_FORMAT=json".to_string(),
    ];
    if ca_bundle {
        env.push(format!("SSL_CERT_FILE=/{CA_BUNDLE}"));
    }
    let mut labels = json!({
        "org.opencontainers.image.title": "tenure",
        "org.opencontainers.image.description":
            "Tenure: self-hosted employee-lifecycle appliance for IT teams",
        "org.opencontainers.image.version": version,
        "org.opencontainers.image.licenses": "Apache-2.0",
        "org.opencontainers.image.source": "https://github.com/tenure-dev/tenure",
        "org.opencontainers.image.url": "https://github.com/tenure-dev/tenure",
    });
    if let Some(rev) = revision {
        labels["org.opencontainers.image.revision"] = json!(rev);
    }
    json!({
        "architecture": arch,
        "os": "linux",
        "config": {
            "User": format!("{USER_ID}:{USER_ID}"),
            "Entrypoint": [format!("/{BINARY}"), "serve"],
            "Env": env,
            "ExposedPorts": {
                format!("{LISTEN_PORT}/tcp"): {},
                format!("{TLS_PORT}/tcp"): {},
            },
            "Volumes": { format!("/{DATA_DIR}"): {} },
            "WorkingDir": format!("/{DATA_DIR}"),
            "StopSignal": "SIGTERM",
            "Labels": labels,
        },
        "rootfs": { "type": "layers", "diff_ids": [diff_id] },
        "history": [{ "created_by": "cargo xtask package", "comment": format!("tenure {version}") }],
    })
}

pub(super) fn manifest_json(config: &Descriptor, layer: &Descriptor) -> Value {
    json!({
        "schemaVersion": 2,
        "mediaType": MANIFEST_TYPE,
        "config": config.json(),
        "layers": [layer.json()],
    })
}

pub(super) fn index_json(manifest: &Descriptor, arch: &str, version: &str) -> Value {
    let mut entry = manifest.json();
    entry["platform"] = json!({"architecture": arch, "os": "linux"});
    entry["annotations"] = json!({
        "org.opencontainers.image.ref.name": tag(version),
        // What `docker load` names the image.
        "io.containerd.image.name": format!("docker.io/library/tenure:{}", tag(version)),
    });
    json!({"schemaVersion": 2, "mediaType": INDEX_TYPE, "manifests": [entry]})
}

/// One entry of the layer.
enum Entry {
    Dir { mode: u32, owner: Owner },
    File { mode: u32, from: PathBuf },
    Text { text: String },
}

/// The layer's entries by path (sorted, so parents come first), parents added as
/// root-owned 0755 directories.
fn entries(build: &Build, ca_bundle: Option<&Path>) -> Result<BTreeMap<String, Entry>> {
    let mut map = BTreeMap::new();
    map.insert(
        BINARY.to_string(),
        Entry::File {
            mode: 0o755,
            from: build.binary.clone(),
        },
    );
    for lib in &build.libraries {
        let path = lib
            .to_str()
            .and_then(|p| p.strip_prefix('/'))
            .ok_or_else(|| format!("library path {} is not absolute UTF-8", lib.display()))?;
        map.insert(
            path.to_string(),
            Entry::File {
                mode: 0o755,
                from: lib.clone(),
            },
        );
    }
    if let Some(bundle) = ca_bundle {
        map.insert(
            CA_BUNDLE.to_string(),
            Entry::File {
                mode: 0o644,
                from: bundle.to_path_buf(),
            },
        );
    }
    let text = |t: &str| Entry::Text {
        text: t.to_string(),
    };
    map.insert(
        "etc/passwd".into(),
        text(&format!(
            "root:x:0:0:root:/root:/usr/sbin/nologin\n\
             tenure:x:{USER_ID}:{USER_ID}:Tenure:/{DATA_DIR}:/usr/sbin/nologin\n"
        )),
    );
    map.insert(
        "etc/group".into(),
        text(&format!("root:x:0:\ntenure:x:{USER_ID}:\n")),
    );
    map.insert(
        "etc/nsswitch.conf".into(),
        text("passwd: files\ngroup: files\nhosts: files dns\n"),
    );
    map.insert(
        DATA_DIR.into(),
        Entry::Dir {
            mode: 0o700,
            owner: TENURE,
        },
    );
    map.insert(
        "tmp".into(),
        Entry::Dir {
            mode: 0o1777,
            owner: ROOT,
        },
    );
    let paths: Vec<String> = map.keys().cloned().collect();
    for path in paths {
        let mut parent = Path::new(&path).parent();
        while let Some(dir) = parent.and_then(|p| p.to_str()).filter(|p| !p.is_empty()) {
            map.entry(dir.to_string()).or_insert(Entry::Dir {
                mode: 0o755,
                owner: ROOT,
            });
            parent = Path::new(dir).parent();
        }
    }
    Ok(map)
}

/// Passes bytes through while hashing and counting them.
struct Hashing<W: Write> {
    inner: W,
    hasher: Sha256,
    len: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A file's sha256 (hex) and size.
pub(super) fn sha256_file(path: &Path) -> Result<(String, u64)> {
    let mut file = File::open(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut len = 0u64;
    loop {
        let n = file
            .read(&mut buf)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        if n == 0 {
            return Ok((hex(&hasher.finalize()), len));
        }
        hasher.update(&buf[..n]);
        len += n as u64;
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes the layer tar; returns its diff id (sha256 of the uncompressed tar).
fn write_layer(entries: &BTreeMap<String, Entry>, to: &Path) -> Result<String> {
    let file = File::create(to).map_err(|e| format!("cannot create {}: {e}", to.display()))?;
    let hashing = Hashing {
        inner: BufWriter::with_capacity(1 << 20, file),
        hasher: Sha256::new(),
        len: 0,
    };
    let mut tar = TarWriter::new(hashing);
    let fail = |path: &str, e: std::io::Error| format!("layer entry {path}: {e}");
    for (path, entry) in entries {
        match entry {
            Entry::Dir { mode, owner } => tar.dir(path, *mode, *owner),
            Entry::Text { text } => tar.bytes(path, 0o644, ROOT, text.as_bytes()),
            Entry::File { mode, from } => {
                let mut source =
                    File::open(from).map_err(|e| format!("cannot open {}: {e}", from.display()))?;
                let size = source
                    .metadata()
                    .map_err(|e| format!("cannot stat {}: {e}", from.display()))?
                    .len();
                tar.file(path, *mode, ROOT, size, &mut source)
            }
        }
        .map_err(|e| fail(path, e))?;
    }
    let hashing = tar.finish().map_err(|e| fail("end", e))?;
    Ok(format!("sha256:{}", hex(&hashing.hasher.finalize())))
}

fn write_blob(blobs: &Path, bytes: &[u8], media_type: &'static str) -> Result<Descriptor> {
    let descriptor = Descriptor::of(media_type, bytes);
    let path = blobs.join(descriptor.digest.trim_start_matches("sha256:"));
    std::fs::write(&path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(descriptor)
}

fn git_revision(root: &Path) -> Option<String> {
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root)
        .output()
        .ok()?;
    let rev = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && rev.len() == 40).then_some(rev)
}

/// Writes `tenure-oci/` and `container/tenure-rootfs.tar.gz` in `out`.
pub(super) fn build(root: &Path, build: &Build, out: &Path) -> Result<Image> {
    let layout = out.join("tenure-oci");
    remove_dir(&layout)?;
    let blobs = layout.join("blobs/sha256");
    std::fs::create_dir_all(&blobs)
        .map_err(|e| format!("cannot create {}: {e}", blobs.display()))?;

    let ca = Path::new("/").join(CA_BUNDLE);
    let ca_bundle = ca.is_file().then_some(ca.as_path());
    if ca_bundle.is_none() {
        eprintln!(
            "warning: no {} on this machine (Debian's ca-certificates): the image's \
             connectors will trust no HTTPS server",
            ca.display()
        );
    }
    let entries = entries(build, ca_bundle)?;
    let tar = out.join("tenure-layer.tar");
    let diff_id = write_layer(&entries, &tar)?;

    // gzip -n: no name or time stamp in the header, so the digest is reproducible.
    let gz = out.join("tenure-layer.tar.gz");
    let gz_file = File::create(&gz).map_err(|e| format!("cannot create {}: {e}", gz.display()))?;
    let level = if build.fast { "-1" } else { "-9" };
    let status = Command::new("gzip")
        .args(["-n", level, "-c"])
        .arg(&tar)
        .stdout(gz_file)
        .status()
        .map_err(|e| format!("cannot run gzip: {e}"))?;
    if !status.success() {
        return Err(format!("gzip {} failed ({status})", tar.display()));
    }
    std::fs::remove_file(&tar).map_err(|e| format!("cannot remove {}: {e}", tar.display()))?;
    let (hex_digest, size) = sha256_file(&gz)?;
    let layer = Descriptor {
        media_type: LAYER_TYPE,
        digest: format!("sha256:{hex_digest}"),
        size,
    };
    let layer_blob = blobs.join(&hex_digest);
    std::fs::rename(&gz, &layer_blob).map_err(|e| format!("cannot move the layer: {e}"))?;

    let arch = oci_arch(&build.deb_arch);
    let revision = git_revision(root);
    let config = config_json(
        &build.version,
        arch,
        &diff_id,
        ca_bundle.is_some(),
        revision.as_deref(),
    );
    let config = write_blob(&blobs, &to_bytes(&config)?, CONFIG_TYPE)?;
    let manifest = write_blob(
        &blobs,
        &to_bytes(&manifest_json(&config, &layer))?,
        MANIFEST_TYPE,
    )?;
    let index = index_json(&manifest, arch, &build.version);
    let write = |name: &str, bytes: Vec<u8>| {
        std::fs::write(layout.join(name), bytes).map_err(|e| format!("cannot write {name}: {e}"))
    };
    write("index.json", to_bytes(&index)?)?;
    write(
        "oci-layout",
        to_bytes(&json!({"imageLayoutVersion": "1.0.0"}))?,
    )?;

    // The Containerfile's context: the same layer, linked rather than copied.
    let context = out.join("container");
    remove_dir(&context)?;
    std::fs::create_dir_all(&context)
        .map_err(|e| format!("cannot create {}: {e}", context.display()))?;
    let rootfs = context.join("tenure-rootfs.tar.gz");
    if std::fs::hard_link(&layer_blob, &rootfs).is_err() {
        std::fs::copy(&layer_blob, &rootfs)
            .map_err(|e| format!("cannot copy the layer to {}: {e}", rootfs.display()))?;
    }
    Ok(Image { layout, rootfs })
}

fn to_bytes(value: &Value) -> Result<Vec<u8>> {
    serde_json::to_vec(value).map_err(|e| format!("cannot encode JSON: {e}"))
}

/// Loads the image into a local Docker engine when one answers; says how otherwise.
pub(super) fn docker_load(layout: &Path, version: &str) {
    let name = format!("tenure:{}", tag(version));
    if !crate::has("docker", &["info"]) {
        eprintln!(
            "no container engine answered `docker info`: the image is the OCI layout {}\n  \
             load it with: tar -C {} -c . | docker load   (or: skopeo copy oci:{}:{} docker-daemon:{name})",
            layout.display(),
            layout.display(),
            layout.display(),
            tag(version),
        );
        return;
    }
    let loaded = Command::new("tar")
        .arg("-C")
        .arg(layout)
        .args(["-c", "."])
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut tar| {
            let stdout = tar.stdout.take().ok_or(std::io::ErrorKind::BrokenPipe)?;
            let docker = Command::new("docker").arg("load").stdin(stdout).status()?;
            let tar = tar.wait()?;
            Ok(docker.success() && tar.success())
        });
    match loaded {
        Ok(true) => eprintln!("loaded the image into Docker as {name}"),
        Ok(false) => eprintln!("warning: `docker load` failed; the OCI layout is still there"),
        Err(e) => eprintln!("warning: cannot run tar | docker load: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIFF_ID: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000001";

    #[test]
    fn config_runs_tenure_as_a_user_with_a_volume() {
        let config = config_json("0.3.0", "amd64", DIFF_ID, true, Some("abc"));
        let c = &config["config"];
        assert_eq!(c["User"], "65532:65532");
        assert_eq!(c["Entrypoint"], json!(["/usr/bin/tenure", "serve"]));
        let env: Vec<&str> = c["Env"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert!(env.contains(&"TENURE_DATA_DIR=/var/lib/tenure"));
        assert!(env.contains(&"TENURE_LISTEN=0.0.0.0:8080"));
        assert!(env.contains(&"SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"));
        assert!(c["Volumes"]["/var/lib/tenure"].is_object());
        assert!(c["ExposedPorts"]["8080/tcp"].is_object());
        assert_eq!(c["Labels"]["org.opencontainers.image.version"], "0.3.0");
        assert_eq!(c["Labels"]["org.opencontainers.image.revision"], "abc");
        assert_eq!(config["rootfs"]["diff_ids"], json!([DIFF_ID]));
        assert_eq!(config["architecture"], "amd64");
        let without_ca = config_json("0.3.0", "amd64", DIFF_ID, false, None);
        assert!(!without_ca.to_string().contains("SSL_CERT_FILE"));
        assert!(without_ca["config"]["Labels"]["org.opencontainers.image.revision"].is_null());
    }

    #[test]
    fn the_containerfile_builds_the_same_image() {
        let file = include_str!("../../../../packaging/Containerfile");
        let config = config_json("0.3.0", "amd64", DIFF_ID, true, None);
        let c = &config["config"];
        assert!(file.contains(&format!("USER {}", c["User"].as_str().unwrap())));
        assert!(file.contains(&format!("ENTRYPOINT {}", c["Entrypoint"]).replace(",", ", ")));
        for env in c["Env"].as_array().unwrap() {
            assert!(file.contains(env.as_str().unwrap()), "{env}");
        }
        assert!(file.contains("VOLUME [\"/var/lib/tenure\"]"));
        assert!(file.contains("EXPOSE 8080/tcp 8443/tcp"));
        assert!(file.contains("ADD tenure-rootfs.tar.gz /"));
    }

    #[test]
    fn manifest_and_index_point_at_their_blobs() {
        let config = Descriptor::of(CONFIG_TYPE, b"{}");
        assert_eq!(
            config.digest,
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert_eq!(config.size, 2);
        let layer = Descriptor::of(LAYER_TYPE, b"layer");
        let manifest = manifest_json(&config, &layer);
        assert_eq!(manifest["schemaVersion"], 2);
        assert_eq!(manifest["config"]["digest"], json!(config.digest));
        assert_eq!(manifest["layers"][0]["mediaType"], LAYER_TYPE);
        assert_eq!(manifest["layers"][0]["size"], 5);
        let m = Descriptor::of(MANIFEST_TYPE, manifest.to_string().as_bytes());
        let index = index_json(&m, "arm64", "1.0.0+build.5");
        let entry = &index["manifests"][0];
        assert_eq!(entry["digest"], json!(m.digest));
        assert_eq!(entry["platform"]["architecture"], "arm64");
        assert_eq!(
            entry["annotations"]["org.opencontainers.image.ref.name"],
            "1.0.0_build.5"
        );
    }

    #[test]
    fn layer_holds_binary_libraries_user_and_parents() {
        let dir = tempfile::tempdir().unwrap();
        let binary = dir.path().join("tenure");
        std::fs::write(&binary, b"\x7fELF").unwrap();
        let lib = dir.path().join("libc.so.6");
        std::fs::write(&lib, b"lib").unwrap();
        let build = Build {
            version: "0.1.0".into(),
            deb_arch: "amd64".into(),
            binary,
            libraries: vec![PathBuf::from("/lib/x86_64-linux-gnu/libc.so.6")],
            fast: true,
        };
        let map = entries(&build, None).unwrap();
        let paths: Vec<&str> = map.keys().map(String::as_str).collect();
        for wanted in [
            "etc",
            "etc/passwd",
            "lib",
            "lib/x86_64-linux-gnu",
            "lib/x86_64-linux-gnu/libc.so.6",
            "usr",
            "usr/bin",
            "usr/bin/tenure",
            "var",
            "var/lib",
            "var/lib/tenure",
            "tmp",
        ] {
            assert!(paths.contains(&wanted), "{wanted} in {paths:?}");
        }
        assert!(matches!(
            map["var/lib/tenure"],
            Entry::Dir {
                mode: 0o700,
                owner: Owner { uid: USER_ID, .. }
            }
        ));
        let Entry::Text { text } = &map["etc/passwd"] else {
            panic!("passwd is text");
        };
        assert!(text.contains("tenure:x:65532:65532:"));

        // Written twice, the layer is the same bytes.
        let mut map = map;
        map.insert(
            "lib/x86_64-linux-gnu/libc.so.6".into(),
            Entry::File {
                mode: 0o755,
                from: lib,
            },
        );
        let a = write_layer(&map, &dir.path().join("a.tar")).unwrap();
        let b = write_layer(&map, &dir.path().join("b.tar")).unwrap();
        assert_eq!(a, b);
        let (hex_digest, _) = sha256_file(&dir.path().join("a.tar")).unwrap();
        assert_eq!(a, format!("sha256:{hex_digest}"));
    }
}
