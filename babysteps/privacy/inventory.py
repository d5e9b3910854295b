"""Every model that holds a family's data, and what subject access and erasure do with
it. ``tests/privacy/test_inventory.py`` checks this against the models: a model with a
path to a family or a parent that is not listed here fails the test, so a new kind of
record cannot be left out of a subject-access export or an erasure."""

# model label -> what erasure does with it (subject access exports every one of them).
FAMILY_DATA: dict[str, str] = {
    "families.Family": "identifier, postcode, language, safe-call notes cleared; anonymised",
    "families.Parent": "names, email and mobile cleared (the row stays for counts)",
    "families.Baby": "name cleared; date of birth kept to the month",
    "families.Consent": "kept (kinds, dates, yes/no: no personal text)",
    "families.FamilyMerge": "kept (which ids were merged, by whom, when, the counts moved)",
    "cohorts.Enrolment": "withdrawal reason overwritten",
    "bookings.PlannedCall": "status reason overwritten",
    "bookings.CallBooking": "status reason overwritten",
    "delivery.Contact": "one family's notes overwritten; their names cut out of a group's",
    "delivery.Attendance": "kept (who came: mother, partner; no names)",
    "delivery.ParentDelivery": "kept (counts of what each parent attended, from Attendance)",
    "delivery.FollowUpTask": "closing reason overwritten",
    "notifications.Message": "recipient, subject and body overwritten",
    "measures.Administration": "kept for the evaluation if consented; otherwise deleted "
    "(item answers only, where a referral was made from its alert)",
    "alerts.Alert": "detail and action taken overwritten",
    "videos.VideoRelease": "kept (dates)",
    "videos.VideoWatch": "kept (seconds watched)",
    "portal.SignInChallenge": "deleted",
    "portal.PortalProfile": "deleted",
    "portal.ParentQuestion": "question text overwritten",
    "safeguarding.SafeAndWellReferral": "every free-text field and the safe number overwritten",
    "safeguarding.CallAttempt": "note overwritten",
    "safeguarding.Escalation": "kept (stages and times)",
    "safeguarding.ImmediateRiskAction": "reference and note overwritten",
    "privacy.LegalHold": "kept (a hold blocks erasure; released holds are history)",
    "privacy.ErasureRequest": "kept (who asked and approved, and why)",
}
