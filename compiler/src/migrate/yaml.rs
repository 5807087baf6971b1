//! Reads a Helm values file as Helm does (Helm reads it with `sigs.k8s.io/yaml`, whose
//! YAML 1.1 resolver makes `yes`/`on` booleans, and which applies merge keys `<<`), into a
//! tree that keeps what a person wrote: key order, positions, the comment lines above each
//! key and the comment at the end of its line. The tree is built without recursion, so any nesting depth is read in linear
//! time; aliases are expanded within a budget (an alias bomb is an error); duplicate keys,
//! several documents and malformed YAML are errors at their line and column.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// More values than this after expanding aliases is refused as an alias bomb.
const MAX_NODES: usize = 1_000_000;
/// Values nested deeper than this are refused (no chart option nests that deep).
pub const MAX_DEPTH: usize = 200;

/// A line and column, both from 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    String(String),
    List(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub pos: Pos,
    /// The comment lines right above the key, without their `#`.
    pub comments: Vec<String>,
    /// The comment at the end of the key's line (`replicaCount: 2  # two pods`), without its
    /// `#`, when the key is the first one on its line.
    pub trailing: Option<String>,
    pub value: Node,
}

#[derive(Debug, PartialEq)]
pub struct Error {
    pub pos: Pos,
    pub message: String,
    /// What is at `pos`, under it in the snippet.
    pub label: &'static str,
    /// Another place that explains this one (the first of two equal keys), with what it is.
    pub related: Option<(Pos, String)>,
}

fn error(pos: Pos, message: impl Into<String>) -> Error {
    Error {
        pos,
        message: message.into(),
        label: "here",
        related: None,
    }
}

fn pos(mark: Marker) -> Pos {
    Pos {
        line: mark.line(),
        column: mark.col() + 1,
    }
}

enum Frame {
    List {
        items: Vec<Node>,
        pos: Pos,
        anchor: usize,
    },
    Map {
        entries: Vec<Entry>,
        key: Option<(String, Pos, bool)>,
        pos: Pos,
        anchor: usize,
    },
}

/// Parses `text`, the whole values file. An empty file is an empty mapping.
pub fn parse(text: &str) -> Result<Node, Error> {
    let lines: Vec<&str> = text.lines().collect();
    let mut comments = comment_lines(&lines);
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Frame> = Vec::new();
    let mut anchors: HashMap<usize, (Node, usize)> = HashMap::new();
    let mut sizes: usize = 0;
    let mut root: Option<Node> = None;
    let mut documents = 0;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            error(
                pos(*e.marker()),
                format!("this is not valid YAML: {}", e.info()),
            )
        })?;
        let at = pos(mark);
        let (node, anchor) = match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => continue,
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(error(
                        at,
                        "a values file is one YAML document, and this one has more (`---`)",
                    ));
                }
                continue;
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(error(
                        at,
                        format!("the values are nested more than {MAX_DEPTH} levels deep"),
                    ));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::List {
                        items: Vec::new(),
                        pos: at,
                        anchor,
                    }
                } else {
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        pos: at,
                        anchor,
                    }
                });
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::List { items, pos, anchor }) => (
                    Node {
                        value: Value::List(items),
                        pos,
                    },
                    anchor,
                ),
                _ => {
                    return Err(error(
                        at,
                        "this is not valid YAML: a list ends where none started",
                    ))
                }
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map {
                    entries,
                    pos,
                    anchor,
                    ..
                }) => (
                    Node {
                        value: Value::Map(merge(entries)?),
                        pos,
                    },
                    anchor,
                ),
                _ => {
                    return Err(error(
                        at,
                        "this is not valid YAML: a mapping ends where none started",
                    ))
                }
            },
            Event::Scalar(text, style, anchor, tag) => {
                if matches!(style, TScalarStyle::Literal | TScalarStyle::Folded) {
                    // `#` lines inside a block scalar are its text, not comments.
                    for line in block_scalar_lines(&lines, at) {
                        comments.remove(&line);
                    }
                }
                let tagged_string = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == TScalarStyle::Plain && !tagged_string {
                    resolve(&text)
                } else {
                    Value::String(text)
                };
                (Node { value, pos: at }, anchor)
            }
            Event::Alias(id) => {
                let Some((node, size)) = anchors.get(&id) else {
                    return Err(error(at, "this alias names no anchor"));
                };
                sizes += size;
                if sizes > MAX_NODES {
                    return Err(error(at, format!("the aliases expand the values to more than {MAX_NODES} values (an alias bomb?)")));
                }
                (node.clone(), 0)
            }
        };
        sizes += 1;
        if sizes > MAX_NODES {
            return Err(error(
                at,
                format!("the values file has more than {MAX_NODES} values"),
            ));
        }
        if anchor > 0 {
            anchors.insert(anchor, (node.clone(), size_of(&node)));
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(Frame::List { items, .. }) => items.push(node),
            Some(Frame::Map { entries, key, .. }) => match key.take() {
                None => {
                    let plain_merge = matches!(&node.value, Value::String(s) if s == "<<");
                    let text = key_text(&node)?;
                    if !plain_merge {
                        if let Some(first) = entries.iter().find(|e| e.key == text) {
                            return Err(Error {
                                label: "given again here",
                                related: Some((first.pos, "first given here".to_string())),
                                ..error(
                                    node.pos,
                                    format!(
                                        "the key `{text}` is given twice (first at line {})",
                                        first.pos.line
                                    ),
                                )
                            });
                        }
                    }
                    *key = Some((text, node.pos, plain_merge));
                }
                Some((text, key_pos, _)) => entries.push(Entry {
                    comments: comments_above(&comments, key_pos.line),
                    trailing: trailing_comment(&lines, key_pos),
                    key: text,
                    pos: key_pos,
                    value: node,
                }),
            },
        }
    }
    Ok(root.unwrap_or(Node {
        value: Value::Map(Vec::new()),
        pos: Pos { line: 1, column: 1 },
    }))
}

