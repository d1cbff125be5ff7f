"""Users, their memberships (user × workspace × role) and invitations."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


class Role(models.TextChoices):
    # Host staff roles act in every workspace from the staff area.
    HOST_ADMIN = "host_admin", _("Administrator")
    PAYROLL_OFFICER = "payroll_officer", _("Payroll officer")
    TRAINING_OFFICER = "training_officer", _("Training officer")
    ALUMNI_OFFICER = "alumni_officer", _("Alumni officer")
    # Client roles act in their own workspace only (partner CAE or alumni company).
    MANAGER = "manager", _("Manager")
    VIEWER = "viewer", _("Viewer")


class EmailUserManager(UserManager):
    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username).lower()
        user = self.model(email=email, username=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(None, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(None, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in, identified by e-mail. Rights come from memberships, not flags:
    `is_staff`/`is_superuser` only open Django's admin to the platform's operators."""

    email = models.EmailField(_("e-mail address"), unique=True)
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        self.username = self.email
        super().save(*args, **kwargs)


class Membership(models.Model):
    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        verbose_name = _("membership")
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_workspace")]

    def __str__(self) -> str:
        return f"{self.user} – {self.workspace} ({self.get_role_display()})"


class Invitation(models.Model):
    """A record of an invitation e-mail; the one-time link itself is a token on the user."""

    workspace = models.ForeignKey("backoffice.Workspace", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(workspace="workspace")

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("invitation")

    def __str__(self) -> str:
        return f"{self.email} → {self.workspace}"
