"""Uploads: type from content, limits, EXIF/GPS and device data stripped, thumbnails, short videos."""

import io

import pytest
from PIL import Image

from feedback_service.media.processing import (
    MAX_PHOTO_BYTES,
    MediaRefused,
    clean,
    clean_photo,
    clean_video,
    sniff,
)
from feedback_service.testing import mp4_box as box
from feedback_service.testing import mp4_video as mp4
from feedback_service.testing import photo_with_gps


def test_photo_leaves_without_exif_gps_or_camera() -> None:
    original = photo_with_gps()
    assert b"EOS-SECRET-MODEL" in original
    cleaned = clean_photo(original)
    assert b"EOS-SECRET-MODEL" not in cleaned.data and b"Canon" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert dict(image.getexif()) == {}
        assert image.format == "JPEG"


def test_photo_is_turned_upright_before_the_orientation_tag_is_dropped() -> None:
    cleaned = clean_photo(photo_with_gps(size=(800, 600), orientation=6))  # rotate 90°
    assert (cleaned.width, cleaned.height) == (600, 800)


def test_thumbnail_is_small_and_clean() -> None:
    cleaned = clean_photo(photo_with_gps(size=(2000, 1000)))
    assert cleaned.thumbnail is not None
    with Image.open(io.BytesIO(cleaned.thumbnail)) as thumb:
        assert max(thumb.size) == 320 and dict(thumb.getexif()) == {}


def test_type_comes_from_the_content_not_the_name() -> None:
    assert sniff(photo_with_gps()) == "photo"
    assert sniff(mp4(5)) == "video"
    assert sniff(b"<?php system($_GET['c']); ?>") is None
    with pytest.raises(MediaRefused) as refused:
        clean(b"GIF89a" + bytes(100))
    assert refused.value.slug == "unsupported-media"


def test_a_truncated_jpeg_is_refused() -> None:
    with pytest.raises(MediaRefused) as refused:
        clean(photo_with_gps()[:200])
    assert refused.value.slug == "unreadable-media"


def test_a_photo_over_the_size_limit_is_refused() -> None:
    with pytest.raises(MediaRefused) as refused:
        clean_photo(b"\xff\xd8\xff" + bytes(MAX_PHOTO_BYTES))
    assert refused.value.slug == "media-too-large"


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (10_000, 5_000)).save(out, format="PNG")  # 50 Mpx in a few KB
    with pytest.raises(MediaRefused) as refused:
        clean_photo(out.getvalue())
    assert refused.value.slug == "media-too-large"


def test_short_video_keeps_its_media_but_loses_its_location() -> None:
    original = mp4(20)
    cleaned = clean_video(original)
    assert cleaned.duration_seconds == 20.0 and cleaned.content_type == "video/mp4"
    assert len(cleaned.data) == len(original)
    assert b"udta" not in cleaned.data and b"\xa9xyz" not in cleaned.data
    assert b"+16.4637+107.5909" not in cleaned.data
    assert cleaned.data.endswith(box(b"mdat", bytes(64)))  # media data untouched, offsets unchanged


def test_a_video_longer_than_a_minute_is_refused() -> None:
    with pytest.raises(MediaRefused) as refused:
        clean_video(mp4(61))
    assert refused.value.slug == "video-too-long"


def test_a_video_with_a_lying_box_size_is_refused() -> None:
    broken = mp4(5)[:-10]
    with pytest.raises(MediaRefused):
        clean_video(broken)
