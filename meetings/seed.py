"""The meetings the source documents describe (../shared/seeds/), written through the services.

What the documents do not say stays unsaid:
- None of them gives an hour, so every meeting is stored as whole local days
  (SchedulePrecision.DAY; see its docstring), or, where no day is given, as a month
  (SchedulePrecision.MONTH): the ILO briefing, whose news item (19 May 2023) gives no meeting
  date at all, in the month the issue and the news place it in; the two meetings the 44th
  meeting's report (25 July 2023) announces as next, "in September" and "in October" (of
  2023: the report calls them the next ones). Pages show dates without hours; calendars show
  all-day events and leave the month-only meetings out.
- Meetings a document reports on are marked held. The two announced meetings stay planned:
  no document says whether, when or how they took place, so the portal claims neither that
  they were held nor that they were cancelled; their summaries say so. They have no agenda,
  attendance or organiser, as none is given.
- Where the documents list organisations but not their people (the Third Technical Symposium,
  most of the 44th meeting), attendance is recorded per organisation, with no person; each
  such row counts as one participant. The totals the reports give (about 30 at the 44th
  meeting, fifty at the Third Technical Symposium, about 50 at the RIPESS webinar) are the
  meetings' `reported_participants`, which the pages' headlines show beside the counts derived
  from the attendance rows; they are never typed into those counts.
- Where only some participants are named (Trento, the webinars), the meeting's
  `attendance_complete` is off.
- Virtual meetings hosted by the ILO keep Geneva time (Europe/Zurich: the IANA database has no
  Europe/Geneva), and so do the Task Force's own virtual meetings. The RIPESS webinar names no
  host city, so it keeps UTC; the 4th Technical Symposium keeps Montreal's time
  (America/Toronto, the IANA zone for Montreal).

Summaries are written for the portal, in its own words.
"""

import datetime

from meetings.models import (
    AgendaItem,
    AttendanceCapacity,
    Meeting,
    MeetingKind,
    MeetingMode,
    MeetingStatus,
    SchedulePrecision,
)
from meetings.services import (
    SYSTEM,
    attendance_record,
    date_only_span,
    meeting_mark_held,
    meeting_schedule,
    month_only_span,
)
from members.models import Organisation, Person
from untfsse.core.seeding import upsert

GENEVA = "Europe/Zurich"
MEMBER, OBSERVER, RESOURCE = (
    AttendanceCapacity.MEMBER,
    AttendanceCapacity.OBSERVER,
    AttendanceCapacity.RESOURCE_PERSON,
)

TRENTO_SUMMARY = """\
Members and observers of the Task Force spent two days together in Trento, Italy, at a team
retreat. They caught up on what had recently happened in the social and solidarity economy
(SSE) and talked through the questions the Task Force would face over the next few years.

Three themes ran through the discussions:

- **A possible UN resolution on the SSE.** Interest in the SSE as a way of balancing economic,
  social and environmental aims keeps growing, yet it still lacks a universally agreed
  definition or guideline. A UN resolution, taken forward by one or more Member States, would
  raise the SSE's standing and formally mandate the Task Force, which would support that
  process. The SSE's mention in the ILO Centenary Declaration for the Future of Work (2019) had
  already made it more visible internationally.
- **Communications.** The Task Force had launched the SSE Knowledge Hub to hold its research on
  the SSE and the Sustainable Development Goals. The next step was a shared approach to
  communication, relying on platforms that members and observers already run (among them the
  ILO, UNRISD, RIPESS's socioeco.org, Euricse and CIRIEC).
- **A programmatic approach.** A programme was needed that would combine a range of expertise
  and rest on firmer commitments from partners, whether or not they provide funding.

These three themes became the priorities of the Task Force's 2020 work plan. The ILO, which
chaired the Task Force at the time, sent six officials; Fernando Baptista, an ILO consultant
(Collective Brain), also took part.
"""

