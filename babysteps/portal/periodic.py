from datetime import datetime

from babysteps.core.periodic import periodic
from babysteps.portal.services import sign_in_messages_redact


@periodic("portal: drop sign-in codes from sent messages")
def redact(now: datetime) -> int:
    return sign_in_messages_redact(now=now)
