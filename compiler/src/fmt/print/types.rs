//! Type expressions in `mlc fmt`: `::` annotations, `type` declarations, record types laid
//! out like attribute sets (one field per line when they do not fit, doc comments above
//! their field).

use super::{BraceList, Printer};
use crate::concat_docs;
use crate::fmt::doc::Doc;
use crate::syntax::{FieldType, Span, TypeExpr, TypeExprKind};

impl<'a> Printer<'a> {
    /// ` :: T` after a name.
    pub(super) fn annotation(&mut self, ty: &TypeExpr) -> Doc<'a> {
        let ty = self.type_doc(ty);
        concat_docs![Doc::text(" :: "), ty]
    }

    pub(super) fn type_doc(&mut self, ty: &TypeExpr) -> Doc<'a> {
        let leading = self.leading(ty.span.start);
        let body = match &ty.kind {
            TypeExprKind::Name(_)
            | TypeExprKind::Literal(_)
            | TypeExprKind::Refined { .. }
            | TypeExprKind::Error => self.verbatim(ty.span),
            TypeExprKind::Union(members) => {
                let mut docs = Vec::new();
                for (index, member) in members.iter().enumerate() {
                    if index > 0 {
                        docs.push(Doc::Line);
                        docs.push(Doc::text("| "));
                    }
                    docs.push(self.type_doc(member));
                }
                Doc::group(Doc::indent(Doc::Concat(docs)))
            }
            TypeExprKind::Optional(inner) => {
                let inner = self.type_doc(inner);
                concat_docs![inner, Doc::text("?")]
            }
            TypeExprKind::List(item) => {
                let item = self.type_doc(item);
                concat_docs![Doc::text("["), item, Doc::text("]")]
            }
            TypeExprKind::Paren(inner) => {
                let inner = self.type_doc(inner);
                concat_docs![Doc::text("("), inner, Doc::text(")")]
            }
            TypeExprKind::Map(value) => {
                let value = self.type_doc(value);
                concat_docs![Doc::text("{ [String]: "), value, Doc::text(" }")]
            }
            TypeExprKind::Function(from, to) => {
                let from = self.type_doc(from);
                let to = self.type_doc(to);
                concat_docs![from, Doc::text(" -> "), to]
            }
            TypeExprKind::Record { fields, open } => self.record_type(fields, *open, ty.span),
        };
        concat_docs![leading, body]
    }

    fn record_type(&mut self, fields: &[FieldType], open: bool, span: Span) -> Doc<'a> {
        let list = BraceList {
            open,
            span,
            keep_blank_lines: true,
        };
        self.brace_list(
            fields,
            list,
            |field| field.span.start,
            |printer, field, inner| {
                if field.doc.is_some() {
                    // A field with its doc comment above it is never laid out flat.
                    inner.push(Doc::BreakParent);
                }
                inner.push(printer.verbatim(field.name_span));
                inner.push(printer.annotation(&field.ty));
                if let Some(default) = &field.default {
                    inner.push(Doc::text(" = "));
                    inner.push(printer.expr(default));
                }
                field.span.end
            },
        )
    }
}
