//! A QR code as a PNG image, for the drop-off code of a device return. The PNG is
//! 8-bit greyscale with a quiet zone, written with stored (uncompressed) deflate blocks:
//! a few kilobytes for a code of a few dozen characters, no image library needed.

use qrcodegen::{QrCode, QrCodeEcc};

/// Pixels per module.
const SCALE: usize = 8;
/// Modules of white border on each side (the standard asks for 4).
const QUIET: usize = 4;

/// Encodes `text` as a QR code PNG; `None` when it is too long for a QR code.
pub fn qr_png(text: &str) -> Option<Vec<u8>> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let modules = code.size() as usize;
    let side = (modules + 2 * QUIET) * SCALE;
    // Each row: a filter byte (0, none) then one byte per pixel.
    let mut raw = Vec::with_capacity(side * (side + 1));
    for y in 0..side {
        raw.push(0);
        for x in 0..side {
            let mx = (x / SCALE) as i32 - QUIET as i32;
            let my = (y / SCALE) as i32 - QUIET as i32;
            raw.push(if code.get_module(mx, my) { 0 } else { 255 });
        }
    }
    Some(png(side as u32, side as u32, &raw))
}

fn png(width: u32, height: u32, raw: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // 8-bit, greyscale, deflate, no filter method, no interlace.
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib_stored(raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// A zlib stream of stored deflate blocks (at most 65,535 bytes each).
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = data.chunks(65_535).collect();
    for (i, block) in blocks.iter().enumerate() {
        out.push(u8::from(i + 1 == blocks.len()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    if blocks.is_empty() {
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    out.extend_from_slice(&adler32(data).to_be_bytes());
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(5552) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= 65_521;
        b %= 65_521;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_with_the_right_size_and_checksums() {
        let png = qr_png("UNPK-1Z999AA10123456784").unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
        // Version 2 (25 modules) plus the quiet zone, 8 pixels each.
        assert_eq!(width, (25 + 8) * 8);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        assert!(qr_png(&"x".repeat(5000)).is_none());
    }
}
