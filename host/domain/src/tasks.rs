//! Tasks by id, with the indexes the pages read on every request: everyone's tasks
//! newest first, the open ones by assignee, and each employee's. Writes go through
//! [`Tasks::insert`] so the indexes never fall behind. At 20,000 open tasks a page of them is a walk of an index, not a sort.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;

use crate::ids::{EmployeeId, TaskId, UserId};
use crate::task::Task;

/// Newest first; the id breaks ties (the higher first).
type Newest = (Reverse<Timestamp>, Reverse<TaskId>);

fn order(t: &Task) -> Newest {
    (Reverse(t.opened_at), Reverse(t.id.clone()))
}

#[derive(Debug, Clone, Default)]
pub struct Tasks {
    /// Boxed, like employees: a task is ~800 bytes and map nodes hold eleven inline.
    map: BTreeMap<TaskId, Box<Task>>,
    newest: BTreeSet<Newest>,
    /// Open tasks by assignee; `None` holds the unassigned ones.
    open: HashMap<Option<UserId>, BTreeSet<Newest>>,
    open_count: usize,
    by_employee: HashMap<EmployeeId, Vec<TaskId>>,
}

impl Tasks {
    /// Inserts or replaces the task with this id; returns the one it replaced.
    pub fn insert(&mut self, task: Task) -> Option<Task> {
        let old = self.map.remove(&task.id);
        if let Some(old) = &old {
            self.unindex(old);
        }
        self.index(&task);
        self.map.insert(task.id.clone(), Box::new(task));
        old.map(|b| *b)
    }

    pub fn get(&self, id: &TaskId) -> Option<&Task> {
        self.map.get(id).map(|b| &**b)
    }

    pub fn contains_key(&self, id: &TaskId) -> bool {
        self.map.contains_key(id)
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every task, in id order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Task> + ExactSizeIterator {
        self.map.values().map(|b| &**b)
    }

    /// The employee's tasks, in id order.
    pub fn of_employee<'a>(&'a self, id: &EmployeeId) -> impl Iterator<Item = &'a Task> + 'a {
        self.by_employee
            .get(id)
            .into_iter()
            .flatten()
            .filter_map(|t| self.get(t))
    }

    /// Every task, newest first.
    pub fn newest_first(&self) -> impl DoubleEndedIterator<Item = &Task> {
        self.newest
            .iter()
            .filter_map(|(_, Reverse(id))| self.get(id))
    }

    /// How many tasks are open.
    pub fn open_count(&self) -> usize {
        self.open_count
    }

    /// One page of the open tasks assigned to any of `owners` (`None`: unassigned),
    /// newest first, skipping `skip` and taking at most `take`, with how many there are
    /// in all. `owners == None` means every open task. Reads only what the page needs
    /// (plus the counts).
    pub fn open_page(
        &self,
        owners: Option<&[Option<UserId>]>,
        skip: usize,
        take: usize,
    ) -> (usize, Vec<&Task>) {
        let Some(owners) = owners else {
            let page = self
                .newest
                .iter()
                .filter_map(|(_, Reverse(id))| self.get(id))
                .filter(|t| t.is_open())
                .skip(skip)
                .take(take)
                .collect();
            return (self.open_count, page);
        };
        let sets: Vec<&BTreeSet<Newest>> = owners.iter().filter_map(|o| self.open.get(o)).collect();
        let want = skip.saturating_add(take);
        // The first `want` of each set hold the first `want` of their union.
        let mut merged: Vec<&Newest> = sets.iter().flat_map(|s| s.iter().take(want)).collect();
        merged.sort_unstable();
        merged.dedup();
        let people = owners.iter().filter(|o| o.is_some()).count();
        let total = if people <= 1 {
            // Unassigned tasks are nobody's: the sets are disjoint.
            sets.iter().map(|s| s.len()).sum()
        } else {
            // A task assigned to several of the owners is counted once.
            let mut all: BTreeSet<&Newest> = BTreeSet::new();
            for s in &sets {
                all.extend(s.iter());
            }
            all.len()
        };
        let page = merged
            .into_iter()
            .skip(skip)
            .take(take)
            .filter_map(|(_, Reverse(id))| self.get(id))
            .collect();
        (total, page)
    }

    fn owners(t: &Task) -> Vec<Option<UserId>> {
        if t.assignees.is_empty() {
            vec![None]
        } else {
            t.assignees.iter().cloned().map(Some).collect()
        }
    }

