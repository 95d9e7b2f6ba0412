"""The organisations, people and offices named in the source documents (../shared/seeds/).

Written from the documents, with their misspellings corrected (the 44th meeting's report writes
"Hamish Jeninks (RIPPES)" for Hamish Jenkins of RIPESS). Only what the documents support is
stated: where they give no date or country, the field stays empty.
"""

import datetime

from members.models import DatePrecision, Office, Organisation, OrganisationKind, Person, Role
from untfsse.core.seeding import upsert

MEMBER, OBSERVER, PARTNER = (
    OrganisationKind.MEMBER,
    OrganisationKind.OBSERVER,
    OrganisationKind.PARTNER,
)

# (slug, acronym, full name, kind, headquarters country or "")
# No document gives a headquarters country, so it stays empty; the two partner countries are
# the exception, being countries themselves.
ORGANISATIONS = [
    # Members named in the 44th meeting (2023) and Third Technical Symposium (2021) reports.
    ("ilo", "ILO", "International Labour Organization", MEMBER, ""),
    ("unrisd", "UNRISD", "United Nations Research Institute for Social Development", MEMBER, ""),
    ("eclac", "ECLAC", "Economic Commission for Latin America and the Caribbean", MEMBER, ""),
    ("undp", "UNDP", "United Nations Development Programme", MEMBER, ""),
    (
        "un-desa",
        "UN DESA",
        "United Nations Department of Economic and Social Affairs",
        MEMBER,
        "",
    ),
    ("unctad", "UNCTAD", "United Nations Conference on Trade and Development", MEMBER, ""),
    ("oecd", "OECD", "Organisation for Economic Co-operation and Development", MEMBER, ""),
    ("escap", "ESCAP", "Economic and Social Commission for Asia and the Pacific", MEMBER, ""),
    ("unhcr", "UNHCR", "Office of the United Nations High Commissioner for Refugees", MEMBER, ""),
    # Observers named in the same two reports.
    ("catalyst-2030", "Catalyst 2030", "Catalyst 2030", OBSERVER, ""),
    (
        "ciriec",
        "CIRIEC",
        "International Centre of Research and Information on the Public, Social and Cooperative Economy",
        OBSERVER,
        "",
    ),
    ("csend", "CSEND", "Geneva Centre for Socio-Economic Development", OBSERVER, ""),
    ("emes", "EMES", "EMES International Research Network", OBSERVER, ""),
    (
        "euricse",
        "Euricse",
        "European Research Institute on Cooperative and Social Enterprises",
        OBSERVER,
        "",
    ),
    ("diesis", "DIESIS", "Diesis Network", OBSERVER, ""),
    ("gsef", "GSEF", "Global Social Economy Forum", OBSERVER, ""),
    ("euclid-network", "Euclid Network", "Euclid Network", OBSERVER, ""),
    ("ica", "ICA", "International Cooperative Alliance", OBSERVER, ""),
    ("sse-international-forum", "SSE International Forum", "SSE International Forum", OBSERVER, ""),
    (
        "ripess",
        "RIPESS",
        # As the webinar news of 19 June 2020 writes it ("... (RIPESS International)").
        "Intercontinental Network for the Promotion of Social and Solidarity Economy",
        OBSERVER,
        "",
    ),
    ("eesc", "EESC", "European Economic and Social Committee", OBSERVER, ""),
    ("social-economy-europe", "Social Economy Europe", "Social Economy Europe", OBSERVER, ""),
    # Partners the documents name: the ILO's training centre that supported the symposium and
    # led the awareness-raising package, the two key partners the 2022-2024 plan names under
    # fund-raising, and
    # RIPESS's African network whose president spoke at the June 2020 webinar.
    ("itcilo", "ITCILO", "International Training Centre of the ILO", PARTNER, ""),
    ("luxembourg", "Luxembourg", "Grand Duchy of Luxembourg", PARTNER, "LU"),
    ("republic-of-korea", "Republic of Korea", "Republic of Korea", PARTNER, "KR"),
    (
        "raess",
        "RAESS",
        "African Network of Social and Solidarity Economy (RIPESS Africa)",
        PARTNER,
        "",
    ),
]

# The ILO co-founded the Task Force in 2013 (news of 19 May 2023); only the year is known,
# and the pages show joining dates as years.
JOINED_ON = {"ilo": datetime.date(2013, 1, 1)}

