"""A person's rights over their data (export, rectification, erasure, retention) across every
capability below it."""
