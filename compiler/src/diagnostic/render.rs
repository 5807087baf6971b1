//! Renders diagnostics for the terminal with ariadne, in the shape of ANCHORS §3.7:
//!
//! ```text
//! error[E0211]: unknown standard library module `<mlfow>`
//!    ╭─[ deploy.mlc:1:8 ]
//!    │
//!  1 │ import <mlfow>
//!    │        ───┬───
//!    │           ╰───── not in the standard library
//! ───╯
//! help: did you mean `<mlflow>`?
//! note: run `mlc explain E0211` for details
//! ```
//!
//! Text comes from a [`SourceProvider`] (the database serves user files and `<stdlib>/...`
//! modules), so one report can show labels in several files. A label whose file has no text
//! (a file that could not be read) is printed as a plain line instead of a snippet. Lines
//! longer than [`cut::MAX_LINE`] are cut to a window around the labels.

use super::{cut, Diagnostic, FileName, Label, Severity, SourceProvider};
use ariadne::{CharSet, Color, Config, Fmt, IndexType, LabelAttach, ReportKind, Source};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

/// How to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours (only on a terminal, unless the user asked with `--color`).
    pub color: bool,
}

/// Renders `diagnostic` as the text a terminal shows, ending with a newline.
pub fn render(
    diagnostic: &Diagnostic,
    sources: &dyn SourceProvider,
    options: RenderOptions,
) -> String {
    let mut cache = ProviderCache {
        provider: sources,
        sources: HashMap::new(),
        long_lines: HashMap::new(),
    };
    render_cached(diagnostic, &mut cache, options)
}

/// [`render`] with the sources (and their line indexes) of earlier diagnostics: each file
/// is indexed once for a whole report, not once per diagnostic.
fn render_cached(
    diagnostic: &Diagnostic,
    cache: &mut ProviderCache<'_>,
    options: RenderOptions,
) -> String {
    let mut out = String::new();
    let primary_has_source = cache.text_len(&diagnostic.primary.file).is_some();
    if primary_has_source {
        out.push_str(&snippet_report(diagnostic, cache, options));
    } else {
        let _ = writeln!(out, "{}", title(diagnostic, options));
        let _ = writeln!(out, "  --> {}", diagnostic.primary.file);
    }
    // Labels that the snippet does not show become notes with their location: those in
    // files without text, and all of them when the primary file has none.
    let labels = std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary);
    for label in labels {
        let shown = cache.text_len(&label.file).is_some();
        if label.message.is_empty() || (primary_has_source && shown) {
            continue;
        }
        let position = cache.position(label);
        let place = match position {
            Some((line, column)) => format!("{}:{line}:{column}", label.file),
            None => label.file.to_string(),
        };
        let _ = writeln!(
            out,
            "{}: {place}: {}",
            paint("note", NOTE, options),
            label.message
        );
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{}: {help}", paint("help", HELP, options));
    }
    for note in &diagnostic.notes {
        let _ = writeln!(out, "{}: {note}", paint("note", NOTE, options));
    }
    if diagnostic.code.explanation().is_some() {
        let _ = writeln!(
            out,
            "{}: run `mlc explain {}` for details",
            paint("note", NOTE, options),
            diagnostic.code
        );
    }
    out
}

/// Renders every diagnostic, each followed by a blank line to set it apart from the next.
pub fn render_all(
    diagnostics: &[Diagnostic],
    sources: &dyn SourceProvider,
    options: RenderOptions,
) -> String {
    let mut cache = ProviderCache {
        provider: sources,
        sources: HashMap::new(),
        long_lines: HashMap::new(),
    };
    diagnostics
        .iter()
        .map(|diagnostic| render_cached(diagnostic, &mut cache, options) + "\n")
        .collect()
}

