# syntax=docker/dockerfile:1
# Career Compass API image. The same image runs the API (default CMD) and the one-shot
# init step (alembic upgrade head && careers-admin load data && careers-admin reindex --if-missing).
#
# torch comes from PyPI, which on linux/amd64 pulls the CUDA wheels: the image is large (several
# GB) and that is accepted. For a CPU-only build pass the PyTorch CPU index:
#   docker build --build-arg TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu .
FROM python:3.11-slim

ARG TORCH_INDEX_URL=""

# PYTHONPATH=/app puts /app first on the path, so search_api and indexer resolve to the copied
# tree, where mappings/, data/ and migrations/ sit beside them (not to site-packages).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    PYTHONPATH=/app

WORKDIR /app

# Dependencies first, in their own layer, so a source change does not reinstall torch.
COPY pyproject.toml README.md ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install ${TORCH_INDEX_URL:+--extra-index-url "$TORCH_INDEX_URL"} -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY search_api/ search_api/
COPY indexer/ indexer/
COPY mappings/ mappings/
COPY data/ data/
COPY alembic.ini ./
COPY migrations/ migrations/

# The project itself (console script careers-admin); its dependencies are already in place.
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /home/app --create-home app
ENV HOME=/home/app
# Numeric so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
# The query encoder's ONNX export (search_api/core/embeddings.py), made once at build time so
# no container spends its start on it.
RUN python -c "from search_api.core.embeddings import Embedder; e = Embedder(); e.load(queries=True); assert e.runtime == 'onnx'"

EXPOSE 8000

# 200 healthy and 206 degraded (Redis down) pass; 503 and connection errors fail.
# The start period covers loading the embedding model.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4)"]

CMD ["uvicorn", "search_api.main:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000"]
