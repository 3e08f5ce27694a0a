//! TriNet's employee records and its department and location lists, as far as Tenure
//! reads them, and their mapping to `HrEmployee`.
//!
//! Records are read as JSON values through small accessors rather than strict structs:
//! TriNet's published response templates differ between views (`viewType=All` nests
//! `department {deptId, deptName}`, `location {locationId, locationName}` and
//! `supervisor {supervisorId}`; the basic view has `departmentId`, `locationId`,
//! `supervisorId`), the docs spell some keys two ways (`locationtId` / `locationId`,
//! `nameType` `primary` / `PRI`), and ids may arrive as numbers. Every such variant
//! maps the same way.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tenure_sdk::{EmploymentStatus, HrEmployee};

// ---------------------------------------------------------------------------------------
// Reading values

/// A string (or number) field, trimmed; empty counts as absent.
fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The first of `keys` that has a value.
fn first_text(v: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| text(v, k))
}

/// The list in an answer: the body itself, `data`, or an array under `data` or at the
/// top (preferring the `keys` given).
fn find_list<'a>(v: &'a Value, keys: &[&str]) -> Option<&'a Vec<Value>> {
    if let Value::Array(a) = v {
        return Some(a);
    }
    let in_object = |o: &'a Value| -> Option<&'a Vec<Value>> {
        let obj = o.as_object()?;
        keys.iter()
            .find_map(|k| obj.get(*k).and_then(Value::as_array))
            .or_else(|| obj.values().find_map(Value::as_array))
    };
    match v.get("data") {
        Some(Value::Array(a)) => Some(a),
        Some(d @ Value::Object(_)) => in_object(d),
        _ => in_object(v),
    }
}

fn as_bool(v: Option<&Value>) -> Option<bool> {
    match v? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "y" | "yes" => Some(true),
            "false" | "n" | "no" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------
// Employee pages

/// One page of `GET /v1/company/{companyId}/employees`.
pub struct EmployeePage {
    pub employees: Vec<Employee>,
    /// `hasMore` as TriNet sent it; `None` when the answer has no such flag.
    pub has_more: Option<bool>,
}

/// Parses a page. The envelope seen in clients of the live API is
/// `{"data": {"employeeData": [...], "hasMore": bool}}`; a bare list, or a list under
/// `data`, is accepted too.
pub fn parse_employee_page(body: &[u8]) -> Result<EmployeePage, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let list = find_list(&v, &["employeeData", "employees"])
        .ok_or("the answer holds no list of employees")?;
    let has_more = as_bool(v.pointer("/data/hasMore")).or_else(|| as_bool(v.get("hasMore")));
    Ok(EmployeePage {
        employees: list.iter().cloned().map(Employee).collect(),
        has_more,
    })
}

/// One employee record, as TriNet sent it.
#[derive(Debug, Clone)]
pub struct Employee(pub Value);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameKind {
    Primary,
    Preferred,
    Unspecified,
    Other,
}

fn name_kind(n: &Value) -> NameKind {
    match text(n, "nameType")
        .map(|t| t.to_ascii_uppercase())
        .as_deref()
    {
        // The docs' template says `primary#preferred`; live data (as third-party
        // integrations read it) says `PRI` / `PRF`.
        Some("PRI" | "PRIMARY") => NameKind::Primary,
        Some("PRF" | "PREF" | "PREFERRED") => NameKind::Preferred,
        None => NameKind::Unspecified,
        Some(_) => NameKind::Other,
    }
}

/// The newest (by `effectiveDate`) name of a kind.
fn newest<'a>(names: &[&'a Value], kind: NameKind) -> Option<&'a Value> {
    names
        .iter()
        .copied()
        .filter(|n| name_kind(n) == kind)
        .max_by_key(|n| text(n, "effectiveDate").map(|d| normalize_date(&d)))
}

impl Employee {
    pub fn id(&self) -> Option<String> {
        text(&self.0, "employeeId")
    }

