//! [`DataAttrs`]: the attributes of an evaluated set in [`super::Data`], in name order, in
//! one exact-size slice found by binary search.
//!
//! A `BTreeMap<String, Data>` allocated a leaf of eleven entries (about 900 bytes) for every
//! set, and most sets of a manifest have two to five names: a large build touched more
//! fresh memory for the leaves than for the values in them.

use super::data::Data;

/// The names and values of a set, sorted by name, each name once.
#[derive(Clone, Default, PartialEq)]
pub struct DataAttrs {
    entries: Box<[(String, Data)]>,
}

impl DataAttrs {
    /// The set of `entries`, which must be sorted by name without duplicates (as an
    /// evaluated set's are).
    pub fn from_sorted(entries: Vec<(String, Data)>) -> Self {
        debug_assert!(entries.windows(2).all(|pair| pair[0].0 < pair[1].0));
        DataAttrs {
            entries: entries.into_boxed_slice(),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Data> {
        self.entries
            .binary_search_by(|(key, _)| key.as_str().cmp(name))
            .ok()
            .map(|index| &self.entries[index].1)
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

    pub fn keys(&self) -> impl ExactSizeIterator<Item = &String> {
        self.entries.iter().map(|(key, _)| key)
    }

    pub fn values(&self) -> impl ExactSizeIterator<Item = &Data> {
        self.entries.iter().map(|(_, value)| value)
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

impl FromIterator<(String, Data)> for DataAttrs {
    /// Entries in any order; of two with the same name the later wins, as in a map.
    fn from_iter<I: IntoIterator<Item = (String, Data)>>(entries: I) -> Self {
        let mut entries: Vec<(String, Data)> = entries.into_iter().collect();
        if entries.windows(2).all(|pair| pair[0].0 < pair[1].0) {
            return DataAttrs::from_sorted(entries);
        }
        // A stable sort keeps equal names in their order: the last of each run wins.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut unique: Vec<(String, Data)> = Vec::with_capacity(entries.len());
        for entry in entries {
            match unique.last_mut() {
                Some(last) if last.0 == entry.0 => *last = entry,
                _ => unique.push(entry),
            }
        }
        DataAttrs::from_sorted(unique)
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
    fn names_are_found_in_order_and_the_last_of_a_name_wins() {
        let attrs: DataAttrs = [("b", 1), ("a", 2), ("c", 3), ("a", 4)]
            .into_iter()
            .map(|(name, n)| (name.to_string(), int(n)))
            .collect();
        let names: Vec<&str> = attrs.keys().map(String::as_str).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(attrs.get("a"), Some(&int(4)));
        assert_eq!(attrs.get("c"), Some(&int(3)));
        assert_eq!(attrs.get("d"), None);
        assert_eq!(attrs.get(""), None);
        assert_eq!(format!("{attrs:?}").matches("Int").count(), 3);
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
