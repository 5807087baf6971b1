//! Evaluation errors: what went wrong, where, and the user-level frames that led there.

use super::value::Site;
use crate::diagnostic::{codes, Code};

/// What kind of failure an error is: `builtins.tryEval` catches only `throw` and `assert`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Throw,
    Assert,
    Abort,
    Other,
}

#[derive(Clone, Debug)]
pub struct EvalError {
    pub kind: ErrorKind,
    pub code: Code,
    pub message: String,
    pub site: Option<Site>,
    /// The label under the primary span.
    pub label: Option<String>,
    pub help: Option<String>,
    /// Other relevant places (the pattern a missing argument is declared in, ...).
    pub related: Vec<(Site, String)>,
    /// User-level frames, innermost first ("while evaluating the attribute `x`").
    pub trace: Vec<(Site, String)>,
}

pub type EvalResult<T> = Result<T, Box<EvalError>>;

/// The most frames a trace keeps; deeper ones are summarised.
const MAX_TRACE: usize = 12;

impl EvalError {
    pub fn new(code: Code, message: impl Into<String>, site: Option<Site>) -> Box<EvalError> {
        Box::new(EvalError {
            kind: ErrorKind::Other,
            code,
            message: message.into(),
            site,
            label: None,
            help: None,
            related: Vec::new(),
            trace: Vec::new(),
        })
    }

    /// A type error: `expected` where `found` was given.
    pub fn type_error(expected: &str, found: &str, site: Option<Site>) -> Box<EvalError> {
        EvalError::new(
            codes::E0401,
            format!("expected {expected}, found {found}"),
            site,
        )
    }
}

/// Builder-style additions on boxed errors.
pub trait ErrorExt {
    fn kind(self, kind: ErrorKind) -> Self;
    fn label(self, label: impl Into<String>) -> Self;
    fn help(self, help: impl Into<String>) -> Self;
    fn related(self, site: Site, message: impl Into<String>) -> Self;
    fn frame(self, site: Site, message: impl Into<String>) -> Self;
}

impl ErrorExt for Box<EvalError> {
    fn kind(mut self, kind: ErrorKind) -> Self {
        self.kind = kind;
        self
    }

    fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    fn related(mut self, site: Site, message: impl Into<String>) -> Self {
        self.related.push((site, message.into()));
        self
    }

    fn frame(mut self, site: Site, message: impl Into<String>) -> Self {
        let same_place =
            self.site == Some(site) || self.trace.last().is_some_and(|(last, _)| *last == site);
        if !same_place && self.trace.len() < MAX_TRACE {
            self.trace.push((site, message.into()));
        }
        self
    }
}
