"""Small factories shared by the whole suite.

Units are made through the service (it keeps the tree's paths right); the rest are plain rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import factory

from leerplek.core.models import RoleGrant
from leerplek.core.roles import Role
from leerplek.people import services
from leerplek.people.models import (
    Employee,
    Gender,
    Job,
    Organisation,
    OrgUnit,
    PersonType,
    UnitKind,
    User,
    Workstation,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Testbedrijf {n}")
    slug = factory.Sequence(lambda n: f"testbedrijf-{n}")
    sector = "Voeding"
    joint_committee = "118"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    language = "en"
    password = factory.django.Password("correct horse battery staple")


def make_unit(
    organisation: Organisation,
    name: str,
    parent: OrgUnit | None = None,
    kind: str = UnitKind.DEPARTMENT,
) -> OrgUnit:
    return services.unit_create(
        organisation=organisation, by=None, name=name, kind=kind, parent=parent
    )  # type: ignore[arg-type]


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    organisation = factory.SubFactory(OrganisationFactory)
    code = factory.Sequence(lambda n: f"F{n:03d}")
    name = factory.Sequence(lambda n: f"Operator {n}")


class WorkstationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstation

    organisation = factory.SubFactory(OrganisationFactory)
    unit = factory.LazyAttribute(lambda o: make_unit(o.organisation, f"Unit for {o.code}"))
    code = factory.Sequence(lambda n: f"W{n:03d}")
    name = factory.Sequence(lambda n: f"Machine {n}")


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    organisation = factory.SubFactory(OrganisationFactory)
    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = factory.Sequence(lambda n: f"Peeters{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.test")
    gender = Gender.FEMALE
    person_type = PersonType.EMPLOYEE
    hire_date = datetime.date(2020, 1, 6)
    birth_date = datetime.date(1985, 5, 17)


def grant(user: User, organisation: Organisation, role: Role, unit: OrgUnit | None = None) -> None:
    RoleGrant.objects.create(organisation=organisation, user=user, role=role, unit=unit)


@dataclass
class Cast:
    """An organisation with two departments, a person record and a user per role, and a stranger
    organisation with its own HR user and people."""

    organisation: Organisation
    production: OrgUnit
    packaging: OrgUnit
    office: OrgUnit
    job: Job
    users: dict[Role, User] = field(default_factory=dict)
    employees: dict[Role, Employee] = field(default_factory=dict)
    worker: Employee | None = None  # a packaging worker inside the manager's scope
    other_organisation: Organisation | None = None
    other_hr: User | None = None
    other_employee: Employee | None = None

    def user(self, role: Role) -> User:
        return self.users[role]


def build_cast(**overrides: Any) -> Cast:
    org = OrganisationFactory(name="Voedingsbedrijf Test", slug="voeding-test")
    production = make_unit(org, "Productie", kind=UnitKind.DEPARTMENT)
    packaging = make_unit(org, "Verpakking", parent=production, kind=UnitKind.TEAM)
    office = make_unit(org, "Kantoor", kind=UnitKind.DEPARTMENT)
    job = JobFactory(organisation=org, code="OPR", name="Operator")
    cast = Cast(
        organisation=org, production=production, packaging=packaging, office=office, job=job
    )
    for role in Role:
        user = UserFactory(
            email=f"{role.value}@example.test", first_name=role.label.split()[0], last_name="Test"
        )
        unit = packaging if role in {Role.EMPLOYEE, Role.MENTOR} else office
        person = EmployeeFactory(
            organisation=org,
            user=user,
            email=user.email,
            unit=unit,
            first_name=user.first_name,
            last_name=f"{role.value.title()}",
        )
        if role is not Role.EMPLOYEE:
            scope = production if role is Role.MANAGER else None
            grant(user, org, role, scope)
        cast.users[role] = user
        cast.employees[role] = person
    cast.worker = EmployeeFactory(
        organisation=org, unit=packaging, first_name="Wout", last_name="Werker", job=job
    )
    other = OrganisationFactory(name="Andere Firma", slug="andere-firma")
    other_unit = make_unit(other, "Geheime Afdeling")
    cast.other_organisation = other
    cast.other_hr = UserFactory(email="hr@other.test")
    grant(cast.other_hr, other, Role.HR)
    cast.other_employee = EmployeeFactory(
        organisation=other, unit=other_unit, first_name="Zita", last_name="Zijstraat"
    )
    return cast
