//! Settings → Locations: employees' work locations, the time zone each one's final days
//! end in and where it came from, and the zone an admin sets for a location whose own is
//! wrong or missing.

use leptos::prelude::*;
use tenure_domain::work_zone::WorkZone;

use super::tabs;
use crate::{Chrome, Nav, document};

/// One work location.
#[derive(Debug, Clone)]
pub struct LocationRow {
    /// The location's name, city, region and country as HR gives them, joined.
    pub label: String,
    pub employees: usize,
    /// The zone in use for its people; `None` when nobody is there now.
    pub zone: Option<WorkZone>,
    /// The zone an admin set for it.
    pub admin_zone: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct LocationsPage {
    /// Most people first.
    pub rows: Vec<LocationRow>,
    /// Distinct locations in all (more than `rows` when the list was cut).
    pub total: usize,
    /// Employees whose HR record names no work location.
    pub without_location: usize,
    /// `[lifecycle] company_time_zone`.
    pub company_time_zone: String,
    /// IANA names, offered while typing a zone.
    pub zone_names: Vec<String>,
}

/// "Australia/Sydney (from the work location's city)".
fn in_use(zone: &Option<WorkZone>) -> String {
    match zone {
        Some(z) => format!("{} ({})", z.name, z.source.describe()),
        None => "— (nobody works here now)".into(),
    }
}

fn row(chrome: &Chrome, r: &LocationRow) -> impl IntoView + use<> {
    let field = format!("Zone of {}", r.label);
    let clear = r.admin_zone.is_some().then(|| {
        let label = format!("Clear the zone of {}", r.label);
        view! { <button type="submit" name="clear" value="yes" class="secondary" aria-label=label>"Clear"</button> }
    });
    view! {
        <tr>
            <td>{r.label.clone()}</td>
            <td>{r.employees}</td>
            <td>{in_use(&r.zone)}</td>
            <td>
                <form method="post" action="/settings/locations">
                    {chrome.csrf_field()}
                    <input type="hidden" name="location" value=r.label.clone()/>
                    <label class="inline">
                        <span class="sr-only">{field}</span>
                        <input type="text" name="zone" list="zone-names" value=r.admin_zone.clone()
                            placeholder="e.g. Australia/Sydney" autocomplete="off" style="max-width:16rem"/>
                    </label>
                    <button type="submit" class="secondary" aria-label=format!("Save the zone of {}", r.label)>"Save"</button>
                    {clear}
                </form>
            </td>
        </tr>
    }
}

pub fn locations(chrome: &Chrome, page: LocationsPage) -> String {
    let rows = page.rows.iter().map(|r| row(chrome, r)).collect_view();
    let names = page
        .zone_names
        .iter()
        .map(|n| view! { <option value=n.clone()></option> })
        .collect_view();
    let cut = (page.total > page.rows.len()).then(|| {
        view! { <p class="muted">{format!("The {} locations with the most people of {} are shown.", page.rows.len(), page.total)}</p> }
    });
    let without = (page.without_location > 0).then(|| {
        let who = match page.without_location {
            1 => "1 employee has".to_string(),
            n => format!("{n} employees have"),
        };
        view! { <p class="muted">{format!("{who} no work location: their HR record's zone, or else the company's, applies.")}</p> }
    });
    let table = if page.rows.is_empty() {
        view! { <p class="muted">"No employee has a work location yet; they come with the HR sync."</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table aria-label="Work locations">
                    <thead><tr><th>"Work location"</th><th>"Employees"</th><th>"Zone in use"</th><th>"Admin's zone"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    document(
        Some(chrome),
        Nav::Settings,
        "Locations",
        view! {
            {tabs("locations")}
            <h1>"Locations"</h1>
            <p>
                "An employee's final day ends at midnight in their work time zone. Tenure takes the first it has: "
                "the zone set here for their work location, the zone their HR record gives, the zone of the location's city, region or country, "
                {format!("and last the company's zone ([lifecycle] company_time_zone, now {}).", page.company_time_zone)}
            </p>
            <p class="muted">"Set a zone when the one in use is wrong; final days not reached yet then end at midnight there."</p>
            {without}
            {table}
            {cut}
            <datalist id="zone-names">{names}</datalist>
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use tenure_domain::work_zone::ZoneSource;
    use tenure_domain::zones::Derived;

    fn chrome() -> Chrome {
        Chrome {
            user_name: "Ada".into(),
            admin: true,
            sees_employees: true,
            sees_hardware: true,
            csrf: "tok".into(),
            flash: None,
            demo: false,
        }
    }

    #[test]
    fn each_location_shows_its_zone_and_where_it_came_from_with_a_form_to_set_one() {
        let html = locations(
            &chrome(),
            LocationsPage {
                rows: vec![
                    LocationRow {
                        label: "Sydney, Sydney, NSW, AU".into(),
                        employees: 5,
                        zone: Some(WorkZone {
                            name: "Australia/Sydney".into(),
                            source: ZoneSource::Derived(Derived::City),
                        }),
                        admin_zone: None,
                    },
                    LocationRow {
                        label: "Remote, US".into(),
                        employees: 2,
                        zone: Some(WorkZone {
                            name: "America/Denver".into(),
                            source: ZoneSource::Location,
                        }),
                        admin_zone: Some("America/Denver".into()),
                    },
                ],
                total: 2,
                without_location: 1,
                company_time_zone: "America/Chicago".into(),
                zone_names: vec!["Australia/Sydney".into(), "America/Denver".into()],
            },
        );
        assert!(
            html.contains("Australia/Sydney (from the work location"),
            "{html}"
        );
        assert!(html.contains("set for the work location by an admin"));
        assert!(html.contains("now America/Chicago"));
        assert!(html.contains("1 employee has no work location"));
        let forms: Vec<&str> = html
            .split("action=\"/settings/locations\"")
            .skip(1)
            .collect();
        assert_eq!(forms.len(), 2);
        for form in forms {
            assert!(form.starts_with("><input type=\"hidden\" name=\"csrf\" value=\"tok\""));
        }
        assert_eq!(
            html.matches(">Clear</button>").count(),
            1,
            "only a set zone clears"
        );
        assert!(html.contains("<option value=\"America/Denver\""));
        assert!(html.contains("list=\"zone-names\" value=\"America/Denver\""));
    }
}
