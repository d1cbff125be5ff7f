"""Background work that cannot be queued is not half-done (issue 6 §2).

`require_queue()` is called by a service before it changes anything for work a task will
finish (an upload to check, PDFs to render): with the broker unreachable it raises
QueueUnavailable at once (1 s timeout), and the caller tells the user that nothing was
changed. `enqueue()` is what a service's on_commit hook calls: if publishing still fails (the
broker went down in between), the error is logged and the state stays for the periodic sweep
(payroll.tasks.sweep) to queue again, rather than turning a committed request into a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class QueueUnavailable(Exception):
    def __init__(self):
        self.message = _("The background service is temporarily unavailable; nothing was changed. Try again in a "
                         "few minutes.")
        super().__init__(self.message)


def require_queue() -> None:
    """Raise QueueUnavailable unless tasks run eagerly or the broker answers a ping within 1 s."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    url = settings.CELERY_BROKER_URL or ""
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return
    import redis

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError):
        logger.warning("broker unreachable: work refused before any change")
        raise QueueUnavailable() from None


def enqueue(send: Callable[[], object], *, what: str) -> bool:
    """Run `send` (an apply_async/delay call); False, logged, when the broker refuses it."""
    try:
        send()
    except Exception:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise  # an eager task's own error is a bug to see, not an outage
        logger.exception("could not queue %s; the periodic sweep will queue it again", what)
        return False
    return True
