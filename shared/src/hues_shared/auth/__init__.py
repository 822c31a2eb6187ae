"""Token verification, the principal, and permission dependencies."""
