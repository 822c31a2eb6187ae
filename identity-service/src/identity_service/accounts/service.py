"""Registration of citizens (Art. 7) and organizations (Art. 8), lookups by login name, and erasure."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.contracts.identity import AccountClosed, AccountRegistered
from hues_shared.events.outbox import record_event
from hues_shared.problems import Conflict, UnprocessableContent
from hues_shared.types import utcnow
from identity_service.accounts import repository
from identity_service.accounts.duplicates import answer_taken_identifiers
from identity_service.accounts.identifiers import (
    InvalidIdentifier,
    normalize_email,
    normalize_phone,
    username_candidates,
    validate_document,
    validate_tax_code,
)
from identity_service.accounts.models import Account, AccountKind, AccountStatus
from identity_service.accounts.schemas import (
    Channel,
    CitizenRegistrationIn,
    OrganizationRegistrationIn,
    RegistrationOut,
)
from identity_service.audit.service import record_audit
from identity_service.components import IdentityComponents
from identity_service.db import tables
from identity_service.passwords import repository as password_history
from identity_service.passwords.service import check_new_password, set_password
from identity_service.sessions.service import revoke_all_sessions
from identity_service.verification.service import send_verification_code
from identity_service.wards.service import is_known_ward

CLOSED_NAME = "(closed account)"


def invalid_field(field: str, message: str) -> UnprocessableContent:
    return UnprocessableContent(
        message,
        slug="invalid-identifier",
        errors=[{"in": "body", "field": field, "message": message, "code": "invalid"}],
    )


def parse_field(field: str, parse: Callable[[str], str], value: str) -> str:
    try:
        return parse(value)
    except InvalidIdentifier as exc:
        raise invalid_field(field, str(exc)) from exc


async def existing_owners(
    session: AsyncSession, components: IdentityComponents, *, identifiers: dict[str, str]
) -> dict[str, str]:
    """{account id: identifier kind} of live accounts holding one of `identifiers` (Art. 7.1, 8.1); an
    unverified registration older than a day stops blocking (it is deleted here)."""
    stale_before = utcnow() - timedelta(hours=components.settings.pending_account_hours)
    owners: dict[str, str] = {}
    for owner in await repository.get_identifier_owners(session, blind_indexes=list(identifiers)):
        account = await repository.get(session, account_id=owner.account_id)
        if account is None:
            continue
        if account.status == AccountStatus.PENDING and account.created_at < stale_before:
            await repository.delete(session, account=account)
            continue
        owners.setdefault(account.id, identifiers[owner.blind_index])
    return owners


async def claim_identifiers(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    identifiers: dict[str, str],
    refusals: dict[str, str],
) -> None:
    """Refuse (409) identifiers another live account holds: for staff created by an administrator."""
    for kind in (await existing_owners(session, components, identifiers=identifiers)).values():
        raise Conflict(refusals[kind], slug=f"{kind.replace('_', '-')}-already-registered")


IDENTIFIER_REFUSALS = {
    "document": "An account already exists for this identity document (one account per citizen, Art. 7.1). "
    "If it is yours, sign in, or contact the DIC.",
    "phone": "This phone number is already used by another account.",
    "tax_code": "An account already exists for this tax code (one account per organization, Art. 8.1). "
    "If it is yours, sign in, or contact the DIC.",
}


def _parse_contact(phone: str, email: str | None, channel: str) -> tuple[str, str | None]:
    """Phone (also a login name) and optional e-mail, which must exist if the code goes by e-mail."""
    normalized_phone = parse_field("phone", normalize_phone, phone)
    normalized_email = parse_field("email", normalize_email, email) if email else None
    if channel == "email" and normalized_email is None:
        raise invalid_field("verification_channel", "Give an e-mail address to receive the code by e-mail.")
    return normalized_phone, normalized_email


async def _finish_registration(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account: Account,
    login_name: tuple[str, str],
    phone: str,
    email: str | None,
    password: str,
    channel: Channel,
    client_address: str | None,
) -> RegistrationOut:
    """Tail of both registrations: encrypt contacts, claim login names, set the password, notify."""
    account.phone_enc = encrypt_field(components, account, "phone", phone)
    account.email_enc = encrypt_field(components, account, "email", email)
    kind, value = login_name
    identifiers = {
        **login_name_indexes(components, "phone", phone),
        **login_name_indexes(components, kind, value),
    }
    # The policy first, so a weak password is refused alike for new and taken identifiers.
    await check_new_password(session, components, account=account, password=password)
    owners = await existing_owners(session, components, identifiers=identifiers)
    if owners:
        return await answer_taken_identifiers(
            session,
            components,
            account=account,
            password=password,
            owners=owners,
            channel=channel,
            client_address=client_address,
        )
    await repository.create(session, account=account, identifiers=identifiers)
    await set_password(session, components, account=account, password=password)
    await record_event(
        session,
        tables,
        AccountRegistered(
            account_id=account.id,
            kind=account.kind,
            display_name=account.display_name,
            home_ward_code=account.home_ward_code,
            registered_at=account.created_at,
        ),
    )
    await record_audit(
        session, action="account.registered", subject_account_id=account.id, client_address=client_address
    )
    sent = await send_verification_code(session, components, account=account, channel=channel)
    return RegistrationOut(account_id=account.id, status=account.status, verification=sent)


def new_account(*, kind: AccountKind, display_name: str) -> Account:
    now = utcnow()
    return Account(
        id=str(uuid.uuid4()),
        kind=kind,
        status=AccountStatus.PENDING,
        display_name=display_name,
        created_at=now,
        updated_at=now,
        password_must_change=False,
        totp_enabled=False,
    )


def encrypt_field(
    components: IdentityComponents, account: Account, field: str, value: str | None
) -> str | None:
    return components.cipher.encrypt(value, field=field, owner_id=account.id)


async def register_citizen(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    data: CitizenRegistrationIn,
    client_address: str | None,
) -> RegistrationOut:
    """Validate the document against the date of birth and sex, then create a pending account."""
    doc = data.document
    number = parse_field(
        "document.number",
        lambda v: validate_document(
            doc.type, v, birth_date=data.birth_date, sex=data.sex, issuing_country=doc.issuing_country
        ),
        doc.number,
    )
    phone, email = _parse_contact(data.phone, data.email, data.verification_channel)
    if data.birth_date > utcnow().date():
        raise invalid_field("birth_date", "The date of birth is in the future.")
    if data.home_ward_code and not await is_known_ward(session, code=data.home_ward_code):
        raise invalid_field("home_ward_code", "Not a ward or commune of Hue (see GET /v1/identity/wards).")
    account = new_account(kind=AccountKind.CITIZEN, display_name=data.full_name.strip())
    account.birth_date = data.birth_date
    account.sex = data.sex
    account.home_ward_code = data.home_ward_code
    account.document_type = doc.type
    account.document_number_enc = encrypt_field(components, account, "document_number", number)
    return await _finish_registration(
        session,
        components,
        account=account,
        login_name=("document", number),
        phone=phone,
        email=email,
        password=data.password,
        channel=data.verification_channel,
        client_address=client_address,
    )


async def register_organization(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    data: OrganizationRegistrationIn,
    client_address: str | None,
) -> RegistrationOut:
    """Validate the tax code's check digit (Art. 8.2), then create a pending account."""
    tax_code = parse_field("tax_code", validate_tax_code, data.tax_code)
    phone, email = _parse_contact(data.phone, data.email, data.verification_channel)
    account = new_account(kind=AccountKind.ORGANIZATION, display_name=data.name.strip())
    account.organization_kind = data.organization_kind
    account.representative_name = data.representative_name.strip()
    account.tax_code_enc = encrypt_field(components, account, "tax_code", tax_code)
    return await _finish_registration(
        session,
        components,
        account=account,
        login_name=("tax_code", tax_code),
        phone=phone,
        email=email,
        password=data.password,
        channel=data.verification_channel,
        client_address=client_address,
    )


