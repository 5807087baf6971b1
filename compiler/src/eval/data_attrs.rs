//! [`DataAttrs`]: the attributes of an evaluated set in [`super::Data`], in name order, in
//! one exact-size shared slice found by binary search. Shared, so that a manifest is the
//! evaluated object itself, not a copy of it; changed (an ApplySet's label) by copying
//! only the sets on the way to the change.
//!
//! A `BTreeMap<String, Data>` allocated a leaf of eleven entries (about 900 bytes) for every
//! set, and most sets of a manifest have two to five names: a large build touched more
//! fresh memory for the leaves than for the values in them.

use super::data::Data;
use super::value::compare_names;
use std::sync::Arc;

/// The names and values of a set, sorted by name, each name once.
#[derive(Clone, Default, PartialEq)]
pub struct DataAttrs {
    entries: Arc<[(String, Data)]>,
}

impl DataAttrs {
    /// The set of `entries`, which must be sorted by name without duplicates (as an
    /// evaluated set's are).
    pub fn from_sorted(entries: Vec<(String, Data)>) -> Self {
        debug_assert!(entries.windows(2).all(|pair| pair[0].0 < pair[1].0));
        DataAttrs {
            entries: entries.into(),
        }
    }

    /// Where `name` is, or where it would go.
    fn position(&self, name: &str) -> Result<usize, usize> {
        self.entries
            .binary_search_by(|(key, _)| compare_names(key.as_bytes(), name.as_bytes()))
    }

    pub fn get(&self, name: &str) -> Option<&Data> {
        self.position(name).ok().map(|index| &self.entries[index].1)
    }

    /// The value of `name` to change in place, null if it was not there (copying the
    /// entries first if another set shares them).
    pub fn entry(&mut self, name: &str) -> &mut Data {
        let index = match self.position(name) {
            Ok(index) => index,
            Err(index) => {
                let null = Data {
                    kind: super::DataKind::Null,
                    origin: None,
                };
                let mut entries = self.entries.to_vec();
                entries.insert(index, (name.to_string(), null));
                self.entries = entries.into();
                index
            }
        };
        &mut Arc::make_mut(&mut self.entries)[index].1
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The names and values, in name order.
    pub fn iter(&self) -> Iter<'_> {
        self.entries.iter().map(|(key, value)| (key, value))
    }
}

/// The iterator of [`DataAttrs::iter`].
pub type Iter<'s> = std::iter::Map<
    std::slice::Iter<'s, (String, Data)>,
    fn(&'s (String, Data)) -> (&'s String, &'s Data),
>;

impl<'s> IntoIterator for &'s DataAttrs {
    type Item = (&'s String, &'s Data);
    type IntoIter = Iter<'s>;

    fn into_iter(self) -> Iter<'s> {
        self.iter()
    }
}

impl std::fmt::Debug for DataAttrs {
    /// As a map prints: `{"a": ..., "b": ...}`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::DataKind;

    fn int(n: i64) -> Data {
        Data {
            kind: DataKind::Int(n),
            origin: None,
        }
    }

    #[test]
    fn names_are_found_and_listed_in_order() {
        let attrs = DataAttrs::from_sorted(
            [("a", 2), ("b", 1), ("c", 3)]
                .into_iter()
                .map(|(name, n)| (name.to_string(), int(n)))
                .collect(),
        );
        let names: Vec<&str> = attrs.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(attrs.len(), 3);
        assert_eq!(attrs.get("a"), Some(&int(2)));
        assert_eq!(attrs.get("c"), Some(&int(3)));
        assert_eq!(attrs.get("d"), None);
        assert_eq!(attrs.get(""), None);
        assert_eq!(format!("{attrs:?}").matches("Int").count(), 3);
    }

    #[test]
    fn changes_copy_only_the_set_changed() {
        let mut attrs = DataAttrs::from_sorted(vec![("b".to_string(), int(1))]);
        let shared = attrs.clone();
        *attrs.entry("c") = int(3);
        *attrs.entry("a") = int(0);
        *attrs.entry("b") = int(2);
        let names: Vec<&str> = attrs.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(attrs.get("b"), Some(&int(2)));
        assert_eq!(attrs.entry("d").kind, DataKind::Null);
        assert_eq!(attrs.len(), 4);
        assert_eq!(shared.len(), 1);
        assert_eq!(shared.get("b"), Some(&int(1)));
    }

    #[test]
    fn an_empty_set_has_no_names() {
        let attrs = DataAttrs::default();
        assert!(attrs.is_empty());
        assert_eq!(attrs.len(), 0);
        assert_eq!(attrs.get("a"), None);
        assert_eq!(format!("{attrs:?}"), "{}");
    }
}
