# The rasa-sdk action server on Python 3.11. Reachable only on the internal network.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app
WORKDIR /app
COPY requirements/app.lock requirements/app.lock
RUN pip install --no-cache-dir -r requirements/app.lock
COPY resources_db resources_db
COPY actions actions
COPY core core
# the /metrics listener (RN_ACTIONS_METRICS_PORT) and JSON logs (RN_LOG_FORMAT) are the web app's
COPY web/__init__.py web/metrics.py web/logs.py web/
RUN useradd --system --uid 10001 app
USER app
EXPOSE 5055
CMD ["python", "-m", "actions.server", "--actions", "actions", "--port", "5055"]
