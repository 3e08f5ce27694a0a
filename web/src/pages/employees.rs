//! Employees: the searchable, paged list and the Add Employee (pre-hire) form.

use leptos::prelude::*;
use tenure_domain::{Employee, EmployeeStatus};

use super::form_error;
use crate::{Chrome, Nav, document};

/// One page of the list.
#[derive(Debug, Clone)]
pub struct EmployeeList {
    pub query: String,
    /// Zero-based page number.
    pub page: usize,
    pub per_page: usize,
    /// How many match the query.
    pub total: usize,
    pub rows: Vec<Employee>,
    /// May add pre-hires.
    pub can_add: bool,
}

pub fn status_badge(status: EmployeeStatus, pre_hire: bool) -> impl IntoView {
    let (class, text) = match (status, pre_hire) {
        (EmployeeStatus::Pending, true) => ("open", "pre-hire"),
        (EmployeeStatus::Pending, false) => ("open", "pending"),
        (EmployeeStatus::Active, _) => ("done", "active"),
        (EmployeeStatus::Terminated, _) => ("cancelled", "terminated"),
    };
    view! { <span class=format!("badge {class}")>{text}</span> }
}

fn page_link(query: &str, page: usize) -> String {
    let mut href = format!("/employees?page={page}");
    if !query.is_empty() {
        href.push_str("&q=");
        href.push_str(&percent_encode(query));
    }
    href
}

/// Percent-encodes a query value.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn list(chrome: &Chrome, list: EmployeeList) -> String {
    let rows = list
        .rows
        .iter()
        .map(|e| {
            let href = format!("/employees/{}", e.id);
            let dept = e.profile.department.clone().unwrap_or_default();
            let start = e.start_date.map(|d| d.to_string()).unwrap_or_default();
            view! {
                <tr>
                    <td><a href=href>{e.name()}</a></td>
                    <td class="hide-sm">{e.profile.work_email.clone()}</td>
                    <td>{dept}</td>
                    <td class="hide-sm">{start}</td>
                    <td>{status_badge(e.status, e.is_pre_hire())}</td>
                </tr>
            }
        })
        .collect_view();
    let first = list.page * list.per_page + 1;
    let last = (list.page * list.per_page + list.rows.len()).min(list.total);
    let summary = if list.total == 0 {
        "No employees match.".to_string()
    } else {
        format!("{first}–{last} of {}", list.total)
    };
    let prev = (list.page > 0).then(|| {
        let href = page_link(&list.query, list.page - 1);
        view! { <a href=href rel="prev">"← Previous"</a> }
    });
    let next = (last < list.total).then(|| {
        let href = page_link(&list.query, list.page + 1);
        view! { <a href=href rel="next">"Next →"</a> }
    });
    let add = list
        .can_add
        .then(|| view! { <a class="button" href="/employees/new">"Add employee"</a> });
    let query = list.query.clone();
    document(
        Some(chrome),
        Nav::Employees,
        "Employees",
        view! {
            <div style="display:flex;justify-content:space-between;align-items:center;flex-wrap:wrap;gap:.5rem">
                <h1>"Employees"</h1>
                {add}
            </div>
            <form method="get" action="/employees" role="search" class="actions" style="margin:0 0 1rem">
                <label for="q" class="sr-only">"Search by name or email"</label>
                <input id="q" name="q" type="search" value=query placeholder="Search by name or email"/>
                <button type="submit" class="secondary">"Search"</button>
            </form>
            <div class="table-wrap">
                <table aria-label="Employees">
                    <thead><tr><th>"Name"</th><th class="hide-sm">"Work email"</th><th>"Department"</th><th class="hide-sm">"Start"</th><th>"Status"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <div class="pager"><span class="muted">{summary}</span>{prev}{next}</div>
        },
    )
}

/// What the Add Employee form keeps when it comes back with an error.
#[derive(Debug, Clone, Default)]
pub struct NewEmployeeForm {
    pub given_name: String,
    pub family_name: String,
    pub work_email: String,
    pub personal_email: String,
    pub department: String,
    pub title: String,
    pub start_date: String,
}

pub fn add(chrome: &Chrome, form: NewEmployeeForm, error: Option<String>) -> String {
    document(
        Some(chrome),
        Nav::Employees,
        "Add employee",
        view! {
            <h1>"Add employee"</h1>
            <p class="muted">"For IT setup before HR has the person. HR's record merges into this one later, by work email."</p>
            {form_error(error)}
            <form method="post" action="/employees" class="card">
                {chrome.csrf_field()}
                <div class="grid">
                    <div>
                        <label for="given_name">"Given name"</label>
                        <input id="given_name" name="given_name" type="text" required value=form.given_name/>
                    </div>
                    <div>
                        <label for="family_name">"Family name"</label>
                        <input id="family_name" name="family_name" type="text" required value=form.family_name/>
                    </div>
                    <div>
                        <label for="work_email">"Work email"</label>
                        <input id="work_email" name="work_email" type="email" required value=form.work_email/>
                    </div>
                    <div>
                        <label for="personal_email">"Personal email (optional)"</label>
                        <input id="personal_email" name="personal_email" type="email" value=form.personal_email/>
                    </div>
                    <div>
                        <label for="department">"Department"</label>
                        <input id="department" name="department" type="text" value=form.department/>
                    </div>
                    <div>
                        <label for="title">"Title"</label>
                        <input id="title" name="title" type="text" value=form.title/>
                    </div>
                    <div>
                        <label for="start_date">"Start date"</label>
                        <input id="start_date" name="start_date" type="date" value=form.start_date/>
                    </div>
                </div>
                <div class="actions"><button type="submit">"Add and continue to IT setup"</button></div>
            </form>
        },
    )
}