/// The one-line summary after the diagnostics: `error: 2 errors, 1 warning`. `None` when
/// there is nothing to count.
pub fn summary(
    diagnostics: &[Diagnostic],
    options: RenderOptions,
    deny_warnings: bool,
) -> Option<String> {
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let count = |n: usize, what: &str| match n {
        1 => format!("1 {what}"),
        n => format!("{n} {what}s"),
    };
    let text = match (errors, warnings) {
        (0, 0) => return None,
        (0, w) if deny_warnings => format!(
            "{}: could not continue because of {} (--deny-warnings)",
            paint("error", ERROR, options),
            count(w, "warning")
        ),
        (0, w) => format!(
            "{}: {} emitted",
            paint("warning", WARNING, options),
            count(w, "warning")
        ),
        (e, 0) => format!(
            "{}: could not continue because of {}",
            paint("error", ERROR, options),
            count(e, "error")
        ),
        (e, w) => format!(
            "{}: could not continue because of {} and {}",
            paint("error", ERROR, options),
            count(e, "error"),
            count(w, "warning")
        ),
    };
    Some(text)
}

const ERROR: Color = Color::Red;
const WARNING: Color = Color::Yellow;
const NOTE: Color = Color::Fixed(115);
const HELP: Color = Color::Fixed(115);

fn severity_color(severity: Severity) -> Color {
    match severity {
        Severity::Error => ERROR,
        Severity::Warning => WARNING,
        Severity::Note => NOTE,
    }
}

/// `error[E0101]: message`.
fn title(diagnostic: &Diagnostic, options: RenderOptions) -> String {
    let head = format!("{}[{}]", diagnostic.severity.as_str(), diagnostic.code);
    format!(
        "{}: {}",
        paint(&head, severity_color(diagnostic.severity), options),
        diagnostic.message
    )
}

fn paint(text: &str, color: Color, options: RenderOptions) -> String {
    if options.color {
        text.fg(color).to_string()
    } else {
        text.to_string()
    }
}

/// The ariadne part: title and the snippets of every label whose file has text.
fn snippet_report(
    diagnostic: &Diagnostic,
    cache: &mut ProviderCache<'_>,
    options: RenderOptions,
) -> String {
    let head = format!("{}[{}]", diagnostic.severity.as_str(), diagnostic.code);
    let color = severity_color(diagnostic.severity);
    let config = Config::new()
        .with_index_type(IndexType::Byte)
        .with_color(options.color)
        .with_char_set(CharSet::Unicode)
        .with_label_attach(LabelAttach::Middle);
    let mut view = CutView::new(diagnostic, cache);
    let primary_span = view.span(&diagnostic.primary);
    let mut report = ariadne::Report::build(ReportKind::Custom(&head, color), primary_span.clone())
        .with_config(config)
        .with_message(&diagnostic.message);
    // Ariadne starts a new snippet, headed with the primary's line and column, whenever a
    // label comes before the previous one in the file: ordering the labels by file and place
    // keeps one snippet per file, under the right heading.
    let order = label_order(diagnostic);
    let mut primary = ariadne::Label::new(primary_span).with_order(order[0]);
    if options.color {
        primary = primary.with_color(color);
    }
    // Ariadne draws no underline for a label without a message: the primary place is
    // always marked, with the message when there is one.
    primary = primary.with_message(&diagnostic.primary.message);
    report = report.with_label(primary);
    for (index, label) in diagnostic.secondary.iter().enumerate() {
        if view.cache.text_len(&label.file).is_none() {
            continue;
        }
        let mut secondary = ariadne::Label::new(view.span(label)).with_order(order[index + 1]);
        if options.color {
            secondary = secondary.with_color(Color::Blue);
        }
        if !label.message.is_empty() {
            secondary = secondary.with_message(&label.message);
        }
        report = report.with_label(secondary);
    }
    let mut bytes = Vec::new();
    let written = report.finish().write(&mut view, &mut bytes);
    let text = String::from_utf8_lossy(&bytes);
    // Ariadne paints a custom title even with colour off, so the title line is ours.
    let snippet = match (written, text.split_once('\n')) {
        (Ok(()), Some((_, rest))) => rest,
        // Writing to memory fails only if a source vanished: print the title alone.
        _ => "",
    };
    let snippet = view.true_columns(diagnostic, snippet);
    format!("{}\n{snippet}", title(diagnostic, options))
}

