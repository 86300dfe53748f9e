"""A Spanish speaker's search (issue 17): services that speak Spanish first, nothing left
out, and the words the product writes on a card (hours, offers, meeting times) in Spanish."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from resources_db.search import SearchError, parse_search_params, search
from tests.fixtures.directory import FIXTURE_NOW
from tests.resources_db.test_search import names, query

MENTAL_HEALTH_NEAREST_FIRST = [
    "Example Night Crisis Center",  # en
    "Example Community Mental Health",  # ar, en, es
    "Example Youth Counseling Services",  # en, es
    "Example Towson Deaf Services Counseling",  # en
]


def test_without_a_preference_the_nearest_comes_first(directory_session: Session) -> None:
    result = search(directory_session, query(needs=["mental_health"]), now=FIXTURE_NOW)
    assert names(result) == MENTAL_HEALTH_NEAREST_FIRST
    assert "speaking_total" not in result


def test_spanish_speaking_services_come_first_and_none_is_left_out(
    directory_session: Session,
) -> None:
    result = search(
        directory_session, query(needs=["mental_health"], prefer_language="es"), now=FIXTURE_NOW
    )
    assert names(result) == [
        "Example Community Mental Health",
        "Example Youth Counseling Services",
        "Example Night Crisis Center",
        "Example Towson Deaf Services Counseling",
    ]
    assert result["total"] == 4 and result["speaking_total"] == 2
    assert result["query"]["prefer_language"] == "es"


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_pages_follow_the_same_order(directory_session: Session, limit: int) -> None:
    """Paging across the border between speaking and other services loses and repeats none."""
    full = names(search(directory_session, query(needs=["mental_health"], prefer_language="es"),
                        now=FIXTURE_NOW))
    paged: list[str] = []
    for offset in range(0, len(full), limit):
        page = search(
            directory_session,
            query(needs=["mental_health"], prefer_language="es", limit=limit, offset=offset),
            now=FIXTURE_NOW,
        )
        paged += names(page)
    assert paged == full


def test_a_preference_nobody_meets_keeps_the_nearest_order(directory_session: Session) -> None:
    result = search(
        directory_session, query(needs=["mental_health"], prefer_language="vi"), now=FIXTURE_NOW
    )
    assert names(result) == MENTAL_HEALTH_NEAREST_FIRST and result["speaking_total"] == 0


def test_hours_are_written_in_spanish_for_a_spanish_speaker(directory_session: Session) -> None:
    def hours(language: str) -> dict[str, str | None]:
        result = search(directory_session, query(needs=["moud"], card_language=language),
                        now=FIXTURE_NOW)
        return {card["name"]: card["hours"] for card in result["resources"]}

    assert hours("en")["Example Methadone Clinic"] == "Mon–Fri 6 AM–2 PM; Sat 7 AM–11 AM"
    spanish = hours("es")
    assert spanish["Example Methadone Clinic"] == "lun–vie 6 a.m.–2 p.m.; sáb 7 a.m.–11 a.m."
    assert spanish["Example Veterans Outpatient Program"] == "lun–vie 8 a.m.–4:30 p.m."
    assert spanish["Example Detox Center"] == "24/7"


def test_the_api_reads_both_parameters() -> None:
    parsed = parse_search_params(
        {"need": "detox", "lat": "39.29", "lon": "-76.62", "prefer_language": "ES",
         "card_language": "es"}
    )
    assert (parsed.prefer_language, parsed.card_language) == ("es", "es")
    with pytest.raises(SearchError) as error:
        parse_search_params({"need": "detox", "lat": "39.29", "lon": "-76.62",
                             "card_language": "fr"})
    assert error.value.field == "card_language"
