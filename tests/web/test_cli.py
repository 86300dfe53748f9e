"""python -m web createuser / migrate."""

from __future__ import annotations

import io

from web.__main__ import main
from web.accounts import authenticate


def test_createuser_reads_the_password_from_stdin(cli_database: str, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    code = main(["createuser", "Sam", "--role", "peer", "--display-name", "Sam",
                 "--password-stdin"])
    assert code == 0
    assert "created peer 'sam' (Sam)" in capsys.readouterr().out
    user = authenticate(cli_database, "sam", "a long enough password")
    assert user is not None and user.role == "peer" and user.password_hash.startswith("$argon2")


def test_createuser_refuses_short_passwords_and_duplicates(cli_database: str, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["createuser", "sam", "--role", "peer", "--display-name", "Sam",
                 "--password-stdin"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    for expected in (0, 1):
        monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
        assert main(["createuser", "sam", "--role", "admin", "--display-name", "Sam",
                     "--password-stdin"]) == expected
    assert "already exists" in capsys.readouterr().err


def test_migrate_is_repeatable(cli_database: str, capsys):
    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_production_without_secrets_refuses_to_start(cli_database: str, monkeypatch, capsys):
    monkeypatch.setenv("RN_ENV", "production")
    monkeypatch.delenv("RN_SECRET_KEY", raising=False)
    assert main(["migrate"]) == 2
    assert "RN_SECRET_KEY" in capsys.readouterr().err
