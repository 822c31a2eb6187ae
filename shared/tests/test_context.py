"""Request id and W3C Trace Context parsing rules."""

from __future__ import annotations

import pytest

from hues_shared.context import accept_request_id, child_trace, trace_id_of

TRACE_ID = "0af7651916cd43dd8448eb211c80319c"


def test_safe_request_id_is_kept() -> None:
    assert accept_request_id("mobile-7f3a:retry.2") == "mobile-7f3a:retry.2"


@pytest.mark.parametrize("value", [None, "", "has space", "x" * 129, "tab\there", 'quote"'])
def test_unsafe_request_id_is_replaced(value: str | None) -> None:
    minted = accept_request_id(value)
    assert minted != value and len(minted) == 32


def test_valid_traceparent_is_continued_with_a_new_span() -> None:
    trace = child_trace(f"00-{TRACE_ID}-b7ad6b7169203331-00")
    assert trace.trace_id == TRACE_ID and trace.span_id != "b7ad6b7169203331" and trace.flags == "00"
    assert trace.traceparent.startswith(f"00-{TRACE_ID}-")


@pytest.mark.parametrize(
    "value",
    [
        None,
        "nonsense",
        f"ff-{TRACE_ID}-b7ad6b7169203331-01",  # version ff is invalid
        f"00-{'0' * 32}-b7ad6b7169203331-01",  # all-zero trace id
        f"00-{TRACE_ID}-{'0' * 16}-01",  # all-zero parent id
        f"00-{TRACE_ID.upper()}-b7ad6b7169203331-01",  # must be lower-case hex
    ],
)
def test_invalid_traceparent_starts_a_new_trace(value: str | None) -> None:
    trace = child_trace(value)
    assert trace.trace_id != TRACE_ID.lower() and len(trace.trace_id) == 32 and len(trace.span_id) == 16


def test_trace_id_of_reads_the_trace() -> None:
    assert trace_id_of(f"00-{TRACE_ID}-b7ad6b7169203331-01") == TRACE_ID
    assert trace_id_of("nonsense") is None and trace_id_of(None) is None
