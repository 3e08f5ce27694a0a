//! Merge's HRIS objects, as far as Tenure reads them, and their mapping to `HrEmployee`
//! (and `WorkPlace`). Related objects arrive as an id string, or as the object when
//! expanded.

use serde::Deserialize;
use tenure_sdk::{EmploymentStatus, HrEmployee, WorkPlace};

#[derive(Deserialize)]
pub struct Paginated<T> {
    pub next: Option<String>,
    #[serde(default = "Vec::new")]
    pub results: Vec<T>,
}

/// A related object: the expanded object, or (when not expanded) its id, which the
/// mapping does not need.
pub enum Related<T> {
    Expanded(T),
    Id,
}

/// Decided by the JSON's own shape (an object, or an id string) as it is read: an
/// untagged enum would buffer every related object of every employee first, which
/// made reading a page of 100 twice as slow.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Related<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Shape<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Shape<T> {
            type Value = Related<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a related object or its id")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Related::Id)
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Related::Id)
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Related::Id)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(Related::Expanded)
            }
        }
        d.deserialize_any(Shape(std::marker::PhantomData))
    }
}

impl<T> Related<T> {
    pub fn expanded(self) -> Option<T> {
        match self {
            Related::Expanded(t) => Some(t),
            Related::Id => None,
        }
    }

    pub fn as_expanded(&self) -> Option<&T> {
        match self {
            Related::Expanded(t) => Some(t),
            Related::Id => None,
        }
    }
}

#[derive(Deserialize)]
pub struct Group {
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Deserialize)]
pub struct Team {
    pub name: Option<String>,
}

#[derive(Deserialize)]
pub struct Location {
    pub name: Option<String>,
    pub city: Option<String>,
    /// The state, province or region, as the HR system writes it ("NSW", "Bavaria").
    pub state: Option<String>,
    pub country: Option<String>,
}

#[derive(Deserialize)]
pub struct Employment {
    pub job_title: Option<String>,
    pub effective_date: Option<String>,
}

#[derive(Deserialize)]
pub struct Employee {
    pub id: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub preferred_name: Option<String>,
    pub work_email: Option<String>,
    pub personal_email: Option<String>,
    #[serde(default)]
    pub groups: Vec<Option<Related<Group>>>,
    #[serde(default)]
    pub employments: Vec<Option<Related<Employment>>>,
    pub team: Option<Related<Team>>,
    pub work_location: Option<Related<Location>>,
    /// The manager's id, or the employee object when expanded.
    pub manager: Option<serde_json::Value>,
    pub start_date: Option<String>,
    pub hire_date: Option<String>,
    pub employment_status: Option<String>,
    pub termination_date: Option<String>,
    #[serde(default)]
    pub remote_was_deleted: bool,
}

