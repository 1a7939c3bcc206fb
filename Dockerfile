# The image of compose.yaml (app servers, Celery worker and beat). Not built by the tests.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        fonts-noto-cjk fonts-dejavu-core libmagic1 libpango-1.0-0 libpangoft2-1.0-0 gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY config ./config
COPY makerspace ./makerspace
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_SECRET_KEY=build-only VAR_DIR=/tmp/build python manage.py compilemessages -l en -v0
RUN useradd --system --uid 1000 makerspace && mkdir -p /app/var && chown makerspace /app/var
USER makerspace
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--timeout", "60", "--max-requests", "1000", "--max-requests-jitter", "100"]
