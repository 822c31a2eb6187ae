"""The hook for partner machine clients (connection standard, Art. 15.2): client credentials + RFC 9421.

integration-service defines the standard; until it does, a machine client is a valid access token issued
to a partner client (role `partner_client`), and message signatures are checked only when a verifier is
plugged in. The gateway calls this hook for every `access = "machine"` route.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from hues_shared.auth.principal import Principal, Role
from hues_shared.problems import Forbidden


@dataclass(frozen=True)
class SignedRequest:
    """What an RFC 9421 verifier may cover without the body: method, target URI and the headers
    (Signature-Input, Signature, Content-Digest, X-Request-ID, ...). The body's digest is checked upstream."""

    method: str
    target_uri: str
    headers: Mapping[str, str]


class MessageSignatureVerifier(Protocol):
    async def verify(self, request: SignedRequest, *, client_id: str) -> None:
        """Raise a ProblemError (401/403) when the signature, its keyid, created/expires or nonce is wrong."""
        ...


class MachineClientPolicy:
    """Decides whether the caller of a machine-only route is a partner client, and which one."""

    def __init__(self, signature_verifier: MessageSignatureVerifier | None = None) -> None:
        self.signature_verifier = signature_verifier

    async def client_id(
        self, principal: Principal, request: SignedRequest, *, claims: Mapping[str, object]
    ) -> str:
        """Return the client id used for rate limits and logs, or raise Forbidden."""
        if not principal.has_role(Role.PARTNER_CLIENT) and principal.kind != "partner_client":
            raise Forbidden(
                "This route is for partner systems under the connection standard (Art. 15.2).",
                slug="machine-clients-only",
            )
        client_id = str(claims.get("client_id") or principal.account_id)
        if self.signature_verifier is not None:
            await self.signature_verifier.verify(request, client_id=client_id)
        return client_id