# (name, honorific, organisation slug or None, position, private e-mail)
# Honorifics only as the documents write them: "Mr."/"Ms." for the six ILO officials at the
# Trento retreat (29 November 2019), "Ms. Esim" and "Mr Guy Tchami" (19 May 2023), "Mr Van
# Vuuren" (19 June 2020). A pronoun ("She" for Antonella Noya, "He" for Fernando Baptista in
# the 44th meeting's report) is not a form of address the person chose (Ms? Dr?), and nothing
# is guessed from a first name: those honorifics stay empty.
PEOPLE = [
    ("Vic Van Vuuren", "Mr", "ilo", "Director, Enterprises Department", "vanvuuren@ilo.org"),
    ("Anita Amorim", "Ms", "ilo", "Head, Emerging and Special Partnerships", ""),
    ("Roberto Di Meglio", "Mr", "ilo", "Cooperatives Unit", ""),
    ("Valentina Verze", "Ms", "ilo", "Cooperatives Unit", "verze@ilo.org"),
    ("Guy Tchami", "Mr", "ilo", "Cooperatives Unit", ""),
    ("Kim Young Hyun", "Mr", "ilo", "Cooperatives Unit", ""),
    (
        "Simel Esim",
        "Ms",
        "ilo",
        # "ILO COOP/SSE Manager" (19 May 2023); the unit's name is not spelled out.
        "Manager, COOP/SSE",
        "",
    ),
    ("Charles Bodwell", "", "ilo", "", ""),
    ("Fernando Baptista", "", None, "UNTFSSE Communications Consultant", ""),
    ("Antonella Noya", "", "oecd", "", ""),
    ("Ilcheong Yi", "", "unrisd", "", ""),
    ("Hamish Jenkins", "", "ripess", "", ""),
    ("Barbara Sak", "", "ciriec", "", ""),
    ("Laurence Kwark", "", "gsef", "Secretary General", ""),
    ("Madani Coumare", "", "raess", "President", ""),
]

YEAR = DatePrecision.YEAR

# (office, person name or None, organisation slug, title as written, started, precision, ended, precision)
ROLES = [
    # Chair of the Task Force (reports of 2020 and 2021); the 2022-2024 plan foresaw a new chair
    # in 2022 and by 2023 the ILO was Vice-Chair, so the office ended in 2022.
    (Office.CHAIR, "Vic Van Vuuren", "ilo", "", None, YEAR, datetime.date(2022, 1, 1), YEAR),
    # Vice-Chair in 2023 (news of 19 May and 25 July 2023).
    (Office.VICE_CHAIR, "Simel Esim", "ilo", "", None, YEAR, None, YEAR),
    # Technical Secretariat named in the March 2022 report, which also plans the move "to a new
    # Chair/ Secretariat in 2022". As for the Chair, the office is taken to end in 2022 (the
    # year only): no later document names a secretariat, and none shows her still holding it.
    (Office.SECRETARIAT, "Valentina Verze", "ilo", "", None, YEAR, datetime.date(2022, 1, 1), YEAR),
    # Communications consultant reporting at the 44th meeting (July 2023).
    (
        Office.COMMUNICATIONS,
        "Fernando Baptista",
        None,
        "Communications Consultant",
        None,
        YEAR,
        None,
        YEAR,
    ),
]


def load_seed_data() -> str:
    """Create or update every record above; running it again changes nothing."""
    organisations = {
        slug: upsert(
            Organisation,
            {"slug": slug},
            {
                "acronym": acronym,
                "name": name,
                "kind": kind,
                "country": country,
                "joined_on": JOINED_ON.get(slug),
            },
        )
        for slug, acronym, name, kind, country in ORGANISATIONS
    }
    people = {
        name: upsert(
            Person,
            {"name": name},
            {
                "honorific": honorific,
                "organisation": organisations.get(organisation_slug),
                "position": position,
                "email": email,
                # They are named with their organisations in the Task Force's public news.
                "public_profile": True,
            },
        )
        for name, honorific, organisation_slug, position, email in PEOPLE
    }
    for (
        office,
        person_name,
        organisation_slug,
        title,
        started,
        started_precision,
        ended,
        ended_precision,
    ) in ROLES:
        upsert(
            Role,
            {
                "office": office,
                "person": people.get(person_name),
                "organisation": organisations.get(organisation_slug),
            },
            {
                "title": title,
                "started_on": started,
                "started_precision": started_precision,
                "ended_on": ended,
                "ended_precision": ended_precision,
            },
        )
    return f"{len(organisations)} organisations, {len(people)} people, {len(ROLES)} offices"
