"""/api/v1/catalog/jobs: start the catalog module's jobs, then follow them.

A start answers 202 Accepted at once with the job's Location; poll it until it succeeded
(with a link to its result) or failed (with the problem).
"""

from acme_shop.platform.jobs.routes import job_router

router = job_router("catalog")
