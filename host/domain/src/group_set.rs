//! The groups an employee is in: a sorted list without repeats. Kept per employee (a
//! few entries each, 100,000 times), so a `Vec` of exactly their length rather than a
//! tree whose every node has room for eleven.

use serde::{Deserialize, Deserializer, Serialize};

use crate::groups::GroupRef;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct GroupSet(Vec<GroupRef>);

impl GroupSet {
    pub fn iter(&self) -> std::slice::Iter<'_, GroupRef> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn contains(&self, group: &GroupRef) -> bool {
        self.0.binary_search(group).is_ok()
    }
}

impl FromIterator<GroupRef> for GroupSet {
    fn from_iter<I: IntoIterator<Item = GroupRef>>(iter: I) -> Self {
        let mut groups: Vec<GroupRef> = iter.into_iter().collect();
        groups.sort();
        groups.dedup();
        groups.shrink_to_fit();
        GroupSet(groups)
    }
}

impl IntoIterator for GroupSet {
    type Item = GroupRef;
    type IntoIter = std::vec::IntoIter<GroupRef>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a GroupSet {
    type Item = &'a GroupRef;
    type IntoIter = std::slice::Iter<'a, GroupRef>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Read as any list (sorted and deduplicated on the way in), as stored before.
impl<'de> Deserialize<'de> for GroupSet {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Vec::<GroupRef>::deserialize(d)?.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_without_repeats_and_the_same_json_as_a_set() {
        let dept = GroupRef::Department("Sales".into());
        let hr = GroupRef::Hr("EMEA".into());
        let set: GroupSet = [hr.clone(), dept.clone(), hr.clone()].into_iter().collect();
        assert_eq!(set.len(), 2);
        assert!(set.contains(&hr) && set.contains(&dept));
        let as_tree: std::collections::BTreeSet<GroupRef> = [hr, dept].into_iter().collect();
        let json = serde_json::to_string(&set).unwrap();
        assert_eq!(json, serde_json::to_string(&as_tree).unwrap());
        let back: GroupSet = serde_json::from_str(&json).unwrap();
        assert_eq!(back, set);
    }
}
