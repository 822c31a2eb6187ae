"""Who may call a route: token verification, revocation check, roles and function permissions."""
