# Gugan: one image for the web process, the Celery worker and Celery beat (see docker-compose.yml).

# -- front-end packages: Debian's Node.js runs `npm ci` here and stays out of the final image --
FROM python:3.11-slim-bookworm AS assets

RUN apt-get update \
    && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error


# -- the application ----------------------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# WeasyPrint needs Pango and HarfBuzz; fonts-noto-cjk keeps Chinese text from printing as boxes,
# and fontconfig's fc-list lets the gugan.W001 system check see that font. `manage.py backup`
# and `restore` run pg_dump and pg_restore (PostgreSQL 15, as the db service).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fontconfig \
        postgresql-client \
        fonts-noto-cjk \
        libharfbuzz-subset0 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so code changes don't reinstall them. The project itself is not a
# package (packages = []), so installing pyproject.toml installs just its dependencies.
COPY pyproject.toml /tmp/gugan/
RUN pip install /tmp/gugan && rm -rf /tmp/gugan

RUN groupadd --system gugan \
    && useradd --system --gid gugan --home-dir /app --shell /usr/sbin/nologin gugan

WORKDIR /app
COPY --from=assets /build/node_modules ./node_modules
COPY . .

# collectstatic reads no secrets and touches no database; the values below exist only for this
# step and are not part of the image's environment.
RUN SECRET_KEY=build-only-not-secret ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput \
    && mkdir -p var/media \
    && chown gugan:gugan var var/media

USER gugan

EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-b", "0.0.0.0:8000", "-w", "3"]
