//! E-mail alerts to moderators (placeholder until the alerts part lands).
