"""CAP polygon and circle matching."""

from notification_service.areas.geometry import distance_km, in_area, in_circle, in_polygon

SQUARE = [(16.0, 107.0), (16.0, 108.0), (17.0, 108.0), (17.0, 107.0), (16.0, 107.0)]


def test_a_point_inside_the_polygon_matches() -> None:
    assert in_polygon((16.5, 107.5), SQUARE)


def test_a_point_outside_the_polygon_does_not_match() -> None:
    assert not in_polygon((17.5, 107.5), SQUARE)
    assert not in_polygon((16.5, 106.9), SQUARE)


def test_a_concave_polygons_notch_does_not_match() -> None:
    notched = [(16.0, 107.0), (16.0, 108.0), (17.0, 108.0), (16.5, 107.5), (17.0, 107.0), (16.0, 107.0)]
    assert not in_polygon((16.9, 107.5), notched)
    assert in_polygon((16.2, 107.5), notched)


def test_circle_distance_is_great_circle() -> None:
    assert 110 < distance_km((16.0, 107.0), (17.0, 107.0)) < 112
    assert in_circle((16.46, 107.59), (16.47, 107.58), 2)
    assert not in_circle((16.56, 107.64), (16.47, 107.58), 5)


def test_an_area_is_the_union_of_its_shapes() -> None:
    assert in_area((20.0, 100.0), polygons=[SQUARE], circles=[((20.0, 100.0), 1)])
    assert not in_area((20.0, 101.0), polygons=[SQUARE], circles=[((20.0, 100.0), 1)])
