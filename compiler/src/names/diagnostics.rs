//! Unbound names as diagnostics (`E0407`), with a "did you mean" among the names visible
//! where the name is used, carried as a fix so editors offer it as a quick fix.

use super::{NameResolution, Resolution};
use crate::diagnostic::{codes, did_you_mean, Diagnostic, FileName, Fix};

/// One error per name that nothing binds, in source order.
pub fn diagnostics(names: &NameResolution, file: &FileName) -> Vec<Diagnostic> {
    names
        .references
        .iter()
        .filter(|reference| reference.resolution == Resolution::Unbound)
        .map(|reference| {
            let mut diagnostic = Diagnostic::error(
                codes::E0407,
                format!("undefined variable `{}`", reference.name),
                file.clone(),
                reference.span,
            )
            .with_label("not defined in this scope");
            let visible = names.visible(reference.scope);
            let candidates = visible
                .iter()
                .map(|(name, _)| &**name)
                .chain(names.globals.iter().map(|name| &**name));
            if let Some(similar) = did_you_mean(&reference.name, candidates) {
                diagnostic = diagnostic
                    .with_help(format!("did you mean `{similar}`?"))
                    .with_fix(Fix {
                        file: file.clone(),
                        span: reference.span,
                        replacement: similar.to_string(),
                    });
            }
            diagnostic
        })
        .collect()
}
