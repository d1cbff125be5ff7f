"""Factories of the training tests (valid SIRET with python-stdnum's Luhn key)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from tests.factories import EntrepreneurFactory, make_siren, make_siret
from training.models import (
    Course,
    Enrolment,
    FundingRequest,
    Opco,
    Session,
    Slot,
    TrainingBody,
    Workshop,
    WorkshopRegistration,
)


def future(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


class TrainingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingBody

    name = factory.Sequence(lambda n: f"Organisme {n}")
    siret = factory.Sequence(lambda n: make_siret(make_siren(700000 + n)))
    nda = "84691234569"
    address = "12 rue des Artisans, 69003 Lyon"
    qualiopi_number = "QUALIOPI-2024-0042"
    qualiopi_expires_on = factory.LazyFunction(lambda: future(365))


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    body = factory.SubFactory(TrainingBodyFactory)
    title = factory.Sequence(lambda n: f"Sécurité sur chantier {n}")
    objectives = "Prévenir les risques de chute de hauteur."
    programme = "Jour 1 : réglementation. Jour 2 : mise en pratique."
    prerequisites = "Aucun"
    duration_hours = Decimal("14")
    modality = "in_person"
    assessment = "QCM et mise en situation"
    accessibility = "Locaux accessibles aux personnes à mobilité réduite."
    price = Decimal("450.00")
    price_basis = "per_trainee"


class OpcoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opco
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"opco-{n}")
    name = factory.Sequence(lambda n: f"OPCO {n}")
    request_days_before = 15
    request_day_count = "calendar"
    claim_days_after = 60
    source = "test"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session
        skip_postgeneration_save = True

    course = factory.SubFactory(CourseFactory)
    place = "Maison des coopératives, Lyon"
    trainer = "Alex Formateur"
    seats = 12
    pooled = True

    @factory.post_generation
    def workspaces(self, create, extracted, **kwargs):
        if create and extracted:
            self.workspaces.set(extracted)

    @factory.post_generation
    def days(self, create, extracted, **kwargs):
        """`days=[date, …]`: a morning and an afternoon on each (default: two days in 30 days)."""
        if not create:
            return
        for day in extracted if extracted is not None else [future(30), future(31)]:
            Slot.objects.create(session=self, day=day, half="am", starts_at=datetime.time(9), ends_at=datetime.time(12, 30))
            Slot.objects.create(session=self, day=day, half="pm", starts_at=datetime.time(13, 30), ends_at=datetime.time(17))
        days = list(self.slots.values_list("day", flat=True))
        if days:
            self.starts_on, self.ends_on = min(days), max(days)
            self.save(update_fields=["starts_on", "ends_on"])


class GatheringFactory(SessionFactory):
    """A gathering (no course, no OPCO). `populate=<workspace>`: a 1-seat workshop, three people
    of that workspace — two seated (one in the workshop, one waiting for it) and one on the
    gathering's waiting list."""

    course = None
    title = factory.Sequence(lambda n: f"Rencontre régionale {n}")
    trainer = "Comité d'organisation"
    seats = 2
    is_gathering = True

    @factory.post_generation
    def populate(self, create, extracted, **kwargs):
        if not (create and extracted):
            return
        ws = extracted
        workshop = Workshop.objects.create(session=self, title="Atelier coopérations : répondre ensemble aux marchés publics de rénovation énergétique", day=self.starts_on,
                                           starts_at=datetime.time(10), ends_at=datetime.time(11, 30),
                                           room="Salle 1", seats=1)
        seated = [EnrolmentFactory(workspace=ws, session=self) for _ in range(2)]
        EnrolmentFactory(workspace=ws, session=self, waiting=True)
        WorkshopRegistration.objects.create(workspace=ws, workshop=workshop, enrolment=seated[0])
        WorkshopRegistration.objects.create(workspace=ws, workshop=workshop, enrolment=seated[1], waiting=True)


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop

    session = factory.SubFactory(GatheringFactory)
    # Titles as long as real ones: the page walks (tests/browser/test_page_width.py) see their width.
    title = factory.Sequence(lambda n: f"Atelier {n} : répondre ensemble aux marchés publics de rénovation énergétique")
    day = factory.LazyAttribute(lambda o: o.session.starts_on)
    starts_at = datetime.time(10)
    ends_at = datetime.time(11, 30)
    room = "Salle 2"
    seats = 10


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    session = factory.SubFactory(SessionFactory)
    entrepreneur = factory.SubFactory(EntrepreneurFactory, workspace=factory.SelfAttribute("..workspace"))


class FundingRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingRequest
        skip_postgeneration_save = True

    session = factory.SubFactory(SessionFactory)
    opco = factory.SubFactory(OpcoFactory)
    amount_asked = Decimal("900.00")
    cost_pedagogical = Decimal("900.00")

    @factory.post_generation
    def enrolments(self, create, extracted, **kwargs):
        if create:
            self.enrolments.set(extracted if extracted is not None else
                                [EnrolmentFactory(workspace=self.workspace, session=self.session)])
