//! Checks beyond the chart: mistakes the MLflow Helm chart lets through, caught before
//! `kubectl apply` and reported at the option the user wrote.
//!
//! A check is a named rule of one [`table`] (code, name, level, summary, explanation). The
//! standard library runs the checks about options (`stdlib/mlflow/validate.mlc`,
//! `refusals.mlc`) and reports what they find with `builtins.findings`; the evaluator
//! locates each finding at the user's binding ([`crate::eval::Finding`]); [`objects`] runs
//! the checks about the whole build's objects (duplicates, selectors). Here the findings
//! meet their level: the table's, raised or lowered for one run by a [`Policy`] (`--allow`,
//! `--deny`), or waived by the deployment's `waivers` option (with a reason). Waived
//! findings stay in the result, as notes marked `waived`, for `-v` and SARIF.

pub mod objects;
pub mod table;

use crate::diagnostic::{codes, did_you_mean, Diagnostic, Fix, Severity};
use crate::eval::{Finding, Waiver};
pub use table::{Check, Level, CHECKS};

/// The levels the command line sets for one run: `--allow CODE|NAME`, `--deny CODE|NAME`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Policy {
    allow: Vec<&'static str>,
    deny: Vec<&'static str>,
}

impl Policy {
    /// The policy of `--allow` and `--deny` arguments (names or codes of checks), or what is
    /// wrong with one of them.
    pub fn new(allow: &[String], deny: &[String]) -> Result<Policy, String> {
        let resolve = |arguments: &[String], flag: &str| -> Result<Vec<&'static str>, String> {
            arguments
                .iter()
                .map(|argument| {
                    table::find(argument.trim()).map(|c| c.name).ok_or_else(|| {
                        let names = CHECKS.iter().map(|c| c.name);
                        let hint = did_you_mean(argument, names)
                            .map(|n| format!("; did you mean `{n}`?"))
                            .unwrap_or_else(|| "; `mlc explain` lists the checks".to_string());
                        format!("`{flag} {argument}`: no check has this name or code{hint}")
                    })
                })
                .collect()
        };
        let allow = resolve(allow, "--allow")?;
        let deny = resolve(deny, "--deny")?;
        if let Some(both) = allow.iter().find(|name| deny.contains(name)) {
            return Err(format!("`{both}` is both allowed and denied"));
        }
        if let Some(refusal) = allow
            .iter()
            .filter_map(|name| table::find(name))
            .find(|check| !check.waivable())
        {
            return Err(format!(
                "`--allow {}`: {} is the chart's own refusal and cannot be allowed (Helm renders nothing for these values)",
                refusal.name, refusal.code
            ));
        }
        Ok(Policy { allow, deny })
    }

    fn allows(&self, check: &Check) -> bool {
        self.allow.contains(&check.name)
    }

    fn denies(&self, check: &Check) -> bool {
        self.deny.contains(&check.name)
    }
}

/// Every diagnostic of an evaluation: its warnings, then its findings and waivers under
/// `policy`, in source order.
pub fn evaluation_diagnostics(
    warnings: &[Diagnostic],
    findings: &[Finding],
    waivers: &[Waiver],
    policy: &Policy,
) -> Vec<Diagnostic> {
    let mut diagnostics = warnings.to_vec();
    diagnostics.extend(diagnostics_of(findings, waivers, policy));
    diagnostics
}

/// The findings as diagnostics at their level (waived ones as notes), followed by what is
/// wrong with the waivers: unknown names, missing reasons, waivers that waive nothing.
pub fn diagnostics_of(
    findings: &[Finding],
    waivers: &[Waiver],
    policy: &Policy,
) -> Vec<Diagnostic> {
    let mut used = vec![false; waivers.len()];
    let mut diagnostics: Vec<Diagnostic> = findings
        .iter()
        .map(|finding| {
            let check = table::find(&finding.check);
            let waiver = check.filter(|c| c.waivable()).and_then(|check| {
                waivers.iter().position(|w| {
                    w.check == check.name
                        && !w.reason.trim().is_empty()
                        && (finding.call.is_none() || w.call == finding.call)
                })
            });
            if let Some(index) = waiver {
                used[index] = true;
            }
            finding_diagnostic(finding, check, waiver.map(|i| &waivers[i]), policy)
        })
        .collect();
    diagnostics.sort_by(|a, b| {
        (&a.primary.file, a.primary.span.start).cmp(&(&b.primary.file, b.primary.span.start))
    });
    for (waiver, used) in waivers.iter().zip(used) {
        if let Some(problem) = waiver_problem(waiver, used) {
            diagnostics.push(problem);
        }
    }
    diagnostics
}

