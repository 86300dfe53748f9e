"""Hypothesis strategies for hostile input: huge, empty, control characters, emoji,
right-to-left text, HTML/JavaScript and SQL-looking strings (fictional, test-only)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

#: Stable runs: the same examples every time, no per-example deadline, no example database.
FUZZ = settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture, HealthCheck.large_base_example,
                           HealthCheck.filter_too_much],
)

PAYLOADS = [
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=alert(1)>',
    "javascript:alert(document.cookie)",
    "{{7*7}}${7*7}<%= 7*7 %>",
    "'; DROP TABLE web_conversations; --",
    "' OR '1'='1' --",
    "1; SELECT pg_sleep(10); --",
    "Robert'); DELETE FROM web_messages WHERE ('1'='1",
    "%00%27%22%3Cscript%3E",
    "../../../../etc/passwd",
    "\u202egnp.exe",  # right-to-left override
    "أحتاج إلى مساعدة قرب 21201",
    "אני צריך עזרה",
    "👩‍👩‍👧‍👦🏳️‍🌈🧑🏽‍⚕️",
    "\x00\x01\x07\x1b[31m\x7f",
    "\r\n\r\nHTTP/1.1 200 OK\r\n",
    "\u200b\u200d\ufeff\u2028\u2029",
    "/request_peer{\"x\": \"<b>\"}",
    "detox near 21201' OR 1=1 --",
]

_control = st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs"]), max_size=20)
_rtl = st.text(st.characters(min_codepoint=0x0590, max_codepoint=0x06FF), max_size=30)
_emoji = st.text(st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF), max_size=20)
_any_text = st.text(max_size=40)
_fragment = st.one_of(st.sampled_from(PAYLOADS), _control, _rtl, _emoji, _any_text)


def _repeat(piece: str, times: int) -> str:
    return (piece or "x") * times


#: One hostile string: empty, a mix of fragments, or something huge (up to ~200 KB).
hostile_text = st.one_of(
    st.just(""),
    st.lists(_fragment, max_size=6).map("".join),
    st.builds(_repeat, _fragment, st.integers(min_value=50, max_value=5000)),
)

#: Characters allowed in a raw (already percent-encoded) query string, bad escapes included.
_QUERY_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFZ0123456789%&=;+,/?:@!$'()*-._~"
raw_query = st.text(st.sampled_from(_QUERY_CHARS), max_size=200)

#: A header value that HTTP allows (visible ASCII and spaces).
header_value = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=200)

#: Any JSON value, nested a little, with hostile strings inside.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | hostile_text,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=8,
)


def run_cases(
    count: int,
    strategy: st.SearchStrategy[object],
    check: object,
    examples: tuple[object, ...] = (),
) -> int:
    """Run `check` on `count` generated examples (plus the explicit `examples`, regressions
    found earlier); returns how many generated ones ran to the end.

    The tests assert the returned number, so the case counts in docs/security.md are real.
    """
    ran = 0

    def each(value: object) -> None:
        nonlocal ran
        check(value)  # type: ignore[operator]
        ran += 1

    test = given(strategy)(each)
    for value in examples:
        test = example(value)(test)
    settings(FUZZ, max_examples=count)(test)()
    return ran - len(examples)
