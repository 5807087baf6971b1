//! The salsa database: source files as inputs, and every pipeline stage as a tracked query.
