"""Events published by notification-service.

Topic `notification.notice` (key notice_id): a notice or warning became visible (Art. 6.2). The
service's own push dispatcher reads it in a consumer group of its own, so pushes scale out with the
topic's partitions and never run inside the publishing request.
"""

from __future__ import annotations

from datetime import datetime

from hues_shared.events.contracts import EventContract, contract

PRODUCER = "notification-service"
NOTICE_TOPIC = "notification.notice"


@contract(type="hues.notification.notice.published", topic=NOTICE_TOPIC, key="notice_id", producer=PRODUCER)
class NoticePublished(EventContract):
    """A notice or CAP warning was published to its audience (Art. 6.2); pushes follow from this event."""

    notice_id: str
    kind: str  # notice | alert
    msg_type: str  # Alert | Update | Cancel (CAP 1.2); notices are always Alert
    notice_topic: str  # the preference topic ("flood", "traffic"...); `topic` is the Kafka topic
    severity: str | None = None
    urgency: str | None = None
    critical: bool = False  # Extreme or Severe and Immediate: bypasses preferences and quiet hours
    references_notice_id: str | None = None
    expires_at: datetime | None = None
    published_at: datetime
