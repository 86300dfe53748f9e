"""The Meeting Guide feeds a deployment refreshes (`RN_MEETING_FEEDS`), one row per URL.

What each row remembers is what a polite, resilient refresh needs: the validators of the
last good copy (ETag, Last-Modified) for conditional requests, when it last succeeded and
what last went wrong (no personal data: an HTTP status or an error class), the record ids of
the meetings its last good copy held (to deactivate the ones that disappear), and a short
claim so that of several web instances only one refreshes a feed at a time.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from resources_db.models import ID, Base

#: UUID5 namespace of feed ids (ids derive from the URL, so a feed keeps its id)
FEED_NAMESPACE = uuid.UUID("0f3c3a4e-6d55-4f3b-9a57-5d0b3c6b8e21")


def feed_urls(raw: str) -> tuple[str, ...]:
    """`RN_MEETING_FEEDS`: http(s) URLs separated by spaces or commas; ValueError otherwise."""
    urls = [part for part in re.split(r"[\s,]+", raw.strip()) if part]
    for url in urls:
        if not url.lower().startswith(("http://", "https://")):
            raise ValueError(f"RN_MEETING_FEEDS must list http(s) URLs, got {url!r}")
    return tuple(dict.fromkeys(urls))


def feed_id(url: str) -> str:
    return str(uuid.uuid5(FEED_NAMESPACE, url))


class MeetingFeed(Base):
    """One configured Meeting Guide feed and the state of its refreshes."""

    __tablename__ = "meeting_feed"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    url: Mapped[str] = mapped_column(String(1000), unique=True)
    etag: Mapped[str | None] = mapped_column(String(500), default=None)
    last_modified: Mapped[str | None] = mapped_column(String(100), default=None)
    #: when a refresh was last tried (whatever came of it)
    last_checked_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), default=None
    )
    #: when the feed last answered with a usable copy (200 imported, or 304)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), default=None
    )
    last_error_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    #: what went wrong last (HTTP status, timeout, invalid JSON, rejected meetings); null
    #: after a clean refresh
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    #: "imported", "not modified" or "failed"
    last_outcome: Mapped[str | None] = mapped_column(String(32), default=None)
    #: active meetings from this feed after the last good copy
    meetings: Mapped[int] = mapped_column(Integer, default=0)
    #: JSON list of the record ids (meeting-guide source) in the last good copy
    record_ids: Mapped[str] = mapped_column(Text, default="[]")
    #: an instance refreshing this feed holds it until then (expired claims are free)
    claimed_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), default=None)
