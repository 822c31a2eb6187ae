"""Issue 14 item 7 and issue 7 item 9 at the gateway: the way out of an expired password; unit scope."""

from __future__ import annotations

from hues_shared.testing.tokens import bearer


async def test_an_expired_password_still_reads_me_through_the_gateway(gateway, test_keys):
    token = test_keys.token(pwd_expired=True)
    response = await gateway.client.get("/v1/identity/me", headers=bearer(token))
    assert response.status_code != 403


async def test_other_calls_with_an_expired_password_name_the_way_out(gateway, test_keys):
    token = test_keys.token(pwd_expired=True)
    response = await gateway.client.patch("/v1/identity/me", headers=bearer(token), json={})
    assert response.status_code == 403
    body = response.json()
    assert body["type"].endswith("/password-expired")
    assert body["change_password"].endswith("/v1/identity/me/password")
    assert 'rel="change-password"' in response.headers["link"]


async def test_a_unit_scoped_grant_passes_the_gateways_coarse_check(gateway, test_keys, echoed):
    """A `code@unit` grant failed the gateway's exact match, so an agency admin of one unit was refused on
    every admin route; the service checks the target's unit afterwards (Art. 13.1)."""
    token = test_keys.token(roles=["agency_admin"], permissions=["identity.account.administer@unit-1"])
    seen = echoed(await gateway.client.get("/v1/identity/admin/accounts", headers=bearer(token)))
    assert seen["path"] == "/v1/admin/accounts"


async def test_a_grant_of_another_code_with_the_same_prefix_is_still_refused(gateway, test_keys):
    token = test_keys.token(roles=["agency_admin"], permissions=["identity.account.administer_x@unit-1"])
    response = await gateway.client.get("/v1/identity/admin/accounts", headers=bearer(token))
    assert response.status_code == 403
