"""Operations endpoints and signals: health, readiness, metrics, access log, security headers."""
