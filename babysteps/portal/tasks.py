from django_tasks import task

from babysteps.core.channel import audit_channel
from babysteps.portal.challenges import sign_in_send


@task()
def send_sign_in(parent_ids: list[int], kind: str, browser_hash: str) -> int:
    """Send the sign-in of the parents at the address asked for (none for an unknown one),
    bound to the browser that asked: in the worker, so asking costs the same whatever the
    address (and the task row holds ids, never the address)."""
    with audit_channel("task"):
        return sign_in_send(parent_ids=parent_ids, kind=kind, browser_hash=browser_hash)
