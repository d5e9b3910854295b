"""The demo's campaign, open: ``/campaigns/fight-for-a-fair-start/``."""

from datetime import timedelta

from babysteps.campaigns.models import Campaign
from babysteps.demo.registry import DemoContext, seeder

SLUG = "fight-for-a-fair-start"


@seeder(90, "campaigns: an open petition")
def seed_campaign(ctx: DemoContext) -> None:
    if Campaign.objects.filter(slug=SLUG).exists():
        return
    Campaign.objects.create(
        slug=SLUG,
        title="Fight for a fair start",
        text=(
            "Every baby deserves a fair start in life. We are asking the government to "
            "guarantee every expectant parent support for their own and their baby's mental "
            "health, before and after the birth.\n\nAdd your name to call for perinatal mental "
            "health support for every family."
        ),
        target=10000,
        opens_on=ctx.today - timedelta(days=30),
        closes_on=ctx.today + timedelta(days=180),
        created_by=ctx.user("admin@nspcc.demo"),
    )
