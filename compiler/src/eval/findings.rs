//! Findings: what a library's checks report about the options it was given
//! (`builtins.findings`), located at the option the user wrote.
//!
//! A check names options by path (`"replicaCount"`, `"mlflow.backendStoreUri"`) in the set
//! it was given; the evaluator follows each path through that set's thunks, which remember
//! where their expressions were written (through let-bound sets, `//`, functions and
//! imported files alike), and widens the place to the whole binding (`replicaCount = 2;`).
//! An option left at its default was written nowhere: the finding is then about the user's
//! call of the library. Findings are plain data ([`Finding`]); `crate::checks` gives them
//! their code and level, applies waivers and turns them into diagnostics.

use super::builtins::{arg, force_attrs, force_list, force_string};
use super::error::{ErrorExt, EvalResult};
use super::machine::Evaluator;
use super::value::{Attrs, Site, Thunk, Value};
use crate::diagnostic::FileName;
use crate::syntax::{walk, AttrNameKind, BindingKind, Expr, ExprKind, Span};
use std::rc::Rc;

/// A place in a file.
pub type Place = (FileName, Span);

/// One finding of a check, as the library reported it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    /// The check's kebab-case name (`sqlite-replicas`).
    pub check: String,
    pub message: String,
    /// The label under the primary place.
    pub label: String,
    /// The option the finding is about, as a path (`replicaCount`), if it names one.
    pub option: Option<String>,
    /// Where the option was written (the whole binding), if the user wrote it.
    pub at: Option<Place>,
    /// The value of that binding, for a fix that replaces it.
    pub value: Option<Place>,
    /// The user's call of the library (`mlflow.deployment { ... }`).
    pub call: Option<Place>,
    /// Where in the library the finding was raised (shown with `-v`).
    pub raised: Place,
    /// Other options involved, where the user wrote them, with what they are.
    pub related: Vec<(Place, String)>,
    /// The library's help, or "did you mean" when it gives `closest = { name; among; }`
    /// (the name closest to a misspelt one, chosen as every other did-you-mean is).
    pub help: Option<String>,
    /// A machine-applicable edit: the text to put at a place. The library gives it as
    /// `fix = { option = "storage.enabled"; value = "true"; }`: the option's value is
    /// replaced where the user wrote it, or the binding is added after the last one of the
    /// call's set literal when the option was not written.
    pub fix: Option<(Place, String)>,
}

/// One waiver a deployment wrote: `waivers = { sqlite-replicas = "reason"; };`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Waiver {
    pub check: String,
    pub reason: String,
    /// The waiver's binding.
    pub at: Place,
    /// The call whose findings it waives.
    pub call: Option<Place>,
}

