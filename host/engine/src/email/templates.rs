//! The messages Tenure sends. Each says what happened, what to do, and links to the task.

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// Files sent with it; an inline one is shown in the HTML by `cid:<inline_id>`.
    pub attachments: Vec<Attachment>,
}

/// A file attached to an email.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub filename: String,
    pub content_type: String,
    pub data: Vec<u8>,
    /// Shown in the HTML body as `<img src="cid:...">` as well as attached.
    pub inline_id: Option<String>,
}

pub(super) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// To an onboarding champion: a new hire needs IT set up.
pub fn new_hire_task(
    employee: &str,
    start_date: Option<&str>,
    department: Option<&str>,
    task_url: &str,
) -> Email {
    let when = start_date.map(|d| format!(" on {d}")).unwrap_or_default();
    let dept = department.map(|d| format!(" ({d})")).unwrap_or_default();
    Email {
        attachments: Vec::new(),
        subject: format!("Complete IT Setup for {employee}{when}"),
        text: format!(
            "{employee}{dept} starts{when}.\n\n\
             Choose their applications and hardware in Tenure:\n{task_url}\n\n\
             Applications with a connector are queued for it once you confirm; \
             the rest become tasks for their champions.\n"
        ),
        html: format!(
            "<p><strong>{e}</strong>{d} starts{w}.</p>\
             <p><a href=\"{u}\">Complete IT Setup in Tenure</a></p>\
             <p>Applications with a connector are queued for it once you confirm; \
             the rest become tasks for their champions.</p>",
            e = escape(employee),
            d = escape(&dept),
            w = escape(&when),
            u = escape(task_url),
        ),
    }
}

/// To a task's assignees: a task waits for them.
pub fn task_opened(title: &str, employee: &str, task_url: &str) -> Email {
    Email {
        attachments: Vec::new(),
        subject: format!("{title}: {employee}"),
        text: format!("A task waits for you in Tenure: {title} for {employee}.\n\n{task_url}\n"),
        html: format!(
            "<p>A task waits for you in Tenure: <strong>{t}</strong> for {e}.</p>\
             <p><a href=\"{u}\">Open the task</a></p>",
            t = escape(title),
            e = escape(employee),
            u = escape(task_url),
        ),
    }
}

/// To the onboarding champions: a sync's offboardings wait for an admin's decision.
pub fn offboardings_held(reason: &str, employees: &[String], hold_url: &str) -> Email {
    let list_text: String = employees.iter().map(|e| format!("- {e}\n")).collect();
    let list_html: String = employees
        .iter()
        .map(|e| format!("<li>{}</li>", escape(e)))
        .collect();
    Email {
        attachments: Vec::new(),
        subject: format!("{} offboardings held for approval", employees.len()),
        text: format!(
            "A sync from HR would offboard many people at once, so Tenure holds these \
             offboardings until an admin approves or rejects them ({reason}):\n\n\
             {list_text}\n{hold_url}\n"
        ),
        html: format!(
            "<p>A sync from HR would offboard many people at once, so Tenure holds these \
             offboardings until an admin approves or rejects them ({r}):</p><ul>{list_html}</ul>\
             <p><a href=\"{u}\">Review the hold</a></p>",
            r = escape(reason),
            u = escape(hold_url),
        ),
    }
}

/// To a new hire (or their manager): the first password of a new account.
pub fn first_password(
    employee: &str,
    app: &str,
    login: &str,
    password: &str,
    to_manager: bool,
) -> Email {
    let opening = if to_manager {
        format!(
            "{employee}'s account in {app} is ready. Please hand these details to {employee} in person."
        )
    } else {
        format!("Welcome, {employee}! Your account in {app} is ready.")
    };
    Email {
        attachments: Vec::new(),
        subject: format!("Your {app} account"),
        text: format!(
            "{opening}\n\nSign-in name: {login}\nTemporary password: {password}\n\n\
             You will be asked to choose your own password when you first sign in.\n"
        ),
        html: format!(
            "<p>{o}</p><p>Sign-in name: <strong>{l}</strong><br>Temporary password: \
             <code>{p}</code></p><p>You will be asked to choose your own password when \
             you first sign in.</p>",
            o = escape(&opening),
            l = escape(login),
            p = escape(password),
        ),
    }
}

/// To the admins: a connector's credentials were refused and its jobs wait.
pub fn connector_parked(connector: &str, reason: &str, settings_url: &str) -> Email {
    Email {
        attachments: Vec::new(),
        subject: format!("Tenure paused {connector}: its credentials were refused"),
        text: format!(
            "Tenure paused the jobs of {connector} because its credentials were refused \
             ({reason}). Nothing is created or revoked through it until an admin corrects \
             its settings; then the waiting jobs resume.\n\n{settings_url}\n"
        ),
        html: format!(
            "<p>Tenure paused the jobs of <strong>{c}</strong> because its credentials were \
             refused ({r}). Nothing is created or revoked through it until an admin corrects \
             its settings; then the waiting jobs resume.</p>\
             <p><a href=\"{u}\">Open the settings</a></p>",
            c = escape(connector),
            r = escape(reason),
            u = escape(settings_url),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_hire_message_names_the_person_and_links_the_task() {
        let m = new_hire_task(
            "Ann <Lee>",
            Some("2026-12-01"),
            Some("Sales"),
            "https://t/x?a=1&b=2",
        );
        assert_eq!(m.subject, "Complete IT Setup for Ann <Lee> on 2026-12-01");
        assert!(m.text.contains("https://t/x?a=1&b=2"));
        assert!(m.html.contains("Ann &lt;Lee&gt;"));
        assert!(m.html.contains("href=\"https://t/x?a=1&amp;b=2\""));
    }
}
