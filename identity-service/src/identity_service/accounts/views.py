"""How an account is shown: in full to its owner, masked to everyone else (Law 91/2025, Art. 13.2)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.auth.principal import Role
from identity_service.accounts.models import Account, AccountKind
from identity_service.accounts.protection import mask_document, mask_email, mask_phone
from identity_service.accounts.schemas import AccountOut, DocumentOut
from identity_service.components import IdentityComponents
from identity_service.passwords.service import password_expires_at
from identity_service.permissions import repository as permissions
from identity_service.staff import repository as staff


async def roles_of(session: AsyncSession, *, account: Account) -> list[str]:
    """Citizens and organizations carry their kind as role; staff carry their assigned roles."""
    if account.kind == AccountKind.CITIZEN:
        return [Role.CITIZEN.value]
    if account.kind == AccountKind.ORGANIZATION:
        return [Role.ORGANIZATION.value]
    return await staff.get_roles(session, account_id=account.id)


async def account_out(
    session: AsyncSession, components: IdentityComponents, *, account: Account, reveal: bool
) -> AccountOut:
    """`reveal` only when the caller is the owner; administrators get the masked form."""
    cipher = components.cipher

    def plain(field: str, value: str | None) -> str | None:
        return cipher.decrypt(value, field=field, owner_id=account.id)

    document_number = plain("document_number", account.document_number_enc)
    phone = plain("phone", account.phone_enc)
    email = plain("email", account.email_enc)
    if not reveal:
        document_number, phone, email = mask_document(document_number), mask_phone(phone), mask_email(email)
    document = (
        DocumentOut(type=account.document_type, number=document_number) if account.document_type else None
    )
    return AccountOut(
        id=account.id,
        kind=account.kind,
        status=account.status,
        display_name=account.display_name,
        birth_date=account.birth_date if reveal else None,
        sex=account.sex if reveal else None,
        home_ward_code=account.home_ward_code,
        document=document if document and document.number else None,
        phone=phone,
        email=email,
        organization_kind=account.organization_kind,
        tax_code=plain("tax_code", account.tax_code_enc),
        representative_name=account.representative_name,
        unit_id=account.unit_id,
        roles=await roles_of(session, account=account),
        permissions=await permissions.get_scoped_codes(session, account_id=account.id),
        totp_enabled=account.totp_enabled,
        password_expires_at=password_expires_at(components, account),
        password_must_change=account.password_must_change,
        created_at=account.created_at,
        verified_at=account.verified_at,
    )
