"""The project's task worker as tests run it: one pass over what is due, then stop."""

from babysteps.core.worker import ResilientWorker


def a_worker() -> ResilientWorker:
    return ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
