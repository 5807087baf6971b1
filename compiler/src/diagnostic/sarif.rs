//! Renders diagnostics as one SARIF 2.1.0 log (`--message-format sarif`), for the code
//! scanning of CI systems. The model is `serde-sarif`'s (generated from the OASIS schema).
//!
//! One run, tool `mlc`, whose rules are every diagnostic code (`mlc explain` texts, and for
//! the checks of `crate::checks` their kebab-case name); one result per diagnostic at the
//! user-file location, with the secondary labels as related locations, the machine-
//! applicable fix as a SARIF fix, and waived findings as suppressed results (`inSource` for
//! a `waivers` entry, `external` for `--allow`). Lines and columns are 1-based, columns in
//! Unicode code points (the run says so with `columnKind`).

use super::json::line_column;
use super::{codes, Diagnostic, Label, Severity, SourceProvider};
use crate::checks::table::{Level, CHECKS};
use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Location, Message,
    MultiformatMessageString, PhysicalLocation, Region, Replacement, ReportingConfiguration,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Suppression, Tool,
    ToolComponent,
};

/// One result of the log.
pub type Result = SarifResult;

/// The result of one diagnostic.
pub fn result(diagnostic: &Diagnostic, sources: &dyn SourceProvider) -> Result {
    let level = match (diagnostic.severity, &diagnostic.waived) {
        (Severity::Error, _) => ResultLevel::Error,
        (Severity::Warning, _) => ResultLevel::Warning,
        // A waived finding keeps the level of its check; the suppression says it is waived.
        (Severity::Note, Some(_)) => crate::checks::table::by_code(diagnostic.code.as_str())
            .map_or(ResultLevel::Warning, |check| match check.level {
                Level::Error => ResultLevel::Error,
                Level::Warning => ResultLevel::Warning,
            }),
        (Severity::Note, None) => ResultLevel::Note,
    };
    let mut text = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let related: Vec<Location> = diagnostic
        .secondary
        .iter()
        .enumerate()
        .map(|(index, label)| location(label, sources, Some(index as i64 + 1)))
        .collect();
    let rule_index = rules()
        .iter()
        .position(|rule| rule.id == diagnostic.code.as_str())
        .map(|index| index as i64);
    let mut result = Result::builder()
        .rule_id(diagnostic.code.as_str())
        .level(level)
        .message(Message::builder().text(text).build())
        .locations(vec![location(&diagnostic.primary, sources, None)])
        .build();
    result.rule_index = rule_index;
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    if let Some(fix) = &diagnostic.fix {
        let file_label = Label {
            file: fix.file.clone(),
            span: fix.span,
            message: String::new(),
        };
        let change = ArtifactChange::builder()
            .artifact_location(artifact(&fix.file))
            .replacements(vec![Replacement::builder()
                .deleted_region(region(&file_label, sources))
                .inserted_content(
                    ArtifactContent::builder()
                        .text(fix.replacement.clone())
                        .build(),
                )
                .build()])
            .build();
        let mut sarif_fix = Fix::builder().artifact_changes(vec![change]).build();
        if let Some(help) = &diagnostic.help {
            sarif_fix.description = Some(Message::builder().text(help.clone()).build());
        }
        result.fixes = Some(vec![sarif_fix]);
    }
    if let Some(reason) = &diagnostic.waived {
        let kind = if reason.starts_with("allowed on the command line") {
            "external"
        } else {
            "inSource"
        };
        result.suppressions = Some(vec![Suppression::builder()
            .kind(serde_json::Value::from(kind))
            .justification(reason.clone())
            .build()]);
    }
    result
}

/// The log of `results`, as JSON text.
pub fn log(results: Vec<Result>) -> String {
    let driver = ToolComponent::builder()
        .name("mlc")
        .version(env!("CARGO_PKG_VERSION"))
        .rules(rules())
        .build();
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .build();
    run.column_kind = Some(serde_json::Value::from("unicodeCodePoints"));
    let sarif = Sarif::builder()
        .schema(serde_sarif::sarif::SCHEMA_URL)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build();
    serde_json::to_string_pretty(&sarif).unwrap_or_default()
}

/// Every code as a rule: the checks with their name and default level, then the other codes.
pub fn rules() -> Vec<ReportingDescriptor> {
    let mut rules: Vec<ReportingDescriptor> = CHECKS
        .iter()
        .map(|check| {
            let level = match check.level {
                Level::Error => "error",
                Level::Warning => "warning",
            };
            let mut rule = rule(check.code.as_str(), check.summary, check.explanation);
            rule.name = Some(check.name.to_string());
            rule.default_configuration = Some(
                ReportingConfiguration::builder()
                    .level(serde_json::Value::from(level))
                    .build(),
            );
            rule
        })
        .collect();
    rules.extend(codes::ALL.iter().map(|(code, text)| {
        let summary = text.lines().next().unwrap_or_default();
        rule(code.as_str(), summary, text)
    }));
    rules
}

fn rule(id: &str, summary: &str, explanation: &str) -> ReportingDescriptor {
    ReportingDescriptor::builder()
        .id(id)
        .short_description(MultiformatMessageString::builder().text(summary).build())
        .full_description(
            MultiformatMessageString::builder()
                .text(explanation)
                .build(),
        )
        .help(
            MultiformatMessageString::builder()
                .text(format!(
                    "{explanation}\nRun `mlc explain {id}` for this text."
                ))
                .build(),
        )
        .build()
}

fn artifact(file: &str) -> ArtifactLocation {
    ArtifactLocation::builder().uri(uri(file)).build()
}

/// A relative URI for a file name: the path as written, with `\` as `/`, percent-encoding
/// what a URI cannot hold as is.
fn uri(file: &str) -> String {
    let mut out = String::new();
    for c in file.replace('\\', "/").chars() {
        match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' | '/' => out.push(c),
            other => {
                let mut bytes = [0; 4];
                for byte in other.encode_utf8(&mut bytes).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
        }
    }
    out
}

fn region(label: &Label, sources: &dyn SourceProvider) -> Region {
    let mut region = Region::builder()
        .byte_offset(i64::from(label.span.start))
        .byte_length(i64::from(label.span.end.saturating_sub(label.span.start)))
        .build();
    if let Some(text) = sources.source(&label.file) {
        let (start_line, start_column) = line_column(&text, label.span.start as usize);
        let (end_line, end_column) = line_column(&text, label.span.end as usize);
        region.start_line = Some(start_line as i64);
        region.start_column = Some(start_column as i64);
        region.end_line = Some(end_line as i64);
        region.end_column = Some(end_column as i64);
    }
    region
}

fn location(label: &Label, sources: &dyn SourceProvider, id: Option<i64>) -> Location {
    let physical = PhysicalLocation::builder()
        .artifact_location(artifact(&label.file))
        .region(region(label, sources))
        .build();
    let mut location = Location::builder().physical_location(physical).build();
    location.id = id;
    if !label.message.is_empty() {
        location.message = Some(Message::builder().text(label.message.clone()).build());
    }
    location
}