impl<'a> Evaluator<'a> {
    /// `builtins.findings { options; waivers; found; }`: records every finding of `found`
    /// (located in `options`) and every waiver, and returns `true`.
    pub fn record_findings(&mut self, args: &[Thunk<'a>], site: Site) -> EvalResult<Value<'a>> {
        let set = force_attrs(self, arg(args, 0), site, "of findings")?;
        let call = self.user_call(site).and_then(|call| self.place(call));
        let options = match set.get("options") {
            Some(options) => Some(force_attrs(self, options, site, "as `options`")?),
            None => None,
        };
        if let Some(waivers) = set.get("waivers") {
            let waivers = force_attrs(self, waivers, site, "as `waivers`")?;
            for (check, thunk) in waivers.iter() {
                let reason = force_string(self, thunk, site, "as the reason of a waiver")?;
                let at = thunk
                    .site()
                    .and_then(|value| self.place(value))
                    .map(|(file, span)| (file.clone(), self.binding_of(&file, span)));
                if let Some(at) = at {
                    self.waivers.push(Waiver {
                        check: check.to_string(),
                        reason: reason.to_string(),
                        at,
                        call: call.clone(),
                    });
                }
            }
        }
        let found = match set.get("found") {
            Some(found) => force_list(self, found, site, "as `found`")?,
            None => Rc::new(Vec::new()),
        };
        let raised = self
            .place(site)
            .unwrap_or_else(|| (FileName::from("<unknown>"), site.span));
        for item in found.iter() {
            let item = force_attrs(self, item, site, "as a finding")?;
            let text = |ev: &mut Self, key: &str| -> EvalResult<Option<String>> {
                match item.get(key) {
                    Some(thunk) => match ev.force(thunk)? {
                        Value::Null => Ok(None),
                        _ => Ok(Some(
                            force_string(ev, thunk, site, "in a finding")?.to_string(),
                        )),
                    },
                    None => Ok(None),
                }
            };
            let check = text(self, "check")?.unwrap_or_default();
            let message = text(self, "message")?.unwrap_or_default();
            let label = text(self, "label")?.unwrap_or_default();
            let option = text(self, "at")?;
            let value = match (&option, &options) {
                (Some(path), Some(options)) => self.option_site(options, path, site)?,
                _ => None,
            };
            let at = value
                .as_ref()
                .map(|(file, span)| (file.clone(), self.binding_of(file, *span)));
            let mut related = Vec::new();
            if let (Some(list), Some(options)) = (item.get("related"), &options) {
                for entry in force_list(self, list, site, "as `related`")?.iter() {
                    let entry = force_attrs(self, entry, site, "as a related option")?;
                    let (Some(path), Some(what)) = (entry.get("at"), entry.get("label")) else {
                        continue;
                    };
                    let path = force_string(self, path, site, "as an option path")?;
                    let what = force_string(self, what, site, "as a label")?;
                    if let Some((file, span)) = self.option_site(options, &path, site)? {
                        let span = self.binding_of(&file, span);
                        related.push(((file, span), what.to_string()));
                    }
                }
            }
            let mut fix = match (item.get("fix"), &options) {
                (Some(fix), Some(options)) => self.fix(fix, options, call.as_ref(), site)?,
                _ => None,
            };
            let mut help = text(self, "help")?;
            if let Some(closest) = item.get("closest") {
                if let Some((similar, shown, replace)) = self.closest(closest, site)? {
                    help = Some(format!("did you mean `{shown}`?"));
                    let written = value.clone();
                    fix = match replace.as_deref() {
                        // The option's value is the misspelt name, as a string.
                        Some("value") => written.map(|place| (place, format!("\"{similar}\""))),
                        // The option's key is, written plainly (`workres = 2;`).
                        Some("key") => written
                            .and_then(|(file, span)| {
                                let key = self.key_of(&file, span)?;
                                Some((file, key))
                            })
                            .map(|place| (place, similar)),
                        _ => fix,
                    };
                }
            }
            let finding = Finding {
                check,
                message,
                label,
                option,
                at,
                value,
                call: call.clone(),
                raised: raised.clone(),
                related,
                help,
                fix,
            };
            if !self.findings.contains(&finding) {
                self.findings.push(finding);
            }
        }
        Ok(Value::Bool(true))
    }

    /// Where the option at `path` (`a.b.c`, list elements by index: `env.0.value`) of
    /// `options` was written, if in a user's file.
    fn option_site(
        &mut self,
        options: &Rc<Attrs<'a>>,
        path: &str,
        site: Site,
    ) -> EvalResult<Option<Place>> {
        let mut current = Value::Attrs(options.clone());
        let steps: Vec<&str> = path.split('.').collect();
        for (index, step) in steps.iter().enumerate() {
            let thunk = match &current {
                Value::Attrs(attrs) => attrs.get(step).cloned(),
                Value::List(items) => step
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i).cloned()),
                _ => None,
            };
            let Some(thunk) = thunk else {
                return Ok(None);
            };
            if index + 1 == steps.len() {
                return Ok(thunk
                    .site()
                    .filter(|site| !self.in_stdlib(site))
                    .and_then(|site| self.place(site)));
            }
            current = self
                .force(&thunk)
                .map_err(|e| e.frame(site, "while locating a finding"))?;
        }
        Ok(None)
    }

    /// `closest = { name; among; prefix ? ""; replace ? null; }`: the name of `among`
    /// closest to the misspelt `name` (`did_you_mean`), as shown (after `prefix`), and
    /// what a fix replaces with it: the option's `"value"` (the name as a string) or its
    /// `"key"`.
    fn closest(
        &mut self,
        closest: &Thunk<'a>,
        site: Site,
    ) -> EvalResult<Option<(String, String, Option<String>)>> {
        if matches!(self.force(closest)?, Value::Null) {
            return Ok(None);
        }
        let closest = force_attrs(self, closest, site, "as `closest`")?;
        let (Some(name), Some(among)) = (closest.get("name"), closest.get("among")) else {
            return Ok(None);
        };
        let name = force_string(self, name, site, "as the name of `closest`")?;
        let mut candidates = Vec::new();
        for candidate in force_list(self, among, site, "as `among`")?.iter() {
            candidates.push(force_string(self, candidate, site, "as a name of `among`")?);
        }
        let prefix = match closest.get("prefix") {
            Some(prefix) => force_string(self, prefix, site, "as `prefix`")?.to_string(),
            None => String::new(),
        };
        let replace = match closest.get("replace") {
            Some(replace) => Some(force_string(self, replace, site, "as `replace`")?.to_string()),
            None => None,
        };
        Ok(
            crate::diagnostic::did_you_mean(&name, candidates.iter().map(|c| &**c))
                .map(|similar| (similar.to_string(), format!("{prefix}{similar}"), replace)),
        )
    }

