"""Demo story of the certificate register (TEST-07), through the services.

External certificates of the food company's demo people: a VCA certificate that expires within
the warning period, a forklift certificate that expired last month, a diploma of initial
vocational training without expiry and an ervaringsbewijs. The attests come from the tests story.
"""

from __future__ import annotations

import datetime
from typing import Any

from leerplek.core.access import load_access
from leerplek.core.roles import Role
from leerplek.people.models import User
from leerplek.training import services_certificates
from leerplek.training.models import CertificateKind

# (role of the holder, kind, title, issuer, issued days ago, valid for days or None)
CERTIFICATES = [
    (Role.EMPLOYEE, CertificateKind.CERTIFICATE, "VCA basis", "BeSaCC-VCA", 3630, 3650),
    (Role.MENTOR, CertificateKind.CERTIFICATE, "Heftruckattest", "Alimento", 1125, 1095),
    (Role.MENTOR, CertificateKind.CERTIFICATE, "EHBO op het werk", "Rode Kruis", 340, 365),
    (
        Role.EMPLOYEE,
        CertificateKind.DIPLOMA,
        "Diploma voedingstechnieken (duaal leren)",
        "Centrum voor Deeltijds Onderwijs",
        2400,
        None,
    ),
    (
        Role.MANAGER,
        CertificateKind.EXPERIENCE,
        "Ervaringsbewijs productieoperator",
        "Vlaamse overheid, Departement WSE",
        800,
        None,
    ),
]


def build(story: Any) -> None:
    if story.is_transport:
        return
    organisation = story.state.organisation
    admin: User = story.admin
    admin.access = load_access(admin, organisation.pk)
    for role, kind, title, issuer, ago, valid_days in CERTIFICATES:
        person = story.state.people.get(role)
        if person is None:
            continue
        issued_on = story.today - datetime.timedelta(days=ago)
        services_certificates.certificate_register(
            organisation=organisation,
            by=admin,
            employee=person,
            kind=kind,
            title=title,
            issuer=issuer,
            issued_on=issued_on,
            expires_on=issued_on + datetime.timedelta(days=valid_days) if valid_days else None,
        )
