# The portal's production image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    PATH="/opt/venv/bin:$PATH"

RUN pip install --no-cache-dir "uv==0.13.9" \
 && useradd --create-home --uid 1000 portal

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# Static files and translations are built into the image; they need no database. The
# collection runs with the production settings (DEBUG off) so that whitenoise's manifest of
# hashed file names exists; the values below exist only for this build step.
RUN DEBUG=true python manage.py compile_translations \
 && DEBUG=false SECRET_KEY=build-only-not-a-secret-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
    ALLOWED_HOSTS=build DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput \
 && mkdir -p /app/media /app/private-media && chown portal:portal /app/media /app/private-media

USER portal
EXPOSE 8000
CMD ["gunicorn", "untfsse.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
