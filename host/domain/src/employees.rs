//! Employees by id, with the indexes the planner looks up on every record: by HR
//! source and id, by work email, and by name for the people list. Writes go through
//! [`Employees::insert`] so the indexes never fall behind.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::employee::{Employee, EmployeeStatus, Offboarding, SourceRef, email_key};
use crate::ids::EmployeeId;

#[derive(Debug, Clone, Default)]
pub struct Employees {
    /// Boxed: a map node holds eleven entries inline and is often half full; at 100,000
    /// employees of ~700 bytes each that slack alone was ~70 MB.
    map: BTreeMap<EmployeeId, Box<Employee>>,
    by_source: HashMap<SourceRef, EmployeeId>,
    /// Almost every address belongs to one person: a sorted list, not a tree per address.
    by_email: HashMap<Box<str>, Vec<EmployeeId>>,
    /// (lower-case "name <email>", id): the people list's order, and what it searches.
    by_name: BTreeSet<(String, EmployeeId)>,
    /// `by_name` as one string for searching; built on demand, dropped by a change.
    search: std::sync::OnceLock<crate::name_search::NameIndex>,
    employed: usize,
    /// Whom the calendar can change, by the date it does: a pending hire's start date,
    /// a scheduled offboarding's final day (the earlier of the two).
    awaiting: BTreeSet<(jiff::civil::Date, EmployeeId)>,
}

/// The date the calendar next changes `e`: a pending hire's start date, a scheduled
/// offboarding's final day, the earlier of the two.
fn awaited(e: &Employee) -> Option<jiff::civil::Date> {
    let start = e.start_date.filter(|_| e.status == EmployeeStatus::Pending);
    let last = e
        .termination
        .as_ref()
        .filter(|t| t.offboarding == Offboarding::Scheduled)
        .map(|t| t.final_day);
    match (start, last) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// What the people list sorts by and searches: lower-case `name <email>`.
fn name_key(e: &Employee) -> String {
    format!("{} <{}>", e.name(), e.profile.work_email).to_lowercase()
}

impl Employees {
    /// Inserts or replaces the employee with this id; returns the one it replaced.
    pub fn insert(&mut self, employee: Employee) -> Option<Employee> {
        self.search.take();
        let old = self.map.remove(&employee.id);
        if let Some(old) = &old {
            self.unindex(old);
        }
        self.index(&employee);
        self.map.insert(employee.id.clone(), Box::new(employee));
        old.map(|b| *b)
    }

    pub fn get(&self, id: &EmployeeId) -> Option<&Employee> {
        self.map.get(id).map(|b| &**b)
    }

    pub fn contains_key(&self, id: &EmployeeId) -> bool {
        self.map.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Everyone, in id order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Employee> + ExactSizeIterator {
        self.map.values().map(|b| &**b)
    }

    /// Every id, in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &EmployeeId> + ExactSizeIterator {
        self.map.keys()
    }

    /// (id, employee) in id order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&EmployeeId, &Employee)> {
        self.map.iter().map(|(k, v)| (k, &**v))
    }

    pub fn by_source(&self, source: &SourceRef) -> Option<&Employee> {
        self.by_source.get(source).and_then(|id| self.get(id))
    }

    /// Everyone whose work email lower-cases to `key`, in id order.
    pub fn by_email_key<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a Employee> + 'a {
        self.by_email
            .get(key)
            .into_iter()
            .flatten()
            .filter_map(|id| self.get(id))
    }

    /// One page of the people list in name order: those whose lower-case `name <email>`
    /// contains `needle` (everyone when it is empty), skipping `skip`, at most `take`;
    /// with how many match in all. Only the page's employees are looked up.
    pub fn page_by_name(&self, needle: &str, skip: usize, take: usize) -> (usize, Vec<&Employee>) {
        if needle.is_empty() {
            let page = self
                .by_name
                .iter()
                .skip(skip)
                .take(take)
                .filter_map(|(_, id)| self.get(id))
                .collect();
            return (self.by_name.len(), page);
        }
        let index = self.search.get_or_init(|| {
            crate::name_search::NameIndex::build(
                self.by_name.iter().map(|(k, id)| (k.as_str(), id)),
            )
        });
        let (total, ids) = index.find(needle, skip, take);
        let page = ids.iter().filter_map(|id| self.get(id)).collect();
        (total, page)
    }

    /// Pending employees starting on or before `until` and scheduled offboardings whose
    /// final day is on or before it: those the daily run looks at.
    pub fn awaiting_dates(&self, until: jiff::civil::Date) -> impl Iterator<Item = &Employee> {
        self.awaiting
            .iter()
            .take_while(move |(date, _)| *date <= until)
            .filter_map(|(_, id)| self.get(id))
    }

    /// Pending and active employees (pre-hires included).
    pub fn employed(&self) -> usize {
        self.employed
    }

    fn index(&mut self, e: &Employee) {
        if let Some(source) = &e.source {
            self.by_source.insert(source.clone(), e.id.clone());
        }
        let ids = self
            .by_email
            .entry(email_key(&e.profile.work_email).into_boxed_str())
            .or_default();
        if let Err(at) = ids.binary_search(&e.id) {
            ids.insert(at, e.id.clone());
            ids.shrink_to_fit();
        }
        self.by_name.insert((name_key(e), e.id.clone()));
        if e.is_employed() {
            self.employed += 1;
        }
        if let Some(date) = awaited(e) {
            self.awaiting.insert((date, e.id.clone()));
        }
    }

    fn unindex(&mut self, e: &Employee) {
        if let Some(source) = &e.source
            && self.by_source.get(source) == Some(&e.id)
        {
            self.by_source.remove(source);
        }
        let key = email_key(&e.profile.work_email);
        if let Some(ids) = self.by_email.get_mut(key.as_str()) {
            ids.retain(|id| *id != e.id);
            if ids.is_empty() {
                self.by_email.remove(key.as_str());
            }
        }
        self.by_name.remove(&(name_key(e), e.id.clone()));
        if e.is_employed() {
            self.employed -= 1;
        }
        if let Some(date) = awaited(e) {
            self.awaiting.remove(&(date, e.id.clone()));
        }
    }
}

