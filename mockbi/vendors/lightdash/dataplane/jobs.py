"""Async scheduler jobs (downloadCsv, uploadGsheet, sendScheduler, validateProject) on an injected clock.

A job is ``scheduled`` when created, ``started`` once ``start_after`` seconds have passed on the clock,
then ``completed`` (or ``error`` if it was created to fail) ``run_for`` seconds later. The status is
derived from the clock on every read, so advancing a frozen clock is all a test needs.

Views:
- ``status_view`` -> ``GET /api/v1/schedulers/job/{jobId}/status`` results ``{status, details}``
  (details null until done; ``{fileUrl, truncated, createdByUserUuid}`` or ``{error, createdByUserUuid}``);
  unknown job: NotFoundError "Job not found".
- ``csv_url_view`` -> ``GET /api/v1/csv/{jobId}`` results ``{url?, status, truncated}``; unknown job, not a
  CSV job or another user's: NotFoundError "Download CSV job not found"; errored: NotExistsError(error).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .errors import NotExistsError, NotFoundError

CSV_KINDS = ("downloadCsv", "uploadGsheetFromQuery")


@dataclass(slots=True)
class Job:
    job_id: str
    kind: str
    created_at: datetime
    created_by_user_uuid: str | None
    start_after: float
    run_for: float
    details: dict[str, Any] = field(default_factory=dict)  # merged into the completed details
    error: str | None = None  # set: the job ends in ``error`` with this message
    payload: dict[str, Any] = field(default_factory=dict)  # anything the vendor wants back (csv text...)

    def status_at(self, now: datetime) -> str:
        elapsed = (now - self.created_at).total_seconds()
        if elapsed < self.start_after:
            return "scheduled"
        if elapsed < self.start_after + self.run_for:
            return "started"
        return "error" if self.error is not None else "completed"


class JobQueue:
    """Jobs by id. ``clock`` is a callable returning the current (injected) datetime."""

    def __init__(self, clock: Callable[[], datetime], rng: random.Random, *, start_after: float = 1.0,
                 run_for: float = 2.0) -> None:
        self.clock = clock
        self.rng = rng
        self.start_after = start_after
        self.run_for = run_for
        self.jobs: dict[str, Job] = {}

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def submit(self, kind: str, *, user_uuid: str | None = None, details: dict[str, Any] | None = None,
               error: str | None = None, payload: dict[str, Any] | None = None, job_id: str | None = None,
               start_after: float | None = None, run_for: float | None = None) -> Job:
        """Schedule a job now; returns it (its ``job_id`` is the ``{jobId}`` the API answers with)."""
        job = Job(job_id or self.new_id(), kind, self.clock(), user_uuid,
                  self.start_after if start_after is None else start_after,
                  self.run_for if run_for is None else run_for,
                  dict(details or {}), error, dict(payload or {}))
        self.jobs[job.job_id] = job
        return job

    def status_view(self, job_id: str) -> dict[str, Any]:
        job = self.jobs.get(job_id)
        if job is None:
            raise NotFoundError("Job not found")
        status = job.status_at(self.clock())
        details: dict[str, Any] | None = None
        if status == "completed":
            details = {**job.details, "createdByUserUuid": job.created_by_user_uuid}
        elif status == "error":
            details = {"error": job.error, "createdByUserUuid": job.created_by_user_uuid}
        return {"status": status, "details": details}

    def csv_url_view(self, job_id: str, user_uuid: str | None = None) -> dict[str, Any]:
        job = self.jobs.get(job_id)
        if job is None or job.kind not in CSV_KINDS or (
                user_uuid is not None and job.created_by_user_uuid not in (None, user_uuid)):
            raise NotFoundError("Download CSV job not found")
        status = job.status_at(self.clock())
        if status == "error":
            raise NotExistsError(str(job.error))
        view: dict[str, Any] = {"status": status, "truncated": bool(job.details.get("truncated", False))}
        if status == "completed" and job.details.get("fileUrl"):
            view = {"url": job.details["fileUrl"], **view}
        return view