/// How many values a node holds (itself included), counted without recursion.
fn size_of(node: &Node) -> usize {
    let mut count = 0;
    let mut todo = vec![node];
    while let Some(node) = todo.pop() {
        count += 1;
        match &node.value {
            Value::List(items) => todo.extend(items),
            Value::Map(entries) => todo.extend(entries.iter().map(|e| &e.value)),
            _ => {}
        }
    }
    count
}

/// A mapping key as `sigs.k8s.io/yaml` makes it: scalars become their text.
fn key_text(node: &Node) -> Result<String, Error> {
    Ok(match &node.value {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Float(f) => f.to_string(),
        Value::List(_) | Value::Map(_) => {
            return Err(error(
                node.pos,
                "a key of a values file must be a plain string, not a list or a mapping",
            ))
        }
    })
}

/// Applies merge keys: `<<: *base` (or a list of them) adds the keys the mapping does not
/// set itself; earlier sources win over later ones.
fn merge(entries: Vec<Entry>) -> Result<Vec<Entry>, Error> {
    if !entries.iter().any(|e| e.key == "<<") {
        return Ok(entries);
    }
    let (merges, mut own): (Vec<Entry>, Vec<Entry>) =
        entries.into_iter().partition(|e| e.key == "<<");
    for merge in merges {
        let sources = match merge.value.value {
            Value::Map(entries) => vec![entries],
            Value::List(items) => items
                .into_iter()
                .map(|item| match item.value {
                    Value::Map(entries) => Ok(entries),
                    _ => Err(error(item.pos, "a merge key `<<` takes mappings only")),
                })
                .collect::<Result<_, _>>()?,
            _ => {
                return Err(error(
                    merge.pos,
                    "a merge key `<<` takes a mapping or a list of mappings",
                ))
            }
        };
        for source in sources {
            for entry in source {
                if !own.iter().any(|e| e.key == entry.key) {
                    own.push(entry);
                }
            }
        }
    }
    Ok(own)
}

