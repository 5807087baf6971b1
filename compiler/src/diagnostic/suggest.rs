//! "Did you mean" suggestions: the closest known name to a misspelt one.

/// Edit distance between two strings, counted in chars: insertions, deletions,
/// substitutions and swaps of two neighbouring chars (`tsl` → `tls` is one edit), which
/// is the most common typo.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j] = distance between a[..i] and b[..j]; three rows are enough.
    let mut before_prev: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before_prev[j - 2] + 1);
            }
            cur[j] = best;
        }
        std::mem::swap(&mut before_prev, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `name`, if it is close enough to be a plausible misspelling
/// (at most a third of the name's length in edits, at least one, and never all of it).
pub fn did_you_mean<'a, I>(name: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= limit && *distance < name.chars().count())
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("tls", "tls"), 0);
        assert_eq!(edit_distance("tsl", "tls"), 1);
    }

    #[test]
    fn suggests_the_closest_plausible_name() {
        let names = ["tls", "storage", "ingress"];
        assert_eq!(did_you_mean("tsl", names), Some("tls"));
        assert_eq!(did_you_mean("storag", names), Some("storage"));
        assert_eq!(did_you_mean("database", names), None);
    }
}
