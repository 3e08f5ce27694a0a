//! `tenure-fakes`: runs a vendor fake as a standalone server (for the vendor-client
//! tests and for trying the appliance against it by hand).
//!
//! ```text
//! tenure-fakes merge --port 0 --api-key K --account-token T --employees 250 [--pending-percent 8]
//! tenure-fakes trinet --port 0 --company-id C --client-id I --client-secret S --employees 250
//! tenure-fakes graph --port 0 --tenant T --client-id I --client-secret S --users 250
//! tenure-fakes google --port 0 --domain D --admin A [--service-account sa.json] --users 250
//! tenure-fakes okta --port 0 --api-token T --users 250 --group Engineering --rate-limit 600
//! tenure-fakes fleet --port 0 --api-token T --hosts 250 --domain D [--free] [--auto-complete-secs 30]
//! tenure-fakes slack --port 0 --bot-token B --scim-token S [--no-scim] [--channel N] [--private-channel N] [--user EMAIL]
//! tenure-fakes ups --port 0 --client-id I --client-secret S [--no-drop-off] [--auto-advance-secs 60]
//! ```
//! prints `listening on http://127.0.0.1:PORT` on stdout once it accepts connections,
//! then serves until interrupted or terminated.

use std::io::Write as _;
use std::time::Duration;

use clap::{Parser, Subcommand};
use tenure_fakes::ServerHandle;
use tenure_fakes::fleet::FakeFleet;
use tenure_fakes::google::FakeGoogle;
use tenure_fakes::graph::FakeGraph;
use tenure_fakes::merge::{DEFAULT_PENDING_PERCENT, DEFAULT_RATE_LIMIT_PER_MINUTE, FakeMerge};
use tenure_fakes::okta::FakeOkta;
use tenure_fakes::slack::FakeSlack;
use tenure_fakes::trinet::FakeTriNet;
use tenure_fakes::ups::FakeUps;

#[derive(Parser)]
#[command(
    name = "tenure-fakes",
    about = "Fakes of the vendor APIs Tenure talks to"
)]
struct Cli {
    #[command(subcommand)]
    fake: Fake,
}

