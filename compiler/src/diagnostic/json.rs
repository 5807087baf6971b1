//! Renders diagnostics as JSON for pipelines (`--message-format json`): one object per line.
//!
//! Shape, modelled on rustc's JSON diagnostics:
//!
//! ```json
//! {"severity":"error","code":"E0211","message":"...","file":"a.mlc",
//!  "byte_start":7,"byte_end":14,"line_start":1,"column_start":8,"line_end":1,"column_end":15,
//!  "labels":[{"file":"a.mlc","byte_start":7,...,"message":"...","primary":true}],
//!  "notes":[],"help":"did you mean `<mlflow>`?",
//!  "fix":{"file":"a.mlc","byte_start":7,"byte_end":14,"replacement":"<mlflow>"}}
//! ```
//!
//! Lines and columns are 1-based; columns count characters. When a file's text is not
//! available, lines and columns are `null` and only byte offsets are given.

use super::{Diagnostic, Label, SourceProvider};
use crate::span::Span;
use serde::Serialize;

/// One diagnostic as printed; fields in the order a reader wants them.
#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub severity: &'static str,
    pub code: &'static str,
    pub message: String,
    #[serde(flatten)]
    pub location: JsonLocation,
    pub labels: Vec<JsonLabel>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub fix: Option<JsonFix>,
    /// Why a finding is waived (only waived findings have it; shown with `-v`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<String>,
}

#[derive(Serialize)]
pub struct JsonLocation {
    pub file: String,
    pub byte_start: u32,
    pub byte_end: u32,
    pub line_start: Option<usize>,
    pub column_start: Option<usize>,
    pub line_end: Option<usize>,
    pub column_end: Option<usize>,
}

#[derive(Serialize)]
pub struct JsonLabel {
    #[serde(flatten)]
    pub location: JsonLocation,
    pub message: String,
    pub primary: bool,
}

#[derive(Serialize)]
pub struct JsonFix {
    #[serde(flatten)]
    pub location: JsonLocation,
    pub replacement: String,
}

/// `diagnostic` in its JSON shape.
pub fn to_json(diagnostic: &Diagnostic, sources: &dyn SourceProvider) -> JsonDiagnostic {
    let labels = std::iter::once((&diagnostic.primary, true))
        .chain(diagnostic.secondary.iter().map(|label| (label, false)))
        .map(|(label, primary)| label_json(label, primary, sources))
        .collect();
    JsonDiagnostic {
        severity: diagnostic.severity.as_str(),
        code: diagnostic.code.as_str(),
        message: diagnostic.message.clone(),
        location: location(&diagnostic.primary.file, diagnostic.primary.span, sources),
        labels,
        notes: diagnostic.notes.clone(),
        help: diagnostic.help.clone(),
        fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
            location: location(&fix.file, fix.span, sources),
            replacement: fix.replacement.clone(),
        }),
        waived: diagnostic.waived.clone(),
    }
}

/// Every diagnostic as one line of JSON each, ending with a newline.
pub fn render_json_lines(diagnostics: &[Diagnostic], sources: &dyn SourceProvider) -> String {
    diagnostics
        .iter()
        .filter_map(|diagnostic| serde_json::to_string(&to_json(diagnostic, sources)).ok())
        .map(|line| line + "\n")
        .collect()
}

fn label_json(label: &Label, primary: bool, sources: &dyn SourceProvider) -> JsonLabel {
    JsonLabel {
        location: location(&label.file, label.span, sources),
        message: label.message.clone(),
        primary,
    }
}

/// `file`, byte range, and line/column range of `span` in `file`.
fn location(file: &str, span: Span, sources: &dyn SourceProvider) -> JsonLocation {
    let text = sources.source(file);
    let start = text
        .as_deref()
        .map(|text| line_column(text, span.start as usize));
    let end = text
        .as_deref()
        .map(|text| line_column(text, span.end as usize));
    JsonLocation {
        file: file.to_string(),
        byte_start: span.start,
        byte_end: span.end,
        line_start: start.map(|(line, _)| line),
        column_start: start.map(|(_, column)| column),
        line_end: end.map(|(line, _)| line),
        column_end: end.map(|(_, column)| column),
    }
}

/// The 1-based line and character column of byte `offset` in `text` (clamped to the text).
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |index| index + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{codes, Fix};
    use std::sync::Arc;

    struct OneFile(&'static str, &'static str);

    impl SourceProvider for OneFile {
        fn source(&self, file: &str) -> Option<Arc<str>> {
            (file == self.0).then(|| Arc::from(self.1))
        }
    }

    #[test]
    fn one_object_per_line_with_every_field() {
        let text = "let m = import <mlfow>; in\n  m\n";
        let files = OneFile("deploy.mlc", text);
        let span = Span::new(15, 22);
        let diagnostic = Diagnostic::error(
            codes::E0211,
            "unknown standard library module `<mlfow>`",
            "deploy.mlc".into(),
            span,
        )
        .with_label("not in the standard library")
        .with_secondary("deploy.mlc".into(), Span::new(29, 30), "used here")
        .with_secondary("gone.mlc".into(), Span::new(3, 4), "no text for this one")
        .with_note("a note")
        .with_help("did you mean `<mlflow>`?")
        .with_fix(Fix {
            file: "deploy.mlc".into(),
            span,
            replacement: "<mlflow>".into(),
        });
        let lines = render_json_lines(&[diagnostic.clone(), diagnostic.clone()], &files);
        assert_eq!(lines.lines().count(), 2);
        for line in lines.lines() {
            assert!(
                serde_json::from_str::<serde_json::Value>(line).is_ok(),
                "{line}"
            );
        }
        let pretty = serde_json::to_string_pretty(&to_json(&diagnostic, &files));
        insta::assert_snapshot!(pretty.unwrap_or_default());
    }

    #[test]
    fn lines_and_columns_are_one_based_and_count_chars() {
        let text = "ab\nçd\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 3), (2, 1));
        assert_eq!(line_column(text, 5), (2, 2));
        // Inside `ç` and past the end: clamped, never a panic.
        assert_eq!(line_column(text, 4), (2, 1));
        assert_eq!(line_column(text, 99), (3, 1));
    }
}
