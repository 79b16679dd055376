"""Times agency copy writes without a zone are the agency's local time, read in the newsroom's
zone (NEWSBOT_TIMEZONE), not as UTC; every other format's zone-less time stays UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.ingest import ingest, ingest_with
from bot.settings import Settings
from storage import articles as article_store
from tests.helpers import DATA, write

BRUSSELS = ZoneInfo("Europe/Brussels")


def published(conn) -> dict[str, datetime | None]:
    return {story.title: story.published for story in article_store.latest(conn, 20)}


@pytest.mark.parametrize(("fixture", "title", "utc"), [
    # Belga's NewsML 1: 10:19 in Brussels in December (CET, +1) is 09:19 UTC.
    ("agency/newsml1-two-items.xml", "Tramlijn naar de haven rijdt vanaf maandag",
     datetime(2026, 12, 3, 9, 19, tzinfo=UTC)),
    # Ritzau: 18:44:52 local time, one hour ahead of UTC in March.
    ("agency/ritzau-feed.xml", "Harbour Lines opens a ferry route to Aarhus",
     datetime(2025, 3, 4, 17, 44, 52, tzinfo=UTC)),
    # A time with its zone is that time, whatever the newsroom's zone.
    ("agency/newsml1-two-items.xml", "Gand inaugure ses nouvelles digues contre les crues",
     datetime(2026, 12, 3, 10, 15, tzinfo=UTC)),
])
def test_agency_times_without_a_zone_are_read_in_the_newsrooms_zone(conn, tmp_path, fixture,
                                                                    title, utc):
    write(tmp_path / "drop", fixture.rsplit("/", 1)[1], (DATA / fixture).read_bytes())
    ingest(conn, [tmp_path / "drop"], sender_zone=BRUSSELS)
    assert published(conn)[title] == utc


def test_without_a_newsroom_zone_agency_times_are_utc_as_before(conn, tmp_path):
    write(tmp_path / "drop", "wire.xml", (DATA / "agency/newsml1-two-items.xml").read_bytes())
    ingest(conn, [tmp_path / "drop"])
    assert published(conn)["Tramlijn naar de haven rijdt vanaf maandag"] == datetime(
        2026, 12, 3, 10, 19, tzinfo=UTC)


def test_a_prezly_time_without_a_zone_stays_utc_in_any_newsroom(conn, tmp_path):
    # Prezly's exports mean UTC by a time without a zone (`"published_at": "2026-05-26 19:48:00"`).
    story = DATA / "articles/prezly/belga-critical-cloud.json"
    write(tmp_path / "drop", story.name, story.read_bytes())
    ingest(conn, [tmp_path / "drop"], sender_zone=BRUSSELS)
    [stored] = article_store.latest(conn)
    assert stored.published == datetime(2026, 5, 26, 19, 48, tzinfo=UTC)


def test_the_configured_zone_is_the_newsrooms(conn, tmp_path):
    write(tmp_path / "drop", "wire.xml", (DATA / "agency/newsml1-two-items.xml").read_bytes())
    ingest_with(conn, Settings(timezone="Asia/Tokyo", settle_seconds=0), [tmp_path / "drop"])
    # 10:19 in Tokyo (+9) is 01:19 UTC.
    assert published(conn)["Tramlijn naar de haven rijdt vanaf maandag"] == datetime(
        2026, 12, 3, 1, 19, tzinfo=UTC)