/// The order of the labels (primary first, then the secondaries) for ariadne: the primary's
/// file first, and by place within each file.
fn label_order(diagnostic: &Diagnostic) -> Vec<i32> {
    let labels: Vec<&Label> = std::iter::once(&diagnostic.primary)
        .chain(&diagnostic.secondary)
        .collect();
    let mut ranked: Vec<usize> = (0..labels.len()).collect();
    ranked.sort_by_key(|&i| {
        let label = labels[i];
        (
            label.file != diagnostic.primary.file,
            label.file.clone(),
            label.span.start,
            i,
        )
    });
    let mut order = vec![0; labels.len()];
    for (rank, index) in ranked.into_iter().enumerate() {
        order[index] = rank as i32;
    }
    order
}

/// The sources one snippet shows: the cache's, with long lines cut around this
/// diagnostic's labels ([`cut`]).
struct CutView<'c, 'p> {
    cache: &'c mut ProviderCache<'p>,
    cuts: HashMap<FileName, (cut::Cut, Source<Arc<str>>)>,
}

impl<'c, 'p> CutView<'c, 'p> {
    fn new(diagnostic: &Diagnostic, cache: &'c mut ProviderCache<'p>) -> Self {
        let mut points: HashMap<FileName, Vec<usize>> = HashMap::new();
        for label in std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary) {
            let (file, range) = cache.clamp(label);
            points
                .entry(file)
                .or_default()
                .extend([range.start, range.end]);
        }
        let mut cuts = HashMap::new();
        for (file, points) in points {
            if !cache.has_long_lines(&file) {
                continue;
            }
            let Some(source) = cache.get(&file) else {
                continue;
            };
            if let Some(cut) = cut::cut(source.text(), &points) {
                let source = Source::from(cut.text.clone());
                cuts.insert(file, (cut, source));
            }
        }
        CutView { cache, cuts }
    }

    /// The label's span in the text the snippet shows.
    fn span(&mut self, label: &Label) -> (FileName, Range<usize>) {
        let (file, range) = self.cache.clamp(label);
        match self.cuts.get(&file) {
            Some((cut, _)) => {
                let range = cut.map(range.start)..cut.map(range.end);
                (file, range)
            }
            None => (file, range),
        }
    }

    /// The snippet with the columns of its `╭─[ file:line:column ]` headers taken from the
    /// original text where a label's line was cut.
    fn true_columns(&mut self, diagnostic: &Diagnostic, snippet: &str) -> String {
        let mut snippet = snippet.to_string();
        for label in std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary) {
            let Some((cut, source)) = self.cuts.get(&label.file) else {
                continue;
            };
            let (_, range) = self.cache.clamp(label);
            let shown = super::json::line_column(source.text(), cut.map(range.start));
            let Some(original) = self.cache.position(label) else {
                continue;
            };
            if shown != original {
                let from = format!("{}:{}:{} ]", label.file, shown.0, shown.1);
                let to = format!("{}:{}:{} ]", label.file, original.0, original.1);
                snippet = snippet.replacen(&from, &to, 1);
            }
        }
        snippet
    }
}

impl ariadne::Cache<FileName> for CutView<'_, '_> {
    type Storage = Arc<str>;

    fn fetch(&mut self, id: &FileName) -> Result<&Source<Arc<str>>, impl std::fmt::Debug> {
        if let Some((_, source)) = self.cuts.get(id) {
            return Ok(source);
        }
        match self.cache.get(id) {
            Some(source) => Ok(source),
            None => Err(format!("no text for `{id}`")),
        }
    }

    fn display<'a>(&self, id: &'a FileName) -> Option<impl std::fmt::Display + 'a> {
        Some(id.clone())
    }
}

/// Ariadne's view of the [`SourceProvider`]: sources fetched once per render.
struct ProviderCache<'a> {
    provider: &'a dyn SourceProvider,
    sources: HashMap<FileName, Option<Source<Arc<str>>>>,
    /// Whether each file has a line long enough to be cut (looked at once per file).
    long_lines: HashMap<FileName, bool>,
}