/// `2024-03-01T00:00:00Z` → `2024-03-01`. Anything else is passed on as read, for the
/// host to quarantine with its reason.
fn date_part(s: String) -> String {
    let b = s.as_bytes();
    let looks_like_date = b.len() >= 10
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if looks_like_date {
        s[..10].to_string()
    } else {
        s
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl Employee {
    /// The employee, and where they work when their expanded work location has a city
    /// or a state.
    pub fn into_placed(self) -> (HrEmployee, Option<WorkPlace>) {
        let place = self.work_place();
        (self.into_hr(), place)
    }

    /// The city and state of the expanded work location; `None` when both are blank
    /// (or the location is not expanded).
    fn work_place(&self) -> Option<WorkPlace> {
        let location = self.work_location.as_ref()?.as_expanded()?;
        let region = non_empty(location.state.clone());
        let city = non_empty(location.city.clone());
        (region.is_some() || city.is_some()).then(|| WorkPlace {
            source_id: self.id.clone(),
            region,
            city,
        })
    }

    pub fn into_hr(self) -> HrEmployee {
        let groups: Vec<Group> = self
            .groups
            .into_iter()
            .flatten()
            .filter_map(Related::expanded)
            .collect();
        let department_group = groups
            .iter()
            .find(|g| g.kind.as_deref() == Some("DEPARTMENT"))
            .and_then(|g| non_empty(g.name.clone()));
        let team = self
            .team
            .and_then(Related::expanded)
            .and_then(|t| non_empty(t.name));
        let mut other_groups: Vec<String> = groups
            .into_iter()
            .filter(|g| g.kind.as_deref() != Some("DEPARTMENT"))
            .filter_map(|g| non_empty(g.name))
            .collect();
        let department = match (department_group, team) {
            (Some(d), Some(t)) => {
                other_groups.push(t);
                Some(d)
            }
            (d, t) => d.or(t),
        };
        other_groups.sort();
        other_groups.dedup();

        // The employment with the newest effective date is the current one.
        let title = self
            .employments
            .into_iter()
            .flatten()
            .filter_map(Related::expanded)
            .max_by(|a, b| a.effective_date.cmp(&b.effective_date))
            .and_then(|e| non_empty(e.job_title));

        let location = self.work_location.and_then(Related::expanded);
        let manager_source_id = match self.manager {
            Some(serde_json::Value::String(id)) => Some(id),
            Some(v) => v.get("id").and_then(|i| i.as_str()).map(String::from),
            None => None,
        };

        let status = if self.remote_was_deleted {
            EmploymentStatus::Inactive
        } else {
            match self.employment_status.as_deref() {
                Some("ACTIVE") => EmploymentStatus::Active,
                Some("PENDING") => EmploymentStatus::Pending,
                Some("INACTIVE") => EmploymentStatus::Inactive,
                Some(other) => EmploymentStatus::Unknown(other.to_string()),
                None => EmploymentStatus::Unknown("Merge gave no employment_status".into()),
            }
        };

        HrEmployee {
            source_id: self.id,
            work_email: non_empty(self.work_email),
            personal_email: non_empty(self.personal_email),
            given_name: non_empty(self.first_name).unwrap_or_default(),
            family_name: non_empty(self.last_name).unwrap_or_default(),
            preferred_name: non_empty(self.preferred_name),
            department,
            groups: other_groups,
            title,
            manager_source_id,
            work_location: location.as_ref().and_then(|l| non_empty(l.name.clone())),
            work_time_zone: None,
            work_country: location.and_then(|l| non_empty(l.country)),
            status,
            start_date: non_empty(self.start_date.or(self.hire_date)).map(date_part),
            termination_date: non_empty(self.termination_date).map(date_part),
            deleted: self.remote_was_deleted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_an_expanded_employee() {
        let json = r#"{
            "id": "e1", "first_name": "Greg", "last_name": "Hirsch", "preferred_name": "",
            "work_email": "greg@example.com", "personal_email": null,
            "groups": [{"id":"g1","name":"Engineering","type":"DEPARTMENT"},
                       {"id":"g2","name":"Berlin office","type":"GROUP"}],
            "employments": [{"job_title":"Engineer","effective_date":"2020-01-01T00:00:00Z"},
                            {"job_title":"Senior Engineer","effective_date":"2023-01-01T00:00:00Z"}],
            "team": {"name": "Platform"},
            "work_location": {"name": "Berlin", "country": "DE"},
            "manager": "e0",
            "start_date": "2024-03-01T00:00:00Z",
            "employment_status": "ACTIVE",
            "termination_date": null,
            "remote_was_deleted": false
        }"#;
        let e: Employee = serde_json::from_str(json).unwrap();
        let hr = e.into_hr();
        assert_eq!(hr.department.as_deref(), Some("Engineering"));
        assert_eq!(
            hr.groups,
            vec!["Berlin office".to_string(), "Platform".to_string()]
        );
        assert_eq!(hr.title.as_deref(), Some("Senior Engineer"));
        assert_eq!(hr.manager_source_id.as_deref(), Some("e0"));
        assert_eq!(hr.start_date.as_deref(), Some("2024-03-01"));
        assert_eq!(hr.work_country.as_deref(), Some("DE"));
        assert_eq!(hr.preferred_name, None);
        assert!(matches!(hr.status, EmploymentStatus::Active));
    }

    #[test]
    fn unexpanded_relations_and_odd_values_pass_through() {
        let json = r#"{"id":"e2","groups":["g1"],"employments":["x"],"team":"t1",
            "employment_status":"ON_LEAVE","start_date":"soon","remote_was_deleted":false}"#;
        let hr = serde_json::from_str::<Employee>(json).unwrap().into_hr();
        assert_eq!(hr.department, None);
        assert_eq!(hr.start_date.as_deref(), Some("soon"));
        assert!(matches!(hr.status, EmploymentStatus::Unknown(s) if s == "ON_LEAVE"));
    }

    fn placed(work_location: &str) -> (HrEmployee, Option<WorkPlace>) {
        let json = format!(r#"{{"id":"e3","work_location":{work_location}}}"#);
        serde_json::from_str::<Employee>(&json)
            .unwrap()
            .into_placed()
    }

    #[test]
    fn the_work_place_is_the_trimmed_city_and_state_of_the_work_location() {
        let (hr, place) = placed(
            r#"{"name":"Sydney office","street_1":"1 George St","city":" Sydney ",
                "state":"NSW","zip_code":"2000","country":"AU","location_type":"WORK"}"#,
        );
        assert_eq!(hr.work_location.as_deref(), Some("Sydney office"));
        assert_eq!(hr.work_country.as_deref(), Some("AU"));
        assert_eq!(
            place,
            Some(WorkPlace {
                source_id: "e3".into(),
                region: Some("NSW".into()),
                city: Some("Sydney".into()),
            })
        );

        let (_, place) = placed(r#"{"name":"Remote","city":"  ","state":"Queensland"}"#);
        assert_eq!(
            place.map(|p| (p.region, p.city)),
            Some((Some("Queensland".into()), None))
        );
        let (_, place) = placed(r#"{"city":"Perth","state":null}"#);
        assert_eq!(
            place.map(|p| (p.region, p.city)),
            Some((None, Some("Perth".into())))
        );
    }

    #[test]
    fn no_work_place_without_a_city_or_state() {
        assert_eq!(placed(r#"{"name":"HQ","city":" ","state":""}"#).1, None);
        assert_eq!(placed(r#"{"name":"HQ","country":"US"}"#).1, None);
        assert_eq!(placed(r#""loc-1""#).1, None, "not expanded");
        assert_eq!(placed("null").1, None);
    }
}
