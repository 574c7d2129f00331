"""The demo organisations as data: units, functions, workstations, staffing and name lists.

The people are drawn at random (with a fixed seed) from common first and last names, so no
record describes a real person. The demo users' own records are written out here so that the
log-in table always shows the same names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leerplek.core.roles import Role
from leerplek.onboarding.models import Section, TaskOwner
from leerplek.people.models import PersonType, TaskKind, UnitKind

EXECUTIVE, PREPARATORY, SUPPORTING = TaskKind.EXECUTIVE, TaskKind.PREPARATORY, TaskKind.SUPPORTING


@dataclass(frozen=True)
class UnitRow:
    key: str
    name: str
    code: str
    kind: str
    parent: str | None
    description: str = ""


@dataclass(frozen=True)
class JobRow:
    code: str
    name: str
    description: str
    months: int
    tasks: tuple[tuple[str, str], ...]
    classification: str = ""
    tandem_days: int = 0
    review_days: int = 30
    is_active: bool = True


@dataclass(frozen=True)
class WorkstationRow:
    code: str
    name: str
    unit: str
    is_machine: bool
    rank: int
    description: str = ""


@dataclass(frozen=True)
class DemoPerson:
    """The person record behind a demo log-in."""

    role: Role
    local_part: str  # of the e-mail address
    first_name: str
    last_name: str
    gender: str
    unit: str
    job: str
    age: int
    years_of_service: float
    language: str = "nl"  # interface language of the account
    languages: str = "nl"
    dutch_level: str = "native"
    education_level: str = "higher_secondary"
    leads: bool = False  # leader of `unit`
    career_note: str = ""


@dataclass(frozen=True)
class Slot:
    """`count` people of `person_type` holding `job` in `unit`."""

    unit: str
    job: str | None
    count: int = 1
    person_type: str = PersonType.EMPLOYEE
    seniors: int = 0  # of which aged 60 to 64 with a long career here
    leavers: int = 0  # of which have left (exit date and reason)
    workstations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Move:
    """A step in a function history: from `source` to `target` for `reason`."""

    source: str
    target: str
    reason: str
    note: str


@dataclass(frozen=True)
class OrgSpec:
    slug: str
    name: str
    sector: str
    joint_committee: str
    training_fund: str
    training_fund_agreements: str
    is_sme: bool
    domain: str  # e-mail domain
    number_prefix: str  # personnel numbers
    units: tuple[UnitRow, ...]
    jobs: tuple[JobRow, ...]
    workstations: tuple[WorkstationRow, ...]
    leaders: tuple[tuple[str, str], ...]  # (unit, job) of leaders who are not demo users
    demo_people: tuple[DemoPerson, ...]
    slots: tuple[Slot, ...]
    moves: tuple[Move, ...] = ()
    # A reorganisation some years ago: holders of `source` got `target` (see Move.reason).
    reorganisation: Move | None = None
    reorganisation_unit: str = ""  # key of the unit whose subtree was reorganised
    reorganisation_years_ago: int = 6


# --- Names ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    male: tuple[str, ...]
    female: tuple[str, ...]
    last: tuple[str, ...]


# fmt: off
ORIGINS: dict[str, Origin] = {
    "flemish": Origin(
        male=(
            "Jan", "Pieter", "Koen", "Bart", "Tom", "Wim", "Luc", "Marc", "Stijn", "Jeroen",
            "Wouter", "Thomas", "Jonas", "Lars", "Arne", "Sander", "Bram", "Ruben", "Niels",
            "Dries", "Filip", "Johan", "Patrick", "Rudy", "Hendrik", "Seppe", "Robbe", "Wannes",
            "Jens", "Kristof", "Steven", "Gert", "Benny", "Frederik", "Maarten",
        ),
        female=(
            "An", "Els", "Katrien", "Lies", "Griet", "Marleen", "Veerle", "Inge", "Sarah",
            "Lien", "Eline", "Fien", "Ine", "Julie", "Hanne", "Nele", "Kaat", "Leen", "Tine",
            "Martine", "Greet", "Joke", "Charlotte", "Emma", "Elke", "Ilse", "Evelien", "Sien",
            "Annelies", "Karolien", "Bieke", "Liesbeth",
        ),
        last=(
            "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
            "Wouters", "De Smet", "Vermeulen", "Van den Broeck", "Verstraete", "Declercq",
            "Lambrecht", "Devos", "Hermans", "Van Damme", "Pauwels", "Verhaeghe", "Dewulf",
            "Vercruysse", "Depoorter", "Vandenberghe", "Deprez", "Vanhoutte", "Soenens", "Baert",
            "Debaere", "Vanlerberghe", "Callens", "Demeyer", "Van Acker", "Huysentruyt",
            "Seynaeve", "Vandewalle", "Desender", "Bogaert", "Coussement", "Vansteenkiste",
        ),
    ),
    "walloon": Origin(
        male=("Michel", "Philippe", "Sébastien", "Olivier", "Laurent", "Benoît", "Didier"),
        female=("Isabelle", "Céline", "Valérie", "Sylvie", "Aurélie", "Catherine"),
        last=("Dupont", "Leclercq", "Renard", "Lejeune", "Dumont", "Collard", "Gillet", "Masson"),
    ),
    "polish": Origin(
        male=("Piotr", "Krzysztof", "Tomasz", "Marcin", "Paweł", "Łukasz", "Michał", "Kamil"),
        female=("Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Monika", "Ewa", "Justyna"),
        last=(
            "Kowalski", "Nowak", "Wiśniewski", "Wójcik", "Kamiński", "Zieliński", "Szymański",
            "Woźniak", "Dąbrowski", "Mazur", "Krawczyk",
        ),
    ),
    "romanian": Origin(
        male=("Andrei", "Ionuț", "Mihai", "Florin", "Cristian", "Adrian", "Bogdan", "Vasile"),
        female=("Elena", "Ioana", "Mihaela", "Andreea", "Simona", "Alina", "Roxana"),
        last=(
            "Popescu", "Ionescu", "Popa", "Stan", "Dumitru", "Munteanu", "Ciobanu", "Rusu",
            "Matei", "Lungu",
        ),
    ),
    "turkish": Origin(
        male=("Mehmet", "Mustafa", "Emre", "Hakan", "Murat", "Burak", "Kemal", "Serkan"),
        female=("Ayşe", "Fatma", "Elif", "Zeynep", "Hatice", "Emine", "Derya"),
        last=("Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Öztürk", "Aydın", "Arslan", "Koç"),  # noqa: RUF001
    ),
    "arabic": Origin(
        male=("Mohamed", "Youssef", "Karim", "Rachid", "Samir", "Omar", "Ahmed", "Bilal", "Hamza"),
        female=("Fatima", "Khadija", "Nadia", "Samira", "Amina", "Latifa", "Yasmina", "Salma"),
        last=(
            "El Amrani", "Benali", "Bouzid", "El Idrissi", "Haddad", "Azzouzi", "Ouali", "Tahiri",
            "Khalil", "Bakkali", "Chaouki", "Al Hassan",
        ),
    ),
}
# fmt: on

# How the origins mix per person type (weights).
ORIGIN_MIX: dict[str, dict[str, int]] = {
    PersonType.EMPLOYEE: {
        "flemish": 76,
        "walloon": 4,
        "polish": 5,
        "romanian": 4,
        "turkish": 6,
        "arabic": 5,
    },
    PersonType.AGENCY: {"flemish": 30, "polish": 30, "romanian": 25, "turkish": 5, "arabic": 10},
    PersonType.APPRENTICE: {"flemish": 70, "turkish": 15, "arabic": 15},
    PersonType.VDAB_TRAINEE: {"flemish": 35, "arabic": 35, "turkish": 15, "romanian": 15},
    PersonType.INTERN: {"flemish": 80, "walloon": 10, "arabic": 10},
    PersonType.IBO: {"flemish": 50, "arabic": 25, "polish": 25},
    PersonType.JOB_SEEKER: {"flemish": 40, "arabic": 40, "turkish": 20},
    PersonType.EXTERNAL_TRAINER: {"flemish": 80, "walloon": 20},
}

# Ages (years) and time since hire (days) per person type.
AGE_RANGE: dict[str, tuple[int, int]] = {
    PersonType.EMPLOYEE: (21, 59),
    PersonType.AGENCY: (19, 46),
    PersonType.APPRENTICE: (16, 20),
    PersonType.VDAB_TRAINEE: (20, 45),
    PersonType.INTERN: (19, 23),
    PersonType.IBO: (20, 40),
    PersonType.JOB_SEEKER: (25, 55),
    PersonType.EXTERNAL_TRAINER: (35, 61),
}
HIRED_DAYS_AGO: dict[str, tuple[int, int]] = {
    PersonType.AGENCY: (14, 300),
    PersonType.APPRENTICE: (30, 600),
    PersonType.VDAB_TRAINEE: (7, 60),
    PersonType.INTERN: (7, 90),
    PersonType.IBO: (14, 150),
    PersonType.JOB_SEEKER: (7, 90),
    PersonType.EXTERNAL_TRAINER: (30, 1500),
}
MAX_YEARS_OF_SERVICE = 25

CAREER_NOTES: dict[str, str] = {
    PersonType.APPRENTICE: "Duaal leren: na het diploma doorgroei naar een vaste functie.",
    PersonType.JOB_SEEKER: (
        "Extra teamlid met een ervaren begeleider; bij een gunstige evaluatie een contract."
    ),
    PersonType.IBO: "IBO-traject van zes maanden, daarna vast contract.",
    PersonType.VDAB_TRAINEE: (
        "Praktijkopleiding via VDAB; evaluatie met de instructeur op een checklist."
    ),
}


# --- Voedingsbedrijf X (the brochure's food company, sauce kitchen scenario S-30) ---------------

_FOOD_UNITS = (
    UnitRow("site", "Productiesite", "PS", UnitKind.SITE, None, "Sauzen en dressings, 24/5."),
    UnitRow(
        "saus",
        "Sauskeuken",
        "SK",
        UnitKind.DEPARTMENT,
        "site",
        "Bereiding van sauzen in kookketels volgens recept.",
    ),
    UnitRow("saus-kook", "Kookcel", "SK-KOOK", UnitKind.CELL, "saus"),
    UnitRow("saus-grond", "Grondstoffen en afweging", "SK-AFW", UnitKind.CELL, "saus"),
    UnitRow(
        "verp", "Verpakking", "VP", UnitKind.DEPARTMENT, "site", "Twee vullijnen in drie ploegen."
    ),
    UnitRow("verp-vroeg", "Vroege ploeg", "VP-VROEG", UnitKind.SHIFT, "verp", "06:00-14:00"),
    UnitRow("verp-laat", "Late ploeg", "VP-LAAT", UnitKind.SHIFT, "verp", "14:00-22:00"),
    UnitRow("verp-nacht", "Nachtploeg", "VP-NACHT", UnitKind.SHIFT, "verp", "22:00-06:00"),
    UnitRow("ond", "Onderhoud", "OH", UnitKind.DEPARTMENT, "site"),
    UnitRow("ond-mech", "Mechanica", "OH-MECH", UnitKind.TEAM, "ond"),
    UnitRow("ond-elek", "Elektriciteit en automatisatie", "OH-ELEK", UnitKind.TEAM, "ond"),
    UnitRow("log", "Logistiek", "LOG", UnitKind.DEPARTMENT, "site"),
    UnitRow("log-mag", "Magazijn grondstoffen", "LOG-MAG", UnitKind.ZONE, "log"),
    UnitRow("log-exp", "Expeditie", "LOG-EXP", UnitKind.ZONE, "log"),
    UnitRow("kant", "Kantoor", "KAN", UnitKind.DEPARTMENT, "site"),
    UnitRow("kant-hr", "HR en opleiding", "KAN-HR", UnitKind.TEAM, "kant"),
    UnitRow("kant-adm", "Administratie en aankoop", "KAN-ADM", UnitKind.TEAM, "kant"),
    UnitRow("kant-kwal", "Kwaliteit en veiligheid", "KAN-KWAL", UnitKind.TEAM, "kant"),
)

_FOOD_JOBS = (
    JobRow(
        "BEDRL",
        "Bedrijfsleider",
        "Leidt de productiesite en draagt eindverantwoordelijkheid "
        "voor veiligheid, kwaliteit en personeel.",
        12,
        (
            (EXECUTIVE, "Stuurt de afdelingshoofden aan"),
            (PREPARATORY, "Stelt het jaarbudget en het opleidingsplan mee op"),
            (SUPPORTING, "Overlegt met de ondernemingsraad en het CPBW"),
        ),
        "Kader",
    ),
    JobRow(
        "AFDH",
        "Afdelingshoofd",
        "Leidt een afdeling: planning, bezetting, opleiding en resultaten.",
        12,
        (
            (EXECUTIVE, "Volgt productie en kwaliteit van de afdeling op"),
            (PREPARATORY, "Maakt de bezettingsplanning"),
            (SUPPORTING, "Voert functionerings- en opvolgingsgesprekken"),
        ),
        "Kader",
    ),
    JobRow(
        "PLB",
        "Ploegbaas",
        "Leidt een ploeg op de vloer en laat nieuwe medewerkers pas "
        "zelfstandig werken na een evaluatie.",
        9,
        (
            (EXECUTIVE, "Verdeelt het werk over de werkposten"),
            (PREPARATORY, "Bereidt de ploegwissel voor"),
            (SUPPORTING, "Begeleidt nieuwkomers en volgt hun vorderingen op"),
        ),
        "Klasse D",
        tandem_days=10,
    ),
    JobRow(
        "SAUSB",
        "Sausbereider",
        "Bereidt sauzen in de kookketels volgens recept, bewaakt "
        "temperatuur, viscositeit en hygiëne.",
        6,
        (
            (PREPARATORY, "Zet de grondstoffen klaar volgens de receptkaart"),
            (EXECUTIVE, "Bedient de kookketels en de menger"),
            (EXECUTIVE, "Neemt stalen en meet viscositeit en pH"),
            (SUPPORTING, "Reinigt de installatie volgens het CIP-schema"),
        ),
        "Klasse C",
        tandem_days=20,
        review_days=30,
    ),
    JobRow(
        "HKOK",
        "Hulpkok sauskeuken",
        "Ondersteunt de sausbereider bij het klaarzetten en afwegen en bij de reiniging.",
        3,
        (
            (PREPARATORY, "Weegt kruiden en kleine grondstoffen af"),
            (SUPPORTING, "Houdt de werkpost en de keuken proper"),
        ),
        "Klasse B",
        tandem_days=5,
    ),
    JobRow(
        "AFWG",
        "Medewerker afweging grondstoffen",
        "Weegt en registreert grondstoffen per batch, met allergenenbeheer.",
        2,
        (
            (EXECUTIVE, "Weegt grondstoffen per batch af"),
            (SUPPORTING, "Registreert lotnummers voor de traceerbaarheid"),
        ),
        "Klasse B",
    ),
    JobRow(
        "OPVUL",
        "Operator vulmachine",
        "Stelt de vulmachine in, bedient ze en lost kleine storingen op.",
        4,
        (
            (PREPARATORY, "Voert de omstelling naar een ander formaat uit"),
            (EXECUTIVE, "Bedient de vulmachine en controleert het vulgewicht"),
            (SUPPORTING, "Lost kleine storingen op en meldt grotere aan onderhoud"),
        ),
        "Klasse C",
        tandem_days=10,
    ),
    JobRow(
        "PRVP",
        "Productiemedewerker verpakking",
        "Verpakt, etiketteert en palletiseert aan de lijn.",
        1,
        (
            (EXECUTIVE, "Voedt verpakkingsmateriaal aan de lijn"),
            (EXECUTIVE, "Controleert etiket en sluiting"),
            (SUPPORTING, "Stapelt en wikkelt paletten"),
        ),
        "Klasse A",
        tandem_days=3,
    ),
    JobRow(
        "LIJNV",
        "Lijnverantwoordelijke",
        "Volgt een verpakkingslijn op, stuurt de operators bij en bewaakt het rendement.",
        9,
        (
            (EXECUTIVE, "Volgt rendement en stilstanden van de lijn op"),
            (SUPPORTING, "Leert operators nieuwe omstellingen aan"),
        ),
        "Klasse D",
    ),
    JobRow(
        "MACHOP",
        "Machineoperator (oude functie)",
        "Functie van vóór de herindeling van de verpakking in drie ploegen.",
        4,
        ((EXECUTIVE, "Bedient een verpakkingsmachine"),),
        "Klasse B",
        is_active=False,
    ),
    JobRow(
        "TMECH",
        "Technicus mechanica",
        "Doet preventief en correctief onderhoud aan de mechanische installaties.",
        12,
        (
            (EXECUTIVE, "Herstelt mechanische storingen"),
            (PREPARATORY, "Plant preventief onderhoud"),
            (SUPPORTING, "Geeft operators uitleg bij terugkerende storingen"),
        ),
        "Klasse D",
    ),
    JobRow(
        "TELEK",
        "Technicus elektriciteit en automatisatie",
        "Onderhoudt elektrische installaties en PLC-sturingen.",
        12,
        (
            (EXECUTIVE, "Zoekt elektrische storingen en herstelt ze"),
            (PREPARATORY, "Past PLC-programma's aan na een wijziging"),
            (SUPPORTING, "Werkt het elektrisch schema bij"),
        ),
        "Klasse D",
    ),
    JobRow(
        "HEFT",
        "Heftruckchauffeur",
        "Laadt, lost en verplaatst paletten met de heftruck.",
        2,
        (
            (EXECUTIVE, "Laadt en lost vrachtwagens"),
            (SUPPORTING, "Voert de dagelijkse controle van de heftruck uit"),
        ),
        "Klasse B",
    ),
    JobRow(
        "MAGZ",
        "Magazijnier",
        "Ontvangt, controleert en stockeert grondstoffen en verpakking.",
        2,
        (
            (EXECUTIVE, "Ontvangt en controleert leveringen"),
            (SUPPORTING, "Houdt de voorraad bij in het systeem"),
        ),
        "Klasse B",
    ),
    JobRow(
        "KWC",
        "Kwaliteitscontroleur",
        "Controleert grondstoffen, tussen- en eindproducten en bewaakt het HACCP-plan.",
        6,
        (
            (EXECUTIVE, "Neemt stalen en voert analyses uit"),
            (SUPPORTING, "Houdt het HACCP-register bij"),
        ),
        "Bediende klasse 3",
    ),
    JobRow(
        "HRVTO",
        "HR- en opleidingscoördinator",
        "Coördineert aanwerving, onthaal, opleidingsplan en sociale balans.",
        6,
        (
            (PREPARATORY, "Stelt het opleidingsplan op"),
            (EXECUTIVE, "Organiseert het onthaal van nieuwkomers"),
            (SUPPORTING, "Registreert opleidingen voor de sociale balans"),
        ),
        "Bediende klasse 4",
    ),
    JobRow(
        "PREV",
        "Preventieadviseur",
        "Adviseert over veiligheid en welzijn en bewaart de onthaaldocumenten.",
        6,
        (
            (PREPARATORY, "Stelt onthaalmaatregelen voor"),
            (SUPPORTING, "Bewaart de ondertekende onthaaldocumenten"),
        ),
        "Bediende klasse 4",
    ),
    JobRow(
        "ADM",
        "Administratief medewerker",
        "Verwerkt bestellingen, facturen en personeelsadministratie.",
        3,
        (
            (EXECUTIVE, "Verwerkt bestellingen en facturen"),
            (SUPPORTING, "Beantwoordt vragen van leveranciers"),
        ),
        "Bediende klasse 2",
    ),
)

_FOOD_WORKSTATIONS = (
    WorkstationRow(
        "SK-KK1",
        "Kookketel 1",
        "saus-kook",
        True,
        6,
        "Kookketel van 2 000 liter met roerwerk en stoommantel.",
    ),
    WorkstationRow(
        "SK-KK2",
        "Kookketel 2",
        "saus-kook",
        True,
        6,
        "Kookketel van 2 000 liter, zelfde type als kookketel 1.",
    ),
    WorkstationRow(
        "SK-KK3",
        "Vacuümkookketel 3",
        "saus-kook",
        True,
        8,
        "Kookt onder vacuüm voor emulsies; moeilijkste ketel.",
    ),
    WorkstationRow("SK-MENG", "Emulsiemenger", "saus-kook", True, 7),
    WorkstationRow("SK-PAST", "Pasteurisator", "saus-kook", True, 7),
    WorkstationRow("SK-CIP", "CIP-reinigingsinstallatie", "saus-kook", True, 5),
    WorkstationRow("SK-WEEG", "Weegstation grondstoffen", "saus-grond", False, 2),
    WorkstationRow(
        "SK-KRUID",
        "Kruidenafweging",
        "saus-grond",
        False,
        3,
        "Afweging van kruiden en allergenen in een aparte ruimte.",
    ),
    WorkstationRow("VP-VUL1", "Vulmachine lijn 1", "verp", True, 5),
    WorkstationRow("VP-VUL2", "Vulmachine lijn 2", "verp", True, 5),
    WorkstationRow("VP-SLUIT", "Sluitmachine lijn 2", "verp", True, 4),
    WorkstationRow("VP-ETIK", "Etiketteermachine", "verp", True, 3),
    WorkstationRow("VP-METD", "Metaaldetector", "verp", True, 2),
    WorkstationRow("VP-KRIMP", "Krimptunnel", "verp", True, 3),
    WorkstationRow("VP-PAL", "Palletiseerder", "verp", True, 4),
    WorkstationRow("VP-INPAK", "Inpaktafel", "verp", False, 1),
    WorkstationRow("OH-WERK", "Werkplaats mechanica", "ond-mech", False, 6),
    WorkstationRow("OH-PLC", "PLC-kast lijn 2", "ond-elek", True, 9),
    WorkstationRow("LOG-HEF", "Heftruck", "log", True, 4),
    WorkstationRow("LOG-REACH", "Reachtruck", "log-mag", True, 5),
    WorkstationRow("LOG-TRANS", "Elektrische transpallet", "log-exp", True, 2),
    WorkstationRow("LOG-KADE", "Laadkade", "log-exp", False, 2),
)

_FOOD_DEMO_PEOPLE = (
    DemoPerson(
        Role.ADMIN,
        "admin",
        "Hilde",
        "Vandamme",
        "f",
        "site",
        "BEDRL",
        54,
        19,
        education_level="master",
        languages="nl, fr, en",
        leads=True,
    ),
    DemoPerson(
        Role.MANAGER,
        "manager",
        "Koen",
        "Verstraete",
        "m",
        "verp",
        "AFDH",
        47,
        16,
        languages="nl, en",
        leads=True,
    ),
    DemoPerson(
        Role.HR,
        "hr",
        "Sofie",
        "Lambrecht",
        "f",
        "kant-hr",
        "HRVTO",
        41,
        9,
        education_level="master",
        languages="nl, fr, en",
        leads=True,
    ),
    DemoPerson(
        Role.MENTOR,
        "mentor",
        "Dirk",
        "Vanneste",
        "m",
        "saus-kook",
        "SAUSB",
        58,
        31,
        education_level="lower_secondary",
        career_note="Peter voor nieuwe sausbereiders sinds 2015.",
    ),
    DemoPerson(
        Role.COACH,
        "coach",
        "Nathalie",
        "Declercq",
        "f",
        "verp-laat",
        "LIJNV",
        44,
        18,
        languages="nl, fr",
    ),
    DemoPerson(
        Role.INSTRUCTOR,
        "instructor",
        "Michel",
        "Collard",
        "m",
        "ond-mech",
        "TMECH",
        50,
        22,
        language="fr",
        languages="fr, nl",
        dutch_level="B2",
        leads=True,
    ),
    DemoPerson(
        Role.KNOWLEDGE_MANAGER,
        "knowledge-manager",
        "Lotte",
        "Coppens",
        "f",
        "kant-kwal",
        "KWC",
        36,
        8,
        language="en",
        education_level="master",
        languages="nl, en, fr",
        leads=True,
    ),
    DemoPerson(
        Role.PREVENTION_ADVISER,
        "prevention-adviser",
        "Geert",
        "Desmet",
        "m",
        "kant-kwal",
        "PREV",
        52,
        14,
        education_level="bachelor",
        languages="nl, fr",
    ),
    DemoPerson(
        Role.CONSULTATION,
        "consultation",
        "Emre",
        "Kaya",
        "m",
        "verp-nacht",
        "OPVUL",
        39,
        12,
        languages="nl, tr",
        career_note="Lid van de ondernemingsraad en het CPBW.",
    ),
    DemoPerson(
        Role.EMPLOYEE,
        "employee",
        "Agnieszka",
        "Nowak",
        "f",
        "verp-vroeg",
        "PRVP",
        29,
        0.25,
        languages="pl, en",
        dutch_level="A2",
        education_level="higher_secondary",
    ),
)

_FOOD_LEADERS = (
    ("saus", "AFDH"),
    ("ond", "AFDH"),
    ("log", "AFDH"),
    ("kant", "AFDH"),
    ("saus-kook", "PLB"),
    ("saus-grond", "AFWG"),
    ("verp-vroeg", "PLB"),
    ("verp-laat", "PLB"),
    ("verp-nacht", "PLB"),
    ("ond-elek", "TELEK"),
    ("log-mag", "MAGZ"),
    ("log-exp", "HEFT"),
    ("kant-adm", "ADM"),
)

_KETTLES = ("SK-KK1", "SK-KK2", "SK-KK3", "SK-MENG", "SK-PAST")
_FILLING = ("VP-VUL1", "VP-VUL2", "VP-SLUIT")
_PACKING = ("VP-ETIK", "VP-METD", "VP-KRIMP", "VP-PAL", "VP-INPAK")
_A, _AP, _V, _I, _IBO, _JS, _EXT = (
    PersonType.AGENCY,
    PersonType.APPRENTICE,
    PersonType.VDAB_TRAINEE,
    PersonType.INTERN,
    PersonType.IBO,
    PersonType.JOB_SEEKER,
    PersonType.EXTERNAL_TRAINER,
)


def _shift(unit: str, operators: int, packers: int) -> tuple[Slot, ...]:
    return (
        Slot(unit, "LIJNV", 1, workstations=_FILLING),
        Slot(unit, "OPVUL", operators, leavers=1, workstations=_FILLING),
        Slot(unit, "PRVP", packers, workstations=_PACKING),
        Slot(unit, "PRVP", 3, _A, leavers=1, workstations=_PACKING),
    )


_FOOD_SLOTS = (
    # Sauce kitchen: the know-how sits with a few older sauce makers (retention risk, S-30).
    Slot("saus-kook", "SAUSB", 8, seniors=3, leavers=1, workstations=_KETTLES),
    Slot("saus-kook", "HKOK", 4, workstations=("SK-CIP",)),
    Slot("saus-kook", "HKOK", 2, _AP),
    Slot("saus-kook", "HKOK", 1, _I),
    Slot("saus-kook", "SAUSB", 1, _IBO, workstations=("SK-KK1",)),
    Slot("saus-grond", "AFWG", 4, seniors=1, workstations=("SK-WEEG", "SK-KRUID")),
    Slot("saus-grond", "AFWG", 1, _V, workstations=("SK-WEEG",)),
    # Packaging, three shifts; the late shift's line lead is the coach, the night shift's
    # operator on the works council is the consultation user.
    *_shift("verp-vroeg", 4, 5),
    Slot("verp-laat", "OPVUL", 4, leavers=1, workstations=_FILLING),
    Slot("verp-laat", "PRVP", 5, seniors=1, workstations=_PACKING),
    Slot("verp-laat", "PRVP", 3, _A, workstations=_PACKING),
    Slot("verp-nacht", "LIJNV", 1, workstations=_FILLING),
    Slot("verp-nacht", "OPVUL", 3, workstations=_FILLING),
    Slot("verp-nacht", "PRVP", 5, workstations=_PACKING),
    Slot("verp-nacht", "PRVP", 3, _A, leavers=1, workstations=_PACKING),
    Slot("verp", "PRVP", 2, _V, workstations=("VP-INPAK",)),
    Slot("verp", "OPVUL", 1, _IBO, workstations=("VP-VUL1",)),
    Slot("verp", "PRVP", 1, _JS, workstations=("VP-INPAK",)),
    # Maintenance.
    Slot("ond-mech", "TMECH", 3, seniors=1, leavers=1, workstations=("OH-WERK",)),
    Slot("ond-mech", "TMECH", 1, _AP),
    Slot("ond-mech", "TMECH", 1, _IBO),
    Slot("ond-elek", "TELEK", 3, workstations=("OH-PLC",)),
    Slot("ond-elek", "TELEK", 1, _AP),
    Slot("ond-elek", "TELEK", 1, _I),
    Slot("ond", None, 1, _EXT),
    # Logistics.
    Slot("log-mag", "MAGZ", 2, seniors=1, workstations=("LOG-REACH",)),
    Slot("log-mag", "HEFT", 2, workstations=("LOG-HEF", "LOG-REACH")),
    Slot("log-mag", "MAGZ", 1, _A),
    Slot("log-exp", "HEFT", 3, leavers=1, workstations=("LOG-HEF", "LOG-KADE")),
    Slot("log-exp", "MAGZ", 2, workstations=("LOG-TRANS", "LOG-KADE")),
    Slot("log-exp", "HEFT", 1, _A, workstations=("LOG-HEF",)),
    Slot("log", "HEFT", 1, _V, workstations=("LOG-TRANS",)),
    Slot("log", "MAGZ", 1, _JS, workstations=("LOG-TRANS",)),
    Slot("log", None, 1, _EXT),
    # Office.
    Slot("kant-hr", "HRVTO", 1),
    Slot("kant-hr", "ADM", 1),
    Slot("kant-hr", "HRVTO", 1, _I),
    Slot("kant-adm", "ADM", 3, seniors=1, leavers=1),
    Slot("kant-kwal", "KWC", 2, leavers=1),
    Slot("kant-kwal", "KWC", 1, _I),
    Slot("kant-kwal", None, 1, _EXT),
)

_FOOD_MOVES = (
    Move("HKOK", "SAUSB", "promotion", "Na opleiding door de peter doorgegroeid tot sausbereider."),
    Move("PRVP", "OPVUL", "internal_move", "Opleiding vulmachine met succes afgerond."),
    Move("MAGZ", "HEFT", "internal_move", "Heftruckattest behaald."),
    Move("OPVUL", "LIJNV", "promotion", "Doorgegroeid tot lijnverantwoordelijke."),
    Move("LIJNV", "PLB", "promotion", "Benoemd tot ploegbaas."),
    Move("OPVUL", "PLB", "promotion", "Benoemd tot ploegbaas."),
    Move("ADM", "HRVTO", "internal_move", "Overgestapt naar HR en opleiding."),
)

VOEDINGSBEDRIJF_X = OrgSpec(
    slug="voedingsbedrijf-x",
    name="Voedingsbedrijf X",
    sector="Voedingsindustrie (sauzen en dressings)",
    joint_committee="118",
    training_fund="Alimento",
    training_fund_agreements=(
        "Opleidingsinspanningen volgens de geldende sectorovereenkomst van PC 118; "
        "tussenkomsten en opleidingsaanbod via Alimento."
    ),
    is_sme=False,
    domain="voedingsbedrijf-x.demo",
    number_prefix="VX",
    units=_FOOD_UNITS,
    jobs=_FOOD_JOBS,
    workstations=_FOOD_WORKSTATIONS,
    leaders=_FOOD_LEADERS,
    demo_people=_FOOD_DEMO_PEOPLE,
    slots=_FOOD_SLOTS,
    moves=_FOOD_MOVES,
    reorganisation=Move(
        "MACHOP", "OPVUL", "reorganisation", "Herindeling van de verpakking in drie ploegen."
    ),
    reorganisation_unit="verp",
)


# --- Transportbedrijf X (the brochure's transport company, scenario S-09) -----------------------

TRANSPORTBEDRIJF_X = OrgSpec(
    slug="transportbedrijf-x",
    name="Transportbedrijf X",
    sector="Goederenvervoer over de weg",
    joint_committee="140.03",
    training_fund="",
    training_fund_agreements="",
    is_sme=True,
    domain="transportbedrijf-x.demo",
    number_prefix="TX",
    units=(
        UnitRow("depot", "Depot", "DEP", UnitKind.SITE, None),
        UnitRow("plan", "Planning", "PLAN", UnitKind.DEPARTMENT, "depot"),
        UnitRow("chauf", "Chauffeurs", "CHAUF", UnitKind.DEPARTMENT, "depot"),
        UnitRow("chauf-nat", "Nationaal transport", "NAT", UnitKind.TEAM, "chauf"),
        UnitRow("chauf-int", "Internationaal transport", "INT", UnitKind.TEAM, "chauf"),
        UnitRow("werk", "Werkplaats", "WERK", UnitKind.DEPARTMENT, "depot"),
        UnitRow("adm", "Administratie", "ADM", UnitKind.DEPARTMENT, "depot"),
    ),
    jobs=(
        JobRow(
            "ZAAK",
            "Zaakvoerder",
            "Leidt het bedrijf.",
            12,
            ((EXECUTIVE, "Stuurt planning, werkplaats en administratie aan"),),
        ),
        JobRow(
            "PLAN",
            "Transportplanner",
            "Plant ritten en chauffeurs.",
            6,
            (
                (PREPARATORY, "Plant de ritten van de volgende dag"),
                (SUPPORTING, "Houdt contact met chauffeurs onderweg"),
            ),
        ),
        JobRow(
            "CHCE",
            "Chauffeur CE",
            "Vervoert goederen met trekker en oplegger.",
            6,
            (
                (EXECUTIVE, "Rijdt de geplande ritten"),
                (PREPARATORY, "Voert de vertrekcontrole van het voertuig uit"),
                (SUPPORTING, "Vult de vrachtbrief en de tachograaf correct in"),
            ),
            tandem_days=15,
        ),
        JobRow(
            "MECA",
            "Mecanicien zware voertuigen",
            "Onderhoudt en herstelt de vloot.",
            12,
            ((EXECUTIVE, "Voert onderhoud en herstellingen uit"),),
        ),
        JobRow(
            "HRADM",
            "HR- en administratief medewerker",
            "Personeelsadministratie, onthaal en opleiding.",
            6,
            (
                (EXECUTIVE, "Verzorgt de personeelsadministratie"),
                (PREPARATORY, "Plant de vakbekwaamheidsopleidingen (code 95)"),
            ),
        ),
    ),
    workstations=(
        WorkstationRow("TRK", "Trekker met oplegger", "chauf", True, 6),
        WorkstationRow("BAK", "Bakwagen met laadklep", "chauf-nat", True, 4),
        WorkstationRow("TACHO", "Tachograaf-uitleesstation", "plan", False, 2),
        WorkstationRow("BRUG", "Hefbrug werkplaats", "werk", True, 5),
    ),
    leaders=(
        ("depot", "ZAAK"),
        ("plan", "PLAN"),
        ("chauf-nat", "CHCE"),
        ("chauf-int", "CHCE"),
        ("werk", "MECA"),
    ),
    demo_people=(
        DemoPerson(
            Role.HR,
            "hr",
            "Inge",
            "Pauwels",
            "f",
            "adm",
            "HRADM",
            45,
            11,
            education_level="bachelor",
            leads=True,
        ),
    ),
    slots=(
        Slot("plan", "PLAN", 2),
        Slot("chauf-nat", "CHCE", 6, seniors=1, leavers=2, workstations=("BAK", "TRK")),
        Slot("chauf-int", "CHCE", 5, leavers=1, workstations=("TRK",)),
        Slot("chauf-nat", "CHCE", 1, _A, workstations=("BAK",)),
        Slot("chauf-nat", "CHCE", 1, _V, workstations=("BAK",)),
        Slot("chauf-int", "CHCE", 1, _JS, workstations=("TRK",)),
        Slot("werk", "MECA", 2, workstations=("BRUG",)),
        Slot("werk", "MECA", 1, _AP, workstations=("BRUG",)),
        Slot("adm", "HRADM", 1),
    ),
)

DEMO_ORGANISATIONS = (VOEDINGSBEDRIJF_X, TRANSPORTBEDRIJF_X)


# --- Schaal NV: the benchmark data set -----------------------------------------------------------

SCALE_SLUG = "schaal-nv"
SCALE_NAME = "Schaal NV"
SCALE_SITES = ("Noord", "Zuid", "Oost", "West", "Haven", "Centrum", "Kanaal", "Heide")
SCALE_DEPARTMENTS = (
    "Productie",
    "Verpakking",
    "Logistiek",
    "Onderhoud",
    "Kwaliteit",
    "Expeditie",
    "Techniek",
    "Aankoop",
    "Planning",
    "Kantoor",
)
SCALE_TEAMS = ("Ploeg A", "Ploeg B", "Ploeg C", "Lijn 1", "Lijn 2", "Lijn 3", "Team onderhoud")
SCALE_JOB_BASES = (
    "Operator",
    "Productiemedewerker",
    "Technicus",
    "Heftruckchauffeur",
    "Magazijnier",
    "Kwaliteitscontroleur",
    "Ploegbaas",
    "Planner",
    "Administratief medewerker",
    "Lasser",
    "Elektricien",
    "Procesoperator",
    "Laborant",
    "Teamleider",
    "Onderhoudsmedewerker",
    "Lijnverantwoordelijke",
    "Inpakker",
    "Chauffeur",
    "Reinigingsmedewerker",
    "Aankoper",
)
SCALE_MACHINES = (
    "Vulmachine",
    "Menger",
    "Kookketel",
    "Palletiseerder",
    "Etiketteermachine",
    "Heftruck",
    "Reachtruck",
    "Lasrobot",
    "Plooibank",
    "Draaibank",
    "Freesmachine",
    "Pers",
    "Oven",
    "Koeltunnel",
    "Weegstation",
    "Snijmachine",
)

# Competences of Schaal NV: groups of the catalogue, and what one does at a machine.
SCALE_COMPETENCE_GROUPS = (
    "Hygiëne",
    "Veiligheid",
    "Kwaliteit",
    "Onderhoud",
    "Machinebediening",
    "Logistiek",
    "Verpakking",
    "Procesvoering",
    "Communicatie",
    "Administratie",
)
SCALE_SKILLS = (
    "bedienen",
    "omstellen",
    "reinigen",
    "storingen oplossen",
    "preventief onderhouden",
    "kwaliteit controleren",
    "opstarten en stilleggen",
    "afstellen",
)


# --- Competences of Voedingsbedrijf X (issue #4) -------------------------------------------------


@dataclass(frozen=True)
class CompetenceRow:
    code: str
    name: str
    kind: str  # technical, general or attitude
    jobs: tuple[str, ...] = ()  # functions that require it
    workstations: tuple[str, ...] = ()  # workstations that require it
    level: str = "U"  # required level
    ideal: int = 2  # ideal number of people at U or higher
    validity_months: int | None = None
    # Held at U or higher only by people close to retirement or with a planned exit: the
    # retention risk of the brochure.
    seniors_only: bool = False
    group: str = ""  # name of its CompetenceGroup
    level_texts: tuple[tuple[str, str], ...] = ()  # (level code, what it means here)


@dataclass(frozen=True)
class GroupRow:
    name: str
    description: str
    numeric: bool = False  # measured on the 1-5 scale instead of ILUO


# The changeover skill of the brochure's coverage example (43 % to 65 % after a training).
CHANGEOVER = "VP-OMST"
CHANGEOVER_UNIT = "verp-vroeg"
NUMERIC_SCALE_NAME = "1-5"


_SAUCE = ("SAUSB", "HKOK")
_PACK = ("OPVUL", "PRVP", "LIJNV")
_TECH = ("TMECH", "TELEK")
_LOGI = ("HEFT", "MAGZ")
_FLOOR = (*_SAUCE, "AFWG", *_PACK, *_TECH, *_LOGI, "PLB")
_OFFICE = ("HRVTO", "ADM", "KWC", "PREV")

FOOD_COMPETENCES = (
    CompetenceRow("SK-REC", "Sauzen bereiden volgens recept", "technical", ("SAUSB",), ideal=4),
    CompetenceRow(
        "SK-KETEL", "Kookketel bedienen", "technical", _SAUCE, ("SK-KK1", "SK-KK2"), ideal=4
    ),
    CompetenceRow(
        "SK-VAC",
        "Emulsie onder vacuüm koken (ketel 3)",
        "technical",
        (),
        ("SK-KK3", "SK-MENG"),
        ideal=3,
        seniors_only=True,
    ),
    CompetenceRow("SK-PAST", "Pasteurisator bedienen", "technical", (), ("SK-PAST",), ideal=2),
    CompetenceRow(
        "SK-CIP", "CIP-reiniging uitvoeren", "technical", ("HKOK",), ("SK-CIP",), ideal=3
    ),
    CompetenceRow("SK-AFW", "Grondstoffen afwegen", "technical", ("AFWG",), ("SK-WEEG",), ideal=2),
    CompetenceRow(
        "SK-ALL", "Allergenen scheiden bij afweging", "technical", ("AFWG",), ("SK-KRUID",), "O", 1
    ),
    CompetenceRow(
        "VP-VUL",
        "Vulmachine instellen en bedienen",
        "technical",
        ("OPVUL",),
        ("VP-VUL1", "VP-VUL2"),
        ideal=3,
    ),
    CompetenceRow("VP-OMST", "Formaatwissel vulmachine", "technical", ("OPVUL", "LIJNV"), ideal=2),
    CompetenceRow("VP-SLUIT", "Sluitmachine bedienen", "technical", (), ("VP-SLUIT",), ideal=2),
    CompetenceRow(
        "VP-ETIK", "Etiketteermachine bedienen", "technical", ("PRVP",), ("VP-ETIK",), "L", 3
    ),
    CompetenceRow(
        "VP-METD", "Metaaldetector controleren", "technical", _PACK, ("VP-METD",), ideal=3
    ),
    CompetenceRow("VP-PAL", "Palletiseerder bedienen", "technical", (), ("VP-PAL",), ideal=2),
    CompetenceRow(
        "OH-PM", "Preventief onderhoud uitvoeren", "technical", _TECH, ("OH-WERK",), ideal=2
    ),
    CompetenceRow("OH-PLC", "PLC-storingen zoeken", "technical", ("TELEK",), ("OH-PLC",), ideal=2),
    CompetenceRow(
        "OH-LOTO", "Vergrendelen en labelen (LOTO)", "technical", _TECH, level="O", ideal=2
    ),
    CompetenceRow(
        "LOG-HEF",
        "Heftruck rijden (attest)",
        "technical",
        ("HEFT",),
        ("LOG-HEF",),
        ideal=3,
        validity_months=60,
    ),
    CompetenceRow(
        "LOG-REACH",
        "Reachtruck rijden (attest)",
        "technical",
        ("MAGZ",),
        ("LOG-REACH",),
        ideal=2,
        validity_months=60,
    ),
    CompetenceRow("LOG-FIFO", "Voorraad beheren volgens FIFO", "technical", _LOGI, ideal=2),
    CompetenceRow(
        "VV-HACCP",
        "Voedselveiligheid en HACCP",
        "general",
        (*_FLOOR, "KWC"),
        ideal=4,
        validity_months=24,
    ),
    CompetenceRow(
        "VV-HYG", "Persoonlijke hygiëne in de productie", "general", _FLOOR, level="U", ideal=4
    ),
    CompetenceRow(
        "VEIL-EHBO", "Eerste hulp (EHBO)", "general", ("PLB", "LIJNV"), ideal=1, validity_months=36
    ),
    CompetenceRow(
        "ALG-COMM",
        "Overdracht bij ploegwissel",
        "general",
        ("PLB", "LIJNV", "OPVUL", "SAUSB"),
        level="L",
        ideal=2,
    ),
    CompetenceRow(
        "ALG-PROB",
        "Problemen oplossen (5 x waarom)",
        "general",
        ("PLB", "LIJNV", "KWC"),
        level="L",
        ideal=1,
    ),
    CompetenceRow("ATT-VEIL", "Veiligheidsbewust werken", "attitude", _FLOOR, level="4", ideal=4),
    CompetenceRow("ATT-SAMEN", "Samenwerken in de ploeg", "attitude", _FLOOR, level="3", ideal=2),
    # The office teams: first intervention at a fire (a certificate), software, administration.
    CompetenceRow(
        "VEIL-EPI",
        "Eerste interventie bij brand",
        "general",
        ("HRVTO", "ADM", "KWC", "PREV", "PLB"),
        ideal=1,
        validity_months=36,
    ),
    CompetenceRow(
        "SW-ERP", "ERP-pakket gebruiken (orders, voorraad)", "technical", _OFFICE, level="3"
    ),
    CompetenceRow("SW-XLS", "Rekenblad (Excel) gebruiken", "technical", _OFFICE, level="3"),
    CompetenceRow(
        "KAN-LOON",
        "Loongegevens voorbereiden voor het sociaal secretariaat",
        "technical",
        ("HRVTO",),
        ideal=1,
    ),
    CompetenceRow("KAN-AANK", "Aankoopbestellingen opvolgen", "technical", ("ADM",), ideal=2),
)

FOOD_GROUPS = (
    GroupRow("Sauskeuken", "Bereiden en koken van sauzen, reinigen van de installatie."),
    GroupRow("Verpakking", "Vullen, sluiten, etiketteren en palletiseren."),
    GroupRow("Onderhoud", "Preventief en correctief onderhoud, veilig werken aan machines."),
    GroupRow("Logistiek", "Heftrucks, voorraad en expeditie."),
    GroupRow("Voedselveiligheid en veiligheid", "HACCP, hygiëne, eerste hulp en brand."),
    GroupRow("Algemene vaardigheden", "Overdracht en problemen oplossen."),
    GroupRow(
        "Attitudes",
        "Houding op de werkvloer, gescoord van 1 (zelden) tot 5 (een voorbeeld voor anderen).",
        numeric=True,
    ),
    GroupRow(
        "Software",
        "Programma's op kantoor, van 1 (kent het niet) tot 5 (helpt collega's verder).",
        numeric=True,
    ),
    GroupRow("Administratie en HR", "Kantoortaken van HR en aankoop."),
)
_GROUP_OF_PREFIX = {
    "SK": "Sauskeuken",
    "VP": "Verpakking",
    "OH": "Onderhoud",
    "LOG": "Logistiek",
    "VV": "Voedselveiligheid en veiligheid",
    "VEIL": "Voedselveiligheid en veiligheid",
    "ALG": "Algemene vaardigheden",
    "ATT": "Attitudes",
    "SW": "Software",
    "KAN": "Administratie en HR",
}
_LEVEL_TEXTS = {
    "VP-OMST": (
        ("I", "Kijkt mee bij een formaatwissel en zet de onderdelen klaar."),
        ("L", "Wisselt het formaat met de lijnverantwoordelijke naast zich."),
        ("U", "Wisselt alleen van formaat binnen 25 minuten en start zonder afkeur op."),
        ("O", "Leert collega's de formaatwissel aan volgens de werkinstructie."),
    ),
    "SK-VAC": (
        ("L", "Kookt een emulsie onder vacuüm met de sausbereider ernaast."),
        ("U", "Kookt alleen een stabiele emulsie onder vacuüm, ook bij afwijkende grondstoffen."),
        ("O", "Kent de receptuur van buiten en leert ze anderen aan."),
    ),
    "ATT-VEIL": (
        ("1", "Moet vaak aangesproken worden op veilig werken."),
        ("3", "Werkt veilig volgens de regels."),
        ("5", "Spreekt collega's aan en meldt bijna-ongevallen."),
    ),
}


def competence_group(row: CompetenceRow) -> str:
    """The group a demo competence belongs to: its own, else by the prefix of its code."""
    return row.group or _GROUP_OF_PREFIX.get(row.code.split("-")[0], "")


def competence_level_texts(row: CompetenceRow) -> dict[str, str]:
    return dict(row.level_texts or _LEVEL_TEXTS.get(row.code, ()))


# --- Competences of Transportbedrijf X -----------------------------------------------------------

TRANSPORT_GROUPS = (
    GroupRow("Rijden en lading", "Vakbekwaamheid, tachograaf, lading en gevaarlijke goederen."),
    GroupRow("Werkplaats", "Onderhoud en herstelling van de vloot."),
    GroupRow("Planning", "Ritten plannen en opvolgen."),
)
_DRIVER = ("CHCE",)
TRANSPORT_COMPETENCES = (
    CompetenceRow(
        "TR-C95",
        "Vakbekwaamheid chauffeur (code 95)",
        "technical",
        _DRIVER,
        ideal=6,
        validity_months=60,
        group="Rijden en lading",
    ),
    CompetenceRow(
        "TR-ADR",
        "ADR-certificaat gevaarlijke goederen",
        "technical",
        _DRIVER,
        ideal=3,
        validity_months=60,
        group="Rijden en lading",
    ),
    CompetenceRow(
        "TR-TACHO",
        "Digitale tachograaf correct gebruiken",
        "technical",
        (*_DRIVER, "PLAN"),
        ("TACHO",),
        ideal=4,
        group="Rijden en lading",
    ),
    CompetenceRow(
        "TR-LAD",
        "Lading zekeren (EN 12195)",
        "technical",
        _DRIVER,
        ("TRK",),
        ideal=4,
        group="Rijden en lading",
    ),
    CompetenceRow(
        "TR-KLEP", "Laadklep bedienen", "technical", (), ("BAK",), ideal=2, group="Rijden en lading"
    ),
    CompetenceRow(
        "TR-ECO",
        "Defensief en zuinig rijden",
        "general",
        _DRIVER,
        level="L",
        ideal=3,
        group="Rijden en lading",
    ),
    CompetenceRow(
        "TR-TMS", "Ritten plannen in het TMS", "technical", ("PLAN",), ideal=2, group="Planning"
    ),
    CompetenceRow(
        "TR-BRUG",
        "Hefbrug veilig bedienen",
        "technical",
        ("MECA",),
        ("BRUG",),
        ideal=2,
        group="Werkplaats",
    ),
    CompetenceRow(
        "TR-DIAG",
        "Storingen uitlezen met de diagnosecomputer",
        "technical",
        ("MECA",),
        ideal=2,
        group="Werkplaats",
    ),
)


# --- Onboarding templates (issue #5) -------------------------------------------------------------
# (section, title, who, day from the start, how, on the work floor[, duration in days])

_C, _F, _K, _T = (
    Section.COMPANY,
    Section.FUNCTION,
    Section.COMPETENCE_CHECK,
    Section.TRAINING_PLAN,
)
_HR, _MGR, _PM, _NEW, _PA = (
    TaskOwner.HR,
    TaskOwner.MANAGER,
    TaskOwner.MENTOR,
    TaskOwner.NEWCOMER,
    TaskOwner.PREVENTION_ADVISER,
)

ONBOARDING_COMPANY_TASKS: tuple[tuple[Any, ...], ...] = (
    (
        _C,
        "Welkomstbrief en praktische info sturen",
        _HR,
        -5,
        "Uur, plaats, kledij, parking.",
        False,
    ),
    (_C, "Welkom en rondleiding", _HR, 0, "Kantine, kleedkamers, EHBO, nooduitgangen.", False),
    (_C, "Veiligheids- en welzijnsinstructies", _PA, 0, "Werkpostfiche, PBM, noodprocedure.", True),
    (_C, "Arbeidsreglement en afspraken overlopen", _HR, 1, "Uurroosters, verlof, ziekte.", False),
    (_C, "Kennismaking met de collega's", _MGR, 1, "Voorstellen aan de ploeg.", False),
    (
        _K,
        "Competentiecheck met je leidinggevende",
        _MGR,
        7,
        "Wat kan je al, wat leer je nog?",
        False,
    ),
    (_T, "Evaluatiegesprek na een maand", _MGR, 30, "Met peter/meter en nieuwkomer.", False),
)

ONBOARDING_DEFAULT_JOB_TASKS: tuple[tuple[Any, ...], ...] = (
    (_F, "Kennismaking met de functie {job}", _MGR, 1, "Taken, werkpost, verwachtingen.", False),
    (_F, "Meelopen met je peter/meter", _PM, 2, "Kijken, vragen, samen doen.", True, 10),
    (
        _T,
        "Persoonlijk opleidingsplan afspreken",
        _MGR,
        14,
        "Op basis van de competentiecheck.",
        False,
    ),
    (
        _F,
        "Eerste taken zelfstandig onder toezicht",
        _PM,
        21,
        "De peter/meter blijft in de buurt.",
        True,
    ),
)

ONBOARDING_JOB_TASKS: dict[str, tuple[tuple[Any, ...], ...]] = {
    "CHCE": (
        (
            _F,
            "Voertuig en vertrekcontrole samen met je peter",
            _PM,
            1,
            "Checklist vertrekcontrole.",
            True,
        ),
        (_F, "Tachograaf en vrachtbrief invullen", _PM, 2, "Oefenen op het uitleesstation.", False),
        (
            _F,
            "Meerijden met je peter: nationale ritten",
            _PM,
            3,
            "Tandem in de bakwagen.",
            True,
            15,
        ),
        (_T, "Persoonlijk opleidingsplan en code 95 afspreken", _MGR, 14, "", False),
        (_F, "Eerste rit alleen, na akkoord van de planner", _MGR, 21, "Peter bereikbaar.", True),
        (_F, "Internationale rit in tandem", _PM, 45, "Rij- en rusttijden, CMR.", True, 5),
    ),
}
