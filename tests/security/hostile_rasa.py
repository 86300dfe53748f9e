"""A stand-in for Rasa whose every answer carries script (fictional test data only).

    python tests/security/hostile_rasa.py PORT

It echoes the person's text, and puts script into every text field it answers with: card
fields, button titles, crisis line names and the handoff summary that peers see. The server
is tests/e2e/fake_rasa.py's, with these replies.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# Run as a script (`python tests/security/hostile_rasa.py`): the repository's packages too.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.e2e import fake_rasa  # noqa: E402

PAYLOADS = [
    '<img src=x onerror="window.__pwned=\'img\'">',
    "<script>window.__pwned='script'</script>",
    '<svg onload="window.__pwned=\'svg\'"></svg>',
    '"><iframe srcdoc="<script>parent.__pwned=\'iframe\'</script>"></iframe>',
    "<a href=\"javascript:window.__pwned='a'\">x</a><b onmouseover=alert(1)>hover</b>",
]
SCRIPT = "".join(PAYLOADS)


def card(n: int) -> dict[str, Any]:
    return {
        "id": f"example-xss-{n}", "name": f"Example Center {n} {SCRIPT}",
        "organization": f"Example Org {SCRIPT}", "categories": ["detox", SCRIPT],
        "address": f"{n} Example St {SCRIPT}", "city": f"Baltimore{SCRIPT}", "state": SCRIPT,
        "zip": SCRIPT, "lat": 39.29, "lon": -76.62, "distance_miles": 0.5,
        "phone": f"410-555-010{n} {SCRIPT}", "website": "javascript:window.__pwned='website'",
        "insurance": ["medicaid", SCRIPT], "populations": [SCRIPT], "languages": [SCRIPT],
        "hours": f"24/7 {SCRIPT}", "open_now": True,
        "capacity": {"available": 1, "total": 2, "unit": SCRIPT,
                     "updated_at": "2026-01-01T00:00:00Z"},
        "last_verified": SCRIPT, "source": SCRIPT,
    }


def reply_to(message: str) -> list[dict[str, Any]]:
    if message == "/request_peer":
        return [{"text": f"Asking a peer {SCRIPT}",
                 "custom": {"type": "handoff", "status": "queued",
                            "summary": {"needs": ["detox", SCRIPT], "location": SCRIPT,
                                        "insurance": SCRIPT, "notes": SCRIPT}}}]
    if message == "cards":
        return [{"custom": {"type": "resources", "query": {}, "total": 2, "relaxed": False,
                            "resources": [card(1), card(2)]}}]
    if message == "crisis":
        return [{"custom": {"type": "crisis", "kind": "overdose",
                            "lines": [{"name": f"Example line {SCRIPT}", "phone": SCRIPT,
                                       "text": SCRIPT}]}}]
    return [{"text": "echo: " + message,
             "buttons": [{"title": f"Example button {SCRIPT}", "payload": "/example"}]}]


if __name__ == "__main__":
    fake_rasa.serve(reply_to)
