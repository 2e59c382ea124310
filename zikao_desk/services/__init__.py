"""The domain: rules, workflow transitions, validation, import/export, audit. No Qt here."""