WEBINAR_SUMMARY = """\
The ILO and the Task Force took part in a webinar organised by RIPESS International as part of
its series on what SSE organisations do about global challenges, the COVID-19 pandemic among
them. This session was about co-constructing public policies for the social and solidarity
economy (SSE), from local to global level.

Three speakers covered the local, national and international levels: Vic Van Vuuren, Chair of
the Task Force and Director of the ILO's Enterprises Department; Laurence Kwark, Secretary
General of the Global Social Economy Forum (GSEF); and Madani Coumare, President of RAESS
(RIPESS Africa). Mr Van Vuuren presented what the Task Force does internationally to help
countries shape SSE policies: advocating a possible UN resolution on the SSE, a proposal, made
jointly, for a global programme to develop the SSE, and setting up a knowledge hub. He
stressed teaching the SSE model, to young people in particular, and tying SSE initiatives to
local economic development. On making the SSE part of national strategic plans, he pointed to
an ILO project in South Africa, in which government and social partners are working on a
macro-level SSE policy linked to the country's national development plan.

Some fifty people from many parts of the world took part and put their questions to the
speakers. Only the three speakers are recorded here.
"""

SYMPOSIUM_SUMMARY = """\
The Task Force's third technical symposium took place online over five days in December 2021.
The ILO, chairing the Task Force and running its secretariat at the time, organised it, with
the ITCILO's support.

According to the report, fifty people took part, resource persons among them, representing
eight member and twelve observer organisations; some were attending for the first time. The
symposium reviewed what the 2020-2022 action plan had achieved and prepared the next two years.

Its main outcome is the **Action Plan 2022-2024**, built around three priority areas and one
transversal area:

1. mainstreaming and enhancing the international dimension and profile of the SSE;
2. boosting the creation and sharing of knowledge on the SSE and the SDGs;
3. developing strategic areas of intervention on the SSE;
4. (transversal) strengthening the governance of the Task Force.

For each area, members and observers settled on concrete actions to take on together.
"""

BRIEFING_SUMMARY = """\
At the invitation of two regional groups of Member States' governments, one from Asia and the
Pacific and one from Africa, ILO COOP/SSE briefed them on the latest news of its work on the
social and solidarity economy (SSE). The news item reporting it is dated 19 May 2023; it gives
no date for the sessions themselves, so only the month is recorded here.

Simel Esim, who manages ILO COOP/SSE, covered:

- the UN General Assembly resolution on promoting the SSE for sustainable development, adopted
  on 18 April 2023. It cites the 110th International Labour Conference's general discussion
  (June 2022) and the ILO resolution on decent work and the SSE adopted there. The resolution
  encourages Member States, the UN development system and financial institutions to back the
  SSE, and asks the Secretary-General to report on its implementation, together with
  the Task Force;
- the seven-year strategy and action plan on decent work and the SSE for 2023-2029.

She added that the Task Force, which the ILO helped to found in 2013 and of which it is now
Vice-Chair, will prepare that report. Guy Tchami (ILO COOP) joined her for the session with the
African group. In the discussion, government representatives wanted to know how best to ask
the ILO for support on the SSE, such as research, projects and tools; Ms. Esim referred them to
the ILO's material, its monthly newsletter and its web pages on cooperatives and the SSE.
"""

