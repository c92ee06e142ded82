"""The background tasks of the exports; the work itself is in plain functions beside them."""

from celery import shared_task

from . import jobs, opendata_files


@shared_task(name="exports.rebuild_open_data", ignore_result=True)
def rebuild_open_data():
    opendata_files.rebuild()


# Acknowledged when done: a worker that dies mid-export leaves it for the next one.
@shared_task(name="exports.run_export_job", ignore_result=True, acks_late=True)
def run_export_job(job_id):
    jobs.run(job_id)
