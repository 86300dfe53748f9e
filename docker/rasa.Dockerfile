# The Rasa 3.6 server on Python 3.10, with the project's own spaCy pipeline and a model
# trained at build time. Reachable only on the internal network.
FROM python:3.10-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app SQLALCHEMY_SILENCE_UBER_WARNING=1
WORKDIR /app
COPY requirements/rasa.lock requirements/rasa.lock
RUN pip install --no-cache-dir -r requirements/rasa.lock
COPY bot bot
COPY core core
COPY devstack/__init__.py devstack/rasa_entry.py devstack/
COPY data data
COPY config.yml config.yml
RUN python -m bot.sentence_model fetch --out build/sentence_model \
 && python -m bot.spacy_pipeline.build --out build/spacy_pipeline \
 && rasa train --config config.yml --domain bot/domain --data data --out models --fixed-model-name recovery-navigator
# Serving settings measured in docs/benchmarks.md "Turn cost", as in devstack/processes.py
# (set after training, which keeps TensorFlow's defaults): without oneDNN's per-shape kernel
# cache the server holds ~110 MB less and does not grow.
ENV TF_ENABLE_ONEDNN_OPTS=0
RUN useradd --system --uid 10001 rasa && chown -R rasa /app
USER rasa
EXPOSE 5005
# The API token comes from RN_RASA_TOKEN, never the command line (devstack/rasa_entry.py).
ENTRYPOINT ["python", "-m", "devstack.rasa_entry"]
CMD ["run", "--enable-api"]