FORTY_FOURTH_SUMMARY = """\
The Task Force held its 44th regular meeting online on 11 July 2023. The report counts about 30
participants from seven member and eleven observer organisations.

Simel Esim (Vice-Chair, ILO) opened the meeting and followed the regular agenda, which covers
the three action items set out in the Task Force's strategy and work plan. Members and
observers gave news of their work and their organisations' views.

- **OECD.** Antonella Noya updated the group on the OECD's Global Action and its informal
  expert group. After three years of European Union support the Global Action is drawing to a
  close; most of its strands (internationalisation, procurement, data, refugees, platform
  cooperatives and more) should be completed by the end of September.
- **The SSE at the International Labour Conference.** Simel Esim reported on the recent
  conference, several of whose resolutions mention the SSE. Hamish Jenkins (RIPESS), who took
  an active part in the process, described the difficulties met, among them keeping the
  tripartite constituents coherent and strategic, and warned that delegates will not know the
  SSE just because a UN or ILC resolution names it. ILO colleagues explained what the ILO's
  tripartite structure means for this work and offered help in giving the SSE new momentum.
  Much of the discussion was about reaching more countries, developed and developing alike, so
  that the SSE is understood rather than pushed aside. Participants agreed to launch a working
  group that will design and carry out a strategy for engaging countries; among its first
  priorities are working with UN DESA on the Voluntary National Reviews that countries present,
  and gathering key countries ready to act as "friends of the SSE" and champion it within the
  UN system.
- **Knowledge (priority area 2).** Ilcheong Yi (UNRISD) reported on the current and planned
  work of the Knowledge Hub and the SSE Encyclopedia. Charles Bodwell (ILO) presented the newly
  published global awareness-raising package on the SSE, produced under the ITCILO's lead; the
  Task Force is weighing how to spread it so that it reaches people the SSE has not yet won
  over.
- **Communications.** Fernando Baptista, the Task Force's communications consultant, reported
  on how the communication strategy and outreach are being carried out, with analytics for the
  first half of 2023. In his view the audience to reach next is at country level: UN offices
  and their communication officers. He also suggested ways to spread the awareness-raising
  package, which is on the front page of the Task Force's website.

Among recent SSE events, the CIRIEC research conference in Seoul was mentioned as a success
that let many colleagues meet in person again after years apart. Barbara Sak (CIRIEC) stressed
how much meeting face to face matters and urged those who could to attend in Montreal in
person. The Task Force's next meeting is planned online for September, with the 4th Technical
Symposium to follow in October.
"""

SEPTEMBER_2023_SUMMARY = """\
At its 44th regular meeting (11 July 2023) the Task Force announced that its next meeting
would be held online in September 2023. The report of the 44th meeting gives no day, and no
document reports on the meeting itself, so only the month is recorded and the meeting is still
shown as planned.
"""

FOURTH_SYMPOSIUM_SUMMARY = """\
At its 44th regular meeting (11 July 2023) the Task Force announced its 4th Technical Symposium
for October 2023, after an online meeting in September. At the same meeting Barbara Sak
(CIRIEC) urged colleagues who could travel to join in Montreal in person. The report gives no
day and does not say whether the symposium could also be followed online, and no document
reports on the symposium itself: only the month and the city are recorded, and it is still
shown as planned.
"""

