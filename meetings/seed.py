"""The meetings the source documents describe (../shared/seeds/), written through the services.

What the documents do not say stays unsaid:
- None of them gives an hour, so every meeting is stored as whole local days
  (SchedulePrecision.DAY; see its docstring), or, for the ILO briefing whose news item (19 May
  2023) gives no meeting date at all, as the month the issue and the news place it in
  (SchedulePrecision.MONTH). Pages show dates without hours; calendars show all-day events
  and leave the month-only meeting out.
- Where the documents list organisations but not their people (the Third Technical Symposium,
  most of the 44th meeting), attendance is recorded per organisation, with no person; each
  such row counts as one participant and the pages say "at least". The reported totals
  (about 30, fifty, about 50) are stated in the summaries, never typed into a count.
- Where only some participants are named (Trento, the webinars), the meeting's
  `attendance_complete` is off.
- Virtual meetings hosted by the ILO keep Geneva time (Europe/Zurich: the IANA database has no
  Europe/Geneva). The RIPESS webinar names no host city, so it keeps UTC.

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
from untfsse.seeding import upsert

GENEVA = "Europe/Zurich"
MEMBER, OBSERVER, RESOURCE = (
    AttendanceCapacity.MEMBER,
    AttendanceCapacity.OBSERVER,
    AttendanceCapacity.RESOURCE_PERSON,
)

TRENTO_SUMMARY = """\
Members and observers of the Task Force spent two days together in Trento, Italy, at a team
retreat to take stock of recent developments in the social and solidarity economy (SSE) and to
agree on what the Task Force should focus on next.

Three themes ran through the discussions:

- **A possible UN resolution on the SSE.** With no agreed international definition of the SSE,
  participants saw a General Assembly resolution, championed by one or more Member States, as a
  way to give the SSE wider recognition and the Task Force a formal mandate. The mention of the
  SSE in the ILO Centenary Declaration for the Future of Work (2019) was noted as a step in that
  direction.
- **Communications.** The Task Force's SSE Knowledge Hub already gathers research on the SSE and
  the Sustainable Development Goals; the retreat called for a joint communication strategy that
  builds on the channels members and observers already run (among them the ILO, UNRISD, RIPESS's
  socioeco.org, Euricse and CIRIEC).
- **A programmatic approach.** Participants discussed building a programme that pools the
  expertise of members and observers and firmer commitments from funding and non-funding
  partners.

These three themes became the priorities of the Task Force's 2020 work plan. The ILO, then
chairing the Task Force, was represented by six officials, joined by the communications
consultant Fernando Baptista.
"""

WEBINAR_SUMMARY = """\
RIPESS, the intercontinental network for the promotion of the social and solidarity economy,
invited the Task Force to a webinar of its series on how SSE organisations respond to global
challenges, the COVID-19 pandemic among them. This session looked at how public policies for the
SSE can be built together with SSE actors, from local to global level.

Vic Van Vuuren, Chair of the Task Force and Director of the ILO's Enterprises Department, spoke
alongside Laurence Kwark (Global Social Economy Forum, GSEF) and Madani Coumare (RAESS, RIPESS
Africa). He outlined the Task Force's work at international level: advocacy for a possible UN
resolution on the SSE, a joint proposal for a global SSE development programme, and the
Knowledge Hub. He also stressed education on the SSE, particularly for young people, links
between SSE initiatives and local economic development, and gave the example of an ILO-supported
process in South Africa, where government and social partners have been drafting a national SSE
policy tied to the national development plan.

The organisers counted about 50 participants from several regions, who put questions to the
speakers. Only the three speakers are recorded here.
"""

SYMPOSIUM_SUMMARY = """\
The Task Force's third technical symposium took place online over five days in December 2021.
The ILO, then chair and secretariat of the Task Force, organised it with the support of its
International Training Centre (ITCILO).

The report counts fifty participants, resource persons included, from eight member and twelve
observer organisations, with some newcomers among them. The symposium looked back on what had
been achieved under the 2020-2022 action plan and prepared the next two years.

