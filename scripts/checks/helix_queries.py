"""Runs the Helix queries of lsp/editors/helix/queries/mlc over the examples with the Nix
tree-sitter grammar, as Helix would, and fails on a query Helix could not load or a
highlighting that misses what a reader looks for.

usage: helix_queries.py QUERIES_DIR FILE...

Each query file's `; inherits: nix` line is replaced by the Nix query of the same name, as
Helix's loader (tree-house's `read_query`) does: from `$HELIX_RUNTIME/queries/nix/` when
that variable names a Helix runtime, else from the grammar's own queries (the
`tree_sitter_nix` package's); a query the other language lacks inherits nothing, as in
Helix. Every resolved query must compile against the grammar, every file must parse
without a syntax error (mlc's examples are written in the syntax Nix shares), and the
highlights must capture, over all the files, keywords, strings, comments and attribute
names, each on the node it names.
"""
import os
import re
import sys
from pathlib import Path

import tree_sitter
import tree_sitter_nix

INHERITS = re.compile(r"^;+\s*inherits\s*:?\s*([a-z_,()-]+)\s*", re.MULTILINE)

# What a reader of a deployment file looks for, by the captures that colour it (the
# grammar's names, or Helix's) and the nodes they must land on.
WANTED = {
    "keywords": (("keyword",), lambda node: node.type in ("let", "in", "rec", "with", "inherit", "if")),
    "strings": (("string",), lambda node: node.type in ("string_expression", "indented_string_expression")),
    "comments": (("comment",), lambda node: node.type == "comment"),
    "attribute names": (
        ("property", "variable.other.member"),
        lambda node: node.type in ("identifier", "attrpath")
        and any(a.type == "binding" for a in ancestors(node)),
    ),
}


def ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def inherited(language, name):
    """The query `name` of `language` (nix): Helix's when HELIX_RUNTIME is set, else the
    grammar's own; empty when there is none."""
    runtime = os.environ.get("HELIX_RUNTIME")
    if runtime:
        path = Path(runtime) / "queries" / language / name
    elif language == "nix":
        path = Path(tree_sitter_nix.__file__).parent / "queries" / name
    else:
        return ""
    return resolve(path.read_text(), name) if path.is_file() else ""


def resolve(text, name):
    return INHERITS.sub(lambda m: "\n".join(inherited(lang, name) for lang in m.group(1).split(",")), text)


def main(argv):
    queries_dir, files = Path(argv[0]), [Path(f) for f in argv[1:]]
    runtime = os.environ.get("HELIX_RUNTIME")
    if runtime and not (Path(runtime) / "queries" / "nix").is_dir():
        sys.exit(f"helix-queries: HELIX_RUNTIME={runtime} has no queries/nix/")
    if not files:
        sys.exit("helix-queries: no files to run the queries over")
    language = tree_sitter.Language(tree_sitter_nix.language())
    parser = tree_sitter.Parser(language)
    trees = []
    failed = False
    for file in files:
        tree = parser.parse(file.read_bytes())
        if tree.root_node.has_error:
            errors = [n for n in walk(tree.root_node) if n.is_error or n.is_missing]
            at = errors[0].start_point if errors else (0, 0)
            print(f"helix-queries: {file}:{at[0] + 1}:{at[1] + 1}: the Nix grammar cannot parse it")
            failed = True
        trees.append((file, tree))

    source = runtime or "the grammar's queries"
    highlights = None
    loaded = []
    query_files = sorted(queries_dir.glob("*.scm"))
    if not query_files:
        sys.exit(f"helix-queries: no query files in {queries_dir}")
    for path in query_files:
        text = resolve(path.read_text(), path.name)
        try:
            query = tree_sitter.Query(language, text)
        except tree_sitter.QueryError as error:
            print(f"helix-queries: {path} (inherited from {source}) does not compile: {error}")
            failed = True
            continue
        loaded.append(query)  # kept: py-tree-sitter 0.26 may crash freeing a used query
        # An empty query (an inherited file Nix lacks) is not run: nothing to capture.
        count = query.pattern_count and sum(
            len(nodes)
            for _, tree in trees
            for nodes in tree_sitter.QueryCursor(query).captures(tree.root_node).values()
        )
        print(f"helix-queries: {path.name}: {query.pattern_count} patterns, {count} captures")
        if path.name == "highlights.scm":
            highlights = query
    if highlights is None:
        sys.exit("helix-queries: no highlights.scm that compiles")

    seen = {what: 0 for what in WANTED}
    for _, tree in trees:
        for capture, nodes in tree_sitter.QueryCursor(highlights).captures(tree.root_node).items():
            for what, (prefixes, fits) in WANTED.items():
                if capture.split(".")[0] in prefixes or capture in prefixes:
                    seen[what] += sum(1 for node in nodes if fits(node))
    for what, n in seen.items():
        print(f"helix-queries: {what}: {n} captures")
        if n == 0:
            print(f"helix-queries: FAILED: highlights.scm colours no {what}")
            failed = True
    return 1 if failed else 0


def walk(node):
    yield node
    for child in node.children:
        yield from walk(child)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