# Each meeting: identity, timing, place, report, agenda (title, presenter name or None,
# presenting organisation slug or None, notes) and attendance.
MEETINGS = [
    {
        "slug": "retreat-trento-2019",
        "kind": MeetingKind.RETREAT,
        "number": None,
        "title": "Task Force retreat in Trento",
        "days": (datetime.date(2019, 11, 21), datetime.date(2019, 11, 22)),
        "time_zone": "Europe/Rome",
        "mode": MeetingMode.IN_PERSON,
        "city": "Trento",
        "country": "IT",
        "organiser": None,
        "summary": TRENTO_SUMMARY,
        "summary_published_on": datetime.date(2019, 11, 29),
        "agenda": [
            ("Supporting the process towards a possible UN resolution on the SSE", None, None, ""),
            (
                "Improving communications",
                None,
                None,
                "The SSE Knowledge Hub and a joint communication strategy.",
            ),
            ("Adopting a programmatic approach", None, None, ""),
        ],
        # Only the ILO participants are named in the news item.
        "people": [
            ("Vic Van Vuuren", "ilo", MEMBER),
            ("Anita Amorim", "ilo", MEMBER),
            ("Roberto Di Meglio", "ilo", MEMBER),
            ("Valentina Verze", "ilo", MEMBER),
            ("Guy Tchami", "ilo", MEMBER),
            ("Kim Young Hyun", "ilo", MEMBER),
            # "ILO Consultant (Collective Brain)".
            ("Fernando Baptista", "ilo", RESOURCE),
        ],
        "organisations": [],
    },
    {
        "slug": "ripess-webinar-sse-public-policies-2020",
        "reported_participants": 50,
        "kind": MeetingKind.EXTERNAL,
        "number": None,
        "title": "RIPESS webinar: Co-construction of SSE public policies, from the local to the global",
        "days": (datetime.date(2020, 6, 17), datetime.date(2020, 6, 17)),
        "time_zone": "UTC",
        "mode": MeetingMode.VIRTUAL,
        "city": "",
        "country": "",
        "organiser": "ripess",
        "summary": WEBINAR_SUMMARY,
        "summary_published_on": datetime.date(2020, 6, 19),
        "agenda": [
            (
                "International initiatives for SSE public policies",
                "Vic Van Vuuren",
                "ilo",
                "As Chair of the Task Force and Director of the ILO's Enterprises Department.",
            ),
            ("Co-construction of SSE public policies", "Laurence Kwark", "gsef", ""),
            ("Co-construction of SSE public policies", "Madani Coumare", "raess", ""),
            ("Questions and answers with the participants", None, None, ""),
        ],
        "people": [
            ("Vic Van Vuuren", "ilo", RESOURCE),
            ("Laurence Kwark", "gsef", RESOURCE),
            ("Madani Coumare", "raess", RESOURCE),
        ],
        "organisations": [],
    },
    {
        "slug": "third-technical-symposium",
        "reported_participants": 50,
        "kind": MeetingKind.TECHNICAL_SYMPOSIUM,
        "number": 3,
        "title": "Third Technical Symposium",
        "days": (datetime.date(2021, 12, 6), datetime.date(2021, 12, 10)),
        "time_zone": GENEVA,
        "mode": MeetingMode.VIRTUAL,
        "city": "",
        "country": "",
        "organiser": "ilo",
        "summary": SYMPOSIUM_SUMMARY,
        # The brief report is dated March 2022 without a day.
        "summary_published_on": None,
        "agenda": [
            ("Achievements of the 2020-2022 action plan", None, None, ""),
            (
                "Priority area 1: mainstreaming and enhancing the SSE international dimension and profile",
                None,
                None,
                "",
            ),
            (
                "Priority area 2: boosting the creation and sharing of knowledge on SSE and SDGs",
                None,
                None,
                "",
            ),
            ("Priority area 3: developing strategic areas of interventions on SSE", None, None, ""),
            ("Transversal area: strengthening the UNTFSSE governance", None, None, ""),
            ("Agreement on the Action Plan 2022-2024", None, None, ""),
        ],
        "people": [],
        # The report lists the organisations, not their people.
        "organisations": [
            *(
                (slug, MEMBER)
                for slug in ("ilo", "oecd", "escap", "unctad", "un-desa", "undp", "unhcr", "unrisd")
            ),
            *(
                (slug, OBSERVER)
                for slug in (
                    "csend",
                    "ciriec",
                    "diesis",
                    "eesc",
                    "emes",
                    "euclid-network",
                    "euricse",
                    "gsef",
                    "ica",
                    "ripess",
                    "social-economy-europe",
                    "sse-international-forum",
                )
            ),
        ],
    },
    {
        "slug": "ilo-briefing-government-groups-2023",
        "kind": MeetingKind.EXTERNAL,
        "number": None,
        "title": "ILO briefing to regional government groups on the SSE",
        "month": (2023, 5),
        "time_zone": GENEVA,
        # The news item does not say whether the sessions were online or in person.
        "mode": "",
        "city": "",
        "country": "",
        "organiser": None,
        "summary": BRIEFING_SUMMARY,
        "summary_published_on": datetime.date(2023, 5, 19),
        "agenda": [
            (
                "The UN General Assembly resolution on promoting the SSE for sustainable development (18 April 2023)",
                "Simel Esim",
                "ilo",
                "",
            ),
            (
                "The ILC general discussion and resolution on decent work and the SSE (June 2022)",
                "Simel Esim",
                "ilo",
                "",
            ),
            (
                "The ILO strategy and action plan on decent work and the SSE, 2023-2029",
                "Simel Esim",
                "ilo",
                "Guy Tchami (ILO COOP) joined the session with the African group.",
            ),
            ("Questions from the government representatives", None, None, ""),
        ],
        "people": [
            ("Simel Esim", "ilo", RESOURCE),
            ("Guy Tchami", "ilo", RESOURCE),
        ],
        "organisations": [],
    },
    {
        "slug": "44th-regular-meeting",
        "reported_participants": 30,
        "kind": MeetingKind.REGULAR,
        "number": 44,
        "title": "44th Regular Meeting",
        "days": (datetime.date(2023, 7, 11), datetime.date(2023, 7, 11)),
        "time_zone": GENEVA,
        "mode": MeetingMode.VIRTUAL,
        "city": "",
        "country": "",
        "organiser": None,
        "summary": FORTY_FOURTH_SUMMARY,
        "summary_published_on": datetime.date(2023, 7, 25),
        "agenda": [
            (
                "Opening and the three action items of the strategy and work plan",
                "Simel Esim",
                "ilo",
                "Opened by the Vice-Chair.",
            ),
            ("OECD Global Action and informal expert group", "Antonella Noya", "oecd", ""),
            (
                "The SSE at the International Labour Conference; engaging countries",
                "Simel Esim",
                "ilo",
                "With Hamish Jenkins (RIPESS). A working group on country engagement is to be set up.",
            ),
            ("Priority area 2: Knowledge Hub and SSE Encyclopedia", "Ilcheong Yi", "unrisd", ""),
            ("Global awareness-raising package on the SSE", "Charles Bodwell", "ilo", ""),
            ("Communication strategy and outreach", "Fernando Baptista", None, ""),
            ("Recent SSE events", None, None, "Including the CIRIEC research conference in Seoul."),
            (
                "Next meetings",
                None,
                None,
                "A virtual meeting in September; the 4th Technical Symposium in October.",
            ),
        ],
        "people": [
            ("Simel Esim", "ilo", MEMBER),
            ("Charles Bodwell", "ilo", MEMBER),
            ("Antonella Noya", "oecd", MEMBER),
            ("Ilcheong Yi", "unrisd", MEMBER),
            ("Hamish Jenkins", "ripess", OBSERVER),
            ("Barbara Sak", "ciriec", OBSERVER),
            # The Task Force's communications consultant, for no organisation.
            ("Fernando Baptista", None, RESOURCE),
        ],
        # Organisations the report lists whose people it does not name.
        "organisations": [
            *((slug, MEMBER) for slug in ("eclac", "undp", "un-desa", "unctad")),
            *(
                (slug, OBSERVER)
                for slug in (
                    "catalyst-2030",
                    "csend",
                    "emes",
                    "euricse",
                    "diesis",
                    "gsef",
                    "euclid-network",
                    "ica",
                    "sse-international-forum",
                )
            ),
        ],
    },
    {
        # "The task force is now looking forward to it's next virtual meeting in September"
        # (25 July 2023): the Task Force's own next meeting after its 44th regular one, hence
        # a regular meeting; its number is not given.
        "slug": "virtual-meeting-2023-09",
        "kind": MeetingKind.REGULAR,
        "number": None,
        "title": "Task Force virtual meeting, September 2023",
        "month": (2023, 9),
        "time_zone": GENEVA,
        "mode": MeetingMode.VIRTUAL,
        "city": "",
        "country": "",
        "organiser": None,
        "summary": SEPTEMBER_2023_SUMMARY,
        # The announcement is the news of 25 July 2023; no report of the meeting exists here.
        "summary_published_on": datetime.date(2023, 7, 25),
        "held": False,
        "agenda": [],
        "people": [],
        "organisations": [],
    },
    {
        # "... followed by the 4th Technical Symposium in October", right after Barbara Sak's
        # call to "come to Montreal in-person" (25 July 2023). That call shows people could
        # attend in Montreal, but "colleagues who are able to" leaves open whether others could
        # follow online, so the mode (in person or hybrid) is not recorded; the city is, and
        # no country is added to it.
        "slug": "fourth-technical-symposium",
        "kind": MeetingKind.TECHNICAL_SYMPOSIUM,
        "number": 4,
        "title": "4th Technical Symposium",
        "month": (2023, 10),
        "time_zone": "America/Toronto",
        "mode": "",
        "city": "Montreal",
        "country": "",
        "organiser": None,
        "summary": FOURTH_SYMPOSIUM_SUMMARY,
        "summary_published_on": datetime.date(2023, 7, 25),
        "held": False,
        "agenda": [],
        "people": [],
        "organisations": [],
    },
]


