#!/usr/bin/env bash
# Every check of `make test`, each run even when an earlier one failed, then a summary.
# Exit status: 0 only when every check passed. pytest's "no tests ran" (exit 5) is a failure.
set -uo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
RASA=.venv-rasa/bin/rasa
RASA_PY=.venv-rasa/bin/python
MODEL=models/recovery-navigator.tar.gz
export SQLALCHEMY_SILENCE_UBER_WARNING=1 PYTHONPATH="$PWD"
mkdir -p results test-artifacts

# The directory's tests also run against PostgreSQL when one answers (CI machines have one).
if [ -z "${RN_TEST_POSTGRES_URL:-}" ] && command -v pg_isready >/dev/null \
   && pg_isready -q -h 127.0.0.1 -p 5432; then
  export RN_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
fi

names=(); results=(); times=()
check() {
  local name="$1"; shift
  echo; echo "=== $name: $*"
  local start=$SECONDS status
  "$@"; status=$?
  [ "$status" -eq 5 ] && echo "(pytest ran no test: counted as a failure)"
  names+=("$name"); results+=("$status"); times+=("$((SECONDS - start))")
}

check "ruff"                 .venv/bin/ruff check .
check "mypy"                 .venv/bin/mypy
check "pytest (unit)"        $PY -m pytest -q -m "not stack and not browser" \
                                 --junitxml=results/pytest-unit.xml
check "rasa data validate"   $RASA data validate --config config.yml --domain bot/domain \
                                 --data data --fail-on-warnings
check "NLU components"       $RASA_PY tests/bot/check_component.py
check "sentence encoder"     $RASA_PY tests/bot/check_sentence_components.py
check "rasa server fix"      $RASA_PY tests/bot/check_server.py
check "responses fill"       $RASA_PY tests/bot/check_responses.py
check "TED prediction table" $RASA_PY tests/bot/check_policy_cache.py "$MODEL"
check "tracker store (SQLite)" $RASA_PY tests/bot/check_tracker_store_sqlite.py
check "story messages (NLU)" $RASA_PY tests/bot/check_story_nlu.py "$MODEL"
check "rasa test (stories)"  $RASA test core --model "$MODEL" --stories tests/conversations \
                                 --fail-on-prediction-errors --out results/core
check "pytest (stack, browser)" $PY -m pytest -q -m "stack or browser" \
                                 --junitxml=results/pytest-e2e.xml

echo; echo "=== Summary"
failed=0
for i in "${!names[@]}"; do
  if [ "${results[$i]}" -eq 0 ]; then verdict=PASS; else verdict="FAIL (exit ${results[$i]})"; failed=$((failed + 1)); fi
  printf '  %-26s %-16s %4ss\n' "${names[$i]}" "$verdict" "${times[$i]}"
done
total=${#names[@]}
echo "checks: $((total - failed)) passed, $failed failed"
[ -n "${RN_TEST_POSTGRES_URL:-}" ] || echo "note: no PostgreSQL answered on 127.0.0.1:5432, so its tests were skipped"
exit $(( failed > 0 ? 1 : 0 ))
