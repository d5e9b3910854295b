"""Staff accounts, their roles (memberships) and practitioner profiles."""

from datetime import date

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.core.phones import InvalidPhoneNumber, uk_mobile


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError(_("An email address is required."))
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


def normalise_email(email: str) -> str:
    """Emails are compared case-insensitively: store them lower-cased and trimmed."""
    return email.strip().lower()


def clean_work_mobile(value: str) -> str:
    """A staff work mobile in E.164 (+447700900123), or "" for none; a ValidationError on
    the ``work_mobile`` field if it is not a UK mobile number."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return uk_mobile(value)
    except InvalidPhoneNumber as exc:
        raise ValidationError({"work_mobile": str(exc)}) from None


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff (site or NSPCC). Signs in with email and password."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False,
        help_text=gettext_lazy("May open the Django admin (NSPCC programme admins only)."),
    )
    date_joined = models.DateTimeField(default=timezone.now)
    work_mobile = models.CharField(
        max_length=20,
        blank=True,
        help_text=(
            gettext_lazy(
                "A work mobile for urgent safety alerts by text message (the texts carry no "
                "family details). Leave empty for email only."
            )
        ),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self) -> None:
        super().clean()
        self.work_mobile = clean_work_mobile(self.work_mobile)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Role(models.TextChoices):
    SITE_MANAGER = "site_manager", gettext_lazy("Site manager")
    FACILITATOR = "facilitator", gettext_lazy("Facilitator")
    NSPCC_ADMIN = "nspcc_admin", gettext_lazy("NSPCC programme admin")
    NSPCC_EVALUATOR = "nspcc_evaluator", gettext_lazy("NSPCC evaluator")
    NSPCC_SAFE_AND_WELL = "nspcc_safe_and_well", gettext_lazy("NSPCC safe-and-well practitioner")
    NSPCC_SAFE_AND_WELL_LEAD = (
        "nspcc_safe_and_well_lead",
        gettext_lazy("NSPCC safe-and-well team lead"),
    )


SITE_ROLES = (Role.SITE_MANAGER, Role.FACILITATOR)
NATIONAL_ROLES = (
    Role.NSPCC_ADMIN,
    Role.NSPCC_EVALUATOR,
    Role.NSPCC_SAFE_AND_WELL,
    Role.NSPCC_SAFE_AND_WELL_LEAD,
)


# Roles that see families by name. Pseudonymised evaluation means nothing if the evaluator
# can also open the named records: these never go together with the evaluator role.
IDENTIFIABLE_ROLES = frozenset(
    {
        Role.SITE_MANAGER,
        Role.FACILITATOR,
        Role.NSPCC_ADMIN,
        Role.NSPCC_SAFE_AND_WELL,
        Role.NSPCC_SAFE_AND_WELL_LEAD,
    }
)


def check_role_combination(roles: "set[str] | frozenset[str]") -> None:
    """Refuse a set of roles, held by one person, that defeats pseudonymisation."""
    if Role.NSPCC_EVALUATOR in roles:
        clashing = sorted(str(Role(role).label) for role in roles & IDENTIFIABLE_ROLES)
        if clashing:
            raise ValidationError(
                _(
                    "An NSPCC evaluator sees pseudonymised data only, so the same account cannot "
                    "also be %(roles)s: that would join the pseudonyms to names. Use a separate "
                    "account for each job."
                )
                % {"roles": ", ".join(clashing)},
                code="role_combination",
            )


class Membership(models.Model):
    """A role held by a user, at one site (site roles) or nationally (NSPCC roles)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=32, choices=Role.choices)
    site = models.ForeignKey(
        "licensing.Site",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_site_matches_role",
                condition=(Q(role__in=SITE_ROLES) & Q(site__isnull=False))
                | (Q(role__in=NATIONAL_ROLES) & Q(site__isnull=True)),
                violation_error_message="Site roles need a site; NSPCC roles must not have one.",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "site"],
                condition=Q(site__isnull=False),
                name="membership_unique_site_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(site__isnull=True),
                name="membership_unique_national_role",
            ),
        ]

    def __str__(self) -> str:
        where = self.site.name if self.site is not None else "NSPCC"
        return f"{self.user} - {self.get_role_display()} ({where})"

    def clean(self) -> None:
        super().clean()
        if self.user_id is not None and self.role:
            others = Membership.objects.filter(user_id=self.user_id).exclude(pk=self.pk)
            check_role_combination({self.role, *others.values_list("role", flat=True)})


class Discipline(models.TextChoices):
    HEALTH = "health", gettext_lazy("Health")
    CHILDRENS_SERVICES = "childrens_services", gettext_lazy("Children's services")


class ProfessionalRole(models.TextChoices):
    MIDWIFE = "midwife", gettext_lazy("Midwife")
    HEALTH_VISITOR = "health_visitor", gettext_lazy("Health visitor")
    FAMILY_SUPPORT_WORKER = "family_support_worker", gettext_lazy("Family support worker")
    FAMILY_ENGAGEMENT_WORKER = "family_engagement_worker", gettext_lazy("Family engagement worker")
    COMMUNITY_NURSERY_NURSE = "community_nursery_nurse", gettext_lazy("Community nursery nurse")
    SOCIAL_WORKER = "social_worker", gettext_lazy("Social worker")
    OTHER_CHILDRENS_SERVICES = (
        "other_childrens_services",
        gettext_lazy("Other children's services practitioner"),
    )


HEALTH_ROLES = frozenset({ProfessionalRole.MIDWIFE, ProfessionalRole.HEALTH_VISITOR})


def discipline_of(professional_role: str) -> str:
    """Health (midwives, health visitors) or children's services (everyone else)."""
    if professional_role in HEALTH_ROLES:
        return Discipline.HEALTH
    return Discipline.CHILDRENS_SERVICES


class PractitionerProfile(models.Model):
    """What a facilitator is professionally, and whether they are trained to deliver."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="practitioner")
    professional_role = models.CharField(max_length=40, choices=ProfessionalRole.choices)
    training_completed_on = models.DateField(
        null=True,
        blank=True,
        help_text=gettext_lazy("Date the Baby Steps facilitator training was completed."),
    )

    def __str__(self) -> str:
        return f"{self.user} ({self.get_professional_role_display()})"

    @property
    def discipline(self) -> str:
        return discipline_of(self.professional_role)

    def is_trained(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.training_completed_on is not None and self.training_completed_on <= day