    /// The last key of the binding whose value is at `span` in `file`, if written plainly
    /// (`workres` in `server.value_options.workres = 2;`).
    fn key_of(&self, file: &FileName, span: Span) -> Option<Span> {
        let info = self.files.iter().find(|info| &info.display == file)?;
        let mut found = None;
        find_key(&info.root, span, &mut found);
        found
    }

    /// The edit of `fix = { option; value; }`: replace the option's value where the user
    /// wrote it, else add `option = value;` to the call's set literal, if it has one.
    fn fix(
        &mut self,
        fix: &Thunk<'a>,
        options: &Rc<Attrs<'a>>,
        call: Option<&Place>,
        site: Site,
    ) -> EvalResult<Option<(Place, String)>> {
        let fix = force_attrs(self, fix, site, "as a fix")?;
        let (Some(option), Some(value)) = (fix.get("option"), fix.get("value")) else {
            return Ok(None);
        };
        let option = force_string(self, option, site, "as the option of a fix")?;
        let value = force_string(self, value, site, "as the value of a fix")?;
        if let Some(written) = self.option_site(options, &option, site)? {
            return Ok(Some((written, value.to_string())));
        }
        Ok(call
            .and_then(|call| self.end_of_call_set(call))
            .map(|((file, span), indent)| ((file, span), format!("\n{indent}{option} = {value};"))))
    }

    /// `site` as a file name and span.
    fn place(&self, site: Site) -> Option<Place> {
        self.files
            .get(site.file as usize)
            .map(|info| (info.display.clone(), site.span))
    }

    /// The whole binding (`replicaCount = 2;`) whose value is at `span` in `file`, or `span`.
    fn binding_of(&self, file: &FileName, span: Span) -> Span {
        let Some(info) = self.files.iter().find(|info| &info.display == file) else {
            return span;
        };
        let mut found = None;
        find_binding(&info.root, span, &mut found);
        found.unwrap_or(span)
    }

    /// Just after the last binding of the attribute set the call at `call` passes, where a
    /// binding can be added, and the indentation of that binding's line.
    fn end_of_call_set(&self, call: &Place) -> Option<(Place, String)> {
        let info = self.files.iter().find(|info| info.display == call.0)?;
        let mut found = None;
        find_call_set_end(&info.root, call.1, &mut found);
        let (start, end) = found?;
        let line_start = info
            .text
            .get(..start as usize)?
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let indent: String = info
            .text
            .get(line_start..)?
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .collect();
        Some((
            (call.0.clone(), Span::new(end as usize, end as usize)),
            indent,
        ))
    }
}

fn find_binding(expr: &Expr, value: Span, found: &mut Option<Span>) {
    if found.is_some() {
        return;
    }
    if let ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } = &expr.kind {
        for binding in bindings {
            if let BindingKind::Attr { value: v, .. } = &binding.kind {
                if v.span == value {
                    *found = Some(binding.span);
                    return;
                }
            }
        }
    }
    walk::for_each_child(expr, &mut |child| find_binding(child, value, found));
}

fn find_key(expr: &Expr, value: Span, found: &mut Option<Span>) {
    if found.is_some() {
        return;
    }
    if let ExprKind::AttrSet { bindings, .. } | ExprKind::Let { bindings, .. } = &expr.kind {
        for binding in bindings {
            if let BindingKind::Attr { path, value: v } = &binding.kind {
                if v.span == value {
                    *found = path
                        .last()
                        .filter(|key| matches!(key.kind, AttrNameKind::Static(_)))
                        .map(|key| key.span);
                    return;
                }
            }
        }
    }
    walk::for_each_child(expr, &mut |child| find_key(child, value, found));
}

/// The start and end of the last binding of the set literal passed by the call at `call`.
fn find_call_set_end(expr: &Expr, call: Span, found: &mut Option<(u32, u32)>) {
    if found.is_some() {
        return;
    }
    if expr.span == call {
        if let ExprKind::Apply { arg, .. } = &expr.kind {
            if let ExprKind::AttrSet { bindings, .. } = &walk::strip_parens(arg).kind {
                *found = bindings.last().map(|b| (b.span.start, b.span.end));
                return;
            }
        }
    }
    walk::for_each_child(expr, &mut |child| find_call_set_end(child, call, found));
}
