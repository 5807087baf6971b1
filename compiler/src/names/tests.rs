//! Name resolution on real parses: each test renders every reference as
//! `name@offset -> what it resolves to` so the expectation reads like the source.

use super::*;
use crate::syntax::parse;

const GLOBALS: &[&str] = &["builtins", "map", "true", "false", "null", "toString"];

fn resolve_text(source: &str) -> NameResolution {
    let parse = parse(source);
    assert!(parse.errors.is_empty(), "{source}: {:?}", parse.errors);
    resolve(&parse.root, GLOBALS)
}

/// One line per reference: `x@12 -> let x@4`, `map@3 -> global`, `y@9 -> with@0`,
/// `z@1 -> unbound`.
fn render(source: &str) -> String {
    let names = resolve_text(source);
    let mut out = Vec::new();
    for reference in &names.references {
        let target = match reference.resolution {
            Resolution::Local(def) => {
                let def = names.definition(def);
                let kind = match def.kind {
                    DefKind::Let { .. } => "let",
                    DefKind::RecAttr { .. } => "rec",
                    DefKind::Param => "param",
                    DefKind::PatField => "field",
                    DefKind::PatBind => "bind",
                };
                format!("{kind} {}@{}", def.name, def.span().start)
            }
            Resolution::Global => "global".to_string(),
            Resolution::With(scope) => match names.scope(scope).kind {
                ScopeKind::With { scope } => format!("with@{}", scope.start),
                _ => "with?".to_string(),
            },
            Resolution::Unbound => "unbound".to_string(),
        };
        out.push(format!(
            "{}@{} -> {target}",
            reference.name, reference.span.start
        ));
    }
    out.join("\n")
}

#[test]
fn let_bindings_see_each_other_in_any_order() {
    assert_eq!(
        render("let a = b; b = 1; in a"),
        "b@8 -> let b@11\na@21 -> let a@4"
    );
}

#[test]
fn lambda_parameters_patterns_and_defaults() {
    assert_eq!(render("x: x"), "x@3 -> param x@0");
    // Defaults see the other fields and the `@` name.
    assert_eq!(
        render("args@{ a, b ? a }: args.a + b"),
        "a@14 -> field a@7\nargs@19 -> bind args@0\nb@28 -> field b@10"
    );
}

#[test]
fn rec_sets_bind_their_attributes_plain_sets_do_not() {
    assert_eq!(render("rec { a = 1; b = a; }"), "a@17 -> rec a@6");
    assert_eq!(render("{ a = 1; b = a; }"), "a@13 -> unbound");
    // Nested paths define the first name, once, with every place it is written.
    let names = resolve_text("let a.x = 1; a.y = 2; in a");
    assert_eq!(names.definitions.len(), 1);
    assert_eq!(names.definitions[0].spans.len(), 2);
}

#[test]
fn inherit_uses_the_scope_around_and_defines_inside() {
    // `inherit x;` in a `let` reads `x` from outside (else it would be itself).
    assert_eq!(
        render("x: let inherit x; y = x; in y"),
        "x@15 -> param x@0\nx@22 -> let x@15\ny@28 -> let y@18"
    );
    let names = resolve_text("x: rec { inherit x; }");
    let reference = &names.references[0];
    assert_eq!(reference.resolution, Resolution::Local(DefId(0)));
    assert!(matches!(
        reference.kind,
        RefKind::Inherit { defines: Some(_) }
    ));
    // `inherit (from) x;`: the source is an expression in the scope, the name is no use.
    assert_eq!(
        render("let s = { }; inherit (s) x; in x"),
        "s@22 -> let s@4\nx@31 -> let x@25"
    );
    // In a plain set, `inherit x;` is a use only.
    assert_eq!(render("{ inherit x; }"), "x@10 -> unbound");
}

#[test]
fn with_provides_only_what_nothing_lexical_does() {
    assert_eq!(
        render("let a = 1; in with { }; [ a b map ]"),
        "a@26 -> let a@4\nb@28 -> with@19\nmap@30 -> global"
    );
    // The innermost `with` is named; a `with` never hides a lexical binding outside it.
    assert_eq!(
        render("x: with x; with { }; x y"),
        "x@8 -> param x@0\nx@21 -> param x@0\ny@23 -> with@16"
    );
}

#[test]
fn shadowing_picks_the_innermost() {
    assert_eq!(
        render("let x = 1; in (x: x) x"),
        "x@18 -> param x@15\nx@21 -> let x@4"
    );
}

#[test]
fn dynamic_names_of_rec_sets_are_resolved_outside() {
    assert_eq!(
        render("let k = \"a\"; in rec { ${k} = 1; k = 2; }"),
        "k@24 -> let k@4"
    );
}

#[test]
fn scopes_at_offsets_and_visible_names() {
    let source = "let a = 1; in x: with { }; a";
    let names = resolve_text(source);
    let at = |offset: u32| {
        names
            .visible(names.scope_at(offset))
            .into_iter()
            .map(|(name, _)| name.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(at(source.len() as u32), ["x", "a"]);
    assert_eq!(at(5), ["a"]);
    assert!(names.scope_at(0).is_some());
    assert_eq!(
        names
            .enclosing_withs(names.scope_at(source.len() as u32))
            .len(),
        1
    );
}

#[test]
fn lookups_from_any_scope() {
    let names = resolve_text("let a = 1; in a");
    let scope = names.scope_at(14);
    assert_eq!(names.lookup(scope, "a"), Resolution::Local(DefId(0)));
    assert_eq!(names.lookup(scope, "map"), Resolution::Global);
    assert_eq!(names.lookup(scope, "zz"), Resolution::Unbound);
    assert_eq!(names.lookup(None, "a"), Resolution::Unbound);
}

#[test]
fn unbound_names_become_diagnostics_with_a_fix() {
    let names = resolve_text("let value = 1; in valeu + toSting 1");
    let file: crate::diagnostic::FileName = "a.mlc".into();
    let diagnostics = diagnostics(&names, &file);
    let summary: Vec<_> = diagnostics
        .iter()
        .map(|d| {
            (
                d.message.clone(),
                d.help.clone(),
                d.fix.as_ref().map(|f| f.replacement.clone()),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "undefined variable `valeu`".to_string(),
                Some("did you mean `value`?".to_string()),
                Some("value".to_string())
            ),
            (
                "undefined variable `toSting`".to_string(),
                Some("did you mean `toString`?".to_string()),
                Some("toString".to_string())
            ),
        ]
    );
}

#[test]
fn incomplete_code_still_resolves() {
    let parse = parse("let a = 1; b = a");
    assert!(!parse.errors.is_empty());
    let names = resolve(&parse.root, GLOBALS);
    assert_eq!(
        names.references[0].resolution,
        Resolution::Local(DefId(0)),
        "{names:?}"
    );
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let source = format!("{}x{}", "(x: ".repeat(5_000), ")".repeat(5_000));
    let parse = parse(&source);
    let names = resolve(&parse.root, GLOBALS);
    // The parser stops at its nesting limit; what it built must resolve without a crash.
    assert!(names.scopes.len() > 100, "{}", names.scopes.len());
}

#[test]
fn the_module_of_a_qualified_type_is_a_use_of_its_variable() {
    let parse = crate::syntax::parse(
        "let lib = { type P = Int; }; p :: lib.P = 1; f = (x :: lib.P): x; in (p :: lib.P)",
    );
    let names = super::resolve(&parse.root, &[]);
    let uses = names
        .references
        .iter()
        .filter(|r| &*r.name == "lib" && matches!(r.resolution, super::Resolution::Local(_)))
        .count();
    assert_eq!(uses, 3);
}
