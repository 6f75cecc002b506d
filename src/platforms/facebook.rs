//! Facebook Pages connector (placeholder until the connector lands).
