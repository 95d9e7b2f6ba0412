# The portal's production image: web (gunicorn), worker and beat all run from it.
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    PATH="/opt/venv/bin:$PATH"

RUN pip install --no-cache-dir "uv==0.13.9" \
 && useradd --create-home --uid 1000 portal

# pg_dump and pg_restore for `manage.py backup` and `restore`, of the database's major version
# (docker-compose's postgres:16; a pg_dump older than the server refuses to dump it), from the
# PostgreSQL project's own repository: Debian's package follows Debian's release instead.
ARG POSTGRES_MAJOR=16
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends ca-certificates curl \
 && install -d /usr/share/postgresql-common/pgdg \
 && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
      https://www.postgresql.org/media/keys/ACCC4CF8.asc \
 && . /etc/os-release \
 && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt ${VERSION_CODENAME}-pgdg main" \
      > /etc/apt/sources.list.d/pgdg.list \
 && apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends "postgresql-client-${POSTGRES_MAJOR}" \
 && apt-get purge -y -qq curl && apt-get autoremove -y -qq \
 && rm -rf /var/lib/apt/lists/*

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
 && mkdir -p /app/media /app/private-media /backups \
 && chown portal:portal /app/media /app/private-media /backups

USER portal
EXPOSE 8000
CMD ["gunicorn", "untfsse.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
