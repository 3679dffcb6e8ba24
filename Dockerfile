# mockbi as a CI sidecar:
#   docker build -t mockbi . && docker run --rm -p 8080:8080 mockbi
#   readiness: GET http://<host>:8080/__mockbi/health  ->  {"status":"ok"}
# Settings: MOCKBI_SEED, MOCKBI_SCENARIO, MOCKBI_PORT, MOCKBI_LOG_LEVEL (or pass CLI flags after the image name).
FROM python:3.11-slim

WORKDIR /opt/mockbi
COPY pyproject.toml README.md ./
COPY mockbi ./mockbi
COPY contracts ./contracts
COPY seeds ./seeds
RUN pip install --no-cache-dir . && useradd --system mockbi

USER mockbi
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=2s --retries=12 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/__mockbi/health').status == 200 else 1)"
ENTRYPOINT ["mockbi", "serve", "--host", "0.0.0.0"]
CMD ["--port", "8080"]
