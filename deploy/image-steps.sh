#!/bin/sh
# The Dockerfile's build steps, runnable without Docker (deploy/check.sh runs them into a temporary
# virtualenv): `image-steps.sh venv <venv> <src>` installs the platform; `image-steps.sh static <venv>
# <src>` compiles the message catalogues it can and collects the static files with production settings.
set -eu
step=$1 venv=$2 src=$3
case "$step" in
  venv)
    python3 -m venv "$venv"
    if [ -n "${IMAGE_STEPS_SITE_PACKAGES:-}" ]; then
      # CI shortcut (deploy/check.sh): dependencies already installed there count as installed here,
      # so pip checks the requirements and installs only the project and what is missing.
      "$venv/bin/python" -c 'import sys, sysconfig, pathlib; pathlib.Path(sysconfig.get_paths()["purelib"], "_ci_deps.pth").write_text(sys.argv[1] + "\n")' "$IMAGE_STEPS_SITE_PACKAGES"
    else
      "$venv/bin/pip" install --quiet --upgrade pip
    fi
    # The project with its optional S3 media storage and Sentry support.
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$src[sentry,s3]"
    "$venv/bin/python" -c "import django, weasyprint, storages, sentry_sdk, django_prometheus, pythonjsonlogger"
    ;;
  static)
    cd "$src"
    # IMAGE_STEPS_STATIC_ARGS=--dry-run (deploy/check.sh) checks the step without compressing every file.
    # collectstatic never connects to the cache; the production settings only require a Redis URL.
    SECRET_KEY=image-build-only-not-a-secret-0123456789-0123456789-0123456789 \
    ALLOWED_HOSTS=localhost SITE_URL=http://localhost CACHE_URL=redis://localhost:6379/0 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
      "$venv/bin/python" manage.py collectstatic --no-input -v 0 ${IMAGE_STEPS_STATIC_ARGS:-}
    ;;
  *) echo "usage: $0 venv|static <venv> <src>" >&2; exit 2 ;;
esac
