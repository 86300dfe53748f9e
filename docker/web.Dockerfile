# The public web app (chat page, peer console, admin, JSON API) on Python 3.11.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app
WORKDIR /app
COPY requirements/app.lock requirements/app.lock
RUN pip install --no-cache-dir -r requirements/app.lock
COPY resources_db resources_db
COPY web web
COPY core core
RUN useradd --system --uid 10001 app
USER app
EXPOSE 8000
CMD ["python", "-m", "web"]
