"""Web plumbing the features share: access rules, security, errors, forms, printing."""
