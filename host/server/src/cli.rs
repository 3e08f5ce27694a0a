//! Command-line interface. Every flag also reads a `TENURE_*` environment variable.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "tenure",
    version,
    about = "Tenure: HR changes in, IT work out."
)]
pub struct Cli {
    /// Log format.
    #[arg(long, global = true, env = "TENURE_LOG_FORMAT", default_value = "text")]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Where state lives and which configuration file to read; shared by all subcommands.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Configuration file (TOML). Optional: every setting has a default.
    #[arg(long, short, env = "TENURE_CONFIG")]
    pub config: Option<PathBuf>,
    /// Data directory (database, secret key, plugin cache). Default: ./tenure-data.
    #[arg(long, env = "TENURE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Runs the appliance: web UI, API, scheduler.
    Serve {
        #[command(flatten)]
        common: Common,
        /// Address to listen on. Default: 127.0.0.1:8080.
        #[arg(long, env = "TENURE_LISTEN")]
        listen: Option<String>,
        /// Starts a built-in fake HR system with sample employees and connects to it.
        #[arg(long, env = "TENURE_DEMO")]
        demo: bool,
    },
    /// Manages plugins.
    Plugin {
        #[command(subcommand)]
        command: PluginCommand,
    },
    /// Syncs every configured HR source now and prints what changed.
    Sync {
        #[command(flatten)]
        common: Common,
    },
    /// Employees: add a pre-hire before HR has them.
    Employee {
        #[command(subcommand)]
        command: EmployeeCommand,
    },
    /// Manages API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Stored secrets: what to do after the secret key was lost.
    Secrets {
        #[command(subcommand)]
        command: SecretsCommand,
    },
    /// Writes a consistent copy of the database to FILE while tenure keeps running.
    Backup {
        #[command(flatten)]
        common: Common,
        /// Where to write the backup (must not exist).
        file: PathBuf,
    },
    /// Replaces the database with a backup. Tenure must be stopped; the current
    /// database is kept as `tenure.redb.before-restore-<time>`.
    Restore {
        #[command(flatten)]
        common: Common,
        /// The backup file (from `tenure backup` or `[backup]`).
        file: PathBuf,
        /// Restore even when the current secret key cannot decrypt the backup's secrets
        /// (they must then be discarded with `tenure secrets forget-unreadable`).
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum PluginCommand {
    /// Lists bundled and installed plugins: id, version, world, allowed hosts.
    List {
        #[command(flatten)]
        common: Common,
    },
    /// Installs a plugin component with its manifest into the data directory.
    Install {
        #[command(flatten)]
        common: Common,
        /// The component (`.wasm`, built for wasm32-wasip2).
        wasm: PathBuf,
        /// Its manifest (TOML). Default: `<file stem>.toml` beside the wasm, else
        /// `manifest.toml` there.
        #[arg(long)]
        manifest: Option<PathBuf>,
        /// Installs without asking (a running server otherwise shows what the plugin
        /// asks for and waits for `y`).
        #[arg(long)]
        yes: bool,
    },
    /// Removes an installed plugin (not a bundled one); a running server drops it at once.
    Remove {
        #[command(flatten)]
        common: Common,
        /// The plugin's id.
        id: String,
    },
    /// Makes a key pair for signing plugins: writes the private key (PKCS#8, mode 0600)
    /// into DIR and prints the line appliances add to `[plugins] trusted_keys`.
    Keygen {
        /// Folder for `plugin-signing-key.pk8` (created; an existing key is not replaced).
        #[arg(long)]
        out: PathBuf,
        /// The key id appliances know you by, e.g. your company's name.
        #[arg(long, default_value = "my-publisher")]
        publisher: String,
    },
    /// Signs a plugin: writes `publisher` and `signature` into its manifest.
    Sign {
        /// The private key from `tenure plugin keygen`.
        #[arg(long)]
        key: PathBuf,
        /// The key id it is trusted under (as in `trusted_keys`).
        #[arg(long)]
        publisher: String,
        /// The component (`.wasm`).
        wasm: PathBuf,
        /// Its manifest, rewritten in place. Default as for `install`.
        #[arg(long)]
        manifest: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum EmployeeCommand {
    /// Adds a pre-hire: IT setup starts now, and HR's record merges into it later by
    /// work email. Prints the new employee's id and the Complete IT Setup task.
    Add {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        person: PreHireArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Discards the stored secrets the current secret key cannot decrypt (after the
    /// original key was lost) and lists them, so tenure starts again; enter them anew.
    ForgetUnreadable {
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Creates a token and prints it (as the last word of the output), once.
    Create {
        #[command(flatten)]
        common: Common,
        /// A name for the token, e.g. the system that will use it.
        #[arg(long)]
        name: String,
        #[arg(long, value_enum, default_value = "admin")]
        role: crate::http::api::Role,
    },
    /// Lists tokens (names and roles, never the tokens).
    List {
        #[command(flatten)]
        common: Common,
    },
    /// Revokes a token by name.
    Revoke {
        #[command(flatten)]
        common: Common,
        name: String,
    },
}

/// The flags of `tenure employee add`.
#[derive(Debug, Clone, clap::Args)]
pub struct PreHireArgs {
    #[arg(long)]
    pub given_name: String,
    #[arg(long)]
    pub family_name: String,
    #[arg(long)]
    pub work_email: String,
    #[arg(long)]
    pub personal_email: Option<String>,
    #[arg(long)]
    pub department: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    /// First day of work (YYYY-MM-DD).
    #[arg(long)]
    pub start_date: Option<tenure_domain::jiff::civil::Date>,
}

impl From<PreHireArgs> for crate::lifecycle::NewPreHire {
    fn from(a: PreHireArgs) -> Self {
        crate::lifecycle::NewPreHire {
            given_name: a.given_name,
            family_name: a.family_name,
            work_email: a.work_email,
            personal_email: a.personal_email,
            department: a.department,
            title: a.title,
            start_date: a.start_date,
        }
    }
}

impl Command {
    /// Commands whose output is for scripts log only warnings.
    pub fn is_quiet(&self) -> bool {
        !matches!(self, Command::Serve { .. })
    }
}
