//! Bindings of `tenure:plugin@0.2.0` (`wit/v0.2.0`). The shared interfaces (types,
//! host, http) are generated once, in `imports`, and reused by every world.

pub(crate) mod imports {
    wasmtime::component::bindgen!({
        path: "../../wit/v0.2.0",
        world: "imports",
        imports: { default: async },
        additional_derives: [PartialEq, Eq],
    });
}

/// The `with` table every world of this version shares.
macro_rules! world {
    ($module:ident, $world:tt) => {
        pub(crate) mod $module {
            wasmtime::component::bindgen!({
                path: "../../wit/v0.2.0",
                world: $world,
                imports: { default: async },
                exports: { default: async },
                with: {
                    "tenure:plugin/types": super::imports::tenure::plugin::types,
                    "tenure:plugin/host": super::imports::tenure::plugin::host,
                    "tenure:plugin/http": super::imports::tenure::plugin::http,
                },
            });
        }
    };
}

world!(hr, "hr-source-plugin");
world!(app, "app-connector-plugin");
world!(device, "device-manager-plugin");
world!(ship, "shipping-plugin");

// The worlds with an optional interface, bound for that interface's types only: a
// component is instantiated through its base world and the optional export looked up
// by name (see `calls_optional`).
world!(hr_places, "hr-source-places-plugin");
world!(device_inventory, "device-manager-inventory-plugin");
world!(ship_returns, "shipping-returns-plugin");
