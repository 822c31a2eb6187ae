"""What an upload really is, and a clean copy of it: type sniffed from the bytes (never the declared
type or file name), size and duration limits, EXIF/GPS and device data stripped, thumbnails.

Pure: bytes in, bytes out, no session and no storage; run in a worker thread (Pillow is CPU-bound).
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_VIDEO_BYTES = 19 * 1024 * 1024  # fits under the gateway's 20 MiB body limit with multipart overhead
MAX_VIDEO_SECONDS = 60
MAX_PIXELS = 40_000_000  # larger images are refused before decoding (decompression bombs)
MAX_EDGE = 2560  # photos are scaled down to this longest edge
THUMBNAIL_EDGE = 320
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
VIDEO_BRANDS = {b"isom", b"iso2", b"mp41", b"mp42", b"avc1", b"qt  ", b"M4V ", b"3gp4", b"3gp5", b"MSNV"}
# Boxes that carry location (©xyz), device make/model and other personal metadata in MP4/QuickTime.
METADATA_BOXES = {b"udta", b"meta"}


class MediaRefused(ValueError):
    def __init__(self, message: str, *, slug: str) -> None:
        super().__init__(message)
        self.slug = slug


@dataclass(frozen=True)
class CleanMedia:
    kind: str  # photo | video
    content_type: str
    data: bytes
    thumbnail: bytes | None
    width: int | None = None
    height: int | None = None
    duration_seconds: float | None = None


def sniff(data: bytes) -> str | None:
    """photo, video or None, from the leading bytes."""
    if (
        data[:3] == b"\xff\xd8\xff"
        or data[:8] == b"\x89PNG\r\n\x1a\n"
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    ):
        return "photo"
    if data[4:8] == b"ftyp" and data[8:12] in VIDEO_BRANDS:
        return "video"
    return None


def clean(data: bytes) -> CleanMedia:
    kind = sniff(data)
    if kind == "photo":
        return clean_photo(data)
    if kind == "video":
        return clean_video(data)
    raise MediaRefused(
        "Only JPEG, PNG or WebP photos and MP4/MOV videos are accepted.", slug="unsupported-media"
    )


def _jpeg(image: Image.Image, *, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(
        out, format="JPEG", quality=quality, optimize=True
    )  # no exif=, no icc_profile=: nothing carried
    return out.getvalue()


def clean_photo(data: bytes) -> CleanMedia:
    """Re-encode as JPEG from pixels only, upright (EXIF orientation applied), scaled, with a thumbnail."""
    if len(data) > MAX_PHOTO_BYTES:
        raise MediaRefused(f"A photo may be at most {MAX_PHOTO_BYTES // 2**20} MiB.", slug="media-too-large")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in PHOTO_FORMATS:
                raise MediaRefused("Only JPEG, PNG or WebP photos are accepted.", slug="unsupported-media")
            if probe.width * probe.height > MAX_PIXELS:
                raise MediaRefused("The photo has too many pixels.", slug="media-too-large")
            probe.load()
            upright = ImageOps.exif_transpose(probe)
            image = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise MediaRefused("The photo could not be read.", slug="unreadable-media") from exc
    image.thumbnail((MAX_EDGE, MAX_EDGE))
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_EDGE, THUMBNAIL_EDGE))
    return CleanMedia(
        kind="photo",
        content_type="image/jpeg",
        data=_jpeg(image, quality=85),
        thumbnail=_jpeg(thumbnail, quality=75),
        width=image.width,
        height=image.height,
    )


def _boxes(data: bytes | bytearray, start: int, end: int) -> Iterator[tuple[bytes, int, int, int]]:
    """(type, offset, header size, total size) of the ISO-BMFF boxes in data[start:end]."""
    offset = start
    while offset + 8 <= end:
        size, box_type = struct.unpack(">I4s", data[offset : offset + 8])
        header = 8
        if size == 1:
            if offset + 16 > end:
                break
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
            header = 16
        elif size == 0:
            size = end - offset
        if size < header or offset + size > end:
            raise MediaRefused("The video file is damaged.", slug="unreadable-media")
        yield box_type, offset, header, size
        offset += size


def _duration(mvhd: bytes) -> float:
    version = mvhd[0]
    if version == 1:
        timescale, duration = struct.unpack(">IQ", mvhd[20:32])
    else:
        timescale, duration = struct.unpack(">II", mvhd[12:20])
    if timescale == 0:
        raise MediaRefused("The video file is damaged.", slug="unreadable-media")
    return float(duration / timescale)


def _blank(out: bytearray, offset: int, header: int, size: int) -> None:
    """Turn a box into a zero-filled `free` box of the same size: players skip it, offsets stay valid."""
    out[offset + 4 : offset + 8] = b"free"
    out[offset + header : offset + size] = bytes(size - header)


def clean_video(data: bytes) -> CleanMedia:
    """Check size and duration; blank the metadata boxes (location, device) without re-muxing."""
    if len(data) > MAX_VIDEO_BYTES:
        raise MediaRefused(f"A video may be at most {MAX_VIDEO_BYTES // 2**20} MiB.", slug="media-too-large")
    out = bytearray(data)
    duration: float | None = None
    top = list(_boxes(out, 0, len(out)))
    for box_type, offset, header, size in top:
        if box_type != b"moov":
            continue
        for child, c_offset, c_header, c_size in _boxes(out, offset + header, offset + size):
            if child == b"mvhd":
                duration = _duration(bytes(out[c_offset + c_header : c_offset + c_size]))
            elif child in METADATA_BOXES:
                _blank(out, c_offset, c_header, c_size)
            elif child == b"trak":
                for grandchild, g_offset, g_header, g_size in _boxes(
                    out, c_offset + c_header, c_offset + c_size
                ):
                    if grandchild in METADATA_BOXES:
                        _blank(out, g_offset, g_header, g_size)
    for box_type, offset, header, size in top:
        if box_type in METADATA_BOXES:
            _blank(out, offset, header, size)
    if duration is None:
        raise MediaRefused("The video has no readable duration.", slug="unreadable-media")
    if duration > MAX_VIDEO_SECONDS:
        raise MediaRefused(f"A video may last at most {MAX_VIDEO_SECONDS} seconds.", slug="video-too-long")
    brand = data[8:12]
    content_type = "video/quicktime" if brand == b"qt  " else "video/mp4"
    return CleanMedia(
        kind="video", content_type=content_type, data=bytes(out), thumbnail=None, duration_seconds=duration
    )
