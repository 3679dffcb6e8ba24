# mockbi as a CI sidecar:
#   docker build -t mockbi . && docker run --rm -p 8080:8080 mockbi
#   readiness: GET http://<host>:8080/__mockbi/health  ->  {"status":"ok"}
# Settings: MOCKBI_SEED, MOCKBI_SCENARIO, MOCKBI_PORT, MOCKBI_LOG_LEVEL (or pass CLI flags after the image name).
# Bound to 0.0.0.0, the admin API needs MOCKBI_ADMIN_TOKEN (clients send "Authorization: Bearer <token>" to
# /__mockbi/...), or MOCKBI_INSECURE_ADMIN=1 on a private CI network; vendor routes never need it.
FROM python:3.11-slim

WORKDIR /opt/mockbi
COPY pyproject.toml README.md ./
COPY mockbi ./mockbi
COPY contracts ./contracts
COPY seeds ./seeds
RUN pip install --no-cache-dir . && useradd --system mockbi

USER mockbi
# the port comes from MOCKBI_PORT (not a CMD flag, which would win over it), and the health check reads it too
ENV MOCKBI_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=5s --timeout=2s --retries=12 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/__mockbi/health' % os.environ.get('MOCKBI_PORT', '8080'))"
ENTRYPOINT ["mockbi", "serve", "--host", "0.0.0.0"]
