//! `tenure secrets forget-unreadable`: after a lost secret key, discards the stored
//! secrets the current key cannot decrypt, so tenure starts again and they can be
//! entered anew. Names are printed, never values.

use crate::config::Config;

pub fn forget_unreadable(config: &Config) -> anyhow::Result<()> {
    // A running server holds the database; it only runs when every secret is readable.
    let store = crate::app::open_store(&config.server.data_dir)?;
    let forgotten = store.forget_unreadable_secrets()?;
    if forgotten.is_empty() {
        println!("every stored secret decrypts with the current key; nothing discarded");
        return Ok(());
    }
    for (plugin, key) in &forgotten {
        println!("discarded {plugin}/{key}");
    }
    println!(
        "discarded {} secret(s); start tenure and enter them again in the plugins' settings",
        forgotten.len()
    );
    Ok(())
}
