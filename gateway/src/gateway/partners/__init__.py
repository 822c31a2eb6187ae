"""Partner systems on `machine` routes (connection standard v1.1, s. 5-6; Art. 5, 15.2): integration's
client-credentials tokens, RFC 9421 signatures with RFC 9530 Content-Digest, single-use nonces, and a
registry of applications and keys kept current by integration-service's events."""
