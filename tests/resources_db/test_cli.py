"""The directory command line: `python -m resources_db …`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from resources_db.cli import build_parser, main
from tests.fixtures.directory import BALTIMORE

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["init", "seed", "import", "export", "search", "stats", "reindex"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_module_runs_and_fails_cleanly_without_a_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "resources_db"], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode != 0 and "usage:" in done.stderr
    assert "Traceback" not in done.stderr


def test_init_import_search_stats_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert main(["--database", url, "init"]) == 0
    csv_path = tmp_path / "otp.csv"
    csv_path.write_text(
        "ID,ADDRESS,CITY,STATE,POSTAL,Latitude,Longitude\n"
        "Example Opioid Treatment Program,1 Example Street,Baltimore,MD,21201,"
        f"{BALTIMORE[0]},{BALTIMORE[1]}\n"
        "Example Broken Row,2 Example Street,Baltimore,MD,21201,,\n"
    )
    assert main(["--database", url, "import", "geoda-otp", str(csv_path), "--quiet",
                 "--accept-partial"]) == 0
    out = capsys.readouterr().out
    assert "1 created" in out and "line 3: latitude" in out

    search = ["--database", url, "search", "--need", "moud",
              "--lat", str(BALTIMORE[0]), "--lon", str(BALTIMORE[1])]
    assert main([*search, "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["total"] == 1 and body["resources"][0]["name"] == "Example Opioid Treatment Program"

    assert main(search) == 0
    assert "Example Opioid Treatment Program (0.0 mi)" in capsys.readouterr().out

    assert main(["--database", url, "stats"]) == 0
    assert "from samhsa-otp-directory: 1" in capsys.readouterr().out

    assert main(["--database", url, "export", "hsds", str(tmp_path / "out.zip")]) == 0
    assert (tmp_path / "out.zip").exists()


def test_search_errors_exit_non_zero_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    main(["--database", url, "init"])
    capsys.readouterr()
    assert (
        main(["--database", url, "search", "--need", "rehab", "--lat", "39", "--lon", "-76"]) == 2
    )
    assert "Unknown need" in capsys.readouterr().err
    assert main(["--database", url, "search", "--need", "detox"]) == 2


def test_import_of_a_missing_file_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert main(["--database", url, "import", "geoda-sud", str(tmp_path / "nope.csv")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_unknown_format_is_refused() -> None:
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["import", "excel", "x.xlsx"])
    assert exited.value.code == 2


def test_seed_skips_a_directory_that_has_data(
    directory_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--database", directory_url, "seed", "--quiet"]) == 0
    assert "already has data" in capsys.readouterr().out


def _otp_file(tmp_path: Path) -> Path:
    csv_path = tmp_path / "otp.csv"
    csv_path.write_text(
        "ID,ADDRESS,CITY,STATE,POSTAL,Latitude,Longitude\n"
        "Example Opioid Treatment Program,1 Example Street,Baltimore,MD,21201,"
        f"{BALTIMORE[0]},{BALTIMORE[1]}\n"
        "Example Broken Row,2 Example Street,Baltimore,MD,2120,39.29,-76.61\n"
    )
    return csv_path


def _services(url: str) -> list[str]:
    from sqlalchemy import select

    from resources_db.db import session_scope
    from resources_db.models import Service

    with session_scope(url) as session:
        return list(session.scalars(select(Service.name)))


def test_rejected_rows_exit_non_zero_and_import_nothing_without_accept_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert main(["--database", url, "import", "geoda-otp", str(_otp_file(tmp_path)),
                 "--quiet"]) == 1
    captured = capsys.readouterr()
    assert "line 3: POSTAL: ZIP must be 5 digits" in captured.out
    assert "--accept-partial" in captured.err and "Nothing was imported" in captured.err
    assert _services(url) == []


def test_accept_partial_imports_the_good_rows_and_lists_the_rest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    assert main(["--database", url, "import", "geoda-otp", str(_otp_file(tmp_path)),
                 "--quiet", "--accept-partial"]) == 0
    out = capsys.readouterr().out
    assert "1 created" in out and "line 3: POSTAL" in out and "02120?" in out
    assert _services(url) == ["Example Opioid Treatment Program"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "empty"),
        ("facility,street\nExample Recovery Center,1 Example Street\n", "missing columns"),
    ],
)
def test_an_empty_or_wrong_file_exits_non_zero_even_with_accept_partial(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    url = f"sqlite:///{tmp_path}/cli.sqlite3"
    path = tmp_path / "bad.csv"
    path.write_text(text)
    assert main(["--database", url, "import", "geoda-otp", str(path), "--quiet",
                 "--accept-partial"]) == 1
    assert expected in capsys.readouterr().out
