"""Password policy for peer and admin accounts: long enough and hard to guess.

Length alone let "12 spaces" and "password1234" through (issue 22, finding 11). zxcvbn
estimates how many guesses a password takes against common passwords, words, names, keyboard
patterns, repeats and dates, offline; we require its score 3 ("safely unguessable: moderate
protection from offline slow-hash scenario") on top of 12 characters, and tell the person why.
"""

from __future__ import annotations

from collections.abc import Iterable

from zxcvbn import zxcvbn  # type: ignore[import-untyped]

MIN_LENGTH = 12
MIN_SCORE = 3
#: zxcvbn stops scoring after this many characters (a long passphrase is fine)
SCORED_CHARS = 100


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why the password is refused, in plain words, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return f"The password must be at least {MIN_LENGTH} characters."
    result = zxcvbn(password[:SCORED_CHARS], user_inputs=[u for u in user_inputs if u])
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result.get("feedback") or {}
    reasons = [feedback.get("warning") or "It would be easy to guess."]
    reasons += list(feedback.get("suggestions") or [])[:2]
    return (
        "Choose a stronger password: " + " ".join(r.rstrip(".") + "." for r in reasons if r)
        + " A few unrelated words make a good one."
    )
