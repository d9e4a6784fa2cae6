"""Evidence files: storage, file types, the records and their checks."""
