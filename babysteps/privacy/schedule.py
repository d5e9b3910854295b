"""The default retention schedule (pure data). Each period is the organisation's decision
to confirm with its data protection officer; the data migration seeds these once and the
admin changes them after."""

DEFAULT_SCHEDULE = [
    {
        "record_class": "family_records",
        "period_days": 6 * 365,
        "starts_from": "the family's last contact with the programme",
        "action": "anonymised: names, contacts, identifiers and free text erased",
        "source": "Six years, the limitation period for most civil claims (Limitation Act "
        "1980), as is usual for a parenting programme's records; the NHS Records Management "
        "Code of Practice 2023 is the reference for health records. To confirm with the DPO.",
    },
    {
        "record_class": "questionnaires",
        "period_days": 10 * 365,
        "starts_from": "the date the questionnaire was answered",
        "action": "deleted (pseudonymised copies kept for the evaluation)",
        "source": "Kept for the evaluation only where the family consented to it; ten years "
        "is the usual period for research data (UKRI / MRC guidance). To confirm with the "
        "evaluation's data management plan.",
    },
    {
        "record_class": "safeguarding",
        "period_days": 7 * 365,
        "starts_from": "the referral's closure (never while it is open)",
        "action": "free text and the safe number erased",
        "source": "Longer than family records, under the organisation's safeguarding policy "
        "(Working Together to Safeguard Children 2023; the NSPCC's own policy decides). To "
        "confirm with the safeguarding lead and the DPO.",
    },
    {
        "record_class": "messages",
        "period_days": 183,
        "starts_from": "the message's creation",
        "action": "deleted",
        "source": "Months, not years: the message is a copy of what the record already holds "
        "(data minimisation, UK GDPR Art. 5(1)(e)). To confirm.",
    },
    {
        "record_class": "portal_sign_in",
        "period_days": 90,
        "starts_from": "the sign-in code or link's creation",
        "action": "deleted",
        "source": "Long enough to investigate misuse of a parent's sign-in; no longer "
        "(UK GDPR Art. 5(1)(e)). To confirm.",
    },
    {
        "record_class": "audit_events",
        "period_days": 8 * 365,
        "starts_from": "the event",
        "action": "purged (the only deletion the audit trail allows; itself an event)",
        "source": "Years, as the evidence that access was proper: longer than the family "
        "records they describe (NHS DSPT; NHS Records Management Code of Practice 2023 for "
        "audit trails). To confirm.",
    },
    {
        "record_class": "petition_unconfirmed",
        "period_days": 30,
        "starts_from": "the signing (a signature never confirmed by its emailed link)",
        "action": "deleted",
        "source": "Double opt-in: an unconfirmed signature is not consent to be kept. "
        "Thirty days, as the campaign page tells signers. To confirm.",
    },
    {
        "record_class": "petition_signatures",
        "period_days": 365,
        "starts_from": "the campaign's closing date",
        "action": "names, emails and postcodes erased; the count of signatures kept",
        "source": "Long enough to hand the petition in and answer questions about it; no "
        "longer (UK GDPR Art. 5(1)(e)). To confirm with the campaigns team and the DPO.",
    },
    {
        "record_class": "enquiry_unconfirmed",
        "period_days": 30,
        "starts_from": "the enquiry (one never confirmed by its emailed link)",
        "action": "deleted",
        "source": "An unconfirmed enquiry may not be the person's own: not kept. Thirty "
        "days, as the enquiry page says. To confirm.",
    },
    {
        "record_class": "enquiry_contacts",
        "period_days": 730,
        "starts_from": "the enquiry",
        "action": "the enquirer's name, email and phone erased; the enquiry kept",
        "source": "Business contact details, kept while a licence may follow; no longer "
        "(UK GDPR Art. 5(1)(e)). To confirm with the licensing team and the DPO.",
    },
]