    fn info(&self) -> &Value {
        self.0.get("employmentInfo").unwrap_or(&Value::Null)
    }

    /// `(given, family, preferred first name)`.
    fn names(&self) -> (Option<String>, Option<String>, Option<String>) {
        let names: Vec<&Value> = match self.0.get("names") {
            Some(Value::Array(a)) => a.iter().filter(|n| n.is_object()).collect(),
            Some(n @ Value::Object(_)) => vec![n],
            _ => Vec::new(),
        };
        let primary = newest(&names, NameKind::Primary)
            .or_else(|| newest(&names, NameKind::Unspecified))
            .or_else(|| {
                names
                    .iter()
                    .copied()
                    .find(|n| name_kind(n) != NameKind::Preferred)
            })
            .or_else(|| names.first().copied());
        let preferred = newest(&names, NameKind::Preferred);
        let given = primary
            .and_then(|n| text(n, "firstName"))
            .or_else(|| text(&self.0, "firstName"));
        let family = primary
            .and_then(|n| text(n, "lastName"))
            .or_else(|| text(&self.0, "lastName"));
        let preferred = preferred
            .and_then(|n| text(n, "firstName"))
            .or_else(|| text(&self.0, "preferredName"));
        (given, family, preferred)
    }

    /// `(id, inline name)` of a nested reference such as `department` or `location`,
    /// or of its flat `…Id` form.
    fn reference(
        &self,
        flat_id: &str,
        nested: &str,
        id_keys: &[&str],
        name_keys: &[&str],
    ) -> (Option<String>, Option<String>) {
        let info = self.info();
        let (nested_id, nested_name) = match info.get(nested) {
            Some(o @ Value::Object(_)) => (first_text(o, id_keys), first_text(o, name_keys)),
            Some(Value::String(s)) if !s.trim().is_empty() => (None, Some(s.trim().to_string())),
            _ => (None, None),
        };
        (text(info, flat_id).or(nested_id), nested_name)
    }

    fn supervisor_id(&self) -> Option<String> {
        let info = self.info();
        text(info, "supervisorId")
            .or_else(|| info.get("supervisor").and_then(|s| text(s, "supervisorId")))
            .or_else(|| text(&self.0, "supervisorId"))
    }

    /// Maps the record. `today` (`yyyy-mm-dd`) tells an early-published new hire, whose
    /// start lies ahead, from a working employee. Fails only without an `employeeId`.
    pub fn into_hr(self, lookups: &Lookups, today: &str) -> Result<HrEmployee, String> {
        let source_id = self.id().ok_or("a record without employeeId")?;
        let info = self.info();
        let (given, family, preferred) = self.names();
        let preferred_name =
            preferred.filter(|p| given.as_deref().is_none_or(|g| !g.eq_ignore_ascii_case(p)));

        let (dept_id, dept_inline) = self.reference(
            "departmentId",
            "department",
            &["deptId", "departmentId", "id"],
            &["deptName", "departmentName", "name"],
        );
        let department = dept_id
            .as_ref()
            .and_then(|id| lookups.departments.get(id).cloned())
            .or(dept_inline);

        let (loc_id, loc_inline) = self.reference(
            "locationId",
            "location",
            &["locationId", "locationtId", "id"],
            &["locationName", "locationtName", "name"],
        );
        let location = loc_id.as_ref().and_then(|id| lookups.locations.get(id));

        let mut groups: Vec<String> = ["customGroupA", "customGroupB", "groupA", "groupB"]
            .iter()
            .filter_map(|k| text(info, k))
            .collect();
        groups.sort();
        groups.dedup();

        let start_date = first_text(
            info,
            &[
                "serviceDate",
                "hireDate",
                "lastHireDate",
                "originalHireDate",
                "startDate",
            ],
        )
        .map(|d| normalize_date(&d));
        let termination_date = text(info, "terminationDate").map(|d| normalize_date(&d));
        let status = map_status(
            text(info, "employmentStatus").as_deref(),
            start_date.as_deref(),
            today,
        );

        Ok(HrEmployee {
            source_id,
            work_email: text(info, "workEmail").or_else(|| text(&self.0, "workEmail")),
            personal_email: None,
            given_name: given.unwrap_or_default(),
            family_name: family.unwrap_or_default(),
            preferred_name,
            department,
            groups,
            title: first_text(info, &["businessTitle", "jobTitle"]),
            manager_source_id: self.supervisor_id(),
            work_location: location.and_then(|l| l.name.clone()).or(loc_inline),
            work_time_zone: location.and_then(|l| l.time_zone.clone()),
            work_country: location.and_then(|l| l.country.clone()),
            status,
            start_date,
            termination_date,
            deleted: false,
        })
    }
}

