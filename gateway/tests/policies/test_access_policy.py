"""The access policy on its own: who the caller is, and the problem type of each refusal (clients branch on
it: refresh on token-expired, log in again on token-revoked, change the password on password-expired)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from gateway.policies.access import ANONYMOUS, AccessPolicy, bearer_token
from gateway.policies.machine import MachineClientPolicy, SignedRequest
from gateway.policies.tokens import CachingTokenVerifier
from gateway.routing.table import Route
from hues_shared.auth.denylist import Denylist
from hues_shared.auth.revocation_feeds import BusFeed
from hues_shared.auth.revocations import RevocationListener
from hues_shared.events.bus import InMemoryBus
from hues_shared.problems import ProblemError
from hues_shared.testing.tokens import SigningKeys, static_verifier


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer abc", "abc"),
        ("bearer abc", "abc"),
        ("Bearer   abc  ", "abc"),
        ("Basic abc", None),
        ("Bearer ", None),
        ("abc", None),
        ("", None),
        (None, None),
    ],
)
def test_bearer_token_is_read_from_the_bearer_scheme_only(header: str | None, token: str | None) -> None:
    assert bearer_token(header) == token


class RecordingSignatures:
    """The signature plug-in point (no verifier exists yet): records what the policy hands it."""

    def __init__(self) -> None:
        self.seen: list[tuple[SignedRequest, str]] = []

    async def verify(self, request: SignedRequest, *, client_id: str) -> None:
        self.seen.append((request, client_id))


def route(**overrides: Any) -> Route:
    values: dict[str, Any] = {
        "name": "r",
        "upstream": "identity",
        "public": "/v1/x",
        "path": "/v1/x",
        "access": "account",
        "rate_limit": "standard",
        "timeout_seconds": 1.0,
        "max_body_bytes": 1024,
        "retry_safe": True,
    }
    return Route.model_validate(values | overrides)


@pytest.fixture
def denylist() -> Denylist:
    return Denylist(ttl_seconds=900)


@pytest.fixture
def signatures() -> RecordingSignatures:
    return RecordingSignatures()


@pytest.fixture
def policy(test_keys: SigningKeys, denylist: Denylist, signatures: RecordingSignatures) -> AccessPolicy:
    # The listener is never started: its check reads the denylist, which the tests fill by hand.
    revocations = RevocationListener(
        feed=BusFeed(InMemoryBus(), topic="identity.session", name="policy-test"), denylist=denylist
    )
    return AccessPolicy(
        verifier=CachingTokenVerifier(static_verifier(test_keys), max_entries=10, max_age_seconds=900),
        revocations=revocations,
        machine=MachineClientPolicy(signatures),
    )


SIGNED = SignedRequest(method="POST", target_uri="http://gw/v1/x", headers={"signature": "sig"})


async def authorize(policy: AccessPolicy, route: Route, token: str | None) -> Any:
    return await policy.authorize(
        route, authorization=f"Bearer {token}" if token else None, signed_request=lambda: SIGNED
    )


async def refusal(policy: AccessPolicy, route: Route, token: str | None) -> ProblemError:
    with pytest.raises(ProblemError) as refused:
        await authorize(policy, route, token)
    return refused.value


async def test_account_route_knows_the_caller(policy: AccessPolicy, test_keys: SigningKeys) -> None:
    caller = await authorize(policy, route(), test_keys.token(sub="acc-1"))
    assert caller.principal is not None and caller.account_id == "acc-1" and caller.client_id is None


async def test_public_and_optional_routes_without_a_token_are_anonymous(policy: AccessPolicy) -> None:
    assert await authorize(policy, route(access="public"), None) is ANONYMOUS
    assert await authorize(policy, route(access="optional"), None) is ANONYMOUS


async def test_optional_route_with_a_token_knows_the_caller(
    policy: AccessPolicy, test_keys: SigningKeys
) -> None:
    caller = await authorize(policy, route(access="optional"), test_keys.token(sub="acc-2"))
    assert caller.account_id == "acc-2"


async def test_refusals_carry_their_problem_types(
    policy: AccessPolicy, test_keys: SigningKeys, denylist: Denylist
) -> None:
    missing = await refusal(policy, route(), None)
    assert (missing.status, missing.slug) == (401, "unauthorized")
    expired = await refusal(policy, route(), test_keys.token(expires_in=-120))
    assert (expired.status, expired.slug) == (401, "token-expired")
    invalid = await refusal(policy, route(), SigningKeys().token())
    assert (invalid.status, invalid.slug) == (401, "invalid-token")
    token = test_keys.token(sub="acc-3")
    denylist.refuse_issued_before("acc-3", at=datetime.now(UTC), same_second=True)
    revoked = await refusal(policy, route(), token)
    assert (revoked.status, revoked.slug) == (401, "token-revoked")
    password = await refusal(policy, route(), test_keys.token(pwd_expired=True))
    assert (password.status, password.slug, password.title) == (
        403,
        "password-expired",
        "Password change required",
    )


async def test_role_and_permission_refusals_are_403(policy: AccessPolicy, test_keys: SigningKeys) -> None:
    role = await refusal(policy, route(require_any_role=["dic_admin"]), test_keys.token())
    assert (role.status, role.slug) == (403, "forbidden")
    guarded = route(require_any_permission=["identity.audit.read", "identity.unit.manage"])
    permission = await refusal(policy, guarded, test_keys.token())
    assert permission.status == 403
    assert "identity.audit.read, identity.unit.manage" in str(permission.detail)


async def test_unit_scoped_grant_passes_the_coarse_permission_filter(
    policy: AccessPolicy, test_keys: SigningKeys
) -> None:
    guarded = route(require_any_permission=["identity.account.administer"])
    token = test_keys.token(roles=["agency_admin"], permissions=["identity.account.administer@u1"])
    assert (await authorize(policy, guarded, token)).principal is not None


async def test_machine_route_names_the_client_and_hands_the_request_to_the_signature_check(
    policy: AccessPolicy, test_keys: SigningKeys, signatures: RecordingSignatures
) -> None:
    token = test_keys.token(sub="app-7", roles=["partner_client"], kind="partner_client", client_id="c-7")
    caller = await authorize(policy, route(access="machine"), token)
    assert caller.client_id == "c-7" and caller.account_id == "app-7"
    assert signatures.seen == [(SIGNED, "c-7")]
