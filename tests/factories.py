"""factory-boy factories with valid French identifiers (checked by python-stdnum)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from stdnum import luhn

from backoffice.models import (
    Document,
    Dossier,
    Entrepreneur,
    Membership,
    PriceLine,
    ServiceAgreement,
    Usage,
    User,
    Workspace,
)


def make_siren(n: int) -> str:
    base = f"{n % 10**8:08d}"
    return base + luhn.calc_check_digit(base)


def make_siret(siren: str, establishment: int = 1) -> str:
    base = siren + f"{establishment:04d}"
    return base + luhn.calc_check_digit(base)


def make_nir(n: int, sex: int = 1, year: int = 85, month: int = 6) -> str:
    body = f"{sex}{year:02d}{month:02d}75{(n // 1000) % 1000 + 1:03d}{n % 1000 + 1:03d}"
    return body + f"{97 - int(body) % 97:02d}"


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace
        django_get_or_create = ("slug",)

    kind = "partner"
    slug = factory.Sequence(lambda n: f"cae-{n}")
    name = factory.LazyAttribute(lambda o: f"CAE {o.slug}")
    legal_form = "SCOP SA"
    siren = factory.Sequence(lambda n: make_siren(100000 + n))
    siret = factory.LazyAttribute(lambda o: make_siret(o.siren))
    city = "Lyon"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password("correct horse battery staple")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = "manager"


class EntrepreneurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entrepreneur

    workspace = factory.SubFactory(WorkspaceFactory)
    matricule = factory.Sequence(lambda n: f"M{n:05d}")
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    first_name = "Alex"
    birth_date = datetime.date(1985, 6, 1)
    nir = factory.Sequence(make_nir)
    entry_date = datetime.date(2024, 1, 1)
    trade = "Menuiserie"


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    workspace = factory.SubFactory(WorkspaceFactory)
    service = "payroll"
    kind = "monthly_submission"
    title = factory.Sequence(lambda n: f"Dossier {n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    workspace = factory.SubFactory(WorkspaceFactory)
    title = "Attestation"
    file = factory.LazyFunction(lambda: ContentFile(b"%PDF-1.4 test", name="attestation.pdf"))
    original_name = "attestation.pdf"
    content_type = "application/pdf"
    size = 13
    sha256 = "0" * 64


class ServiceAgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceAgreement

    workspace = factory.SubFactory(WorkspaceFactory)
    service = "payroll"
    start_date = datetime.date(2025, 1, 1)


class PriceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceLine

    agreement = factory.SubFactory(ServiceAgreementFactory)
    workspace = factory.LazyAttribute(lambda o: o.agreement.workspace)
    kind = "per_unit"
    usage_kind = "payslip"
    label = "Bulletin de paie"
    unit_price = Decimal("12.50")


class UsageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Usage

    workspace = factory.SubFactory(WorkspaceFactory)
    service = "payroll"
    kind = "payslip"
    quantity = Decimal("1")
    occurred_on = datetime.date(2026, 1, 31)
    reference = factory.Sequence(lambda n: f"ref-{n}")
