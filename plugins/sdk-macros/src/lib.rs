//! `export_world!(world, Type)`: generates the component bindings for one plugin world
//! in the calling crate and forwards its exports to `Type`'s implementation of the
//! matching `tenure_sdk` trait. Used through `tenure_sdk::export_*!`, not directly.
//!
//! It is a proc macro only so that the bindings can name the WIT contract by an
//! absolute path, wherever the plugin crate lives.

use proc_macro::TokenStream;

/// Where the WIT contract of the version this SDK speaks lives.
const WIT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../wit/v0.1.0");
const VERSION: &str = "0.1.0";

struct World {
    wit_world: &'static str,
    interface: &'static str,
    rust_trait: &'static str,
    /// `fn` signatures of the generated `Guest` trait: (name, params, args, return type).
    functions: &'static [(&'static str, &'static str, &'static str, &'static str)],
}

const WORLDS: &[(&str, World)] = &[
    (
        "hr_source",
        World {
            wit_world: "hr-source-plugin",
            interface: "hr_source",
            rust_trait: "HrSource",
            functions: &[
                ("test_connection", "", "", "Result<(), T::Error>"),
                (
                    "fetch",
                    "since: Option<String>, cursor: Option<String>",
                    "since, cursor",
                    "Result<T::HrPage, T::Error>",
                ),
            ],
        },
    ),
    (
        "app_connector",
        World {
            wit_world: "app-connector-plugin",
            interface: "app_connector",
            rust_trait: "AppConnector",
            functions: &[
                ("describe", "", "", "T::Features"),
                ("test_connection", "", "", "Result<(), T::Error>"),
                (
                    "ensure_account",
                    "who: T::Person",
                    "who",
                    "Result<T::Account, T::Error>",
                ),
                (
                    "suspend_account",
                    "account_id: String",
                    "account_id",
                    "Result<(), T::Error>",
                ),
                (
                    "restore_account",
                    "account_id: String",
                    "account_id",
                    "Result<(), T::Error>",
                ),
                (
                    "delete_account",
                    "account_id: String",
                    "account_id",
                    "Result<(), T::Error>",
                ),
                (
                    "list_groups",
                    "cursor: Option<String>",
                    "cursor",
                    "Result<T::GroupPage, T::Error>",
                ),
                (
                    "add_to_group",
                    "account_id: String, group_id: String",
                    "account_id, group_id",
                    "Result<(), T::Error>",
                ),
                (
                    "remove_from_group",
                    "account_id: String, group_id: String",
                    "account_id, group_id",
                    "Result<(), T::Error>",
                ),
            ],
        },
    ),
    (
        "device_manager",
        World {
            wit_world: "device-manager-plugin",
            interface: "device_manager",
            rust_trait: "DeviceManager",
            functions: &[
                ("test_connection", "", "", "Result<(), T::Error>"),
                (
                    "find_devices",
                    "owner_email: String",
                    "owner_email",
                    "Result<Vec<T::Device>, T::Error>",
                ),
                (
                    "lock",
                    "device_id: String, message: Option<String>",
                    "device_id, message",
                    "Result<Option<String>, T::Error>",
                ),
                (
                    "wipe",
                    "device_id: String",
                    "device_id",
                    "Result<(), T::Error>",
                ),
                (
                    "status",
                    "device_id: String",
                    "device_id",
                    "Result<T::CommandState, T::Error>",
                ),
            ],
        },
    ),
    (
        "shipping",
        World {
            wit_world: "shipping-plugin",
            interface: "shipping",
            rust_trait: "Shipping",
            functions: &[
                ("test_connection", "", "", "Result<(), T::Error>"),
                (
                    "create_return",
                    "origin: T::Address, destination: T::Address, item: T::Parcel",
                    "origin, destination, item",
                    "Result<T::ReturnShipment, T::Error>",
                ),
                (
                    "track",
                    "tracking_number: String",
                    "tracking_number",
                    "Result<T::ShipmentState, T::Error>",
                ),
            ],
        },
    ),
];

#[proc_macro]
pub fn export_world(input: TokenStream) -> TokenStream {
    let text = input.to_string();
    let Some((world_key, ty)) = text.split_once(',') else {
        return compile_error("expected `world, Type`");
    };
    let world_key = world_key.trim();
    let ty = ty.trim();
    let Some((_, world)) = WORLDS.iter().find(|(k, _)| *k == world_key) else {
        return compile_error(&format!("unknown plugin world `{world_key}`"));
    };

    let mut fns = String::new();
    for (name, params, args, ret) in world.functions {
        let ret = ret.replace("T::", "::tenure_sdk::");
        let params = params.replace("T::", "::tenure_sdk::");
        fns.push_str(&format!(
            "fn {name}({params}) -> {ret} {{ <{ty} as ::tenure_sdk::{tr}>::{name}({args}) }}\n",
            tr = world.rust_trait
        ));
    }

    let code = format!(
        r#"
#[doc(hidden)]
#[allow(clippy::all, unused)]
mod __tenure_plugin_export {{
    ::tenure_sdk::__private::wit_bindgen::generate!({{
        path: "{WIT_DIR}",
        world: "tenure:plugin/{wit_world}@{VERSION}",
        runtime_path: "::tenure_sdk::__private::wit_bindgen::rt",
        with: {{
            "tenure:plugin/types@{VERSION}": ::tenure_sdk::wit::tenure::plugin::types,
            "tenure:plugin/host@{VERSION}": ::tenure_sdk::wit::tenure::plugin::host,
            "tenure:plugin/http@{VERSION}": ::tenure_sdk::wit::tenure::plugin::http,
        }},
    }});

    use super::*;

    struct Export;

    impl exports::tenure::plugin::{interface}::Guest for Export {{
        {fns}
    }}

    export!(Export);
}}
"#,
        wit_world = world.wit_world,
        interface = world.interface,
    );
    code.parse()
        .unwrap_or_else(|e| compile_error(&format!("internal: {e}")))
}

fn compile_error(msg: &str) -> TokenStream {
    format!("compile_error!({msg:?});")
        .parse()
        .expect("valid tokens")
}
