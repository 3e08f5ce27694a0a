//! Rules name groups and channels by connector and name; saving them asks the connector
//! for each new one (`find-group`) and keeps its id, so that a typo is refused with the
//! group's name instead of failing later in a job. The picker lists a connector's groups
//! by prefix (`list-groups`).

use std::sync::Arc;

use tenure_domain::{Catalog, ExternalGroup};
use tenure_engine::jobs::{AppConnector, ConnectorError, Connectors, Group, Missing};

use crate::app::AppState;

/// At most this many groups a picker shows.
pub const PICKER_LIMIT: usize = 200;

/// The connector a rule names, or why it cannot be asked.
fn connector(state: &AppState, id: &str) -> Result<Arc<dyn AppConnector>, String> {
    state.connectors().app(id).map_err(|m| match m {
        Missing::NotInstalled => format!("`{id}` is not an installed connector"),
        Missing::NotConfigured => {
            format!("fill in {id}'s settings (Settings → Integrations) before naming its groups")
        }
        Missing::WrongKind(kind) => format!("`{id}` is a {kind} plugin, not an app connector"),
    })
}

fn says(id: &str, e: ConnectorError) -> String {
    match e {
        ConnectorError::Unsupported(_) => format!("{id} cannot look groups up"),
        other => format!("{id} could not be asked: {other}"),
    }
}

/// Gives every group in `next`'s rules its connector's id: groups already in `before`
/// (same connector and name) keep theirs; each new one is looked up by name and refused
/// when its connector does not know it.
pub async fn resolve(state: &AppState, before: &Catalog, next: &mut Catalog) -> Result<(), String> {
    let known: Vec<&ExternalGroup> = before
        .rules
        .iter()
        .flat_map(|r| &r.external_groups)
        .collect();
    for rule in &mut next.rules {
        for group in &mut rule.external_groups {
            let same = |k: &&&ExternalGroup| {
                k.connector == group.connector && k.name.eq_ignore_ascii_case(group.name.trim())
            };
            if let Some(old) = known.iter().find(same) {
                group.id = old.id.clone();
                group.name = old.name.clone();
                continue;
            }
            let id = group.connector.0.clone();
            let c = connector(state, &id)?;
            let wanted = group.name.trim().trim_start_matches('#').to_string();
            match find_waiting(c.as_ref(), &wanted)
                .await
                .map_err(|e| says(&id, e))?
            {
                Some(found) => {
                    group.id = found.id;
                    group.name = found.name;
                }
                None => return Err(format!("{id} has no group or channel named `{wanted}`")),
            }
        }
    }
    Ok(())
}

/// Longest wait for a rate-limited lookup while an admin saves rules.
const SAVE_WAIT_SECS: u32 = 5;
/// Rate-limited answers waited out per lookup.
const SAVE_TRIES: usize = 3;

/// `find-group`, waiting out short rate limits (the admin's save waits a few seconds
/// rather than failing because the connector is busy provisioning).
async fn find_waiting(c: &dyn AppConnector, name: &str) -> Result<Option<Group>, ConnectorError> {
    let mut tries = 0;
    loop {
        match c.find_group(name).await {
            Err(ConnectorError::RateLimited(secs))
                if secs <= SAVE_WAIT_SECS && tries < SAVE_TRIES =>
            {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_secs(u64::from(secs.max(1)))).await;
            }
            other => return other,
        }
    }
}

/// The first page of a connector's groups whose name starts with `prefix`.
pub async fn pick(
    state: &AppState,
    connector_id: &str,
    prefix: &str,
) -> Result<Vec<Group>, String> {
    let c = connector(state, connector_id)?;
    let mut groups = c
        .list_groups(prefix.trim().trim_start_matches('#'))
        .await
        .map_err(|e| match e {
            ConnectorError::Unsupported(_) => format!(
                "{connector_id} cannot list its groups: type a group's exact name, it is checked when you save"
            ),
            other => format!("{connector_id} could not be asked: {other}"),
        })?;
    groups.truncate(PICKER_LIMIT);
    Ok(groups)
}

/// The installed app connectors that manage groups, for the picker's choice.
pub async fn group_connectors(state: &AppState) -> Vec<String> {
    let connectors = state.connectors();
    let mut out = Vec::new();
    for p in state.plugins.loaded().iter() {
        let id = p.id().to_string();
        if let Ok(c) = connectors.app(&id)
            && c.describe().await.is_ok_and(|caps| caps.groups)
        {
            out.push(id);
        }
    }
    out
}