#[derive(Subcommand)]
enum Fake {
    /// Merge's unified HRIS API, under /api/hris/v1/ (and `POST /_fake/touch?n=N`,
    /// which changes N employees as an HR edit would).
    Merge {
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The API key clients must send as `Authorization: Bearer <key>`.
        #[arg(long, env = "MERGE_API_KEY", default_value = "demo-api-key")]
        api_key: String,
        /// The linked-account token clients must send as `X-Account-Token`.
        #[arg(
            long,
            env = "MERGE_ACCOUNT_TOKEN",
            default_value = "demo-account-token"
        )]
        account_token: String,
        /// How many employees to seed.
        #[arg(long, default_value_t = 100)]
        employees: usize,
        /// The share (%) of seeded members that are PENDING (new hires), taken from the
        /// ACTIVE ones; 8 % stay INACTIVE, so at most 92.
        #[arg(long, default_value_t = DEFAULT_PENDING_PERCENT,
              value_parser = clap::value_parser!(u8).range(0..=92))]
        pending_percent: u8,
        /// Requests allowed per account token per rolling minute (0: no limit).
        #[arg(long, default_value_t = DEFAULT_RATE_LIMIT_PER_MINUTE)]
        rate_limit_per_minute: u32,
        /// Freeze the fake's clock at this RFC 3339 instant (default: the real clock).
        #[arg(long)]
        now: Option<String>,
    },
    /// TriNet's own API: /oauth/accesstoken and /v1/company/{companyId}/.
    Trinet {
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The Company ID in the API's paths.
        #[arg(long, env = "TRINET_COMPANY_ID", default_value = "DEMO01")]
        company_id: String,
        /// The Client ID clients must send (Basic auth) to the token endpoint.
        #[arg(long, env = "TRINET_CLIENT_ID", default_value = "demo-client-id")]
        client_id: String,
        /// The Client Secret clients must send (Basic auth) to the token endpoint.
        #[arg(
            long,
            env = "TRINET_CLIENT_SECRET",
            default_value = "demo-client-secret"
        )]
        client_secret: String,
        /// How many employees to seed.
        #[arg(long, default_value_t = 100)]
        employees: usize,
        /// Freeze the fake's clock at this RFC 3339 instant (default: the real clock).
        #[arg(long)]
        now: Option<String>,
    },
    /// Microsoft Graph: /{tenant}/oauth2/v2.0/token and /v1.0/.
    Graph {
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The tenant in token URLs (its name; the fake's tenant GUID works too).
        #[arg(
            long,
            env = "GRAPH_TENANT",
            default_value = "tenure-demo.onmicrosoft.com"
        )]
        tenant: String,
        /// The app registration's client id.
        #[arg(long, env = "GRAPH_CLIENT_ID", default_value = "demo-client-id")]
        client_id: String,
        /// The app registration's client secret.
        #[arg(
            long,
            env = "GRAPH_CLIENT_SECRET",
            default_value = "demo-client-secret"
        )]
        client_secret: String,
        /// How many users to seed.
        #[arg(long, default_value_t = 0)]
        users: usize,
        /// Only these domains may end a user principal name (repeatable; default: any).
        #[arg(long = "verified-domain")]
        verified_domains: Vec<String>,
        /// A security group to create, by display name (repeatable).
        #[arg(long = "group")]
        groups: Vec<String>,
        /// A dynamic group to create, `NAME=RULE` (repeatable): Graph refuses to add or
        /// remove its members.
        #[arg(long = "dynamic-group")]
        dynamic_groups: Vec<String>,
        /// A fraction (0.0-1.0) of API calls answer 429 or 503 before doing anything.
        #[arg(long, default_value_t = 0.0)]
        faults: f64,
        /// The seed of the fault sequence.
        #[arg(long)]
        fault_seed: Option<u64>,
        /// API calls allowed per --rate-window-secs (0: no limit).
        #[arg(long, default_value_t = 0)]
        rate_limit: u32,
        /// The rate limit's rolling window, in seconds.
        #[arg(long, default_value_t = 10)]
        rate_window_secs: u64,
    },
    /// Slack: the Web API under /api/ and SCIM v2 Users under /scim/v2/.
    Slack {
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The bot token Web API calls must carry.
        #[arg(long, env = "SLACK_BOT_TOKEN", default_value = "xoxb-demo-bot-token")]
        bot_token: String,
        /// The admin token SCIM calls must carry.
        #[arg(long, env = "SLACK_SCIM_TOKEN", default_value = "xoxp-demo-scim-token")]
        scim_token: String,
        /// The plan has no SCIM (every SCIM call answers 403).
        #[arg(long)]
        no_scim: bool,
        /// A public channel the bot is in (repeatable).
        #[arg(long = "channel")]
        channels: Vec<String>,
        /// A private channel the bot is in (repeatable).
        #[arg(long = "private-channel")]
        private_channels: Vec<String>,
        /// A private channel without the bot: invisible to it (repeatable).
        #[arg(long = "hidden-channel")]
        hidden_channels: Vec<String>,
        /// A member, by email (repeatable).
        #[arg(long = "user")]
        users: Vec<String>,
        /// The first N Web API calls answer `ratelimited`.
        #[arg(long, default_value_t = 0)]
        ratelimited: u32,
        /// ... as HTTP 200 `ok: false` instead of HTTP 429.
        #[arg(long)]
        ratelimit_ok_false: bool,
    },
    /// Google Workspace: /token, /admin/directory/v1/ and /admin/datatransfer/v1/.
    Google {
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The customer's primary domain.
        #[arg(long, env = "GOOGLE_DOMAIN", default_value = "tenure-demo.example")]
        domain: String,
        /// The super admin the service account impersonates.
        #[arg(
            long,
            env = "GOOGLE_ADMIN",
            default_value = "admin@tenure-demo.example"
        )]
        admin: String,
        /// A service-account key file (Google's JSON) whose key and client_email the token
        /// endpoint accepts; default: the built-in test service account.
        #[arg(long, env = "GOOGLE_SERVICE_ACCOUNT")]
        service_account: Option<std::path::PathBuf>,
        /// The only `aud` JWT assertions may carry (default: Google's token URL or <origin>/token).
        #[arg(long)]
        token_audience: Option<String>,
        /// How many users to seed (besides the admin).
        #[arg(long, default_value_t = 0)]
        users: usize,
        /// A group to create, by email address (repeatable).
        #[arg(long = "group")]
        groups: Vec<String>,
        /// A fraction (0.0-1.0) of API calls answer 503 or 403 userRateLimitExceeded
        /// before doing anything.
        #[arg(long, default_value_t = 0.0)]
        faults: f64,
        /// The seed of the fault sequence.
        #[arg(long)]
        fault_seed: Option<u64>,
        /// API calls allowed per --rate-window-secs (0: no limit).
        #[arg(long, default_value_t = 0)]
        rate_limit: u32,
        /// The rate limit's rolling window, in seconds.
        #[arg(long, default_value_t = 100)]
        rate_window_secs: u64,
        /// GETs of a new data transfer that still answer inProgress.
        #[arg(long, default_value_t = 1)]
        transfer_polls: u32,
    },
    /// An Okta org: /api/v1/ and /oauth2/v1/token.
    Okta {
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The API token clients must send as `Authorization: SSWS <token>`.
        #[arg(long, env = "OKTA_API_TOKEN", default_value = "demo-okta-api-token")]
        api_token: String,
        /// How many users to seed (`user0001@<domain>`, ...).
        #[arg(long, default_value_t = 0)]
        users: usize,
        /// The domain of seeded users.
        #[arg(long, env = "OKTA_DOMAIN", default_value = "tenure-demo.example")]
        domain: String,
        /// An Okta group to create, by name (repeatable).
        #[arg(long = "group")]
        groups: Vec<String>,
        /// A group imported from a directory (APP_GROUP), by name (repeatable).
        #[arg(long = "app-group")]
        app_groups: Vec<String>,
        /// Register the test service app (client id 0oatenuretest0000001, the key in
        /// tests/fakes/src/okta/test_service_app_key.pem) for OAuth tokens.
        #[arg(long)]
        test_service_app: bool,
        /// API calls allowed per --rate-window-secs (0: no limit).
        #[arg(long, env = "OKTA_RATE_LIMIT", default_value_t = 0)]
        rate_limit: u32,
        /// The rate limit's window, in seconds (Okta's is a minute).
        #[arg(long, env = "OKTA_RATE_WINDOW_SECS", default_value_t = 60)]
        rate_window_secs: u64,
        /// A fraction (0.0-1.0) of API calls answer 429 or 503 before doing anything.
        #[arg(long, default_value_t = 0.0)]
        faults: f64,
        /// The seed of the fault sequence.
        #[arg(long)]
        fault_seed: Option<u64>,
    },
    /// A Fleet server's REST API: /api/v1/fleet/ and /api/latest/fleet/.
    Fleet {
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The API token clients must send as `Authorization: Bearer <token>`.
        #[arg(long, env = "FLEET_API_TOKEN", default_value = "demo-fleet-api-token")]
        api_token: String,
        /// How many Macs to seed, owned by `user0001@<domain>`, ...
        #[arg(long, default_value_t = 0)]
        hosts: usize,
        /// The domain of the seeded owners.
        #[arg(long, env = "FLEET_DOMAIN", default_value = "tenure-demo.example")]
        domain: String,
        /// The free licence: lock, unlock and wipe answer 402.
        #[arg(long)]
        free: bool,
        /// Queued lock, unlock and wipe actions complete by themselves after this many
        /// seconds (default: they stay pending).
        #[arg(long)]
        auto_complete_secs: Option<u64>,
    },
    /// UPS: /security/v1/oauth/token, /api/shipments/, /api/ups-store/iship/ and
    /// /api/track/v1/.
    Ups {
        /// Port on 127.0.0.1; 0 picks a free one.
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The app's Client ID clients must send (Basic auth) to the token endpoint.
        #[arg(long, env = "UPS_CLIENT_ID", default_value = "demo-client-id")]
        client_id: String,
        /// The app's Client Secret.
        #[arg(long, env = "UPS_CLIENT_SECRET", default_value = "demo-client-secret")]
        client_secret: String,
        /// The account lacks The UPS Store's Direct-to-Mobile drop-off (403 there).
        #[arg(long)]
        no_drop_off: bool,
        /// Shipments go in transit after this many seconds and are delivered after
        /// twice that (0: only by hand).
        #[arg(long, default_value_t = 0)]
        auto_advance_secs: u64,
        /// API calls allowed per --rate-window-secs (0: no limit).
        #[arg(long, default_value_t = 0)]
        rate_limit: u32,
        /// The rate limit's rolling window, in seconds.
        #[arg(long, default_value_t = 1)]
        rate_window_secs: u64,
    },
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    match Cli::parse().fake {
        Fake::Merge {
            port,
            api_key,
            account_token,
            employees,
            pending_percent,
            rate_limit_per_minute,
            now,
        } => {
            let fake = FakeMerge::new(&api_key, &account_token);
            if let Some(now) = &now {
                fake.set_now(now);
            }
            let fake = fake.with_employees_pending(employees, pending_percent);
            fake.set_rate_limit_per_minute(rate_limit_per_minute);
            run(fake.serve(port).await?).await?;
        }
        Fake::Trinet {
            port,
            company_id,
            client_id,
            client_secret,
            employees,
            now,
        } => {
            let fake = FakeTriNet::new(&company_id, &client_id, &client_secret);
            if let Some(now) = &now {
                fake.set_now(now);
            }
            let fake = fake.with_employees(employees);
            run(fake.serve(port).await?).await?;
        }
        Fake::Graph {
            port,
            tenant,
            client_id,
            client_secret,
            users,
            verified_domains,
            groups,
            dynamic_groups,
            faults,
            fault_seed,
            rate_limit,
            rate_window_secs,
        } => {
            let domains: Vec<&str> = verified_domains.iter().map(String::as_str).collect();
            let mut fake = FakeGraph::new(&tenant, &client_id, &client_secret)
                .with_verified_domains(&domains)
                .with_users(users)
                .with_faults(check_ratio(faults)?)
                .with_rate_limit(rate_limit, Duration::from_secs(rate_window_secs));
            if let Some(seed) = fault_seed {
                fake = fake.with_fault_seed(seed);
            }
            for name in &groups {
                fake.add_group(name);
            }
            for spec in &dynamic_groups {
                let (name, rule) = spec
                    .split_once('=')
                    .unwrap_or((spec, "user.accountEnabled -eq true"));
                fake.add_dynamic_group(name, rule);
            }
            run(fake.serve(port).await?).await?;
        }
        Fake::Slack {
            port,
            bot_token,
            scim_token,
            no_scim,
            channels,
            private_channels,
            hidden_channels,
            users,
            ratelimited,
            ratelimit_ok_false,
        } => {
            let fake = FakeSlack::new(&bot_token, &scim_token).with_scim(!no_scim);
            for name in &channels {
                fake.add_channel(name, false, true);
            }
            for name in &private_channels {
                fake.add_channel(name, true, true);
            }
            for name in &hidden_channels {
                fake.add_channel(name, true, false);
            }
            for email in &users {
                let local = email.split('@').next().unwrap_or(email);
                fake.add_user(email, local, "Member");
            }
            fake.rate_limit_next(ratelimited, !ratelimit_ok_false);
            run(fake.serve(port).await?).await?;
        }
        Fake::Google {
            port,
            domain,
            admin,
            service_account,
            token_audience,
            users,
            groups,
            faults,
            fault_seed,
            rate_limit,
            rate_window_secs,
            transfer_polls,
        } => {
            let mut fake = FakeGoogle::new(&domain, &admin);
            if let Some(path) = &service_account {
                let json = std::fs::read_to_string(path)?;
                fake = fake.with_service_account_json(&json).map_err(|e| {
                    std::io::Error::new(
                        std::io::ErrorKind::InvalidInput,
                        format!("{}: {e}", path.display()),
                    )
                })?;
            }
            if let Some(aud) = &token_audience {
                fake = fake.with_token_audience(aud);
            }
            let mut fake = fake
                .with_users(users)
                .with_faults(check_ratio(faults)?)
                .with_rate_limit(rate_limit, Duration::from_secs(rate_window_secs));
            if let Some(seed) = fault_seed {
                fake = fake.with_fault_seed(seed);
            }
            fake.set_transfer_polls(transfer_polls);
            for email in &groups {
                let name = email.split('@').next().unwrap_or(email);
                fake.add_group(email, name);
            }
            run(fake.serve(port).await?).await?;
        }
        Fake::Okta {
            port,
            api_token,
            users,
            domain,
            groups,
            app_groups,
            test_service_app,
            rate_limit,
            rate_window_secs,
            faults,
            fault_seed,
        } => {
            let mut fake = FakeOkta::new(&api_token)
                .with_users(users, &domain)
                .with_faults(check_ratio(faults)?)
                .with_rate_limit(rate_limit, Duration::from_secs(rate_window_secs));
            if let Some(seed) = fault_seed {
                fake = fake.with_fault_seed(seed);
            }
            if test_service_app {
                fake = fake.with_test_service_app();
            }
            for name in &groups {
                fake.add_group(name);
            }
            for name in &app_groups {
                fake.add_app_group(name);
            }
            run(fake.serve(port).await?).await?;
        }
        Fake::Fleet {
            port,
            api_token,
            hosts,
            domain,
            free,
            auto_complete_secs,
        } => {
            let mut fake = FakeFleet::new(&api_token)
                .with_premium(!free)
                .with_hosts(hosts, &domain);
            if let Some(secs) = auto_complete_secs {
                fake = fake.with_auto_complete(Duration::from_secs(secs));
            }
            run(fake.serve(port).await?).await?;
        }
        Fake::Ups {
            port,
            client_id,
            client_secret,
            no_drop_off,
            auto_advance_secs,
            rate_limit,
            rate_window_secs,
        } => {
            let mut fake = FakeUps::new(&client_id, &client_secret)
                .with_drop_off(!no_drop_off)
                .with_rate_limit(rate_limit, Duration::from_secs(rate_window_secs));
            if auto_advance_secs > 0 {
                fake = fake.with_auto_advance(Duration::from_secs(auto_advance_secs));
            }
            run(fake.serve(port).await?).await?;
        }
    }
    Ok(())
}

/// Announces the served fake's origin on stdout, then serves until Ctrl-C or SIGTERM
/// and stops it gracefully.
async fn run((origin, handle): (String, ServerHandle)) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "listening on {origin}")?;
    out.flush()?;
    drop(out);
    shutdown_signal().await;
    handle.stop().await;
    Ok(())
}

fn check_ratio(r: f64) -> std::io::Result<f64> {
    if (0.0..=1.0).contains(&r) {
        Ok(r)
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("--faults must lie in 0.0..=1.0, not {r}"),
        ))
    }
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
