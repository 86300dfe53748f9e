"""States, DC and territories: their records (mean of their ZIPs) and name indexes."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import us

from resources_db.gazetteer.names import normalize_name
from resources_db.gazetteer.records import StateRecord, ZipRecord


def valid_state_codes() -> dict[str, Any]:
    """USPS code -> the ``us`` package's state, for the states, DC and territories."""
    return {state.abbr: state for state in us.states.STATES_AND_TERRITORIES}


def states_from_zips(zips: dict[str, ZipRecord]) -> dict[str, StateRecord]:
    """Each state with a located active ZIP: the mean point and commonest zone of its ZIPs."""
    members: dict[str, list[ZipRecord]] = defaultdict(list)
    for record in zips.values():
        if record.active:
            members[record.state].append(record)
    states: dict[str, StateRecord] = {}
    for code, state in valid_state_codes().items():
        located = members.get(code)
        if not located:
            continue
        zones = Counter(m.timezone for m in located if m.timezone)
        states[code] = StateRecord(
            code=code,
            name=state.name,
            lat=round(sum(m.lat for m in located) / len(located), 5),
            lon=round(sum(m.lon for m in located) / len(located), 5),
            timezone=zones.most_common(1)[0][0] if zones else None,
        )
    return states


def state_name_index(states: dict[str, StateRecord]) -> dict[str, str]:
    """Normalized state names ("maryland", "new york state") -> USPS code."""
    index = {normalize_name(state.name): code for code, state in states.items()}
    # "Washington State", "New York State": how people tell the state from the city.
    index.update({f"{name} state": code for name, code in list(index.items())})
    if "DC" in states:
        index["washington dc"] = "DC"
    return index


def state_abbreviation_index(states: dict[str, StateRecord]) -> dict[str, str]:
    """USPS codes and AP abbreviations ("md", "calif", "n y") -> USPS code."""
    index: dict[str, str] = {}
    valid = valid_state_codes()
    for code in states:
        index[code.lower()] = code
        ap = valid[code].ap_abbr
        if ap:
            index[normalize_name(ap)] = code
    return index
