"""Registration with identifiers someone already holds, answered like any registration (Art. 18).

A 409 told anyone which phones, CCCDs and tax codes are registered, and each probe sent an SMS to the
prober. Now the answer is the same 201 (a pending decoy account with its own rate limits and codes
that never arrive and never verify), the same Argon2 work is spent, and the owner of the identifier,
not the prober, gets the text: someone tried to register with your number or document (issue 7,
item 16). The decoy never gets a login name and is purged with unverified registrations.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from identity_service.accounts import repository
from identity_service.accounts.models import Account
from identity_service.accounts.schemas import Channel, RegistrationOut
from identity_service.audit.service import record_audit
from identity_service.components import IdentityComponents
from identity_service.messages.service import queue_message
from identity_service.passwords.service import set_password
from identity_service.verification.service import send_verification_code

DECOY_NAME = "(registration attempt)"
_WHAT = {"document": "giay to tuy than", "phone": "so dien thoai", "tax_code": "ma so thue"}


async def answer_taken_identifiers(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account: Account,
    password: str,
    owners: dict[str, str],
    channel: Channel,
    client_address: str | None,
) -> RegistrationOut:
    """The registration's answer, after telling each owner; of the prober's input only the contacts
    the answer masks are kept (until the purge), never a copy of someone else's identifier."""
    for attribute in ("document_number_enc", "tax_code_enc", "representative_name", "birth_date"):
        setattr(account, attribute, None)
    account.display_name = DECOY_NAME
    account.registration_decoy = True
    await repository.create(session, account=account, identifiers={})
    await set_password(session, components, account=account, password=password)  # the same Argon2 work
    for owner_id, kind in owners.items():
        await _tell_owner(session, components, owner_id=owner_id, kind=kind)
        await record_audit(
            session,
            action="account.registration_attempt_on_taken_identifier",
            outcome="failure",
            subject_account_id=owner_id,
            client_address=client_address,
            identifier=kind,
        )
    sent = await send_verification_code(session, components, account=account, channel=channel)
    return RegistrationOut(account_id=account.id, status=account.status, verification=sent)


async def _tell_owner(
    session: AsyncSession, components: IdentityComponents, *, owner_id: str, kind: str
) -> None:
    owner = await repository.get(session, account_id=owner_id)
    if owner is None:
        return
    phone = components.cipher.decrypt(owner.phone_enc, field="phone", owner_id=owner.id)
    if phone is None:
        return
    text = (
        f"Hue-S: co nguoi vua thu dang ky tai khoan bang {_WHAT.get(kind, kind)} cua ban. "
        "Neu la ban, hay dang nhap; neu khong, ban khong can lam gi."
    )
    await queue_message(
        session,
        components,
        channel="sms",
        destination=phone,
        text=text,
        purpose="registration_attempt",
        account_id=owner.id,
    )
