//! Host-side bindings of the WIT contract, one module per world. The shared
//! interfaces (types, host, http) are generated once, in `imports`, and reused.

pub(crate) mod imports {
    wasmtime::component::bindgen!({
        path: "../../wit/v0.1.0",
        world: "imports",
        imports: { default: async },
    });
}

pub(crate) mod hr {
    wasmtime::component::bindgen!({
        path: "../../wit/v0.1.0",
        world: "hr-source-plugin",
        imports: { default: async },
        exports: { default: async },
        with: {
            "tenure:plugin/types": super::imports::tenure::plugin::types,
            "tenure:plugin/host": super::imports::tenure::plugin::host,
            "tenure:plugin/http": super::imports::tenure::plugin::http,
        },
    });
}

pub(crate) mod app {
    wasmtime::component::bindgen!({
        path: "../../wit/v0.1.0",
        world: "app-connector-plugin",
        imports: { default: async },
        exports: { default: async },
        with: {
            "tenure:plugin/types": super::imports::tenure::plugin::types,
            "tenure:plugin/host": super::imports::tenure::plugin::host,
            "tenure:plugin/http": super::imports::tenure::plugin::http,
        },
    });
}

pub(crate) mod device {
    wasmtime::component::bindgen!({
        path: "../../wit/v0.1.0",
        world: "device-manager-plugin",
        imports: { default: async },
        exports: { default: async },
        with: {
            "tenure:plugin/types": super::imports::tenure::plugin::types,
            "tenure:plugin/host": super::imports::tenure::plugin::host,
            "tenure:plugin/http": super::imports::tenure::plugin::http,
        },
    });
}

pub(crate) mod ship {
    wasmtime::component::bindgen!({
        path: "../../wit/v0.1.0",
        world: "shipping-plugin",
        imports: { default: async },
        exports: { default: async },
        with: {
            "tenure:plugin/types": super::imports::tenure::plugin::types,
            "tenure:plugin/host": super::imports::tenure::plugin::host,
            "tenure:plugin/http": super::imports::tenure::plugin::http,
        },
    });
}

/// The contract's shared types (employees, accounts, devices, errors), as the host sees them.
pub mod types {
    pub use super::imports::tenure::plugin::types::*;
}
