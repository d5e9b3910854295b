"""The JSON API, version 1: every app's router mounted on the shared frame
(``babysteps.api.api``). This is the composition root of the API, as ``urls.py`` is of the
pages: it may import every app."""

from babysteps.alerts.api import router as alerts_router
from babysteps.api.api import api
from babysteps.bookings.api import router as bookings_router
from babysteps.cohorts.api import router as cohorts_router
from babysteps.delivery.api import router as delivery_router
from babysteps.families.api import router as families_router
from babysteps.measures.api import router as measures_router
from babysteps.safeguarding.api import router as referrals_router

api.add_router("/families", families_router, tags=["families"])
api.add_router("/cohorts", cohorts_router, tags=["cohorts"])
api.add_router("/delivery", delivery_router, tags=["delivery"])
api.add_router("/bookings", bookings_router, tags=["bookings"])
api.add_router("/referrals", referrals_router, tags=["referrals"])
api.add_router("", measures_router, tags=["questionnaires"])
api.add_router("/alerts", alerts_router, tags=["alerts"])
