//! A POSIX ustar writer, just enough for an image layer: directories and regular files
//! with explicit owners and modes, every time stamp 0, so the same inputs give the same
//! bytes (and digest).

use std::io::{self, Read, Write};

const BLOCK: usize = 512;

/// Who owns an entry: numeric ids (what runtimes use) and names (for people).
#[derive(Clone, Copy)]
pub(super) struct Owner {
    pub uid: u32,
    pub gid: u32,
    pub name: &'static str,
}

pub(super) const ROOT: Owner = Owner {
    uid: 0,
    gid: 0,
    name: "root",
};

pub(super) struct TarWriter<W: Write> {
    out: W,
}

impl<W: Write> TarWriter<W> {
    pub fn new(out: W) -> Self {
        TarWriter { out }
    }

    /// A directory; `path` without a trailing slash.
    pub fn dir(&mut self, path: &str, mode: u32, owner: Owner) -> io::Result<()> {
        let header = header(&format!("{path}/"), mode, owner, 0, b'5')?;
        self.out.write_all(&header)
    }

    /// A regular file of `size` bytes read from `content` (which must hold exactly that).
    pub fn file(
        &mut self,
        path: &str,
        mode: u32,
        owner: Owner,
        size: u64,
        content: &mut dyn Read,
    ) -> io::Result<()> {
        self.out
            .write_all(&header(path, mode, owner, size, b'0')?)?;
        let copied = io::copy(&mut content.take(size), &mut self.out)?;
        if copied != size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{path}: expected {size} bytes, read {copied}"),
            ));
        }
        let padding = (BLOCK - (size % BLOCK as u64) as usize) % BLOCK;
        self.out.write_all(&[0; BLOCK][..padding])
    }

    pub fn bytes(&mut self, path: &str, mode: u32, owner: Owner, data: &[u8]) -> io::Result<()> {
        self.file(path, mode, owner, data.len() as u64, &mut &data[..])
    }

    /// The end-of-archive marker (two zero blocks); returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&[0; 2 * BLOCK])?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn header(path: &str, mode: u32, owner: Owner, size: u64, kind: u8) -> io::Result<[u8; BLOCK]> {
    let invalid = |what: String| io::Error::new(io::ErrorKind::InvalidInput, what);
    if path.len() > 100 || !path.is_ascii() || path.starts_with('/') || path.contains("..") {
        return Err(invalid(format!(
            "tar entry `{path}`: must be relative ASCII of at most 100 bytes"
        )));
    }
    if size >= 1 << 33 {
        return Err(invalid(format!("tar entry `{path}`: larger than 8 GiB")));
    }
    let mut h = [0u8; BLOCK];
    h[..path.len()].copy_from_slice(path.as_bytes());
    octal(&mut h[100..108], u64::from(mode & 0o7777));
    octal(&mut h[108..116], u64::from(owner.uid));
    octal(&mut h[116..124], u64::from(owner.gid));
    octal(&mut h[124..136], size);
    octal(&mut h[136..148], 0); // mtime
    h[156] = kind;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[265..265 + owner.name.len()].copy_from_slice(owner.name.as_bytes());
    h[297..297 + owner.name.len()].copy_from_slice(owner.name.as_bytes());
    octal(&mut h[329..337], 0); // devmajor
    octal(&mut h[337..345], 0); // devminor
    // The checksum counts its own field as spaces.
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    octal(&mut h[148..155], u64::from(sum));
    h[155] = b' ';
    Ok(h)
}

/// Zero-padded octal filling the field but its last byte, which stays NUL.
fn octal(field: &mut [u8], value: u64) {
    let digits = field.len() - 1;
    let text = format!("{value:0digits$o}");
    field[..digits].copy_from_slice(text.as_bytes());
    field[digits] = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    const TENURE: Owner = Owner {
        uid: 65532,
        gid: 65532,
        name: "tenure",
    };

    fn archive() -> Vec<u8> {
        let mut tar = TarWriter::new(Vec::new());
        tar.dir("var/lib/tenure", 0o700, TENURE).unwrap();
        tar.bytes("etc/group", 0o644, ROOT, b"root:x:0:\n").unwrap();
        tar.finish().unwrap()
    }

    fn field(h: &[u8], range: std::ops::Range<usize>) -> String {
        String::from_utf8_lossy(&h[range])
            .trim_end_matches('\0')
            .to_string()
    }

    #[test]
    fn headers_carry_owner_mode_and_a_valid_checksum() {
        let bytes = archive();
        // dir header, file header, one data block, two end blocks
        assert_eq!(bytes.len(), 5 * BLOCK);
        let dir = &bytes[..BLOCK];
        assert_eq!(field(dir, 0..100), "var/lib/tenure/");
        assert_eq!(field(dir, 100..108), "0000700");
        assert_eq!(field(dir, 108..116), "0177774");
        assert_eq!(field(dir, 265..297), "tenure");
        assert_eq!(dir[156], b'5');
        let file = &bytes[BLOCK..2 * BLOCK];
        assert_eq!(field(file, 124..136), "00000000012");
        assert_eq!(&bytes[2 * BLOCK..2 * BLOCK + 10], b"root:x:0:\n");
        assert!(bytes[2 * BLOCK + 10..].iter().all(|&b| b == 0));
        for h in [dir, file] {
            let stored = u32::from_str_radix(&field(h, 148..155), 8).unwrap();
            let mut copy = h.to_vec();
            copy[148..156].copy_from_slice(b"        ");
            assert_eq!(stored, copy.iter().map(|&b| u32::from(b)).sum::<u32>());
        }
    }

    #[test]
    fn the_same_entries_give_the_same_bytes() {
        assert_eq!(archive(), archive());
    }

    #[test]
    fn unsafe_or_short_entries_are_refused() {
        let mut tar = TarWriter::new(Vec::new());
        assert!(tar.bytes("/etc/passwd", 0o644, ROOT, b"").is_err());
        assert!(tar.bytes("../escape", 0o644, ROOT, b"").is_err());
        assert!(tar.bytes(&"a".repeat(101), 0o644, ROOT, b"").is_err());
        let mut short: &[u8] = b"abc";
        assert!(tar.file("x", 0o644, ROOT, 10, &mut short).is_err());
    }

    #[test]
    fn system_tar_reads_the_archive() {
        if std::process::Command::new("tar")
            .arg("--version")
            .output()
            .is_err()
        {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("layer.tar");
        std::fs::write(&path, archive()).unwrap();
        let out = std::process::Command::new("tar")
            .args(["--numeric-owner", "-tvf"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success());
        let listing = String::from_utf8(out.stdout).unwrap();
        assert!(listing.contains("drwx------ 65532/65532"), "{listing}");
        assert!(listing.contains("var/lib/tenure/"), "{listing}");
        assert!(listing.contains("-rw-r--r-- 0/0"), "{listing}");
    }
}
