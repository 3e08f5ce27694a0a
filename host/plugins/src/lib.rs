//! The first-party plugins, compiled from `plugins/` for wasm32-wasip2 by this crate's
//! build script and embedded, so the appliance is one file.

/// A plugin embedded in the binary: its manifest text and its component.
#[derive(Debug, Clone, Copy)]
pub struct Bundled {
    pub manifest: &'static str,
    pub wasm: &'static [u8],
}

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));

#[cfg(test)]
mod tests {
    #[test]
    fn bundles_merge_hris_as_a_component() {
        let merge = super::BUNDLED
            .iter()
            .find(|b| b.manifest.contains("id = \"merge-hris\""))
            .expect("merge-hris is bundled");
        // A component (not a core module): magic, then version 0x0d layer 1.
        assert_eq!(&merge.wasm[..8], b"\0asm\x0d\0\x01\0");
    }

    #[test]
    fn bundled_manifests_are_signed_by_the_build() {
        for b in super::BUNDLED {
            assert!(b.manifest.contains("\npublisher = \"tenure-bundled\"\n"));
            assert!(b.manifest.contains("\nsignature = \"ed25519:"));
        }
        assert_ne!(super::BUNDLED_PUBLISHER_KEY, [0; 32]);
    }
}
