"""The share commands: share_register writes the register at a date, share_positions prints a holder's shares."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope
from openpyxl import load_workbook

from alumni.services.shares import holder_create
from tests.alumni.test_shares import D, make_issuer, person, subscribe


def test_share_register_and_positions(world, tmp_path):
    scop = make_issuer(world.alumni_c)
    subscribe(scop, person(scop, "Alice"), 10, D(2021, 1, 1))
    with scope(workspace=world.alumni_c):
        cae = holder_create(actor=None, issuer=scop, category="coop_outside", holder_workspace=world.partner_a)
    subscribe(scop, cae, 4, D(2022, 1, 1), paid=100)
    out = tmp_path / "registre.xlsx"
    call_command("share_register", "--issuer", "scop-c", "--at", "2021-12-31", "--output", str(out), stdout=StringIO())
    positions = load_workbook(out).worksheets[1]
    assert [row[0] for row in positions.iter_rows(min_row=2, values_only=True)] == ["Alice", "Total"]
    printed = StringIO()
    call_command("share_positions", "--holder", "cae-a", "--at", "2022-06-30", stdout=printed)
    line = [x for x in printed.getvalue().splitlines() if x.startswith("scop-c")][0]
    assert line.split()[1:5] == ["4", "400.00", "100.00", "300.00"]
    with pytest.raises(CommandError):
        call_command("share_register", "--issuer", "cae-b", "--at", "2021-12-31", "--output", str(out))
    with pytest.raises(CommandError):
        call_command("share_positions", "--holder", "cae-a", "--at", "31/12/2021")
