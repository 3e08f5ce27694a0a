//! `tenure-fakes`: runs a vendor fake as a standalone server (for the vendor-client
//! tests and for trying the appliance against it by hand).
//!
//! ```text
//! tenure-fakes merge --port 0 --api-key K --account-token T --employees 250
//! tenure-fakes trinet --port 0 --company-id C --client-id I --client-secret S --employees 250
//! ```
//! prints `listening on http://127.0.0.1:PORT` on stdout once it accepts connections,
//! then serves until interrupted or terminated.

use std::io::Write as _;

use clap::{Parser, Subcommand};
use tenure_fakes::merge::{DEFAULT_RATE_LIMIT_PER_MINUTE, FakeMerge};
use tenure_fakes::trinet::FakeTriNet;

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
    /// Merge's unified HRIS API, under /api/hris/v1/.
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
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    match Cli::parse().fake {
        Fake::Merge {
            port,
            api_key,
            account_token,
            employees,
            rate_limit_per_minute,
            now,
        } => {
            let fake = FakeMerge::new(&api_key, &account_token);
            if let Some(now) = &now {
                fake.set_now(now);
            }
            let fake = fake.with_employees(employees);
            fake.set_rate_limit_per_minute(rate_limit_per_minute);
            let (origin, handle) = fake.serve(port).await?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "listening on {origin}")?;
            out.flush()?;
            drop(out);
            shutdown_signal().await;
            handle.stop().await;
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
            let (origin, handle) = fake.serve(port).await?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "listening on {origin}")?;
            out.flush()?;
            drop(out);
            shutdown_signal().await;
            handle.stop().await;
        }
    }
    Ok(())
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
