"""Search relevance on the shared Vietnamese corpus (SQLite FTS5, embedded mode)."""

import pytest

from catalog_service.testing import CatalogApi

pytestmark = pytest.mark.usefixtures("corpus")


async def test_unaccented_query_finds_the_accented_name(api: CatalogApi) -> None:
    assert (await api.search(q="pho bo hue"))[0] == "Phở bò Huế"


async def test_upper_case_with_diacritics_finds_the_same(api: CatalogApi) -> None:
    assert (await api.search(q="PHỞ BÒ HUẾ"))[0] == "Phở bò Huế"


async def test_d_matches_d_with_stroke(api: CatalogApi) -> None:
    assert (await api.search(q="dai noi"))[0] == "Đại Nội Huế"
    assert (await api.search(q="cho dong ba"))[0] == "Chợ Đông Ba"


async def test_word_order_does_not_matter(api: CatalogApi) -> None:
    assert (await api.search(q="thien mu chua"))[0] == "Chùa Thiên Mụ"


async def test_last_word_matches_as_a_prefix_for_type_ahead(api: CatalogApi) -> None:
    assert (await api.search(q="cho dong b"))[0] == "Chợ Đông Ba"
    assert (await api.search(q="benh vien trung u"))[0] == "Bệnh viện Trung ương Huế"


async def test_one_typo_in_a_long_word_is_forgiven(api: CatalogApi) -> None:
    assert (await api.search(q="chua thein mu"))[0] == "Chùa Thiên Mụ"  # transposition
    assert (await api.search(q="khach san huong giamg"))[0] == "Khách sạn Hương Giang"  # substitution


async def test_two_typos_in_a_word_find_nothing(api: CatalogApi) -> None:
    assert await api.search(q="chua tehin mu") == []


async def test_short_words_get_no_typo_tolerance(api: CatalogApi) -> None:
    assert await api.search(q="bon bo") == []  # "bun" has 3 letters


async def test_title_match_ranks_above_a_match_in_the_provider_name(api: CatalogApi) -> None:
    titles = await api.search(q="dai hoc hue")
    assert titles[0] == "Đại học Huế"
    assert "Bệnh viện Đại học Y Dược Huế" in titles


async def test_every_word_must_match(api: CatalogApi) -> None:
    assert set(await api.search(q="bun bo")) == {"Bún bò Huế Mệ Kéo", "Bún bò Huế O Cương Chú Điệp"}


async def test_public_service_is_found_by_its_procedure_code(api: CatalogApi) -> None:
    assert await api.search(q="1.001193") == ["Đăng ký khai sinh"]
