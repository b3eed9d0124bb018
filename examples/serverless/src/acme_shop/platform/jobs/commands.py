"""The operator's job commands (``manage jobs ...``): list, show, retry dead letters, run one now.

python -m <the app's package>.manage jobs list [--status failed] [--name NAME]
python -m <the app's package>.manage jobs show JOB_ID
python -m <the app's package>.manage jobs retry JOB_ID... | --all-failed [--name NAME]
python -m <the app's package>.manage jobs run NAME [--payload JSON]
"""

import argparse
import json
import uuid

from sqlalchemy import select

from acme_shop.platform.jobs.models import Job
from acme_shop.platform.jobs.registry import JobRegistry
from acme_shop.platform.jobs.schemas import JobStatus
from acme_shop.platform.jobs.store import retry_failed, start_job
from acme_shop.platform.resources import Resources

_LIST_LIMIT = 200


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``jobs`` and its subcommands to a command-line parser."""
    jobs = commands.add_parser("jobs", help="list, show, retry and run background jobs")
    actions = jobs.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="the latest jobs (failed ones are dead letters)")
    listing.add_argument("--status", choices=[status.value for status in JobStatus])
    listing.add_argument("--name")
    show = actions.add_parser("show", help="one job, as JSON")
    show.add_argument("job_id", type=uuid.UUID)
    retry = actions.add_parser("retry", help="run failed jobs again, with fresh attempts")
    retry.add_argument("job_ids", nargs="*", type=uuid.UUID)
    retry.add_argument("--all-failed", action="store_true")
    retry.add_argument("--name")
    run = actions.add_parser("run", help="start a job now (a cron job too)")
    run.add_argument("name")
    run.add_argument("--payload", default="{}", help="the payload as JSON")


async def run_command(args: argparse.Namespace, resources: Resources, registry: JobRegistry) -> int:
    """Carry out ``manage jobs <action>``; returns the exit code."""
    async with resources.session_factory() as session:
        if args.action == "list":
            query = select(Job).order_by(Job.created_at.desc()).limit(_LIST_LIMIT)
            if args.status:
                query = query.where(Job.status == args.status)
            if args.name:
                query = query.where(Job.name == args.name)
            for job in await session.scalars(query):
                title = (job.error or {}).get("title", "")
                tries = f"{job.attempts}/{job.max_attempts}"
                print(f"{job.id}  {job.status:<9}  {tries}  {job.name}  {title}")
            return 0
        if args.action == "show":
            found = await session.get(Job, args.job_id)
            if found is None:
                print(f"no job {args.job_id}")
                return 1
            shown = {column.name: getattr(found, column.name) for column in Job.__table__.columns}
            print(json.dumps(shown, default=str, indent=2))
            return 0
        if args.action == "retry":
            ids = list(args.job_ids)
            if args.all_failed:
                failed = select(Job.id).where(Job.status == "failed")
                if args.name:
                    failed = failed.where(Job.name == args.name)
                ids += list(await session.scalars(failed))
            retried = [job_id for job_id in ids if await retry_failed(session, job_id)]
            await session.commit()
            await resources.jobs.dispatcher.after_commit(session)
            print(f"retried {len(retried)} of {len(ids)} jobs")
            return 0 if len(retried) == len(ids) else 1
        spec = registry.get(args.name)
        if spec is None:
            print(f"no job {args.name!r}; the jobs are: {', '.join(s.name for s in registry)}")
            return 2
        started = await start_job(session, spec, spec.payload.model_validate_json(args.payload))
        await session.commit()
        await resources.jobs.dispatcher.after_commit(session)
        print(f"started {spec.name} ({started.id})")
        return 0
