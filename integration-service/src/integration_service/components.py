"""The long-lived parts integration-service's modules share (sealer, outbound guard, token keys)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from hues_shared.outbound import OutboundGuard
from hues_shared.sealing import Sealer
from integration_service.config import IntegrationSettings

EXTRAS_KEY = "integration.components"


@dataclass
class IntegrationComponents:
    settings: IntegrationSettings
    sealer: Sealer
    guard: OutboundGuard


def build_components(settings: IntegrationSettings) -> IntegrationComponents:
    return IntegrationComponents(
        settings=settings,
        sealer=Sealer(settings.key_sealing_secret),
        guard=OutboundGuard(
            allow_loopback=settings.outbound_allow_loopback, require_https=settings.require_https
        ),
    )


def components_of(request: Request) -> IntegrationComponents:
    components: IntegrationComponents = request.app.state.runtime.extras[EXTRAS_KEY]
    return components


Components = Annotated[IntegrationComponents, Depends(components_of)]
