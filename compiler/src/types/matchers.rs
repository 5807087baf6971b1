//! Hand-written checks for the patterns of the built-in string types (`K8sName`, `Cron`,
//! `Duration`, `QuantityString`): each accepts exactly the strings its regular expression
//! matches in full (`prelude`'s tests compare them on generated strings), without compiling
//! a regex in every run, which was a tenth of a small `mlc build`.

/// `[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?`
pub fn k8s_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    let edge = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    (1..=63).contains(&bytes.len())
        && bytes.first().is_some_and(edge)
        && bytes.last().is_some_and(edge)
        && bytes.iter().all(|b| edge(b) || *b == b'-')
}

/// `@(yearly|annually|monthly|weekly|daily|midnight|hourly)|[0-9*/,?A-Za-z-]+(\s+[0-9*/,?A-Za-z-]+){4}`
pub fn cron(text: &str) -> bool {
    if let Some(name) = text.strip_prefix('@') {
        return matches!(
            name,
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly"
        );
    }
    if text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace) {
        return false;
    }
    let field = |f: &str| {
        f.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'*' | b'/' | b',' | b'?' | b'-'))
    };
    let mut fields = 0;
    for part in text
        .split(char::is_whitespace)
        .filter(|part| !part.is_empty())
    {
        if !field(part) {
            return false;
        }
        fields += 1;
    }
    fields == 5
}

/// `([0-9]+(\.[0-9]+)?(ms|s|m|h|d|w))+`
pub fn duration(text: &str) -> bool {
    let mut rest = text.as_bytes();
    if rest.is_empty() {
        return false;
    }
    while !rest.is_empty() {
        let Some(after) = number(rest, false) else {
            return false;
        };
        // `ms` before `m`: after `m`, an `s` could not start the next number.
        rest = if after.starts_with(b"ms") {
            &after[2..]
        } else if after
            .first()
            .is_some_and(|b| matches!(b, b's' | b'm' | b'h' | b'd' | b'w'))
        {
            &after[1..]
        } else {
            return false;
        };
    }
    true
}

/// `[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?`
pub fn quantity(text: &str) -> bool {
    let bytes = text.as_bytes();
    let unsigned = match bytes.first() {
        Some(b'+' | b'-') => &bytes[1..],
        _ => bytes,
    };
    let Some(suffix) = number(unsigned, true) else {
        return false;
    };
    match suffix {
        [] | [b'n' | b'u' | b'm' | b'k' | b'M' | b'G' | b'T' | b'P' | b'E'] => true,
        [b'K' | b'M' | b'G' | b'T' | b'P' | b'E', b'i'] => true,
        [b'e' | b'E', exponent @ ..] => {
            let digits = match exponent.first() {
                Some(b'+' | b'-') => &exponent[1..],
                _ => exponent,
            };
            !digits.is_empty() && digits.iter().all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

/// A decimal number at the start of `text`, longest first: `[0-9]+(\.[0-9]+)?`, or with
/// `loose` `[0-9]+(\.[0-9]*)?|\.[0-9]+`. What follows it, or `None` if there is none.
fn number(text: &[u8], loose: bool) -> Option<&[u8]> {
    let digits = |t: &[u8]| t.iter().take_while(|b| b.is_ascii_digit()).count();
    let whole = digits(text);
    let rest = &text[whole..];
    match rest.split_first() {
        Some((b'.', fraction)) => {
            let decimals = digits(fraction);
            if whole == 0 && (decimals == 0 || !loose) {
                None
            } else if decimals == 0 && !loose {
                // `1.` is no number here: the `.` needs digits, so the number ends at `1`.
                Some(rest)
            } else {
                Some(&fraction[decimals..])
            }
        }
        _ if whole > 0 => Some(rest),
        _ => None,
    }
}