    fn index(&mut self, t: &Task) {
        self.newest.insert(order(t));
        if t.is_open() {
            self.open_count += 1;
            for owner in Self::owners(t) {
                self.open.entry(owner).or_default().insert(order(t));
            }
        }
        self.by_employee
            .entry(t.employee.id.clone())
            .or_default()
            .push(t.id.clone());
    }

    fn unindex(&mut self, t: &Task) {
        self.newest.remove(&order(t));
        if t.is_open() {
            self.open_count -= 1;
            for owner in Self::owners(t) {
                if let Some(set) = self.open.get_mut(&owner) {
                    set.remove(&order(t));
                    if set.is_empty() {
                        self.open.remove(&owner);
                    }
                }
            }
        }
        if let Some(ids) = self.by_employee.get_mut(&t.employee.id) {
            ids.retain(|id| *id != t.id);
            if ids.is_empty() {
                self.by_employee.remove(&t.employee.id);
            }
        }
    }
}

impl std::ops::Index<&TaskId> for Tasks {
    type Output = Task;

    /// The task with this id; panics when there is none (as a map does).
    fn index(&self, id: &TaskId) -> &Task {
        self.get(id).expect("no task with this id")
    }
}

impl PartialEq for Tasks {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl FromIterator<Task> for Tasks {
    fn from_iter<I: IntoIterator<Item = Task>>(iter: I) -> Self {
        let mut out = Tasks::default();
        for t in iter {
            out.insert(t);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::employee::EmployeeRef;
    use crate::task::{TaskKind, TaskState};

    fn task(id: &str, employee: &str, at: i64, assignees: &[&str]) -> Task {
        Task {
            id: TaskId::new(id),
            kind: TaskKind::EquipNewHire {
                start_date: None,
                request: None,
            },
            employee: EmployeeRef {
                id: EmployeeId::new(employee),
                name: employee.into(),
            },
            assignees: assignees.iter().map(|a| UserId::new(*a)).collect(),
            opened_at: Timestamp::from_second(at).unwrap(),
            state: TaskState::Open,
            decision: None,
        }
    }

    fn ids(page: &[&Task]) -> Vec<String> {
        page.iter().map(|t| t.id.0.clone()).collect()
    }

    #[test]
    fn open_pages_follow_assignees_and_closing() {
        let mut all: Tasks = [
            task("T-1", "E-1", 10, &[]),
            task("T-2", "E-1", 20, &["ann"]),
            task("T-3", "E-2", 30, &["bob"]),
            task("T-4", "E-2", 30, &["ann", "bob"]),
            task("T-5", "E-3", 50, &[]),
        ]
        .into_iter()
        .collect();
        let mine_admin = [Some(UserId::new("ann")), None];
        let (total, page) = all.open_page(Some(&mine_admin), 0, 10);
        assert_eq!(
            (total, ids(&page)),
            (
                4,
                vec!["T-5".into(), "T-4".into(), "T-2".into(), "T-1".into()]
            )
        );
        let (total, page) = all.open_page(Some(&mine_admin), 1, 2);
        assert_eq!((total, ids(&page)), (4, vec!["T-4".into(), "T-2".into()]));
        // Two people: the task they share counts once.
        let both = [Some(UserId::new("ann")), Some(UserId::new("bob"))];
        let (total, page) = all.open_page(Some(&both), 0, 10);
        assert_eq!(
            (total, ids(&page)),
            (3, vec!["T-4".into(), "T-3".into(), "T-2".into()])
        );
        let (total, page) = all.open_page(None, 0, 2);
        assert_eq!((total, ids(&page)), (5, vec!["T-5".into(), "T-4".into()]));

        // T-4 closes and T-1 gets an assignee: the indexes follow.
        let mut done = task("T-4", "E-2", 30, &["ann", "bob"]);
        done.state = TaskState::Cancelled {
            at: Timestamp::from_second(60).unwrap(),
            by: UserId::new("ann"),
            reason: None,
        };
        assert!(all.insert(done).is_some());
        all.insert(task("T-1", "E-1", 10, &["bob"]));
        assert_eq!(all.open_count(), 4);
        let (total, page) = all.open_page(Some(&mine_admin), 0, 10);
        assert_eq!((total, ids(&page)), (2, vec!["T-5".into(), "T-2".into()]));
        let newest: Vec<&Task> = all.newest_first().collect();
        assert_eq!(ids(&newest), ["T-5", "T-4", "T-3", "T-2", "T-1"]);
        let of_e2: Vec<&Task> = all.of_employee(&EmployeeId::new("E-2")).collect();
        assert_eq!(ids(&of_e2), ["T-3", "T-4"]);
        assert_eq!(all.of_employee(&EmployeeId::new("E-9")).count(), 0);
    }
}