impl ProviderCache<'_> {
    fn get(&mut self, file: &FileName) -> Option<&Source<Arc<str>>> {
        let provider = self.provider;
        self.sources
            .entry(file.clone())
            .or_insert_with(|| provider.source(file).map(Source::from))
            .as_ref()
    }

    /// The 1-based line and column where `label` starts, if its file has text.
    fn position(&mut self, label: &Label) -> Option<(usize, usize)> {
        let source = self.get(&label.file)?;
        let text = source.text();
        let mut offset = (label.span.start as usize).min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        // The line index ariadne keeps: a lookup, not a scan from the start of the file.
        Some(match source.get_byte_line(offset) {
            Some((_, index, byte_column)) => {
                let line_start = offset - byte_column;
                (index + 1, text[line_start..offset].chars().count() + 1)
            }
            None => super::json::line_column(text, offset),
        })
    }

    /// Whether `file` has a line that [`cut::cut`] would cut.
    fn has_long_lines(&mut self, file: &FileName) -> bool {
        if let Some(&known) = self.long_lines.get(file) {
            return known;
        }
        let long = self
            .get(file)
            .is_some_and(|source| cut::has_long_lines(source.text()));
        self.long_lines.insert(file.clone(), long);
        long
    }

    fn text_len(&mut self, file: &FileName) -> Option<usize> {
        self.get(file).map(|source| source.text().len())
    }

    /// The label's span as an ariadne span, moved inside the text and onto character
    /// boundaries: a stage's off-by-one must not make the renderer panic.
    fn clamp(&mut self, label: &Label) -> (FileName, Range<usize>) {
        let range = match self.get(&label.file) {
            Some(source) => {
                let text = source.text();
                let mut start = (label.span.start as usize).min(text.len());
                let mut end = (label.span.end as usize).clamp(start, text.len());
                while !text.is_char_boundary(start) {
                    start -= 1;
                }
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                start..end
            }
            None => 0..0,
        };
        (label.file.clone(), range)
    }
}

