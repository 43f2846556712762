# Shared by the real-client scripts: start a built server on a port the kernel picks (--port 0,
# so no script races another process for a port) with pinned root credentials, read the URL it
# prints, and point the aws CLI and boto3 at it. Source it; it stops the server on exit.
set -euo pipefail
ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_DIR="$(mktemp -d)"
export AWS_ACCESS_KEY_ID=AKIACISEEDROOTKEY000
export AWS_SECRET_ACCESS_KEY=ciSeedRootSecretKey0000000000000000000000
export AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_PAGER=""
unset AWS_SESSION_TOKEN AWS_PROFILE || true

IAMLOCAL_ROOT_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID IAMLOCAL_ROOT_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY \
  node "$ROOT_DIR/dist/iamlocal.js" start --port 0 --data-dir "$DATA_DIR" --log-format text \
  >"$DATA_DIR/server.out" 2>"$DATA_DIR/server.log" &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true; rm -rf "$DATA_DIR"' EXIT
# The banner "iamlocal X listening on http://127.0.0.1:PORT (...)" names the port it got.
AWS_ENDPOINT_URL=""
for _ in $(seq 1 300); do
  AWS_ENDPOINT_URL=$(sed -nE 's|^iamlocal .* listening on (http://[^ ]+) .*|\1|p' "$DATA_DIR/server.out")
  [ -n "$AWS_ENDPOINT_URL" ] && break
  kill -0 $SERVER_PID 2>/dev/null || break
  sleep 0.1
done
if [ -z "$AWS_ENDPOINT_URL" ]; then
  echo "FAIL: the server printed no listening URL" >&2; cat "$DATA_DIR/server.out" "$DATA_DIR/server.log" >&2; exit 1
fi
export AWS_ENDPOINT_URL
curl -sf "$AWS_ENDPOINT_URL/_iamlocal/health" >/dev/null || { echo "FAIL: $AWS_ENDPOINT_URL/_iamlocal/health" >&2; exit 1; }

fail() { echo "FAIL: $*" >&2; echo "--- server log:" >&2; tail -20 "$DATA_DIR/server.log" >&2; exit 1; }
# expect_error CODE command… : the command must fail and mention CODE.
expect_error() {
  local code=$1; shift
  local out
  if out=$("$@" 2>&1); then fail "expected $code from: $*"; fi
  grep -q "$code" <<<"$out" || fail "expected $code from: $* — got: $out"
}
# as_user KEY SECRET command… : run a command with other credentials.
as_user() { local k=$1 s=$2; shift 2; AWS_ACCESS_KEY_ID=$k AWS_SECRET_ACCESS_KEY=$s "$@"; }
