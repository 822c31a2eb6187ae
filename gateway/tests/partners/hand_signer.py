"""A hand-written RFC 9421 / RFC 9530 client signer (http-sf + cryptography), independent of the
`http-message-signatures` library the gateway verifies with: the interoperability proof."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import http_sf
from cryptography.hazmat.primitives.asymmetric import ed25519


def content_digest(body: bytes) -> str:
    return http_sf.ser({"sha-256": (hashlib.sha256(body).digest(), {})})


@dataclass
class HandSigner:
    key_id: str
    algorithm: str  # ed25519 | hmac-sha256
    private_key: ed25519.Ed25519PrivateKey | None = None
    hmac_key: bytes | None = None

    def sign(
        self,
        method: str,
        url: str,
        body: bytes = b"",
        *,
        created: int | None = None,
        nonce: str | None = None,
        components: tuple[str, ...] | None = None,
    ) -> dict[str, str]:
        """Headers to send: Content-Digest (with a body), Signature-Input and Signature."""
        headers: dict[str, str] = {}
        values = {"@method": method.upper(), "@target-uri": url}
        if body:
            headers["content-digest"] = values["content-digest"] = content_digest(body)
        covered = components or tuple(values)
        params = {
            "created": created if created is not None else int(time.time()),
            "keyid": self.key_id,
            "nonce": nonce or secrets.token_urlsafe(16),
            "alg": self.algorithm,
        }
        # One inner list with parameters, serialized per RFC 8941 (a list of one member).
        signature_params = http_sf.ser([([(name, {}) for name in covered], params)])
        base = "\n".join(f'"{name}": {values[name]}' for name in covered)
        base += f'\n"@signature-params": {signature_params}'
        if self.algorithm == "ed25519":
            assert self.private_key is not None
            raw = self.private_key.sign(base.encode())
        else:
            assert self.hmac_key is not None
            raw = hmac.new(self.hmac_key, base.encode(), hashlib.sha256).digest()
        headers["signature-input"] = f"sig1={signature_params}"
        headers["signature"] = f"sig1=:{base64.b64encode(raw).decode()}:"
        return headers