def _span(spec: dict):
    if "month" in spec:
        year, month = spec["month"]
        return (
            *month_only_span(year=year, month=month, time_zone=spec["time_zone"]),
            SchedulePrecision.MONTH,
        )
    first, last = spec["days"]
    return (
        *date_only_span(first_day=first, last_day=last, time_zone=spec["time_zone"]),
        SchedulePrecision.DAY,
    )


def _load_meeting(spec: dict, organisations: dict, people: dict) -> Meeting:
    start, end, precision = _span(spec)
    values = {
        "kind": spec["kind"],
        "number": spec["number"],
        "title": spec["title"],
        "start": start,
        "end": end,
        "time_zone": spec["time_zone"],
        "schedule_precision": precision,
        "mode": spec["mode"],
        "city": spec["city"],
        "country": spec["country"],
        "organiser": organisations.get(spec["organiser"]),
        "summary": spec["summary"],
        "summary_published_on": spec["summary_published_on"],
        "attendance_complete": False,
        "reported_participants": spec.get("reported_participants"),
    }
    meeting = Meeting.objects.filter(slug=spec["slug"]).first()
    if meeting is None:
        meeting = meeting_schedule(meeting=Meeting(slug=spec["slug"], **values), by=SYSTEM)
    else:
        meeting = upsert(Meeting, {"slug": spec["slug"]}, values)
    # Only meetings a document reports on are marked held; announced ones stay planned.
    if spec.get("held", True) and meeting.status == MeetingStatus.PLANNED:
        meeting = meeting_mark_held(meeting=meeting, by=SYSTEM)
    for order, (title, presenter, organisation, notes) in enumerate(spec["agenda"], start=1):
        upsert(
            AgendaItem,
            {"meeting": meeting, "order": order},
            {
                "title": title,
                "presenter": people.get(presenter),
                "presenter_organisation": organisations.get(organisation),
                "notes": notes,
            },
        )
    for name, organisation, capacity in spec["people"]:
        attendance_record(
            meeting=meeting,
            person=people[name],
            organisation=organisations.get(organisation),
            capacity=capacity,
            by=SYSTEM,
        )
    for slug, capacity in spec["organisations"]:
        attendance_record(
            meeting=meeting, organisation=organisations[slug], capacity=capacity, by=SYSTEM
        )
    return meeting


def load_seed_data() -> str:
    """Create or update the seven meetings; running it again changes nothing."""
    organisations = {organisation.slug: organisation for organisation in Organisation.objects.all()}
    names = {name for spec in MEETINGS for name, _org, _capacity in spec["people"]}
    names |= {item[1] for spec in MEETINGS for item in spec["agenda"] if item[1]}
    people = {person.name: person for person in Person.objects.filter(name__in=names)}
    missing = names - set(people)
    if missing:
        raise LookupError(f"Load the members seed first; missing people: {sorted(missing)}")
    meetings = [_load_meeting(spec, organisations, people) for spec in MEETINGS]
    agenda = sum(len(spec["agenda"]) for spec in MEETINGS)
    attendance = sum(len(spec["people"]) + len(spec["organisations"]) for spec in MEETINGS)
    return f"{len(meetings)} meetings, {agenda} agenda items, {attendance} attendance records"
