"""Hasura Cloud API (control plane): ``POST /v1/graphql`` with ``Authorization: pat <token>``; ``VENDOR``
for the engine. The package follows the vendor skeleton (docs/ARCHITECTURE.md); the quirks are in
``vendor.py`` and ``contracts/hasura_cloud/SOURCE.md``."""

from __future__ import annotations

from mockbi.vendors.hasura_cloud.vendor import HasuraCloud

VENDOR = HasuraCloud()