/// A plain scalar as YAML 1.1 (go-yaml v2, which Helm's YAML reader uses) reads it.
fn resolve(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            return Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            return Value::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY)
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let plain = text.replace('_', "");
    let (sign, digits) = match plain.strip_prefix('-') {
        Some(rest) => (-1i64, rest),
        None => (1, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let int = if let Some(hex) = digits.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(bin) = digits.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()
    } else if digits.len() > 1
        && digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        i64::from_str_radix(&digits[1..], 8).ok()
    } else if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().ok()
    } else {
        None
    };
    if let Some(n) = int {
        return Value::Int(sign * n);
    }
    let float_like = !digits.is_empty()
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().any(|b| b.is_ascii_digit())
        && (digits.contains('.') || digits.contains('e') || digits.contains('E'));
    if float_like && text == plain {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::String(text.to_string())
}

/// The comment of each line that holds only a comment, by line number (from 1).
fn comment_lines(lines: &[&str]) -> HashMap<usize, String> {
    lines
        .iter()
        .enumerate()
        .filter_map(|(i, line)| {
            let trimmed = line.trim_start();
            trimmed
                .strip_prefix('#')
                .map(|c| (i + 1, c.trim_end().to_string()))
        })
        .collect()
}

/// The lines of the text of a block scalar (`key: |`) whose text starts at `start` (the
/// scanner's place for it): from there, the lines that are blank or indented at least as
/// much.
fn block_scalar_lines<'a>(lines: &'a [&str], start: Pos) -> impl Iterator<Item = usize> + 'a {
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let column = start.column - 1;
    (start.line..=lines.len()).take_while(move |&n| {
        let line = lines[n - 1];
        column > 0 && (line.trim().is_empty() || indent(line) >= column)
    })
}

/// The comment at the end of the line of the key at `pos` (its text after `#`), if the key
/// is the first one on its line (only indentation, `-`, `[`, `{` or `?` before it): YAML
/// starts a comment with a `#` after white space, outside quotes.
fn trailing_comment(lines: &[&str], pos: Pos) -> Option<String> {
    let line = lines.get(pos.line.checked_sub(1)?)?;
    let mut chars = line.chars();
    let before: String = chars.by_ref().take(pos.column.saturating_sub(1)).collect();
    if !before
        .chars()
        .all(|c| c.is_whitespace() || matches!(c, '-' | '[' | '{' | '?'))
    {
        return None;
    }
    let rest: Vec<char> = chars.collect();
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut i = 0;
    while i < rest.len() {
        let c = rest[i];
        match quote {
            Some('"') if c == '\\' => i += 1,
            Some('\'') if c == '\'' && rest.get(i + 1) == Some(&'\'') => i += 1,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            // A quote opens a quoted scalar only where a scalar starts (`it's` is plain).
            None if (c == '"' || c == '\'')
                && (previous.is_whitespace() || matches!(previous, '[' | '{' | ',' | ':')) =>
            {
                quote = Some(c)
            }
            None if c == '#' && previous.is_whitespace() => {
                let comment: String = rest[i + 1..].iter().collect();
                return Some(comment.trim_end().to_string());
            }
            None => {}
        }
        previous = c;
        i += 1;
    }
    None
}

