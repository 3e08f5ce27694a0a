//! One module per subcommand.

mod admin_client;
mod backup;
mod employee;
mod plugin;
mod restore;
mod secrets;
mod serve;
mod sync;
mod token;

use crate::cli::{
    Cli, Command, Common, EmployeeCommand, PluginCommand, SecretsCommand, TokenCommand,
};
use crate::config::Config;

/// The configuration with the command line's overrides applied.
fn config_for(common: &Common) -> anyhow::Result<Config> {
    let mut config = Config::load(common.config.as_deref())?;
    if let Some(dir) = &common.data_dir {
        config.server.data_dir = dir.clone();
    }
    if let Ok(url) = std::env::var("TENURE_PUBLIC_URL")
        && !url.trim().is_empty()
    {
        config.server.public_url = url;
    }
    if let Ok(token) = std::env::var("TENURE_METRICS_TOKEN")
        && !token.trim().is_empty()
    {
        config.server.metrics_token = Some(token);
    }
    config.server.tls.apply_env()?;
    Ok(config)
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve {
            common,
            listen,
            demo,
        } => {
            let mut config = config_for(&common)?;
            if let Some(l) = listen {
                config.server.listen = l;
            }
            serve::run(config, demo).await
        }
        Command::Plugin { command } => match command {
            PluginCommand::List { common } => plugin::list(&config_for(&common)?),
            PluginCommand::Install {
                common,
                wasm,
                manifest,
                yes,
            } => plugin::install(&config_for(&common)?, &wasm, manifest.as_deref(), yes).await,
            PluginCommand::Remove { common, id } => {
                plugin::remove(&config_for(&common)?, &id).await
            }
            PluginCommand::Keygen { out, publisher } => plugin::keygen(&out, &publisher),
            PluginCommand::Sign {
                key,
                publisher,
                wasm,
                manifest,
            } => plugin::sign(&key, &publisher, &wasm, manifest.as_deref()),
        },
        Command::Secrets { command } => match command {
            SecretsCommand::ForgetUnreadable { common } => {
                secrets::forget_unreadable(&config_for(&common)?)
            }
        },
        Command::Backup { common, file } => backup::run(&config_for(&common)?, &file).await,
        Command::Restore {
            common,
            file,
            force,
        } => restore::run(&config_for(&common)?, &file, force),
        Command::Sync { common } => sync::run(&config_for(&common)?).await,
        Command::Employee { command } => match command {
            EmployeeCommand::Add { common, person } => {
                employee::add(&config_for(&common)?, person.into()).await
            }
        },
        Command::Token { command } => match command {
            TokenCommand::Create { common, name, role } => {
                token::create(&config_for(&common)?, &name, role).await
            }
            TokenCommand::List { common } => token::list(&config_for(&common)?),
            TokenCommand::Revoke { common, name } => {
                token::revoke(&config_for(&common)?, &name).await
            }
        },
    }
}
