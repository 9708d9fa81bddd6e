"""Users (email login), organizations, memberships with roles, invitations, API tokens and the audit trail."""

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nikyoten.accounts.choices import AuditAction, MembershipRole, OrganizationKind
from nikyoten.accounts.querysets import OrganizationQuerySet
from nikyoten.core.models import SampleFlagModel, TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address. Seekers have no membership; staff act through memberships.

    `is_staff` marks a platform administrator (creates organizations, sees everything).
    """

    email = models.EmailField(_("メールアドレス"), unique=True)
    display_name = models.CharField(_("表示名"), max_length=100, blank=True)
    is_active = models.BooleanField(_("有効"), default=True)
    is_staff = models.BooleanField(_("運営管理者"), default=False)
    is_sample = models.BooleanField(_("サンプル"), default=False)
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("ユーザー")
        verbose_name_plural = _("ユーザー")

    def __str__(self) -> str:
        return self.display_name or self.email


class Organization(TimeStampedModel, SampleFlagModel):
    """A body that publishes and manages content: a municipality, a prefecture, a support corporation, …

    Tied to a municipality, or (for a prefecture and prefecture-wide bodies) to a prefecture only.
    """

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種別"), max_length=40, choices=OrganizationKind.choices)
    prefecture = models.ForeignKey(
        "regions.Prefecture",
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("都道府県"),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("市区町村"),
    )
    is_active = models.BooleanField(_("有効"), default=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["prefecture_id", "name"]
        verbose_name = _("組織")
        verbose_name_plural = _("組織")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=OrganizationKind.MUNICIPALITY) | Q(municipality__isnull=False),
                name="organization_municipality_kind_has_municipality",
                violation_error_message=_("市区町村の組織には市区町村を指定してください。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind=OrganizationKind.PREFECTURE) | Q(municipality__isnull=True),
                name="organization_prefecture_kind_has_no_municipality",
                violation_error_message=_("都道府県の組織には市区町村を指定できません。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.municipality is not None
            and self.prefecture_id
            and self.municipality.prefecture_id != self.prefecture_id
        ):
            raise ValidationError({"municipality": _("市区町村が都道府県に属していません。")})


class Membership(TimeStampedModel):
    """A user's role in an organization."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("役割"), max_length=10, choices=MembershipRole.choices)

    class Meta:
        ordering = ["organization", "user__email"]
        verbose_name = _("メンバー")
        verbose_name_plural = _("メンバー")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"


def _hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Invitation(TimeStampedModel):
    """A one-time link by which an organization's admin brings a person in with a role.

    Only the hash of the secret is stored; the link is shown and mailed once.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("メールアドレス"))
    role = models.CharField(_("役割"), max_length=10, choices=MembershipRole.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("有効期限"))
    accepted_at = models.DateTimeField(_("承諾日時"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("取消日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("招待")
        verbose_name_plural = _("招待")

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @staticmethod
    def new_secret() -> tuple[str, str]:
        secret = secrets.token_urlsafe(32)
        return secret, _hash_secret(secret)

    @staticmethod
    def hash_secret(secret: str) -> str:
        return _hash_secret(secret)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class ApiToken(TimeStampedModel):
    """A revocable API token issued to an organization; requests made with it act with the token's role there.

    The key is shown once; only its prefix (to recognise it) and hash are stored.
    """

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    role = models.CharField(
        _("権限"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.VIEWER
    )
    prefix = models.CharField(_("識別子"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_used_at = models.DateTimeField(_("最終利用日時"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("失効日時"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API トークン")
        verbose_name_plural = _("API トークン")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.organization})"

    @staticmethod
    def new_key() -> tuple[str, str, str]:
        """(key, prefix, hash): the key is `nk_<prefix>_<secret>`."""
        prefix = secrets.token_hex(4)
        key = f"nk_{prefix}_{secrets.token_urlsafe(32)}"
        return key, prefix, _hash_secret(key)

    @staticmethod
    def hash_key(key: str) -> str:
        return _hash_secret(key)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AuditEvent(models.Model):
    """Who changed which personal or access-related row, when, and what the fields became."""

    occurred_at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, related_name="audit_events"
    )
    action = models.CharField(_("操作"), max_length=10, choices=AuditAction.choices)
    entity = models.CharField(_("対象"), max_length=60)
    entity_id = models.CharField(_("対象ID"), max_length=40)
    changes = models.JSONField(_("変更内容"), default=dict)

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("監査記録")
        verbose_name_plural = _("監査記録")
        indexes = [models.Index(fields=["entity", "entity_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.entity}#{self.entity_id}"
