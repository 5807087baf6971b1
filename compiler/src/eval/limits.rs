//! Resource budgets of one evaluation: how long a list or string may grow and how many
//! values a result may hold. A program beyond them (`builtins.genList (x: x)
//! 9223372036854775807`, a string doubled sixty times, a shared list printed as a tree of
//! 2^60 nodes) gets a diagnostic at the expression that crossed the line, not an abort of
//! the whole process for want of memory. The limits are far above any deployment file.

use super::error::{ErrorExt, EvalError, EvalResult};
use super::value::Site;
use crate::diagnostic::codes;

/// The most items one list may have.
pub const MAX_LIST_LEN: usize = 2_000_000;
/// The most bytes one string may have.
pub const MAX_STRING_LEN: usize = 64 * 1024 * 1024;
/// The most values (every list item and attribute counts) a forced result may hold.
pub const MAX_DATA_NODES: usize = 2_000_000;

/// An error unless a list of `len` items is within the budget.
pub fn check_list_len(len: usize, site: Site) -> EvalResult<()> {
    if len > MAX_LIST_LEN {
        return Err(too_large(
            format!("a list of {len} items is longer than the limit of {MAX_LIST_LEN}"),
            Some(site),
        ));
    }
    Ok(())
}

/// An error unless a string of `len` bytes is within the budget.
pub fn check_string_len(len: usize, site: Site) -> EvalResult<()> {
    if len > MAX_STRING_LEN {
        return Err(too_large(
            format!("a string of {len} bytes is longer than the limit of {MAX_STRING_LEN}"),
            Some(site),
        ));
    }
    Ok(())
}

/// Appends `part` to `out` unless the string would grow past the budget. Every builtin that
/// builds a string from pieces (`concatStringsSep`, `replaceStrings`, `toString` of a list,
/// interpolation) appends through this, so the check comes before the memory is taken.
pub fn push_str_within(out: &mut String, part: &str, site: Site) -> EvalResult<()> {
    check_string_len(out.len().saturating_add(part.len()), site)?;
    out.push_str(part);
    Ok(())
}

/// Appends `items` to `out` unless the list would grow past the budget (`concatLists`,
/// `concatMap`).
pub fn extend_within<T: Clone>(out: &mut Vec<T>, items: &[T], site: Site) -> EvalResult<()> {
    check_list_len(out.len().saturating_add(items.len()), site)?;
    out.extend_from_slice(items);
    Ok(())
}

pub fn too_large(message: String, site: Option<Site>) -> Box<EvalError> {
    EvalError::new(codes::E0416, message, site)
        .label("this value grows too large")
        .help("a configuration this large is almost always a function that grows without end")
}
