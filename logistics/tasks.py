from celery import shared_task

from . import jobs, services


@shared_task(name="logistics.run_print_job")
def run_print_job(job_id):
    """Draw the badges or certificates of a print job into one PDF."""
    return jobs.run(job_id)


@shared_task(name="logistics.send_letters")
def send_letters(letter_ids):
    """E-mail each letter, as a PDF attachment, to its delegate (through the outbox)."""
    return jobs.send_letters(letter_ids)


@shared_task(name="logistics.send_certificates")
def send_certificates(event_id):
    """After the event: issue and e-mail the certificates of everyone checked in."""
    return jobs.send_certificates(event_id)


@shared_task(name="logistics.erase_passport_data")
def erase_passport_data():
    """Periodic: erase passport data PASSPORT_DATA_RETENTION_DAYS after an event ends."""
    return services.erase_passport_data()