// ---------------------------------------------------------------------------------------
// Employment status

/// TriNet's `employmentStatus` letters are PeopleSoft's payroll status (`EMPL_STATUS`):
/// A Active, D Deceased, L Leave of Absence, P Leave With Pay, S Suspended,
/// T Terminated, U Terminated With Pay.
///
/// - A → active; pending instead when the start date lies after `today`: TriNet has no
///   "hired, not started" letter, it publishes new hires on their hire date, or earlier
///   (with status A) when the customer sets an early-access date for exempt hires.
/// - L, P (paid leave) and S (suspension, e.g. a layoff suspension) → active: the person
///   is still employed and keeps their accounts; a person decides about suspensions.
/// - T, U, D → inactive.
/// - Any other letter → unknown, so the host quarantines the record rather than guess.
pub fn map_status(code: Option<&str>, start_date: Option<&str>, today: &str) -> EmploymentStatus {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return EmploymentStatus::Unknown("TriNet gave no employmentStatus".into());
    };
    match code.to_ascii_uppercase().as_str() {
        "A" => {
            let starts_later = start_date.is_some_and(|d| is_iso_date(d) && d > today);
            if starts_later {
                EmploymentStatus::Pending
            } else {
                EmploymentStatus::Active
            }
        }
        "L" | "P" | "S" => EmploymentStatus::Active,
        "T" | "U" | "D" => EmploymentStatus::Inactive,
        _ => EmploymentStatus::Unknown(code.to_string()),
    }
}

// ---------------------------------------------------------------------------------------
// Dates

fn is_iso_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// `2024-03-01T00:00:00Z` or `2024-03-01` → `2024-03-01`; `3/1/2024` → `2024-03-01`.
/// Anything else is passed on as read, for the host to quarantine with its reason.
pub fn normalize_date(s: &str) -> String {
    let s = s.trim();
    if is_iso_date(s) {
        return s[..10].to_string();
    }
    let parts: Vec<&str> = s.split('/').collect();
    if let [m, d, y] = parts[..] {
        let digits = |p: &str, max: usize| {
            !p.is_empty() && p.len() <= max && p.bytes().all(|c| c.is_ascii_digit())
        };
        if digits(m, 2) && digits(d, 2) && y.len() == 4 && digits(y, 4) {
            return format!("{y}-{m:0>2}-{d:0>2}");
        }
    }
    s.to_string()
}

// ---------------------------------------------------------------------------------------
// Departments and locations

/// What a location contributes to an employee.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// IANA.
    pub time_zone: Option<String>,
}

/// Department names and locations by id.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Lookups {
    pub departments: HashMap<String, String>,
    pub locations: HashMap<String, Location>,
}

/// `GET /v1/company/{companyId}/departments`: items with `deptId` and `deptName` (the
/// names the employee record's `department` object uses), in any of the list shapes
/// [`find_list`] knows.
pub fn parse_departments(body: &[u8]) -> Result<HashMap<String, String>, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let list = find_list(&v, &["departments", "departmentData"])
        .ok_or("the answer holds no list of departments")?;
    Ok(list
        .iter()
        .filter_map(|d| {
            let id = first_text(d, &["deptId", "departmentId", "id", "code"])?;
            let name = first_text(
                d,
                &["deptName", "departmentName", "name", "descr", "description"],
            )?;
            Some((id, name))
        })
        .collect())
}