def username_indexes(components: IdentityComponents, username: str) -> list[str]:
    return [components.cipher.blind_index(kind, value) for kind, value in username_candidates(username)]


def login_name_indexes(components: IdentityComponents, kind: str, value: str) -> dict[str, str]:
    """The blind indexes a login name occupies: its own, plus every other reading a login could give
    it (a phone number is also a possible tax code). Login names are one namespace: a phone and a tax
    code with the same digits cannot belong to two accounts, so login never has to choose."""
    indexes = {components.cipher.blind_index(kind, value): kind}
    for other_kind, other_value in username_candidates(value):
        indexes.setdefault(components.cipher.blind_index(other_kind, other_value), kind)
    return indexes


def login_names(components: IdentityComponents, account: Account) -> list[str]:
    """The account's login names in clear (document number, phone, tax code), for its own bookkeeping."""
    cipher = components.cipher
    fields = (
        ("document_number", account.document_number_enc),
        ("phone", account.phone_enc),
        ("tax_code", account.tax_code_enc),
    )
    values = [cipher.decrypt(value, field=name, owner_id=account.id) for name, value in fields]
    return [v for v in values if v]


async def find_by_username(
    session: AsyncSession, components: IdentityComponents, *, username: str
) -> Account | None:
    """The account a login name (document number, phone or tax code) belongs to, through the blind index.

    None when no account has it, and also when two do (registered before login names were one
    namespace): login never picks one of two accounts at random.
    """
    indexes = username_indexes(components, username)
    if not indexes:
        return None
    found = await repository.get_all_by_blind_indexes(session, blind_indexes=indexes)
    return found[0] if len(found) == 1 else None


