"""Build the gazetteer from the bundled data packages."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from resources_db.gazetteer.geonames import (
    load_geonames_cities,
    merge_geonames,
    repoint_alternate_keys,
)
from resources_db.gazetteer.index import Gazetteer
from resources_db.gazetteer.states import states_from_zips
from resources_db.gazetteer.zips import cities_from_zips, load_zips


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer from the bundled packages (no cache involved)."""
    with gc_paused():
        zips, acceptable = load_zips()
        cities = cities_from_zips(zips, acceptable)
        aliases = merge_geonames(cities, load_geonames_cities())
        repoint_alternate_keys(cities)
        states = states_from_zips(zips)
        return Gazetteer(zips, cities, states, aliases)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while allocating ~200,000 acyclic objects.

    Without this the collector runs hundreds of passes over the growing heap and the build
    takes twice as long.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
