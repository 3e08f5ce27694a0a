//! The people list's search: every lower-case `name <email>` in name order, in one
//! string, so that a query is one substring scan over a few megabytes instead of a
//! walk of 100,000 tree nodes with a search in each. Built on the first search after a
//! change (a sync changes many at once; a rebuild at 100,000 takes milliseconds).

use crate::ids::EmployeeId;

/// Separates a key from its id within a line; neither keys nor ids contain it.
const ID_MARK: u8 = 0x01;

#[derive(Debug, Clone, Default)]
pub(crate) struct NameIndex {
    /// `key \x01 id \n` per employee, in key order.
    text: String,
    /// Where each line starts.
    starts: Vec<u32>,
}

impl NameIndex {
    /// From (key, id) in key order.
    pub fn build<'a>(rows: impl ExactSizeIterator<Item = (&'a str, &'a EmployeeId)>) -> Self {
        let mut text = String::new();
        let mut starts = Vec::with_capacity(rows.len());
        for (key, id) in rows {
            starts.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
            // A control character in HR's data must not split a line.
            text.extend(key.chars().filter(|c| *c != '\n' && *c != '\u{1}'));
            text.push(ID_MARK as char);
            text.push_str(&id.0);
            text.push('\n');
        }
        NameIndex { text, starts }
    }

    /// The ids of the lines whose key contains `needle` (non-empty), skipping `skip`
    /// and taking at most `take`, with how many lines match in all.
    pub fn find(&self, needle: &str, skip: usize, take: usize) -> (usize, Vec<EmployeeId>) {
        let bytes = self.text.as_bytes();
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut total = 0;
        let mut ids = Vec::new();
        let mut at = 0;
        while let Some(found) = finder.find(&bytes[at..]) {
            let hit = at + found;
            let line = self.starts.partition_point(|s| (*s as usize) <= hit) - 1;
            let start = self.starts[line] as usize;
            let end = self
                .starts
                .get(line + 1)
                .map_or(bytes.len(), |s| *s as usize);
            let mark = memchr::memchr(ID_MARK, &bytes[start..end]).map_or(end, |m| start + m);
            if hit + needle.len() <= mark {
                if total >= skip && ids.len() < take {
                    let id = &self.text[mark + 1..end - 1];
                    ids.push(EmployeeId(id.to_string()));
                }
                total += 1;
            }
            // On to the next line: one match per person.
            at = end;
            if at >= bytes.len() {
                break;
            }
        }
        (total, ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_in_keys_only_once_per_line_in_order() {
        let ids: Vec<EmployeeId> = ["E-1", "E-2", "E-3", "E-10"].map(EmployeeId::new).to_vec();
        let keys = [
            "ann smith <ann@x.test>",
            "bob <bob@smith.test>",
            "cy e-1 <cy@x.test>",
            "smith smith <s@x.test>",
        ];
        let index = NameIndex::build(keys.iter().copied().zip(ids.iter()));
        let (total, page) = index.find("smith", 0, 10);
        assert_eq!(total, 3);
        assert_eq!(page, [ids[0].clone(), ids[1].clone(), ids[3].clone()]);
        assert_eq!(index.find("smith", 1, 1), (3, vec![ids[1].clone()]));
        // Ids are not searched: "e-1" is only in Cy's name.
        assert_eq!(index.find("e-1", 0, 10), (1, vec![ids[2].clone()]));
        assert_eq!(index.find("nobody", 0, 10), (0, vec![]));
        assert_eq!(NameIndex::default().find("a", 0, 10), (0, vec![]));
    }
}