impl ariadne::Cache<FileName> for ProviderCache<'_> {
    type Storage = Arc<str>;

    fn fetch(&mut self, id: &FileName) -> Result<&Source<Arc<str>>, impl std::fmt::Debug> {
        match self.get(id) {
            Some(source) => Ok(source),
            None => Err(format!("no text for `{id}`")),
        }
    }

    fn display<'a>(&self, id: &'a FileName) -> Option<impl std::fmt::Display + 'a> {
        Some(id.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{codes, Fix};
    use crate::span::Span;

    /// Files for the renderer, by name.
    struct Files(Vec<(&'static str, &'static str)>);

    impl SourceProvider for Files {
        fn source(&self, file: &str) -> Option<Arc<str>> {
            self.0
                .iter()
                .find(|(name, _)| *name == file)
                .map(|(_, text)| Arc::from(*text))
        }
    }

    const NO_COLOR: RenderOptions = RenderOptions { color: false };

    fn span_of(text: &str, needle: &str) -> Span {
        let start = text.find(needle).unwrap_or(0);
        Span::new(start, start + needle.len())
    }

    const DEPLOY: &str =
        "let mlflow = import <mlfow>; in\nmlflow.deployment {\n  name = \"mlflow\";\n}\n";

    #[test]
    fn a_long_line_is_cut_around_the_label() {
        let line = format!("let a = [ {} BAD ]; in a", "1 ".repeat(20_000));
        let files = Files(vec![("long.mlc", Box::leak(line.clone().into_boxed_str()))]);
        let diagnostic = Diagnostic::error(
            codes::E0101,
            "something is wrong",
            "long.mlc".into(),
            span_of(&line, "BAD"),
        )
        .with_label("here");
        let text = render(&diagnostic, &files, NO_COLOR);
        assert!(text.len() < 2_000, "{} bytes:\n{text}", text.len());
        assert!(text.contains("BAD") && text.contains("..."), "{text}");
        let column = line.find("BAD").unwrap_or_default() + 1;
        assert!(text.contains(&format!("long.mlc:1:{column}")), "{text}");
    }

    #[test]
    fn error_with_label_help_and_explanation() {
        let files = Files(vec![("deploy.mlc", DEPLOY)]);
        let span = span_of(DEPLOY, "<mlfow>");
        let diagnostic = Diagnostic::error(
            codes::E0211,
            "unknown standard library module `<mlfow>`",
            "deploy.mlc".into(),
            span,
        )
        .with_label("not in the standard library")
        .with_help("did you mean `<mlflow>`?")
        .with_fix(Fix {
            file: "deploy.mlc".into(),
            span,
            replacement: "<mlflow>".into(),
        });
        insta::assert_snapshot!(render(&diagnostic, &files, NO_COLOR));
    }

    #[test]
    fn labels_in_two_files() {
        const A: &str = "# a\nimport ./b.mlc\n";
        const B: &str = "{ x = import ./a.mlc; }\n";
        let files = Files(vec![("a.mlc", A), ("b.mlc", B)]);
        let diagnostic = Diagnostic::error(
            codes::E0212,
            "import cycle: `b.mlc` → `a.mlc` → `b.mlc`",
            "a.mlc".into(),
            span_of(A, "./b.mlc"),
        )
        .with_label("this imports `b.mlc`")
        .with_secondary(
            "b.mlc".into(),
            span_of(B, "./a.mlc"),
            "`b.mlc` imports `a.mlc` here",
        )
        .with_note("a second note");
        insta::assert_snapshot!(render(&diagnostic, &files, NO_COLOR));
    }

    #[test]
    fn a_file_without_text_is_named_not_drawn() {
        let files = Files(vec![("a.mlc", "import ./gone.mlc\n")]);
        let diagnostic = Diagnostic::error(
            codes::E0213,
            "cannot read `gone.mlc`: no such file",
            "gone.mlc".into(),
            Span::default(),
        )
        .with_secondary("a.mlc".into(), Span::new(7, 17), "imported here");
        insta::assert_snapshot!(render(&diagnostic, &files, NO_COLOR));
    }

    #[test]
    fn spans_outside_the_text_or_inside_a_character_do_not_panic() {
        let files = Files(vec![("u.mlc", "\"é\"\n")]);
        for span in [Span::new(2, 3), Span::new(3, 99), Span::new(50, 60)] {
            let diagnostic = Diagnostic::warning(codes::E0101, "odd span", "u.mlc".into(), span)
                .with_label("here");
            let text = render(&diagnostic, &files, NO_COLOR);
            assert!(text.starts_with("warning[E0101]: odd span\n"), "{text}");
        }
    }

    #[test]
    fn colour_only_when_asked() {
        let files = Files(vec![("deploy.mlc", DEPLOY)]);
        let diagnostic =
            Diagnostic::error(codes::E0101, "bad", "deploy.mlc".into(), Span::new(0, 3));
        assert!(!render(&diagnostic, &files, NO_COLOR).contains('\u{1b}'));
        assert!(render(&diagnostic, &files, RenderOptions { color: true }).contains('\u{1b}'));
    }

    #[test]
    fn summary_counts_errors_and_warnings() {
        let error = Diagnostic::error(codes::E0101, "e", "a".into(), Span::default());
        let warning = Diagnostic::warning(codes::E0101, "w", "a".into(), Span::default());
        assert_eq!(summary(&[], NO_COLOR, false), None);
        assert_eq!(
            summary(
                &[error.clone(), error.clone(), warning.clone()],
                NO_COLOR,
                false
            )
            .as_deref(),
            Some("error: could not continue because of 2 errors and 1 warning")
        );
        assert_eq!(
            summary(std::slice::from_ref(&warning), NO_COLOR, false).as_deref(),
            Some("warning: 1 warning emitted")
        );
        assert_eq!(
            summary(&[warning], NO_COLOR, true).as_deref(),
            Some("error: could not continue because of 1 warning (--deny-warnings)")
        );
    }
}