Its main outcome is the **Action Plan 2022-2024**, built around three priority areas and one
transversal area:

1. mainstreaming and enhancing the international dimension and profile of the SSE;
2. boosting the creation and sharing of knowledge on the SSE and the SDGs;
3. developing strategic areas of intervention on the SSE;
4. (transversal) strengthening the governance of the Task Force.

Members and observers agreed on the actions they would carry out jointly under each area.
"""

BRIEFING_SUMMARY = """\
Two regional groups of ILO Member States' governments, one from Asia and the Pacific and one
from Africa, asked the ILO's Cooperatives and SSE unit (COOP/SSE) for an update on its work on
the social and solidarity economy. The news item reporting it is dated 19 May 2023; it gives no
date for the sessions themselves, so only the month is recorded here.

Simel Esim, manager of COOP/SSE, presented:

- the UN General Assembly resolution *Promoting the social and solidarity economy for
  sustainable development*, adopted on 18 April 2023, which builds on the general discussion at
  the 110th International Labour Conference (June 2022) and the ILO resolution on decent work
  and the SSE that followed it. The resolution invites Member States, the UN development system
  and financial institutions to support the SSE, and asks the Secretary-General for a report on
  its implementation, to be prepared with the Task Force;
- the ILO's strategy and action plan on decent work and the SSE for 2023-2029.

She recalled that the ILO co-founded the Task Force in 2013 and is now its Vice-Chair. Guy
Tchami (ILO COOP) joined her for the session with the African group. In the discussion,
government representatives asked how to request the ILO's services on the SSE: research,
projects and tools.
"""

FORTY_FOURTH_SUMMARY = """\
The Task Force held its 44th regular meeting online on 11 July 2023. The report counts about 30
participants from seven member and eleven observer organisations.

Simel Esim (ILO, Vice-Chair) chaired and took the group through the regular agenda, built on the
three priority areas of the Task Force's strategy and work plan; members and observers reported
on their own work.

- **OECD.** Antonella Noya reported that the OECD's Global Action, supported by the European
  Union for three years, is coming to an end, with most of its work (internationalisation,
  public procurement, data, refugees, platform cooperatives and more) due by the end of
  September.
- **The SSE at the International Labour Conference.** Several resolutions of the recent
  conference mention the SSE. Hamish Jenkins (RIPESS), closely involved in the process, warned
  that a resolution alone does not make government delegates familiar with the SSE, and called
  for a more strategic approach across the multilateral system. The group agreed to set up a
  working group on engaging countries, starting with UN DESA's Voluntary National Reviews and a
  circle of "friends of the SSE" among Member States.
- **Knowledge (priority area 2).** Ilcheong Yi (UNRISD) updated the group on the Knowledge Hub and
  the SSE Encyclopedia. Charles Bodwell (ILO) presented the new global awareness-raising package
  on the SSE, led by the ITCILO; the Task Force is looking for ways to take it to audiences not
  yet familiar with the SSE.
- **Communications.** Fernando Baptista, the Task Force's communications consultant, shared the
  outreach figures of the first half of 2023 and proposed country-level UN offices as the next
  audience.

Participants also looked back on the CIRIEC research conference in Seoul, where many met in
person for the first time in years; Barbara Sak (CIRIEC) encouraged colleagues to travel to
Montreal. Next come a virtual meeting in September and the 4th Technical Symposium in October.
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
                "Chaired by the Vice-Chair.",
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
    }
    meeting = Meeting.objects.filter(slug=spec["slug"]).first()
    if meeting is None:
        meeting = meeting_schedule(meeting=Meeting(slug=spec["slug"], **values), by=SYSTEM)
    else:
        meeting = upsert(Meeting, {"slug": spec["slug"]}, values)
    if meeting.status == MeetingStatus.PLANNED:
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
    """Create or update the five meetings; running it again changes nothing."""
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
