"""Ratings and reviews (Art. 12.2): one per verified citizen and offering, editable; provider replies;
abuse reports; IOC moderation. Offering ratings are kept current from the review events."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from catalog_service.db import tables
from catalog_service.offerings import repository as offerings_repository
from catalog_service.offerings import service as offerings
from catalog_service.providers.authorization import ensure_can_manage
from catalog_service.reviews import repository
from catalog_service.reviews.models import Review, ReviewReport
from catalog_service.reviews.schemas import AbuseReportOut, ModerationIn, ReviewIn, ReviewOut
from hues_shared.auth.principal import Principal
from hues_shared.contracts.catalog import ReviewModerated, ReviewPosted
from hues_shared.events.outbox import record_event
from hues_shared.pagination import Page, decode_cursor, encode_cursor
from hues_shared.problems import Conflict, NotFound
from hues_shared.types import utcnow


def to_out(review: Review, principal: Principal | None = None) -> ReviewOut:
    return ReviewOut(
        id=review.id,
        offering_id=review.offering_id,
        rating=review.rating,
        text=review.text,
        visible=review.visible,
        reply_text=review.reply_text,
        replied_at=review.replied_at,
        mine=principal is not None and principal.account_id == review.author_account_id,
        created_at=review.created_at,
        updated_at=review.updated_at,
    )


async def put_my_review(
    session: AsyncSession, *, offering_id: str, data: ReviewIn, principal: Principal
) -> tuple[ReviewOut, bool]:
    """Create or edit the caller's one review of a public offering (True: created); publishes ReviewPosted."""
    offering, provider = await offerings.get_offering_with_provider(session, offering_id=offering_id)
    if not offerings.is_public(offering, provider):
        raise NotFound(f"No offering {offering_id}.")
    now = utcnow()
    review = await repository.get_by_author(
        session, offering_id=offering_id, author_account_id=principal.account_id
    )
    created = review is None
    if review is None:
        review = await repository.create(
            session,
            review=Review(
                offering_id=offering_id,
                author_account_id=principal.account_id,
                rating=data.rating,
                text=data.text,
                visible=True,
                created_at=now,
                updated_at=now,
            ),
        )
    else:
        review.rating, review.text, review.updated_at = data.rating, data.text, now
    await record_event(
        session,
        tables,
        ReviewPosted(
            review_id=review.id,
            offering_id=offering_id,
            provider_id=provider.id,
            rating=review.rating,
            edited=not created,
            posted_at=now,
        ),
    )
    return to_out(review, principal), created


async def get_reviews(
    session: AsyncSession, *, offering_id: str, principal: Principal | None, cursor: str | None, limit: int
) -> Page[ReviewOut]:
    """Visible reviews of an offering the caller may see, newest first."""
    await offerings.get_visible_offering(session, offering_id=offering_id, principal=principal)
    values = decode_cursor(cursor)
    before = (str(values[0]), str(values[1])) if values and len(values) == 2 else None
    rows = await repository.get_visible(session, offering_id=offering_id, before=before, limit=limit + 1)
    items = [to_out(r, principal) for r in rows[:limit]]
    next_cursor = (
        encode_cursor([items[-1].created_at.isoformat(), items[-1].id]) if len(rows) > limit else None
    )
    return Page(items=items, next_cursor=next_cursor)


async def _get_review(session: AsyncSession, review_id: str) -> Review:
    review = await repository.get(session, review_id=review_id)
    if review is None:
        raise NotFound(f"No review {review_id}.")
    return review


async def reply_to_review(
    session: AsyncSession, *, review_id: str, text: str, principal: Principal
) -> ReviewOut:
    """The reviewed provider's own staff answer a review (Art. 11, 13.1)."""
    review = await _get_review(session, review_id)
    _, provider = await offerings.get_offering_with_provider(session, offering_id=review.offering_id)
    ensure_can_manage(principal, provider)
    review.reply_text, review.replied_at = text, utcnow()
    return to_out(review, principal)


async def report_review(
    session: AsyncSession, *, review_id: str, reason: str, principal: Principal
) -> AbuseReportOut:
    """Anyone signed in may report a visible review as abusive, once."""
    review = await _get_review(session, review_id)
    if not review.visible:
        raise NotFound(f"No review {review_id}.")
    if await repository.get_report(session, review_id=review_id, reporter_account_id=principal.account_id):
        raise Conflict("You already reported this review.", slug="review-already-reported")
    report = ReviewReport(
        review_id=review_id, reporter_account_id=principal.account_id, reason=reason, created_at=utcnow()
    )
    return AbuseReportOut.model_validate(await repository.create_report(session, report=report))


async def get_open_reports(session: AsyncSession, *, cursor: str | None, limit: int) -> Page[AbuseReportOut]:
    values = decode_cursor(cursor)
    after = (str(values[0]), str(values[1])) if values and len(values) == 2 else None
    rows = await repository.get_open_reports(session, after=after, limit=limit + 1)
    items = [AbuseReportOut.model_validate(r) for r in rows[:limit]]
    next_cursor = (
        encode_cursor([items[-1].created_at.isoformat(), items[-1].id]) if len(rows) > limit else None
    )
    return Page(items=items, next_cursor=next_cursor)


async def moderate_review(session: AsyncSession, *, review_id: str, data: ModerationIn) -> ReviewOut:
    """The IOC hides or restores a review and closes its open reports; publishes ReviewModerated."""
    review = await _get_review(session, review_id)
    now = utcnow()
    review.visible, review.moderation_reason, review.updated_at = data.visible, data.reason, now
    await repository.resolve_reports(session, review_id=review_id, at=now)
    await record_event(
        session,
        tables,
        ReviewModerated(
            review_id=review.id,
            offering_id=review.offering_id,
            visible=data.visible,
            reason=data.reason,
            moderated_at=now,
        ),
    )
    return to_out(review)


async def refresh_rating(session: AsyncSession, *, offering_id: str) -> None:
    """Recount the offering's visible ratings (idempotent, so a replayed event changes nothing)."""
    if await offerings_repository.get_for_update(session, offering_id=offering_id) is None:
        return
    count, total = await repository.get_rating(session, offering_id=offering_id)
    await offerings_repository.set_rating(session, offering_id=offering_id, count=count, total=total)


async def erase_account_reviews(session: AsyncSession, *, account_id: str) -> None:
    """A closed account's reviews and reports are erased (Law 91/2025); the ratings are recounted."""
    for offering_id in set(await repository.delete_by_account(session, account_id=account_id)):
        await refresh_rating(session, offering_id=offering_id)