/// The comment lines right above `line`, in order.
fn comments_above(comments: &HashMap<usize, String>, line: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = line;
    while at > 1 {
        at -= 1;
        match comments.get(&at) {
            Some(comment) => out.push(comment.clone()),
            None => break,
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // A failing unwrap is a failing test.
mod tests {
    use super::*;

    fn map(node: &Node) -> Vec<(&str, &Value)> {
        match &node.value {
            Value::Map(entries) => entries
                .iter()
                .map(|e| (e.key.as_str(), &e.value.value))
                .collect(),
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn scalars_resolve_as_yaml_1_1() {
        let node = parse(
            "a: yes\nb: off\nc: 0x1F\nd: 010\ne: 1.5\nf: \"yes\"\ng: ~\nh: 1_000\ni: 12:30\n",
        )
        .unwrap();
        assert_eq!(
            map(&node),
            vec![
                ("a", &Value::Bool(true)),
                ("b", &Value::Bool(false)),
                ("c", &Value::Int(31)),
                ("d", &Value::Int(8)),
                ("e", &Value::Float(1.5)),
                ("f", &Value::String("yes".into())),
                ("g", &Value::Null),
                ("h", &Value::Int(1000)),
                ("i", &Value::String("12:30".into())),
            ]
        );
    }

    #[test]
    fn keys_keep_their_order_position_and_comments() {
        let node = parse("# one\n# two\nz: 1\n\na: 2 # trailing\n").unwrap();
        let Value::Map(entries) = &node.value else {
            panic!()
        };
        assert_eq!(entries[0].key, "z");
        assert_eq!(entries[0].comments, vec![" one", " two"]);
        assert_eq!(entries[1].key, "a");
        assert_eq!(entries[1].pos, Pos { line: 5, column: 1 });
        assert!(entries[1].comments.is_empty());
        assert_eq!(entries[0].trailing, None);
        assert_eq!(entries[1].trailing.as_deref(), Some(" trailing"));
    }

    fn trailing(text: &str) -> Vec<(String, Option<String>)> {
        let mut out = Vec::new();
        let mut todo = vec![parse(text).unwrap()];
        while let Some(node) = todo.pop() {
            match node.value {
                Value::Map(entries) => {
                    for entry in entries.into_iter().rev() {
                        out.push((entry.key, entry.trailing));
                        todo.push(entry.value);
                    }
                }
                Value::List(items) => todo.extend(items),
                _ => {}
            }
        }
        out.sort();
        out
    }

    #[test]
    fn a_comment_at_the_end_of_a_line_belongs_to_its_first_key() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(
            trailing("a: 'x # y' # one\nb: \"q\\\" # r\"  #two\nc: it's # three\nd: url#frag\n"),
            vec![
                ("a".into(), some(" one")),
                ("b".into(), some("two")),
                ("c".into(), some(" three")),
                ("d".into(), None),
            ]
        );
        // In a flow mapping the comment is the outer key's; in a list item, the item's key's.
        assert_eq!(
            trailing("s: {t: 1, u: 2} # s\nl:\n  - name: x # n\n    v: 1\n"),
            vec![
                ("l".into(), None),
                ("name".into(), some(" n")),
                ("s".into(), some(" s")),
                ("t".into(), None),
                ("u".into(), None),
                ("v".into(), None),
            ]
        );
    }

    #[test]
    fn hash_lines_inside_a_block_scalar_are_text_not_comments() {
        let node =
            parse("a: |\n  # text\n  more\n# comment\nb: 1\nc: >-\n  # folded\nd: 2\n").unwrap();
        let Value::Map(entries) = &node.value else {
            panic!()
        };
        assert_eq!(
            entries[0].value.value,
            Value::String("# text\nmore\n".into())
        );
        assert_eq!(entries[1].comments, vec![" comment"]);
        assert!(entries[3].comments.is_empty(), "{:?}", entries[3]);
    }

    #[test]
    fn merge_keys_add_what_the_mapping_does_not_set() {
        let node = parse("base: &b {x: 1, z: 2}\nother:\n  <<: *b\n  z: 3\n").unwrap();
        let Value::Map(entries) = &node.value else {
            panic!()
        };
        assert_eq!(
            map(&entries[1].value),
            vec![("z", &Value::Int(3)), ("x", &Value::Int(1))]
        );
        // YAML 1.1: `y` is true, as a key too.
        assert_eq!(
            map(&parse("y: 1\n").unwrap()),
            vec![("true", &Value::Int(1))]
        );
    }

    #[test]
    fn bad_input_is_an_error_at_its_place() {
        let duplicate = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(duplicate.pos, Pos { line: 3, column: 1 });
        assert!(
            duplicate
                .message
                .contains("`a` is given twice (first at line 1)"),
            "{}",
            duplicate.message
        );
        let malformed = parse("a: [1, 2\n").unwrap_err();
        assert!(
            malformed.message.starts_with("this is not valid YAML"),
            "{}",
            malformed.message
        );
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        assert!(parse(bomb).unwrap_err().message.contains("alias bomb"));
        assert!(parse("a: 1\n---\nb: 2\n")
            .unwrap_err()
            .message
            .contains("one YAML document"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        let error = parse(&deep).unwrap_err();
        assert!(
            error.message.contains("nested more than") || error.message.contains("recursion limit"),
            "{}",
            error.message
        );
        let fine = "[".repeat(MAX_DEPTH - 1) + &"]".repeat(MAX_DEPTH - 1);
        assert!(parse(&fine).is_ok());
    }
}
