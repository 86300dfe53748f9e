"""Command line for the directory: init, seed, import, export, search, stats."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from resources_db import search_index
from resources_db.db import database_url, session_scope, upgrade_database
from resources_db.importers import fetch
from resources_db.importers.base import ImportSummary
from resources_db.importers.registry import FORMATS, run_import
from resources_db.models import (
    Location,
    Organization,
    RecordSource,
    SearchEntry,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from resources_db.search import SearchError, SearchQuery, search
from resources_db.vocabulary import INSURANCE_QUERY_VALUES, NEEDS, POPULATIONS


def _init(args: argparse.Namespace) -> int:
    upgrade_database(args.database)
    print(f"Directory database is up to date: {_shown(args.database)}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    from resources_db.seed import seed_database

    summaries = seed_database(args.database, force=args.force, progress=not args.quiet)
    if summaries is None:
        print("The directory already has data; use --force to import the bundled data again.")
        return 0
    for summary in summaries:
        print(summary.text(max_errors=5))
    return 0


def _import(args: argparse.Namespace) -> int:
    if fetch.is_url(args.path):
        if args.format == "hsds" or not FORMATS[args.format].fetchable:
            print(f"error: {args.format} is imported from a file, not a URL", file=sys.stderr)
            return 2
        with fetch.fetched(args.path) as path:
            return _import_path(args, path)
    path = Path(args.path)
    if not path.exists():
        print(f"error: no such file or folder: {path}", file=sys.stderr)
        return 2
    return _import_path(args, path)


def _import_path(args: argparse.Namespace, path: Path) -> int:
    upgrade_database(args.database)
    with session_scope(args.database) as session:
        if args.format == "hsds":
            from resources_db.importers.hsds import import_hsds

            summary = import_hsds(session, path)
        else:
            summary = run_import(session, args.format, path, progress=not args.quiet)
        keep = not summary.errors or (args.accept_partial and summary.imported > 0)
        if not keep:
            session.rollback()
    print(summary.text(max_errors=args.max_errors))
    return _import_outcome(summary, keep)


def _import_outcome(summary: ImportSummary, kept: bool) -> int:
    """0 when everything imported, or part of it with --accept-partial; else 1, nothing kept."""
    if kept:
        return 0
    if not summary.imported:
        print("error: nothing could be imported from this file.", file=sys.stderr)
    else:
        print(
            f"error: Nothing was imported: {len(summary.errors)} rows were rejected. Fix them, "
            f"or run again with --accept-partial to import the other {summary.imported} rows.",
            file=sys.stderr,
        )
    return 1


def _export(args: argparse.Namespace) -> int:
    from resources_db.importers.hsds import export_hsds

    with session_scope(args.database) as session:
        counts = export_hsds(session, Path(args.out))
    print(", ".join(f"{n} {table}" for table, n in counts.items()) + f" -> {args.out}")
    return 0


def _search(args: argparse.Namespace) -> int:
    query = SearchQuery(
        needs=[n.strip() for n in (args.need or "").split(",") if n.strip()],
        near=args.near,
        lat=args.lat,
        lon=args.lon,
        radius_miles=args.radius,
        insurance=args.insurance,
        population=args.population,
        language=args.language,
        open_now=args.open_now,
        limit=args.limit,
        offset=args.offset,
    )
    try:
        with session_scope(args.database) as session:
            result = search(session, query)
    except SearchError as error:
        print(f"error: {error.message}", file=sys.stderr)
        for candidate in error.candidates[:5]:
            print(f"  did you mean {candidate.label}?", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    q = result["query"]
    where = q["near"]["label"] or f"{q['near']['lat']}, {q['near']['lon']}"
    scope = {"radius": f"within {q['radius_miles']} miles", "state": f"in {q['state']}"}
    print(
        f"{result['total']} found near {where} {scope.get(q['scope'], 'nationally')}"
        + (" (search widened)" if result["relaxed"] else "")
    )
    for card in result["resources"]:
        distance = (
            f"{card['distance_miles']} mi" if card["distance_miles"] is not None else "national"
        )
        print(f"- {card['name']} ({distance}) {', '.join(card['categories'])}")
        where_text = ", ".join(p for p in (card["address"], card["city"], card["state"]) if p)
        if where_text:
            print(f"    {where_text}")
        if card["phone"] or card["website"]:
            print(f"    {card['phone'] or ''} {card['website'] or ''}".rstrip())
    return 0


def _stats(args: argparse.Namespace) -> int:
    upgrade_database(args.database)
    with session_scope(args.database) as session:

        def count(model: type) -> int:
            return int(session.execute(select(func.count()).select_from(model)).scalar() or 0)

        print(f"database: {_shown(args.database)}")
        for label, model in (
            ("organizations", Organization),
            ("services", Service),
            ("locations", Location),
            ("services at locations", ServiceAtLocation),
            ("taxonomy terms", TaxonomyTerm),
            ("source records", RecordSource),
            ("search entries", SearchEntry),
        ):
            print(f"{label:>24}: {count(model)}")
        for source, n in session.execute(
            select(RecordSource.source, func.count())
            .group_by(RecordSource.source)
            .order_by(RecordSource.source)
        ):
            print(f"{'from ' + source:>40}: {n}")
    return 0


def _reindex(args: argparse.Namespace) -> int:
    with session_scope(args.database) as session:
        n = search_index.rebuild(session)
    print(f"{n} search entries")
    return 0


def _refresh_meetings(args: argparse.Namespace) -> int:
    import os

    from resources_db.feeds import feed_urls
    from resources_db.meeting_refresh import feed_states, refresh_feeds

    urls = feed_urls(" ".join(args.urls) if args.urls else os.environ.get("RN_MEETING_FEEDS", ""))
    if not urls and not args.status:
        print("error: no feeds: give URLs or set RN_MEETING_FEEDS", file=sys.stderr)
        return 2
    failed = False
    for outcome in refresh_feeds(urls, args.database):
        print(outcome.text())
        failed = failed or outcome.outcome == "failed"
    if args.status:
        for feed in feed_states(args.database):
            print(
                f"{feed.url}: {feed.meetings} meetings; last success "
                f"{_when(feed.last_success_at)}; last outcome {feed.last_outcome or '-'}"
                + (
                    f"; last error {_when(feed.last_error_at)}: {feed.last_error}"
                    if feed.last_error
                    else ""
                )
            )
    return 1 if failed else 0


def _when(value: object) -> str:
    return str(value)[:19] if value else "never"


def _shown(url: str | None) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url or database_url()).render_as_string(hide_password=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m resources_db", description="Keep and search the resource directory."
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        default=None,
        help="database URL (default: RN_DATABASE_URL or var/directory.sqlite3)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init", help="create or migrate the directory tables")
    p.set_defaults(run=_init)

    p = sub.add_parser("seed", help="import the bundled real data if the directory is empty")
    p.add_argument("--force", action="store_true", help="import again even if not empty")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(run=_seed)

    p = sub.add_parser("import", help="import one file (FORMAT PATH)")
    p.add_argument("format", choices=[*FORMATS, "hsds"])
    p.add_argument(
        "path",
        help="file to import (hsds: a folder, a .zip or datapackage.json; meeting-guide: "
        "also an http(s) URL of the feed)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--max-errors", type=int, default=50, help="row errors to list")
    p.add_argument(
        "--accept-partial",
        action="store_true",
        help="import the good rows even when some are rejected (default: import nothing "
        "and exit 1)",
    )
    p.set_defaults(run=_import)

    p = sub.add_parser("export", help="export the directory (hsds OUT)")
    p.add_argument("format", choices=["hsds"])
    p.add_argument("out", help="folder, or a path ending in .zip")
    p.set_defaults(run=_export)

    p = sub.add_parser("search", help="search like the API does")
    p.add_argument("--need", help=f"one or more of: {', '.join(NEEDS)} (comma-separated)")
    p.add_argument("--near", help="ZIP code, 'City, ST' or city name")
    p.add_argument("--lat", type=float)
    p.add_argument("--lon", type=float)
    p.add_argument("--radius", type=float, default=25.0, help="miles, 1 to 200 (default 25)")
    p.add_argument("--insurance", choices=INSURANCE_QUERY_VALUES)
    p.add_argument("--population", choices=POPULATIONS)
    p.add_argument("--language", help="ISO 639-1 code, e.g. es")
    p.add_argument("--open-now", action="store_true")
    p.add_argument("--limit", type=int, default=10)
    p.add_argument("--offset", type=int, default=0)
    p.add_argument("--json", action="store_true", help="print the API response body")
    p.set_defaults(run=_search)

    p = sub.add_parser("stats", help="count what the directory holds")
    p.set_defaults(run=_stats)

    p = sub.add_parser(
        "refresh-meetings",
        help="fetch the Meeting Guide feeds now (default: RN_MEETING_FEEDS) and import changes",
    )
    p.add_argument("urls", nargs="*", metavar="URL", help="feed URLs (default: RN_MEETING_FEEDS)")
    p.add_argument("--status", action="store_true", help="also list every feed's last refresh")
    p.set_defaults(run=_refresh_meetings)

    p = sub.add_parser("reindex", help="rebuild the search index from the directory tables")
    p.set_defaults(run=_reindex)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args))
    except SQLAlchemyError as error:
        print(f"error: database problem: {error.__class__.__name__}: {error}", file=sys.stderr)
        return 1
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
