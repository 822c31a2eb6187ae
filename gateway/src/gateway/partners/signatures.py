"""RFC 9421 request signatures with RFC 9530 Content-Digest, verified with `http-message-signatures`.

What the library leaves to us (and we add): finding the key and algorithm from `keyid` before verifying,
the ±300 s window on `created` in both directions, a required `nonce`, the components the standard
requires, and each failure's rule name for the problem `type`.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import http_sf
from http_message_signatures import (
    ContentDigest,
    HTTPMessageVerifier,
    HTTPSignatureKeyResolver,
    InvalidSignature,
    algorithms,
)
from http_message_signatures.exceptions import HTTPMessageSignaturesException

from gateway.partners.registry import PartnerKey
from hues_shared.problems import ProblemError

ALGORITHMS = {"ed25519": algorithms.ED25519, "hmac-sha256": algorithms.HMAC_SHA256}
REQUIRED_COMPONENTS = ("@method", "@target-uri")


class SignatureRefused(ProblemError):
    """401 whose `type` names the rule of the connection standard the request broke."""

    status, title = 401, "Signature refused"

    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(detail, slug=rule, headers={"WWW-Authenticate": 'Signature realm="hue-s"'})


@dataclass(frozen=True)
class SignatureInput:
    label: str
    key_id: str
    created: int | None
    nonce: str | None
    components: tuple[str, ...]


@dataclass
class _Message:
    method: str
    url: str
    headers: Mapping[str, str]


class _OneKey(HTTPSignatureKeyResolver):
    def __init__(self, key: PartnerKey) -> None:
        self.key = key

    def resolve_public_key(self, key_id: str) -> bytes | None:
        return self.key.material if key_id == self.key.key_id else None


def _verifier(algorithm: str, key: PartnerKey, skew: int) -> HTTPMessageVerifier:
    verifier = HTTPMessageVerifier(signature_algorithm=ALGORITHMS[algorithm], key_resolver=_OneKey(key))
    verifier.max_clock_skew = datetime.timedelta(seconds=skew)  # the library's default is 5 s
    return verifier


def read_signature_input(headers: Mapping[str, str]) -> SignatureInput:
    """The one signature of the request, its keyid, created, nonce and covered components."""
    raw_input, raw_signature = headers.get("signature-input"), headers.get("signature")
    if not raw_input or not raw_signature:
        raise SignatureRefused(
            "signature-missing", "Signed requests need Signature-Input and Signature (RFC 9421)."
        )
    try:
        parsed: Any = http_sf.parse(raw_input.encode(), tltype="dictionary")
    except Exception as exc:
        raise SignatureRefused("signature-malformed", "Signature-Input is not a structured field.") from exc
    if not isinstance(parsed, dict) or len(parsed) != 1:
        raise SignatureRefused("signature-malformed", "Send exactly one signature.")
    [(label, (members, params))] = parsed.items()
    if not isinstance(members, list):
        raise SignatureRefused("signature-malformed", "Signature-Input must be an inner list.")
    key_id = params.get("keyid")
    if not isinstance(key_id, str) or not key_id:
        raise SignatureRefused("keyid-missing", "The signature needs a keyid parameter.")
    created = params.get("created")
    nonce = params.get("nonce")
    components = tuple(str(value) for value, _ in members)
    return SignatureInput(
        label=label,
        key_id=key_id,
        created=created if isinstance(created, int) else None,
        nonce=nonce if isinstance(nonce, str) else None,
        components=components,
    )


def verify_signature(
    *,
    method: str,
    target_uri: str,
    headers: Mapping[str, str],
    signature_input: SignatureInput,
    key: PartnerKey,
    has_body: bool,
    max_skew_seconds: int,
) -> None:
    """Raise SignatureRefused unless the request's signature is valid under the standard's rules."""
    created = signature_input.created
    if created is None:
        raise SignatureRefused("created-missing", "The signature needs a created parameter.")
    if abs(time.time() - created) > max_skew_seconds:
        raise SignatureRefused(
            "signature-stale", f"created must be within {max_skew_seconds} s of the gateway's clock."
        )
    if not signature_input.nonce:
        raise SignatureRefused("nonce-missing", "The signature needs a single-use nonce parameter.")
    required = REQUIRED_COMPONENTS + (("content-digest",) if has_body else ())
    missing = [c for c in required if c not in signature_input.components]
    if missing:
        raise SignatureRefused("components-missing", f"The signature must cover: {', '.join(missing)}.")
    if has_body and "content-digest" not in headers:
        raise SignatureRefused("content-digest-missing", "A request body needs a Content-Digest (RFC 9530).")
    message = _Message(method=method, url=target_uri, headers=headers)
    try:
        _verifier(key.algorithm, key, max_skew_seconds).verify(
            message, max_age=datetime.timedelta(seconds=max_skew_seconds), require_components=required
        )
    except (InvalidSignature, HTTPMessageSignaturesException) as exc:
        raise SignatureRefused("signature-invalid", f"The signature does not verify: {exc}") from exc


def verify_content_digest(headers: Mapping[str, str], body: bytes) -> None:
    """RFC 9530: the (signed) Content-Digest matches the bytes received."""
    digest = headers.get("content-digest")
    if digest is None:
        if body:
            raise SignatureRefused(
                "content-digest-missing", "A request body needs a Content-Digest (RFC 9530)."
            )
        return
    try:
        ContentDigest.verify(digest, body)
    except Exception as exc:
        raise SignatureRefused("content-digest-mismatch", "The body does not match Content-Digest.") from exc
