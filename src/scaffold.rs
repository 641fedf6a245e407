//! `carebook new`: writes a new content file that passes `carebook check` at once.
