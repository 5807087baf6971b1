//! Lazy, pure evaluation of mlc expressions with Nix's semantics.
