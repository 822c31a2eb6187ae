"""Setting, changing, expiring and resetting passwords (Art. 9.1, 18)."""

from __future__ import annotations

import math
import secrets
import string
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from hues_shared.contracts.identity import PasswordChanged, PasswordExpiring
from hues_shared.events.outbox import record_event
from hues_shared.problems import RecordedRefusal, UnprocessableContent
from hues_shared.types import utcnow
from identity_service.accounts import repository as accounts
from identity_service.accounts.models import Account
from identity_service.audit.service import record_audit
from identity_service.components import IdentityComponents
from identity_service.db import tables
from identity_service.messages.service import queue_message
from identity_service.passwords import repository
from identity_service.passwords.models import PasswordHistoryEntry
from identity_service.sessions.service import revoke_all_sessions


def personal_values(components: IdentityComponents, account: Account) -> list[str]:
    """What a password must not contain: the login identifiers and the name (Art. 18)."""
    cipher = components.cipher
    values = [account.display_name, account.representative_name or ""]
    for field_name, ciphertext in (
        ("document_number", account.document_number_enc),
        ("phone", account.phone_enc),
        ("tax_code", account.tax_code_enc),
        ("email", account.email_enc),
    ):
        plain = cipher.decrypt(ciphertext, field=field_name, owner_id=account.id)
        if plain:
            values.append(plain.split("@")[0] if field_name == "email" else plain)
    return [v for v in values if v]


def password_expires_at(components: IdentityComponents, account: Account) -> datetime | None:
    if account.password_changed_at is None:
        return None
    return account.password_changed_at + timedelta(days=components.settings.password_max_age_days)


def is_password_expired(components: IdentityComponents, account: Account) -> bool:
    """Older than 90 days (Art. 9.1) or reset by the DIC: only the password-change route is open."""
    expires_at = password_expires_at(components, account)
    return account.password_must_change or (expires_at is not None and expires_at <= utcnow())


async def set_password(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account: Account,
    password: str,
    must_change: bool = False,
) -> None:
    """Store a new Argon2id hash and remember it forever (Art. 9.1: no reuse of any earlier password)."""
    password_hash = await components.hasher.hash(password)
    now = utcnow()
    account.password_hash = password_hash
    account.password_changed_at = now
    account.password_must_change = must_change
    account.password_reminder_days_left = None
    account.updated_at = now
    await repository.create(
        session, entry=PasswordHistoryEntry(account_id=account.id, password_hash=password_hash)
    )


async def check_new_password(
    session: AsyncSession, components: IdentityComponents, *, account: Account, password: str
) -> None:
    """Policy rules first, then every earlier password of the account."""
    components.policy.check(password, personal_values=personal_values(components, account))
    for earlier in await repository.get_all_hashes(session, account_id=account.id):
        if await components.hasher.verify(password, earlier):
            raise UnprocessableContent(
                "This password was used before on this account; choose a new one (Art. 9.1).",
                slug="password-reused",
            )


async def change_password(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account_id: str,
    current_password: str,
    new_password: str,
    client_address: str | None,
) -> None:
    """Change one's own password; every session ends, so each device signs in again with the new one."""
    account = await accounts.get(session, account_id=account_id)
    if account is None:
        raise UnprocessableContent("The account no longer exists.", slug="account-gone")
    if not await components.hasher.verify(current_password, account.password_hash):
        await record_audit(
            session,
            action="password.change_failed",
            outcome="failure",
            actor_account_id=account.id,
            subject_account_id=account.id,
            client_address=client_address,
        )
        raise RecordedRefusal(
            "The current password is wrong.", slug="wrong-password", status=400, title="Wrong password"
        )
    await check_new_password(session, components, account=account, password=new_password)
    await set_password(session, components, account=account, password=new_password)
    await revoke_all_sessions(session, account_id=account.id, reason="password_changed")
    await record_event(session, tables, PasswordChanged(account_id=account.id, changed_at=utcnow()))
    await record_audit(
        session,
        action="password.changed",
        actor_account_id=account.id,
        subject_account_id=account.id,
        client_address=client_address,
    )


# Special characters a shell leaves alone unquoted ("$", "*", "&", "!" and friends broke copy-paste).
SHELL_SAFE_SPECIALS = "-_.:+=@%,"


def temporary_password(length: int = 16) -> str:
    """Random, meeting every class rule (so a reset never produces an unusable password), and safe to
    paste into a shell unquoted (issue 14, item 8)."""
    alphabet = string.ascii_letters + string.digits + SHELL_SAFE_SPECIALS
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if (
            any(c.islower() for c in candidate)
            and any(c.isupper() for c in candidate)
            and any(c.isdigit() for c in candidate)
            and any(not c.isalnum() for c in candidate)
        ):
            return candidate


async def force_password_reset(
    session: AsyncSession,
    components: IdentityComponents,
    *,
    account: Account,
    actor_account_id: str,
    client_address: str | None,
) -> None:
    """DIC reset (Art. 13.2): a temporary password goes to the owner's phone; nobody else ever sees it."""
    password = temporary_password()
    await set_password(session, components, account=account, password=password, must_change=True)
    phone = components.cipher.decrypt(account.phone_enc, field="phone", owner_id=account.id)
    if phone:
        text = f"Hue-S: mat khau tam thoi cua ban la {password}. Hay doi mat khau ngay khi dang nhap."
        await queue_message(
            session,
            components,
            channel="sms",
            destination=phone,
            text=text,
            purpose="password_reset",
            account_id=account.id,
        )
    await revoke_all_sessions(session, account_id=account.id, reason="password_reset")
    await record_event(session, tables, PasswordChanged(account_id=account.id, changed_at=utcnow()))
    await record_audit(
        session,
        action="password.reset_forced",
        actor_account_id=actor_account_id,
        subject_account_id=account.id,
        client_address=client_address,
    )


async def publish_expiry_reminders(
    session: AsyncSession, components: IdentityComponents, *, batch: int = 500
) -> int:
    """PasswordExpiring events at each reminder threshold (e.g. 14, 7, 1 days left), once per threshold."""
    settings = components.settings
    thresholds = sorted(set(settings.password_reminder_days), reverse=True)
    if not thresholds:
        return 0
    now = utcnow()
    oldest_needed = now - timedelta(days=settings.password_max_age_days - thresholds[0])
    published, after_id = 0, None
    while True:
        rows = await accounts.get_all_with_password_changed_before(
            session, before=oldest_needed, after_id=after_id, limit=batch
        )
        for account in rows:
            expires_at = password_expires_at(components, account)
            assert expires_at is not None
            days_left = max(math.ceil((expires_at - now).total_seconds() / 86400), 0)
            due = [t for t in thresholds if days_left <= t]
            if not due or days_left == 0:
                continue
            threshold = min(due)
            if (
                account.password_reminder_days_left is not None
                and account.password_reminder_days_left <= threshold
            ):
                continue
            account.password_reminder_days_left = threshold
            await record_event(
                session,
                tables,
                PasswordExpiring(account_id=account.id, expires_at=expires_at, days_left=days_left),
            )
            published += 1
        if len(rows) < batch:
            return published
        after_id = rows[-1].id
