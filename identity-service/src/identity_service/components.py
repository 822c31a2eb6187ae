"""The parts of identity-service built once per app from its settings and shared by routes, seed and tasks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from hues_shared.app import ServiceRuntime, components_dependency, service_components
from hues_shared.net import client_address, trusted_proxies
from identity_service.accounts.protection import PersonalDataCipher, decode_key
from identity_service.config import IdentitySettings
from identity_service.passwords.hashing import PasswordHasher
from identity_service.passwords.policy import PasswordPolicy
from identity_service.signing_keys.store import KeyStore
from identity_service.verification.providers import ConsoleProvider, HttpSmsGatewayProvider, MessageProvider


@dataclass
class IdentityComponents:
    settings: IdentitySettings
    cipher: PersonalDataCipher
    hasher: PasswordHasher
    policy: PasswordPolicy
    keys: KeyStore
    messages: MessageProvider


def build_components(settings: IdentitySettings) -> IdentityComponents:
    if settings.otp_provider == "http":
        messages: MessageProvider = HttpSmsGatewayProvider(
            url=settings.sms_gateway_url, token=settings.sms_gateway_token.get_secret_value()
        )
    else:
        messages = ConsoleProvider()
    return IdentityComponents(
        settings=settings,
        cipher=PersonalDataCipher(
            encryption_key=decode_key(
                settings.data_encryption_key.get_secret_value(), name="data_encryption_key"
            ),
            blind_index_key=decode_key(settings.blind_index_key.get_secret_value(), name="blind_index_key"),
        ),
        hasher=PasswordHasher(
            memory_kib=settings.argon2_memory_kib,
            time_cost=settings.argon2_time_cost,
            parallelism=settings.argon2_parallelism,
            max_concurrent=settings.argon2_max_concurrent_hashes,
        ),
        policy=PasswordPolicy(
            min_length=settings.password_min_length, max_length=settings.password_max_length
        ),
        keys=KeyStore(
            encryption_key=decode_key(
                settings.signing_key_encryption_key.get_secret_value(), name="signing_key_encryption_key"
            ),
            token_lifetime=timedelta(seconds=settings.access_token_seconds + settings.jwt_leeway_seconds),
            rotation_age=timedelta(days=settings.signing_key_rotation_days),
        ),
        messages=messages,
    )


def identity_components(runtime: ServiceRuntime) -> IdentityComponents:
    """identity's components from its runtime (hooks, seed, tasks)."""
    return service_components(runtime, IdentityComponents)


def client_address_of(request: Request) -> str | None:
    """The caller's address; X-Forwarded-For counts only when the peer is a trusted proxy (the gateway)."""
    settings: IdentitySettings = request.app.state.runtime.settings
    address, _ = client_address(request.scope, trusted_proxies(tuple(settings.trusted_proxy_addresses)))
    return None if address == "-" else address


Components = Annotated[IdentityComponents, Depends(components_dependency(IdentityComponents))]
ClientAddress = Annotated[str | None, Depends(client_address_of)]
