//! OASIS CAP 1.2 messages and Atom feeds for warning-area changes.
