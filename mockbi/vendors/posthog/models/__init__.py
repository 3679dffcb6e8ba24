"""PostHog domain records (``entities``) and the scenario-driven world builder (``seed``)."""

from __future__ import annotations