/// `GET /v1/company/{companyId}/locations`: items with `locationId`, `locationName` and
/// an address (`city`, `state`, `country`, possibly nested under `address`).
pub fn parse_locations(body: &[u8]) -> Result<HashMap<String, Location>, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let list = find_list(&v, &["locations", "locationData"])
        .ok_or("the answer holds no list of locations")?;
    Ok(list
        .iter()
        .filter_map(|l| {
            let id = first_text(l, &["locationId", "locationtId", "id", "code"])?;
            let address = l.get("address").unwrap_or(&Value::Null);
            let field = |keys: &[&str]| first_text(l, keys).or_else(|| first_text(address, keys));
            let country = field(&["country", "countryCode"]).and_then(|c| country_alpha2(&c));
            let state = field(&["state", "stateCode", "region"]);
            let time_zone = field(&["timezone", "timeZone"])
                .and_then(|tz| iana_zone(&tz))
                .or_else(|| match (country.as_deref(), state.as_deref()) {
                    (Some("US"), Some(st)) => us_state_zone(st).map(String::from),
                    _ => None,
                });
            let location = Location {
                name: first_text(
                    l,
                    &[
                        "locationName",
                        "locationtName",
                        "name",
                        "descr",
                        "description",
                    ],
                ),
                country,
                time_zone,
            };
            Some((id, location))
        })
        .collect())
}

/// ISO 3166-1 alpha-2 from what TriNet (PeopleSoft underneath, which keeps alpha-3)
/// sends. Unrecognised values give `None` rather than a wrong country.
pub fn country_alpha2(raw: &str) -> Option<String> {
    let up = raw.trim().to_ascii_uppercase();
    if up.len() == 2 && up.bytes().all(|b| b.is_ascii_uppercase()) {
        return Some(up);
    }
    const ALPHA3: &[(&str, &str)] = &[
        ("USA", "US"),
        ("CAN", "CA"),
        ("MEX", "MX"),
        ("GBR", "GB"),
        ("IRL", "IE"),
        ("DEU", "DE"),
        ("FRA", "FR"),
        ("ESP", "ES"),
        ("ITA", "IT"),
        ("NLD", "NL"),
        ("BEL", "BE"),
        ("CHE", "CH"),
        ("AUT", "AT"),
        ("SWE", "SE"),
        ("NOR", "NO"),
        ("DNK", "DK"),
        ("FIN", "FI"),
        ("POL", "PL"),
        ("PRT", "PT"),
        ("ISR", "IL"),
        ("IND", "IN"),
        ("CHN", "CN"),
        ("JPN", "JP"),
        ("KOR", "KR"),
        ("SGP", "SG"),
        ("PHL", "PH"),
        ("AUS", "AU"),
        ("NZL", "NZ"),
        ("BRA", "BR"),
        ("ARG", "AR"),
        ("COL", "CO"),
        ("PRI", "PR"),
        ("UNITED STATES", "US"),
        ("UNITED STATES OF AMERICA", "US"),
        ("CANADA", "CA"),
        ("UNITED KINGDOM", "GB"),
    ];
    ALPHA3
        .iter()
        .find(|(k, _)| *k == up)
        .map(|(_, v)| v.to_string())
}

/// An IANA zone from a location's time zone field: IANA names pass through; the US
/// abbreviations TriNet uses elsewhere (`ET#CT#MT#PT` on the company record) are mapped.
fn iana_zone(raw: &str) -> Option<String> {
    let t = raw.trim();
    if t.contains('/') {
        return Some(t.to_string());
    }
    let zone = match t.to_ascii_uppercase().as_str() {
        "ET" | "EST" | "EDT" | "EASTERN" => "America/New_York",
        "CT" | "CST" | "CDT" | "CENTRAL" => "America/Chicago",
        "MT" | "MST" | "MDT" | "MOUNTAIN" => "America/Denver",
        "PT" | "PST" | "PDT" | "PACIFIC" => "America/Los_Angeles",
        "AKT" | "AKST" | "AKDT" | "ALASKA" => "America/Anchorage",
        "HT" | "HST" | "HAWAII" => "Pacific/Honolulu",
        _ => return None,
    };
    Some(zone.to_string())
}

