"""Reference rates for birth outcomes in the general population (pure data), loaded once
by a data migration; NSPCC admins keep them up to date in the admin. Each is marked with
its source. They were entered without access to the publications, so each ships as *not
yet checked*: an admin confirms the value against the source (and ticks "checked") before
the report is published."""

DEFAULT_REFERENCE_RATES = [
    {
        "outcome": "preterm",
        "percent": "7.6",
        "population": "Live births, England and Wales",
        "year": "2021",
        "source": "Office for National Statistics, Birth characteristics in England and "
        "Wales: 2021 (gestation under 37 weeks)",
        "url": "https://www.ons.gov.uk/peoplepopulationandcommunity/birthsdeathsandmarriages/"
        "livebirths/bulletins/birthcharacteristicsinenglandandwales/2021",
    },
    {
        "outcome": "low_birth_weight",
        "percent": "6.9",
        "population": "Live births, England and Wales",
        "year": "2021",
        "source": "Office for National Statistics, Birth characteristics in England and "
        "Wales: 2021 (birthweight under 2,500 g)",
        "url": "https://www.ons.gov.uk/peoplepopulationandcommunity/birthsdeathsandmarriages/"
        "livebirths/bulletins/birthcharacteristicsinenglandandwales/2021",
    },
    {
        "outcome": "planned_caesarean",
        "percent": "17.6",
        "population": "Deliveries in NHS hospitals, England",
        "year": "2022-23",
        "source": "NHS England, NHS Maternity Statistics, England, 2022-23 (elective "
        "caesarean deliveries)",
        "url": "https://digital.nhs.uk/data-and-information/publications/statistical/"
        "nhs-maternity-statistics/2022-23",
    },
    {
        "outcome": "emergency_caesarean",
        "percent": "24.4",
        "population": "Deliveries in NHS hospitals, England",
        "year": "2022-23",
        "source": "NHS England, NHS Maternity Statistics, England, 2022-23 (emergency "
        "caesarean deliveries)",
        "url": "https://digital.nhs.uk/data-and-information/publications/statistical/"
        "nhs-maternity-statistics/2022-23",
    },
]
