"""Uploads through the API: who may add, the 5-photo / 1-video limit, signed URLs, EXIF gone."""

import io
from typing import Any

from PIL import Image

from feedback_service.testing import FeedbackDriver, photo_with_gps
from feedback_service.testing import mp4_video as mp4


async def _upload(api: FeedbackDriver, rid: str, headers: dict[str, str], data: bytes, **extra: Any) -> Any:
    return await api.client.post(
        f"/v1/reports/{rid}/media",
        files={"file": ("x.bin", data, "application/octet-stream")},
        headers=headers,
    )


async def test_reporter_adds_a_photo_and_reads_it_back_without_exif(api: FeedbackDriver) -> None:
    reporter = api.citizen()
    report = await api.submit(reporter)
    response = await _upload(api, report["id"], reporter, photo_with_gps())
    assert response.status_code == 201, response.text
    media = response.json()
    assert media["kind"] == "photo" and media["content_type"] == "image/jpeg"
    served = await api.client.get(media["url"])
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(served.content)) as image:
        assert dict(image.getexif()) == {}
    assert b"EOS-SECRET-MODEL" not in served.content
    assert (await api.client.get(media["thumbnail_url"])).status_code == 200


async def test_a_tampered_or_unsigned_media_url_is_404(api: FeedbackDriver) -> None:
    reporter = api.citizen()
    report = await api.submit(reporter)
    url = (await _upload(api, report["id"], reporter, photo_with_gps())).json()["url"]
    assert (await api.client.get(url.split("?")[0])).status_code in (404, 422)
    assert (await api.client.get(url[:-4] + "0000")).status_code == 404


async def test_a_sixth_photo_is_refused(api: FeedbackDriver) -> None:
    reporter = api.citizen()
    report = await api.submit(reporter)
    photo = photo_with_gps(size=(64, 48))
    for _ in range(5):
        assert (await _upload(api, report["id"], reporter, photo)).status_code == 201
    sixth = await _upload(api, report["id"], reporter, photo)
    assert sixth.status_code == 422 and sixth.json()["type"].endswith("/media-limit")


async def test_one_video_and_no_photo_beside_it(api: FeedbackDriver) -> None:
    reporter = api.citizen()
    report = await api.submit(reporter)
    assert (await _upload(api, report["id"], reporter, mp4(10))).status_code == 201
    photo = await _upload(api, report["id"], reporter, photo_with_gps())
    assert photo.status_code == 422


async def test_a_script_named_as_a_photo_is_refused(api: FeedbackDriver) -> None:
    reporter = api.citizen()
    report = await api.submit(reporter)
    response = await api.client.post(
        f"/v1/reports/{report['id']}/media",
        files={"file": ("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")},
        headers=reporter,
    )
    assert response.status_code == 422 and response.json()["type"].endswith("/unsupported-media")


async def test_someone_else_cannot_add_media_to_my_report(api: FeedbackDriver) -> None:
    report = await api.submit()
    response = await _upload(api, report["id"], api.citizen(), photo_with_gps())
    assert response.status_code == 404


async def test_reporter_cannot_add_media_after_acceptance(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report, reporter = await api.assigned_report(unit_id)
    response = await _upload(api, report["id"], reporter, photo_with_gps())
    assert response.status_code == 409


async def test_handling_unit_adds_result_photos_while_in_progress(api: FeedbackDriver) -> None:
    unit_id = await api.add_unit()
    report, _ = await api.assigned_report(unit_id)
    officer = api.officer(unit_id)
    await api.act(report["id"], "acknowledge", officer)
    await api.act(report["id"], "start", officer)
    response = await _upload(api, report["id"], officer, photo_with_gps())
    assert response.status_code == 201 and response.json()["purpose"] == "result"
    other = await _upload(api, report["id"], api.officer(await api.add_unit()), photo_with_gps())
    assert other.status_code == 404


async def test_media_of_a_private_report_are_not_public(api: FeedbackDriver) -> None:
    reporter = api.citizen()
    report = await api.submit(reporter, is_public=False)
    await _upload(api, report["id"], reporter, photo_with_gps())
    assert (await api.client.get(f"/v1/public/reports/{report['id']}/media")).status_code == 404
    assert len((await api.client.get(f"/v1/reports/{report['id']}/media", headers=reporter)).json()) == 1


async def test_retried_upload_with_the_same_idempotency_key_stores_one_photo(api: FeedbackDriver) -> None:
    reporter = {**api.citizen(), "Idempotency-Key": "upload-1"}
    report = await api.submit(reporter)
    photo = photo_with_gps()
    first = await _upload(api, report["id"], reporter, photo)
    again = await _upload(api, report["id"], reporter, photo)
    assert again.json()["id"] == first.json()["id"]
    assert len((await api.client.get(f"/v1/reports/{report['id']}/media", headers=reporter)).json()) == 1