fn finding_diagnostic(
    finding: &Finding,
    check: Option<&'static Check>,
    waiver: Option<&Waiver>,
    policy: &Policy,
) -> Diagnostic {
    let Some(check) = check else {
        // The library reported a check the table lacks (a test keeps them in step).
        return Diagnostic::error(
            codes::E0414,
            format!("{} (unknown check `{}`)", finding.message, finding.check),
            finding.raised.0.clone(),
            finding.raised.1,
        );
    };
    let (file, span) = finding
        .at
        .clone()
        .or_else(|| finding.call.clone())
        .unwrap_or_else(|| finding.raised.clone());
    let label = if finding.at.is_some() || finding.label.is_empty() && finding.call.is_none() {
        finding.label.clone()
    } else if finding.label.is_empty() {
        "in this call".to_string()
    } else {
        format!("in this call: {}", finding.label)
    };
    let default = match check.level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
    };
    let mut diagnostic = Diagnostic::new(default, check.code, finding.message.clone(), file, span)
        .with_label(label)
        .with_frame(
            finding.raised.0.clone(),
            finding.raised.1,
            format!("checked by the standard library here (`{}`)", check.name),
        );
    for ((file, span), message) in &finding.related {
        diagnostic = diagnostic.with_secondary(file.clone(), *span, message.clone());
    }
    if let Some(help) = &finding.help {
        diagnostic = diagnostic.with_help(help.clone());
    }
    if let Some(((file, span), replacement)) = &finding.fix {
        diagnostic = diagnostic.with_fix(Fix {
            file: file.clone(),
            span: *span,
            replacement: replacement.clone(),
        });
    }
    if policy.denies(check) {
        diagnostic.severity = Severity::Error;
        return diagnostic.with_note(format!(
            "denied on the command line (`--deny {}`)",
            check.name
        ));
    }
    if policy.allows(check) {
        return waived(
            diagnostic,
            format!("allowed on the command line (`--allow {}`)", check.name),
        );
    }
    match waiver {
        Some(waiver) => {
            let diagnostic =
                diagnostic.with_secondary(waiver.at.0.clone(), waiver.at.1, "waived here");
            waived(diagnostic, waiver.reason.clone())
        }
        None if check.waivable() => diagnostic.with_note(format!(
            "to accept this, waive it with a reason: `waivers.{} = \"...\";`",
            check.name
        )),
        None => diagnostic,
    }
}

fn waived(mut diagnostic: Diagnostic, reason: String) -> Diagnostic {
    diagnostic.severity = Severity::Note;
    diagnostic.waived = Some(reason);
    diagnostic
}

/// What is wrong with one waiver, if anything.
fn waiver_problem(waiver: &Waiver, used: bool) -> Option<Diagnostic> {
    let (file, span) = waiver.at.clone();
    let Some(check) = table::find(&waiver.check).filter(|c| c.name == waiver.check) else {
        let names = CHECKS.iter().map(|c| c.name);
        let mut diagnostic = Diagnostic::error(
            codes::E0530,
            format!("`{}` is not the name of a check", waiver.check),
            file,
            span,
        )
        .with_label("no check has this name");
        if let Some(similar) = did_you_mean(&waiver.check, names) {
            diagnostic = diagnostic.with_help(format!("did you mean `{similar}`?"));
        }
        return Some(diagnostic);
    };
    if !check.waivable() {
        return Some(
            Diagnostic::error(
                codes::E0531,
                format!(
                    "`{}` cannot be waived: it is the chart's own refusal",
                    check.name
                ),
                file,
                span,
            )
            .with_label("Helm renders nothing for these values either")
            .with_help(format!(
                "fix the values instead: `mlc explain {}`",
                check.code
            )),
        );
    }
    if waiver.reason.trim().is_empty() {
        return Some(
            Diagnostic::error(
                codes::E0531,
                format!("the waiver of `{}` gives no reason", check.name),
                file,
                span,
            )
            .with_label("the reason is empty")
            .with_help(format!(
                "say why the finding is acceptable: `{} = \"<why it is acceptable here>\";`",
                check.name
            )),
        );
    }
    if !used {
        return Some(
            Diagnostic::warning(
                codes::W0530,
                format!(
                    "the waiver of `{}` waives nothing: the check found nothing",
                    check.name
                ),
                file,
                span,
            )
            .with_label("nothing to waive")
            .with_help("remove the waiver"),
        );
    }
    None
}

#[cfg(test)]
mod tests;
