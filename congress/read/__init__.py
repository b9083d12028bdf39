"""The read model: every figure as of a date in a scope, and finding things as people type them."""