/// The zone most of a US state's people live in (states split across zones get their
/// majority zone). Used only when the location itself names no time zone.
fn us_state_zone(state: &str) -> Option<&'static str> {
    const NY: &str = "America/New_York";
    const CHI: &str = "America/Chicago";
    const DEN: &str = "America/Denver";
    const LA: &str = "America/Los_Angeles";
    let zone = match state.trim().to_ascii_uppercase().as_str() {
        "CT" | "DE" | "DC" | "FL" | "GA" | "ME" | "MD" | "MA" | "NH" | "NJ" | "NY" | "NC"
        | "OH" | "PA" | "RI" | "SC" | "VT" | "VA" | "WV" | "MI" => NY,
        "IN" => "America/Indiana/Indianapolis",
        "KY" => "America/Kentucky/Louisville",
        "AL" | "AR" | "IL" | "IA" | "KS" | "LA" | "MN" | "MS" | "MO" | "NE" | "ND" | "OK"
        | "SD" | "TN" | "TX" | "WI" => CHI,
        "CO" | "MT" | "NM" | "UT" | "WY" => DEN,
        "ID" => "America/Boise",
        "AZ" => "America/Phoenix",
        "CA" | "NV" | "OR" | "WA" => LA,
        "AK" => "America/Anchorage",
        "HI" => "Pacific/Honolulu",
        "PR" => "America/Puerto_Rico",
        _ => return None,
    };
    Some(zone)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TODAY: &str = "2026-06-01";

    fn lookups() -> Lookups {
        let departments = parse_departments(
            br#"{"data":[{"deptId":"D100","deptName":"Engineering"},{"deptId":"D200","deptName":"Sales"}]}"#,
        )
        .unwrap();
        let locations = parse_locations(
            br#"{"data":[{"locationId":"SF01","locationName":"San Francisco HQ","city":"San Francisco","state":"CA","country":"USA"},
                         {"locationId":"LDN","locationName":"London","city":"London","country":"GBR"}]}"#,
        )
        .unwrap();
        Lookups {
            departments,
            locations,
        }
    }

    fn map(v: Value) -> HrEmployee {
        Employee(v).into_hr(&lookups(), TODAY).unwrap()
    }

    #[test]
    fn maps_an_all_view_record() {
        let hr = map(json!({
            "employeeId": "00100042",
            "names": [
                {"firstName": "Robert", "lastName": "Tables", "middleName": "D", "nameType": "PRI",
                 "effectiveDate": "2019-01-01"},
                {"firstName": "Bobby", "lastName": "Tables", "nameType": "PRF"}
            ],
            "employmentInfo": {
                "employmentStatus": "A",
                "businessTitle": "Staff Engineer",
                "workEmail": "bobby@acme.example",
                "serviceDate": "2021-03-15T00:00:00",
                "terminationDate": null,
                "customGroupA": "Platform",
                "customGroupB": "",
                "department": {"deptId": "D100", "deptName": "Eng (old name)"},
                "location": {"locationId": "SF01", "locationName": "SF"},
                "supervisor": {"supervisorId": "00100001", "supervisorName": "Ada Lovelace"}
            }
        }));
        assert_eq!(hr.source_id, "00100042");
        assert_eq!(hr.given_name, "Robert");
        assert_eq!(hr.family_name, "Tables");
        assert_eq!(hr.preferred_name.as_deref(), Some("Bobby"));
        // The department list is authoritative; the inline name is the fallback.
        assert_eq!(hr.department.as_deref(), Some("Engineering"));
        assert_eq!(hr.title.as_deref(), Some("Staff Engineer"));
        assert_eq!(hr.work_email.as_deref(), Some("bobby@acme.example"));
        assert_eq!(hr.manager_source_id.as_deref(), Some("00100001"));
        assert_eq!(hr.work_location.as_deref(), Some("San Francisco HQ"));
        assert_eq!(hr.work_country.as_deref(), Some("US"));
        assert_eq!(hr.work_time_zone.as_deref(), Some("America/Los_Angeles"));
        assert_eq!(hr.groups, vec!["Platform".to_string()]);
        assert_eq!(hr.start_date.as_deref(), Some("2021-03-15"));
        assert_eq!(hr.termination_date, None);
        assert!(matches!(hr.status, EmploymentStatus::Active));
        assert!(!hr.deleted);
    }

    #[test]
    fn maps_a_basic_view_record_with_ids_and_documented_name_types() {
        let hr = map(json!({
            "employeeId": 100043,
            "names": [
                {"firstName": "Grace", "lastName": "Hopper", "nameType": "primary"},
                {"firstName": "grace", "lastName": "Hopper", "nameType": "preferred"}
            ],
            "employmentInfo": {
                "employmentStatus": "T",
                "supervisorId": "00100001",
                "departmentId": "D200",
                "locationId": "LDN",
                "serviceDate": "2018-07-02",
                "terminationDate": "2025-12-31"
            }
        }));
        assert_eq!(hr.source_id, "100043");
        assert_eq!(hr.given_name, "Grace");
        // Same as the given name: not a preferred name.
        assert_eq!(hr.preferred_name, None);
        assert_eq!(hr.department.as_deref(), Some("Sales"));
        assert_eq!(hr.manager_source_id.as_deref(), Some("00100001"));
        assert_eq!(hr.work_location.as_deref(), Some("London"));
        assert_eq!(hr.work_country.as_deref(), Some("GB"));
        assert_eq!(hr.work_time_zone, None);
        assert!(matches!(hr.status, EmploymentStatus::Inactive));
        assert_eq!(hr.termination_date.as_deref(), Some("2025-12-31"));
    }

    #[test]
    fn unknown_ids_fall_back_to_inline_names() {
        let hr = map(json!({
            "employeeId": "1",
            "names": [{"firstName": "A", "lastName": "B"}],
            "employmentInfo": {
                "employmentStatus": "A",
                "department": {"deptId": "D999", "deptName": "Research"},
                "location": {"locationtId": "X", "locationtName": "Remote"}
            }
        }));
        assert_eq!(hr.department.as_deref(), Some("Research"));
        assert_eq!(hr.work_location.as_deref(), Some("Remote"));
        assert_eq!(hr.work_country, None);
    }

    #[test]
    fn newest_primary_name_wins() {
        let hr = map(json!({
            "employeeId": "2",
            "names": [
                {"firstName": "Jane", "lastName": "Doe", "nameType": "PRI", "effectiveDate": "2010-01-01"},
                {"firstName": "Jane", "lastName": "Smith", "nameType": "PRI", "effectiveDate": "2022-05-01"},
                {"firstName": "JJ", "lastName": "Smith", "nameType": "PRF"}
            ],
            "employmentInfo": {"employmentStatus": "A"}
        }));
        assert_eq!(hr.family_name, "Smith");
        assert_eq!(hr.preferred_name.as_deref(), Some("JJ"));
    }

    #[test]
    fn status_letters() {
        use EmploymentStatus as S;
        let st = |c: &str, start: Option<&str>| map_status(Some(c), start, TODAY);
        assert!(matches!(st("A", Some("2020-01-01")), S::Active));
        assert!(matches!(st("A", Some(TODAY)), S::Active));
        assert!(matches!(st("A", Some("2026-06-15")), S::Pending));
        assert!(matches!(st("A", None), S::Active));
        assert!(matches!(st("A", Some("soon")), S::Active));
        assert!(matches!(st("a", None), S::Active));
        for c in ["L", "P", "S"] {
            assert!(matches!(st(c, Some("2030-01-01")), S::Active), "{c}");
        }
        for c in ["T", "U", "D"] {
            assert!(matches!(st(c, None), S::Inactive), "{c}");
        }
        assert!(matches!(st("R", None), S::Unknown(s) if s == "R"));
        assert!(matches!(st(" X ", None), S::Unknown(s) if s == "X"));
        assert!(matches!(map_status(None, None, TODAY), S::Unknown(_)));
        assert!(matches!(map_status(Some(""), None, TODAY), S::Unknown(_)));
    }

    #[test]
    fn dates_become_calendar_dates() {
        assert_eq!(normalize_date("2024-03-01T00:00:00.000Z"), "2024-03-01");
        assert_eq!(normalize_date(" 2024-03-01 "), "2024-03-01");
        assert_eq!(normalize_date("3/1/2024"), "2024-03-01");
        assert_eq!(normalize_date("12/31/2024"), "2024-12-31");
        assert_eq!(normalize_date("soon"), "soon");
        assert_eq!(normalize_date("1/2/24"), "1/2/24");
    }

    #[test]
    fn pages_in_every_envelope() {
        let p = parse_employee_page(
            br#"{"data":{"employeeData":[{"employeeId":"1"},{"employeeId":"2"}],"hasMore":true}}"#,
        )
        .unwrap();
        assert_eq!(p.employees.len(), 2);
        assert_eq!(p.has_more, Some(true));
        let p = parse_employee_page(br#"{"data":[{"employeeId":"1"}]}"#).unwrap();
        assert_eq!((p.employees.len(), p.has_more), (1, None));
        let p = parse_employee_page(br#"[{"employeeId":"1"}]"#).unwrap();
        assert_eq!(p.employees.len(), 1);
        let p = parse_employee_page(br#"{"data":{"employeeData":[],"hasMore":"false"}}"#).unwrap();
        assert_eq!((p.employees.len(), p.has_more), (0, Some(false)));
        assert!(parse_employee_page(br#"{"data":{"count":3}}"#).is_err());
        assert!(parse_employee_page(b"<html>").is_err());
    }

    #[test]
    fn a_record_without_id_is_refused() {
        let e = Employee(json!({"names": []}));
        assert!(e.into_hr(&Lookups::default(), TODAY).is_err());
    }

    #[test]
    fn lookup_lists_in_other_shapes() {
        let d = parse_departments(
            br#"{"data":{"departments":[{"departmentId":7,"departmentName":"Ops"}]}}"#,
        )
        .unwrap();
        assert_eq!(d.get("7").map(String::as_str), Some("Ops"));
        let l = parse_locations(
            br#"[{"id":"NYC","name":"New York","address":{"state":"NY","country":"US"}},
                 {"locationId":"PHX","locationName":"Phoenix","state":"AZ","country":"USA","timezone":"MT"},
                 {"locationId":"SEA","country":"United States","state":"WA","timeZone":"America/Los_Angeles"},
                 {"locationId":"ZZ","country":"Atlantis"}]"#,
        )
        .unwrap();
        assert_eq!(l["NYC"].time_zone.as_deref(), Some("America/New_York"));
        assert_eq!(l["NYC"].country.as_deref(), Some("US"));
        // A time zone on the location beats the state's.
        assert_eq!(l["PHX"].time_zone.as_deref(), Some("America/Denver"));
        assert_eq!(l["SEA"].country.as_deref(), Some("US"));
        assert_eq!(l["SEA"].name, None);
        assert_eq!(l["ZZ"].country, None);
    }

    #[test]
    fn countries() {
        assert_eq!(country_alpha2("usa").as_deref(), Some("US"));
        assert_eq!(country_alpha2("DE").as_deref(), Some("DE"));
        assert_eq!(country_alpha2("XYZ"), None);
        assert_eq!(country_alpha2("U5"), None);
    }
}
