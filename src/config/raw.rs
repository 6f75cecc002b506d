//! Raw configuration as written in `config/*.toml` (placeholder until the
//! config part lands).
