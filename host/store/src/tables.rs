//! Every table of the store, in one screen.
//!
//! All tables map a `&str` key to a `&[u8]` value so that [`crate::Store::backup`] can copy
//! any of them without knowing its type. Composite keys join their parts with `'\0'`
//! (see [`crate::codec::join_key`]); values are JSON ([`crate::codec`]) unless noted.

use redb::TableDefinition;

/// The shape of every table.
pub type Table = TableDefinition<'static, &'static str, &'static [u8]>;

/// Store bookkeeping: `schema_version` (JSON u32) and `secret_key_check` (JSON string:
/// base64 of a known constant sealed with the secret key, see `key_check.rs`).
pub const META: Table = TableDefinition::new("meta");

/// Non-secret plugin settings: `plugin\0key` -> JSON string.
pub const PLUGIN_SETTINGS: Table = TableDefinition::new("plugin_settings");

/// Encrypted plugin secrets: `plugin\0key` -> version byte, 24-byte nonce, ciphertext.
pub const PLUGIN_SECRETS: Table = TableDefinition::new("plugin_secrets");

/// Plugin key-value: `plugin\0key` -> expiry header and raw value bytes
/// (see `plugin_state.rs`).
pub const PLUGIN_KV: Table = TableDefinition::new("plugin_kv");

/// API tokens: SHA-256 of the token (hex) -> JSON `ApiTokenRecord`. Since schema 2.
pub const API_TOKENS: Table = TableDefinition::new("api_tokens");

/// Lifecycle state (schema 3), values are the domain's JSON:
/// employees by id, tasks by id, held offboardings by id, quarantined HR records by
/// `source\0source_id`, and per-HR-source sync state by plugin id.
pub const EMPLOYEES: Table = TableDefinition::new("employees");
pub const TASKS: Table = TableDefinition::new("tasks");
pub const HOLDS: Table = TableDefinition::new("holds");
pub const QUARANTINE: Table = TableDefinition::new("quarantine");
pub const SYNC_STATE: Table = TableDefinition::new("sync_state");
/// Append-only logs keyed by a zero-padded sequence number (`{:020}`): the audit log,
/// the job queue and the email outbox.
pub const AUDIT: Table = TableDefinition::new("audit");
pub const JOBS: Table = TableDefinition::new("jobs");
pub const OUTBOX: Table = TableDefinition::new("outbox");
/// Sync runs (schema 4), keyed by a zero-padded sequence number: JSON `SyncRun`.
pub const SYNC_RUNS: Table = TableDefinition::new("sync_runs");

/// Local user accounts (schema 5): login name -> JSON `UserRecord`.
pub const USERS: Table = TableDefinition::new("users");
/// Browser sessions (schema 5): SHA-256 of the cookie token (hex) -> JSON `SessionRecord`.
pub const SESSIONS: Table = TableDefinition::new("sessions");

/// The unfinished jobs (schema 6): job id (a key of [`JOBS`]) -> empty. Since schema 6,
/// [`JOBS`] values are JSON `Job` (before: the bare `JobIntent`).
pub const JOB_QUEUE: Table = TableDefinition::new("job_queue");
/// Access records (schema 6): `employee\0app` -> JSON `AccessRecord`.
pub const ACCESS: Table = TableDefinition::new("access");
/// Parked connectors (schema 6): plugin id -> JSON `ParkedConnector`.
pub const PARKED: Table = TableDefinition::new("parked");

/// Hardware (schema 7), values are the domain's JSON: assets by id, return shipments
/// by id, MDM commands by id. The hardware settings are in [`META`].
pub const ASSETS: Table = TableDefinition::new("assets");
pub const SHIPMENTS: Table = TableDefinition::new("shipments");
pub const MDM_COMMANDS: Table = TableDefinition::new("mdm_commands");
/// Orders from the hardware store (schema 7): order id -> JSON `Order`.
pub const ORDERS: Table = TableDefinition::new("orders");
/// What a carrier issued for a return (schema 7), by tracking number:
/// `number\0label` or `number\0drop_off` -> content type, a NUL byte, then the raw bytes.
pub const SHIPMENT_FILES: Table = TableDefinition::new("shipment_files");

/// The audit log by subject (schema 8): `subject-kind\0id…\0seq` (the key of [`AUDIT`])
/// -> empty. A profile's history reads its subjects' ranges.
pub const AUDIT_BY_SUBJECT: Table = TableDefinition::new("audit_by_subject");

/// The tables `Store::open` creates and `Store::backup` always copies. A table added by a
/// later crate should be listed here too (and created by a migration); backup also copies
/// any other table it finds in the file.
pub const ALL_TABLES: &[Table] = &[
    META,
    PLUGIN_SETTINGS,
    PLUGIN_SECRETS,
    PLUGIN_KV,
    API_TOKENS,
    EMPLOYEES,
    TASKS,
    HOLDS,
    QUARANTINE,
    SYNC_STATE,
    AUDIT,
    JOBS,
    OUTBOX,
    SYNC_RUNS,
    USERS,
    SESSIONS,
    JOB_QUEUE,
    ACCESS,
    PARKED,
    ASSETS,
    SHIPMENTS,
    MDM_COMMANDS,
    SHIPMENT_FILES,
    ORDERS,
    AUDIT_BY_SUBJECT,
];

/// Key in [`META`] holding the schema version.
pub const SCHEMA_VERSION_KEY: &str = "schema_version";

/// Key in [`META`] holding the secret key's check value.
pub const SECRET_KEY_CHECK_KEY: &str = "secret_key_check";