impl std::ops::Index<&EmployeeId> for Employees {
    type Output = Employee;

    /// The employee with this id; panics when there is none (as a map does).
    fn index(&self, id: &EmployeeId) -> &Employee {
        self.get(id).expect("no employee with this id")
    }
}

impl PartialEq for Employees {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl FromIterator<Employee> for Employees {
    fn from_iter<I: IntoIterator<Item = Employee>>(iter: I) -> Self {
        let mut out = Employees::default();
        for e in iter {
            out.insert(e);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::employee::{EmployeeStatus, Profile};
    use crate::ids::PluginId;

    fn employee(id: &str, email: &str, source: Option<&str>, status: EmployeeStatus) -> Employee {
        Employee {
            id: EmployeeId::new(id),
            source: source.map(|s| SourceRef {
                source: PluginId::new("hr"),
                source_id: s.into(),
            }),
            status,
            profile: Profile {
                work_email: email.into(),
                given_name: "A".into(),
                ..Profile::default()
            },
            start_date: None,
            termination: None,
            onboarding: None,
            adjustments: Default::default(),
            access: Default::default(),
        }
    }

    #[test]
    fn indexes_follow_replacements() {
        let mut all = Employees::default();
        all.insert(employee("E-1", "A@x.test", None, EmployeeStatus::Pending));
        assert_eq!(all.employed(), 1);
        assert_eq!(all.by_email_key("a@x.test").count(), 1);

        // The pre-hire meets its HR record and later changes email and leaves.
        all.insert(employee(
            "E-1",
            "a@x.test",
            Some("7"),
            EmployeeStatus::Active,
        ));
        let src = SourceRef {
            source: PluginId::new("hr"),
            source_id: "7".into(),
        };
        assert_eq!(all.by_source(&src).unwrap().id.0, "E-1");
        all.insert(employee(
            "E-1",
            "b@x.test",
            Some("7"),
            EmployeeStatus::Terminated,
        ));
        assert_eq!(all.by_email_key("a@x.test").count(), 0);
        assert_eq!(all.by_email_key("b@x.test").count(), 1);
        assert_eq!(all.employed(), 0);
        assert_eq!(all.len(), 1);

        // Someone else takes the first address over.
        all.insert(employee(
            "E-2",
            "a@x.test",
            Some("8"),
            EmployeeStatus::Active,
        ));
        assert_eq!(all.by_email_key("a@x.test").next().unwrap().id.0, "E-2");
        assert_eq!(all.employed(), 1);
        // One entry per employee in the name index, keyed by the current email.
        let names: Vec<&str> = all.by_name.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, vec!["a <a@x.test>", "a <b@x.test>"]);
        let (total, page) = all.page_by_name("b@x", 0, 10);
        assert_eq!((total, page[0].id.0.as_str()), (1, "E-1"));
        let (total, page) = all.page_by_name("", 1, 10);
        assert_eq!((total, page.len(), page[0].id.0.as_str()), (2, 1, "E-1"));
    }
}
