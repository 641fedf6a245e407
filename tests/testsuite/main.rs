//! carebook's integration tests, one binary with a module per capability.
//! Fixture sites live in tests/fixtures/{valid,invalid}/; see tests/README.md.

mod atomic;
mod bad_inputs;
mod browser;
mod cli;
mod completions;
mod config;
mod content;
mod deploy;
mod diagnostics;
mod docs;
mod fixtures;
mod incremental;
mod init;
mod kill;
mod lang;
mod layout;
mod lock;
mod new;
mod print_books;
mod props;
mod release;
mod schema;
mod search;
#[cfg(feature = "serve")]
mod serve;
mod shared;
mod site;
mod streaming;
mod support;
mod theme;
mod trust;
#[cfg(feature = "serve")]
mod warm;
mod web;
