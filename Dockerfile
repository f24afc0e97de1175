# clusterbase: the web image (gunicorn) that also runs the Celery worker and scheduler.
# Build: docker build -t clusterbase .   Run: see compose.yaml and the README's deployment section.

# --- build: wheels of the project and its dependencies --------------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml ./
COPY config ./config
COPY clusters ./clusters
COPY canvases ./canvases
COPY impact ./impact
COPY charts ./charts
COPY reports ./reports
COPY api ./api
RUN pip wheel --wheel-dir /wheels ".[s3]"

# --- runtime: no compiler, no build files, not root ---------------------------------------------
FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    DJANGO_STATIC_ROOT=/app/static \
    PORT=8000
# The PDF reports (WeasyPrint) and PNG pictures (CairoSVG) draw with pango, cairo and a font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0=1.50.12+ds-1 libpangoft2-1.0-0=1.50.12+ds-1 \
       libharfbuzz-subset0=6.0.0+dfsg-3 libcairo2=1.16.0-7 fonts-dejavu-core=2.37-6 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build /wheels /wheels
RUN pip install --no-deps /wheels/*.whl && rm -rf /wheels
COPY manage.py ./
COPY config ./config
COPY clusters ./clusters
COPY canvases ./canvases
COPY impact ./impact
COPY charts ./charts
COPY reports ./reports
COPY api ./api
# Static files are hashed and compressed once, here; the key only lets settings load.
RUN DJANGO_SECRET_KEY=collectstatic-only-not-a-secret-0123456789-abcdefghijklmnop \
    DJANGO_ALLOWED_HOSTS=build MANAGE_QUIET=1 \
    python manage.py collectstatic --noinput --verbosity 0
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=2)"]
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
