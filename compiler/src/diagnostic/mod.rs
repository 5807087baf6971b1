//! The one diagnostic model shared by every stage (parse, imports, types, evaluation,
//! lowering) and every front end (terminal via ariadne, JSON, the language server).
//!
//! Diagnostics are plain data: a stage returns them, a front end renders them. A diagnostic
//! points into files by [`FileName`], a display path that the renderer resolves to text
//! through a [`SourceProvider`].

pub mod codes;
mod cut;
pub mod explain;
pub mod json;
pub mod render;
pub mod sarif;
mod suggest;

pub use codes::Code;
pub use suggest::{did_you_mean, edit_distance};

use crate::span::Span;
use std::sync::Arc;

/// The name a diagnostic uses for a file: a path as the user wrote it (`examples/a.mlc`),
/// `<stdlib>/mlflow.mlc` for embedded modules, or `<expr>` for `-E` input.
pub type FileName = Arc<str>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// A place in a file with a message saying what is there.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Label {
    pub file: FileName,
    pub span: Span,
    pub message: String,
}

/// A machine-applicable edit that fixes the problem (a "did you mean" replacement).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fix {
    pub file: FileName,
    pub span: Span,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    /// One line that stands on its own: lowercase, no final period, code in backticks.
    pub message: String,
    /// The smallest user-written span that shows the problem.
    pub primary: Label,
    /// Other related places ("declared here", "previously defined here").
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// Places inside the standard library that led here (where a check was raised): shown
    /// only with `-v`, since the user's file is what to fix.
    pub frames: Vec<Label>,
    /// Why this finding is not reported (a waiver's reason, or `--allow`): it is listed
    /// with `-v` and in SARIF as suppressed, and never fails the build.
    pub waived: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>, file: FileName, span: Span) -> Self {
        Self::new(Severity::Error, code, message, file, span)
    }

    pub fn warning(code: Code, message: impl Into<String>, file: FileName, span: Span) -> Self {
        Self::new(Severity::Warning, code, message, file, span)
    }

    pub fn new(
        severity: Severity,
        code: Code,
        message: impl Into<String>,
        file: FileName,
        span: Span,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            message: message.into(),
            primary: Label {
                file,
                span,
                message: String::new(),
            },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            fix: None,
            frames: Vec::new(),
            waived: None,
        }
    }

    /// Sets the message of the primary label.
    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    pub fn with_secondary(
        mut self,
        file: FileName,
        span: Span,
        message: impl Into<String>,
    ) -> Self {
        self.secondary.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Adds a standard-library frame (shown with `-v`).
    pub fn with_frame(mut self, file: FileName, span: Span, message: impl Into<String>) -> Self {
        self.frames.push(Label {
            file,
            span,
            message: message.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The wording of an attribute defined twice in one set or `let` (`E0411`): the message,
/// the label at the second definition and the label at the first. The type checker and the
/// evaluator both report it, in the same words, so the language server shows it once.
pub fn defined_twice(path: &str) -> (String, &'static str, &'static str) {
    (
        format!("`{path}` is defined twice"),
        "defined again here",
        "first defined here",
    )
}

/// Gives renderers the text of the files diagnostics point into.
pub trait SourceProvider {
    fn source(&self, file: &str) -> Option<Arc<str>>;
}
