//! The bindings of the WIT contract this SDK carries (`wit/` beside `Cargo.toml`, a
//! copy of the project's `wit/v0.2.0`), generated here by wit-bindgen: one module for
//! what every plugin imports, one per plugin world for its export. Plugins never name
//! these modules; they use the traits, types and `export_*!` macros of the crate root.
//!
//! The world modules reuse the `imports` module's types (`with`), so an [`crate::Error`]
//! is one type whichever world a plugin exports. Their export macros are public
//! (`pub_export_macro`) so that the SDK's `export_*!` macros can expand to them in the
//! plugin's crate.

#![allow(clippy::all, missing_docs, unsafe_op_in_unsafe_fn)]

/// Types, `host` and `http`: what every plugin imports.
pub mod imports {
    wit_bindgen::generate!({
        path: "wit",
        world: "imports",
        additional_derives: [PartialEq, Eq],
        generate_all,
    });
}

macro_rules! world {
    ($module:ident, $world:literal, $macro_name:literal, $default_module:literal) => {
        pub mod $module {
            wit_bindgen::generate!({
                path: "wit",
                world: $world,
                with: {
                    "tenure:plugin/types@0.2.0": crate::bindings::imports::tenure::plugin::types,
                    "tenure:plugin/host@0.2.0": crate::bindings::imports::tenure::plugin::host,
                    "tenure:plugin/http@0.2.0": crate::bindings::imports::tenure::plugin::http,
                },
                additional_derives: [PartialEq, Eq],
                pub_export_macro: true,
                default_bindings_module: $default_module,
                export_macro_name: $macro_name,
            });
        }
    };
}

// HR sources are built for the world that adds both optional interfaces
// (`hr-addresses`, `hr-places`): the defaults answer `unsupported` or fall back to
// `hr-source.fetch`.
world!(
    hr_source,
    "hr-source-places-plugin",
    "export_hr_source_plugin",
    "tenure_sdk::__private::hr_source"
);
// App connectors are built for the world that adds `group-directory`: a connector
// that does not list groups answers `unsupported` there, which the host reads as "no
// picker" (the same as a component built for `app-connector-plugin` alone).
world!(
    app_connector,
    "app-connector-directory-plugin",
    "export_app_connector_plugin",
    "tenure_sdk::__private::app_connector"
);
// Device managers and carriers are built for the worlds that add their optional
// interface (`device-inventory`, `return-shipping`); the defaults answer `unsupported`
// or fall back to the base interface.
world!(
    device_manager,
    "device-manager-inventory-plugin",
    "export_device_manager_plugin",
    "tenure_sdk::__private::device_manager"
);
world!(
    shipping,
    "shipping-returns-plugin",
    "export_shipping_plugin",
    "tenure_sdk::__private::shipping"
);