async def close_account(
    session: AsyncSession, *, account: Account, actor_account_id: str, client_address: str | None, reason: str
) -> None:
    """Erase personal data, keep an anonymous shell for the audit trail, end sessions (Law 91/2025)."""
    now = utcnow()
    await repository.delete_identifiers(session, account_id=account.id)
    await password_history.delete_all(session, account_id=account.id)
    for attribute in (
        "birth_date",
        "sex",
        "home_ward_code",
        "document_type",
        "document_number_enc",
        "phone_enc",
        "email_enc",
        "tax_code_enc",
        "representative_name",
        "password_hash",
        "totp_secret_enc",
        "lock_reason",
    ):
        setattr(account, attribute, None)
    account.display_name = CLOSED_NAME
    account.totp_enabled = False
    account.status = AccountStatus.CLOSED
    account.closed_at = now
    account.updated_at = now
    await revoke_all_sessions(session, account_id=account.id, reason="account_closed")
    await record_event(session, tables, AccountClosed(account_id=account.id, closed_at=now))
    await record_audit(
        session,
        action="account.closed",
        actor_account_id=actor_account_id,
        subject_account_id=account.id,
        client_address=client_address,
        reason=reason,
    )


async def purge_stale_pending(
    session: AsyncSession, components: IdentityComponents, *, batch: int = 500
) -> int:
    """Delete registrations never verified within `IDENTITY_PENDING_ACCOUNT_HOURS` (24): their login names
    come free and nobody squats someone else's CCCD (issue 7, item 7). AccountClosed tells the other
    services to drop what they keep about the account."""
    before = utcnow() - timedelta(hours=components.settings.pending_account_hours)
    purged = 0
    while rows := await repository.get_all_pending_created_before(session, before=before, limit=batch):
        for account in rows:
            await repository.delete(session, account=account)
            await record_event(session, tables, AccountClosed(account_id=account.id, closed_at=utcnow()))
            await record_audit(session, action="account.purged_unverified", subject_account_id=account.id)
        purged += len(rows)
    return purged
