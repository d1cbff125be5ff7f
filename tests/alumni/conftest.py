"""Alumni fixtures: SCOP C (the world's alumni company, spun off from CAE A) set up with its
company record and an alumni agreement charging 1 % of declared revenue, minimum 150 €."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django_scopes import scope, scopes_disabled

from alumni.models import AlumniCompany
from backoffice.services.agreements import agreement_create, price_line_create


@pytest.fixture
def company(world):
    with scope(workspace=world.alumni_c):
        company = AlumniCompany.objects.create(workspace=world.alumni_c, legal_form="scop_sarl", status="active",
                                               creation_date=datetime.date(2024, 3, 1))
        agreement = agreement_create(actor=None, workspace=world.alumni_c, service="alumni",
                                     start_date=datetime.date(2024, 1, 1))
        price_line_create(actor=None, agreement=agreement, kind="percentage", usage_kind="declared_revenue",
                          label="Contribution 1 %", rate=Decimal("1"), minimum=Decimal("150"))
    with scopes_disabled():
        return AlumniCompany.objects.select_related("workspace").get(pk=company.pk)
