"""The action plans of the source documents (../shared/seeds/), and the progress they report.

- The Action Plan 2022-2024, laid out as in the Brief Report of the Third Technical Symposium
  (March 2022): three priority areas, the transversal area and eighteen actions. Titles keep
  the report's words (capitalisation made consistent); descriptions summarise its text.
- The work plan for 2020: the three priorities the Trento retreat (21-22 November 2019) set.

Lead organisations are named only where a document says who leads: the awareness-raising
package was "led by ITC-ILO" (44th meeting). Of the ILC general discussion (1.2) and the OECD
guiding principles (1.3) the symposium report says only that the Task Force "will be informed
and follow the process", which names no lead. Every other action keeps its leads empty rather
than guess them; the seed sets each item's leads exactly, so a lead an earlier version wrote
is removed when the seed runs again.

Target dates: the plan gives one deadline, "by September 2022" for the position paper (2.2).
An action item's target is a whole date and the pages show it as a day, which nobody gave, so
the month stays in the item's description and `target_date` stays empty.

Progress updates are recorded only where a document reports progress, dated and sourced.
The rule for their status and progress:
- "completed" (at 100%) when the action's stated outcome happened: the General Assembly
  resolution was adopted (1.1); the ILC held its general discussion and adopted its resolution
  (1.2);
- "ongoing" for continuing work the documents report on (Knowledge Hub and Encyclopedia,
  the published awareness-raising package now being disseminated, the communication strategy);
- "in progress" for a piece of work agreed and started (the working group on engaging countries);
- no percentage otherwise: the documents give none, so the updates record a status only and the
  pages say "no estimate" instead of inventing a number.
"""

import datetime

from actionplan.models import ActionItem, ActionItemStatus, ActionPlan, PriorityArea, ProgressUpdate
from actionplan.services import action_item_refresh_state
from meetings.models import AgendaItem, Meeting
from members.models import DatePrecision, Organisation, Person
from untfsse.core.seeding import upsert

SYMPOSIUM = "third-technical-symposium"
FORTY_FOURTH = "44th-regular-meeting"
TRENTO = "retreat-trento-2019"
BRIEFING = "ilo-briefing-government-groups-2023"

SYMPOSIUM_REPORT = (
    "UNTFSSE Third Technical Symposium, 6-10 December 2021, virtual: Brief Report (March 2022)"
)
BRIEFING_NEWS = (
    "ILO COOP/SSE presents updates to Government Groups on the SSE (ILO news, 19 May 2023)"
)
FORTY_FOURTH_NEWS = "44th Regular Meeting of the UN Task Force on Social and Solidarity Economy (news, 25 July 2023)"
TRENTO_NEWS = (
    "UN Task Force on SSE discusses its priorities at a retreat in Trento (news, 29 November 2019)"
)

PLAN_2022_2024 = {
    "slug": "2022-2024",
    "title": "Action Plan 2022-2024",
    "period": (2022, 2024),
    "adopted_at": SYMPOSIUM,
    "is_current": True,
    "source_title": SYMPOSIUM_REPORT,
    "summary": (
        "Agreed by the members and observers of the Task Force at its Third Technical "
        "Symposium, after looking back at the achievements of the 2020-2022 action plan: three "
        "priority areas and a transversal area on governance, with the actions they undertake "
        "jointly in the 2022-2024 biennium."
    ),
    # (number or None for the transversal area, title, description, items)
    # item: (code, title as written, description, lead organisation slugs, target date)
    "areas": [
        (
            1,
            "Mainstreaming and enhancing the SSE international dimension and profile",
            "Raising the profile of the SSE in intergovernmental processes and with countries.",
            [
                (
                    "1.1",
                    "Support the process of the UN Resolution on SSE",
                    "Only Member States can table a resolution, so the process is driven by "
                    "countries and needs one or more of them to champion it. A General Assembly "
                    "resolution placing the SSE among the priorities of UN and national "
                    "policies for the 2030 Agenda would mark an international milestone. The "
                    "Task Force's part is to guide interested countries through the UN system "
                    "and lend them its know-how on the SSE.",
                    [],
                    None,
                ),
                (
                    "1.2",
                    "Support the ILC general discussion on SSE and decent work at ILO",
                    "The yearly conference of the ILO's governments, employers and workers "
                    "scheduled, for the first time, a general discussion on decent work and the "
                    "SSE for June 2022: an occasion to agree a universal definition of the SSE "
                    "with its principles and values, to assess how it supports people through "
                    "the transitions of their working lives, and to guide member States that "
                    "want to create favourable conditions for it. The Task Force keeps itself "
                    "up to date and tracks the discussion; its observers may ask to attend it "
                    "as observers.",
                    [],
                    None,
                ),
                (
                    "1.3",
                    "Support the adoption of OECD guiding principles",
                    "A draft OECD Recommendation on the SSE and social innovation, with guiding "
                    "principles, is going through the OECD's procedure towards approval by its "
                    "Council. Besides governments, other SSE stakeholders can have their say in "
                    "consultations the OECD organises. The Task Force keeps itself up to date "
                    "and tracks the process.",
                    [],
                    None,
                ),
                (
                    "1.4",
                    "Identify, participate and engage in key international alliances and events",
                    "Choosing major international events, the July 2022 High-Level Political "
                    "Forum among them, to raise awareness of how the SSE and the SDGs connect "
                    "and to join the public debate on it; staying "
                    "active in the working groups of the Pact for Impact Alliance and reaching "
                    "other alliances and networks beyond the SSE; working with the UN Economist "
                    "Network, including on a policy brief on the SSE.",
                    [],
                    None,
                ),
                (
                    "1.5",
                    "Strengthen synergies and engage with countries and local governments",
                    "Helping key countries and groups of governments create the conditions in "
                    "which SSE ecosystems can grow nationally, and promoting wider regional and "
                    "international recognition of the SSE as a way to development that includes "
                    "everyone and lasts. To reach further, the Task Force draws on its "
                    "observers' experience of talking with national and local governments.",
                    [],
                    None,
                ),
            ],
        ),
        (
            2,
            "Boosting the creation and sharing of knowledge on SSE and SDGs",
            "Producing research on the SSE and the SDGs and making it easier to find and use.",
            [
                (
                    "2.1",
                    "Continue the work on the SSE Knowledge Hub for the SDGs in terms of "
                    "production of knowledge and repository",
                    "Growing the Knowledge Hub, the Task Force's online collection of research "
                    "on how the SSE helps achieve the SDGs: reinforcing its advisory group, "
                    "continuing the SSE encyclopedia, inviting paper submissions, opening new "
                    "research topics (social innovation and young SSE entrepreneurship; the SSE "
                    "in tackling climate change and for a just transition) while going deeper "
                    "into well-received ones such as SSE statistics, and making the repository, "
                    "on the web and among researchers, easier to use and more alive.",
                    [],
                    None,
                ),
                (
                    "2.2",
                    "Publish the UNTFSSE new position paper",
                    "A new version of \u201cSocial and Solidarity Economy and the Challenge of "
                    "Sustainable Development\u201d, the position paper the Task Force drafted "
                    "in 2014, explaining what the SSE can contribute in the present-day world "
                    "and towards the SDGs. The Task Force's target: published by September "
                    "2022.",
                    [],
                    # "by September 2022" gives a month, not a day: see the module docstring.
                    None,
                ),
                (
                    "2.3",
                    "Strengthen the accessibility of knowledge and launch a UNTFSSE awareness "
                    "raising package on the SSE",
                    "An awareness-raising package on the SSE, a MOOC for instance, meant to "
                    "reach a wider audience and to suit what policy makers need. It makes more "
                    "of material that already exists and presents it more accessibly, e.g. an "
                    "\u201cSSE in a nutshell\u201d introduction and deeper modules on "
                    "particular issues such as SSE and public policies. The Task Force also "
                    "works with academic institutions and with key resource sites such as "
                    "socioeco.org.",
                    ["itcilo"],
                    None,
                ),
                (
                    "2.4",
                    "Strengthen the communication and outreach of the UNTFSSE",
                    "A communication and branding strategy covering the whole Task Force, to "
                    "connect it with and make it better seen across the UN. Besides keeping up "
                    "the website, the social media channels and the communications group, the "
                    "Task Force tries out new formats: social media content that members, "
                    "observers and partners can reuse, short \u201clearning pills\u201d, "
                    "animations, podcasts and storytelling.",
                    [],
                    None,
                ),
                (
                    "2.5",
                    "Keep organizing the UNTFSSE conferences",
                    "After the first international conference in 2019 on the role of the SSE in "
                    "implementing the SDGs, holding further conferences every two to three "
                    "years, preparing material for them and raising the money they need.",
                    [],
                    None,
                ),
            ],
        ),
        (
            3,
            "Developing strategic areas of interventions on SSE",
            "Funding, regional reach, finance for SSE actors, youth and monitoring.",
            [
                (
                    "3.1",
                    "Develop a fund-raising strategy for the global, regional and national "
                    "programs",
                    "Raising funds to help governments, especially in developing countries, "
                    "build enabling policy frameworks for the SSE and to sustain the Task "
                    "Force's international work, while keeping up partnerships with the Grand "
                    "Duchy of Luxembourg and the Republic of Korea and seeking new ones.",
                    [],
                    None,
                ),
                (
                    "3.2",
                    "Strengthen the regional dimension of the UNTFSSE",
                    "Inviting regional members from the Americas, Asia and the Pacific and "
                    "Africa, engaging the UN regional commissions, and piloting joint regional "
                    "initiatives to develop programmes and raise awareness of the SSE.",
                    [],
                    None,
                ),
                (
                    "3.3",
                    "Explore access to finance and social investment for SSE actors",
                    "Research and recommendations on how SSE actors can reach finance and "
                    "social investment, and backing for a working group on access to finance "
                    "that would also look at the Secretary-General's financing for development "
                    "initiative in the COVID era and beyond.",
                    [],
                    None,
                ),
                (
                    "3.4",
                    "Establish an interactive engagement with youth organizations on the "
                    "promotion of the SSE",
                    "Talking with the youth organisations that best speak for young people, "
                    "within the UN and outside it, to spread awareness and understanding of the "
                    "SSE. Because it pursues economic, social and environmental aims together, "
                    "the SSE can appeal to young people, young SSE entrepreneurs above all.",
                    [],
                    None,
                ),
                (
                    "3.5",
                    "Explore formal monitoring, reporting or rating of countries on SSE",
                    "Reviewing how countries and regions already monitor the SSE, then advising "
                    "on sound ways to track how the SSE advances worldwide, in each region and "
                    "in each country.",
                    [],
                    None,
                ),
            ],
        ),
        (
            None,
            "Strengthening the UNTFSSE governance",
            "Governance that works well, runs smoothly and is open, which the Task Force counts "
            "among the keys to reaching its shared goals.",
            [
                (
                    "T.1",
                    "Ensure coherence and transparent and collaborative coordination",
                    "Keeping the Task Force's coordination coherent, transparent and "
                    "collaborative.",
                    [],
                    None,
                ),
                (
                    "T.2",
                    "Strengthen membership (existing and new ones)",
                    "Strengthening the engagement of existing members and observers and "
                    "welcoming new ones.",
                    [],
                    None,
                ),
                (
                    "T.3",
                    "Ensure the sustainability of the UNTFSSE",
                    "Keeping the Task Force going over time, through a handover to a new Chair "
                    "and Secretariat in 2022.",
                    [],
                    None,
                ),
            ],
        ),
    ],
}

WORK_PLAN_2020 = {
    "slug": "2020",
    "title": "Work plan 2020",
    "period": (2020, 2020),
    "adopted_at": TRENTO,
    "is_current": False,
    "source_title": TRENTO_NEWS,
    "summary": (
        "The three topics of the Task Force's retreat in Trento (21-22 November 2019), which "
        "became the priorities of its work plan for 2020."
    ),
    "areas": [
        (
            1,
            "Priorities of the work plan for 2020",
            "",
            [
                (
                    "1.1",
                    "Supporting the process, led by one or more UN member states, towards a "
                    "possible UN Resolution on the SSE",
                    "Interest in the SSE is growing, yet no universal definition or guideline "
                    "exists. Its mention in the ILO Centenary Declaration for the Future of Work "
                    "(2019) made it more visible internationally; a UN resolution would raise "
                    "its standing further and give the Task Force a formal mandate.",
                    [],
                    None,
                ),
                (
                    "1.2",
                    "Improving communications",
                    "The Task Force has launched the SSE Knowledge Hub to hold its research on "
                    "the SSE and the SDGs; what it needs next is a shared approach to "
                    "communication, developed and carried out together and relying on "
                    "platforms its members and observers already run (ILO, UNRISD, RIPESS's "
                    "socioeco.org, Euricse, CIRIEC).",
                    [],
                    None,
                ),
                (
                    "1.3",
                    "Adopting a programmatic approach",
                    "Setting up a programme that combines a range of expertise and rests on "
                    "firmer commitments from partners, whether or not they provide funding.",
                    [],
                    None,
                ),
            ],
        ),
    ],
}

# (plan slug, item code, date, date precision, status, progress or None, text, source meeting
#  slug or None, source document title, reported by (person name) or None)
UPDATES = [
    (
        "2022-2024",
        "1.2",
        datetime.date(2022, 6, 1),
        DatePrecision.MONTH,
        ActionItemStatus.COMPLETED,
        100,
        "At the 110th International Labour Conference the ILO held its general discussion on "
        "decent work and the social and solidarity economy, a high-level session without "
        "precedent in the UN system. It ended with the ILO's 187 Member States adopting a "
        "resolution on decent work and the SSE.",
        None,
        BRIEFING_NEWS,
        None,
    ),
    (
        "2022-2024",
        "1.1",
        datetime.date(2023, 4, 18),
        DatePrecision.DAY,
        ActionItemStatus.COMPLETED,
        100,
        "The UN General Assembly adopted its resolution on promoting the social and solidarity "
        "economy for sustainable development. It encourages Member States to back the SSE "
        "with strategies, policies and programmes at national, regional and local level; the "
        "UN development system to take it into account when planning its work; and financial "
        "institutions and development banks, whether multilateral, international or regional, "
        "to support it. The "
        "Secretary-General is to report on how the resolution is carried out, working with the "
        "Task Force, at the General Assembly's next session. The resolution refers to the ILC "
        "general discussion of June 2022.",
        BRIEFING,
        BRIEFING_NEWS,
        "Simel Esim",
    ),
    (
        "2022-2024",
        "1.5",
        datetime.date(2023, 7, 11),
        DatePrecision.DAY,
        ActionItemStatus.IN_PROGRESS,
        None,
        "Participants stressed that more countries, developed and developing, must be reached "
        "so that the SSE is understood rather than pushed aside. They agreed to launch a "
        "working group that will design and carry out a strategy for engaging countries. First "
        "on its list: working with UN DESA on the Voluntary National Reviews that countries "
        "present, and gathering key countries ready to act as \u201cfriends of the SSE\u201d "
        "and champion it across the UN system.",
        FORTY_FOURTH,
        FORTY_FOURTH_NEWS,
        None,
    ),
    (
        "2022-2024",
        "2.1",
        datetime.date(2023, 7, 11),
        DatePrecision.DAY,
        ActionItemStatus.ONGOING,
        None,
        "Where the Knowledge Hub and the SSE Encyclopedia stand, and the work planned next for "
        "both.",
        FORTY_FOURTH,
        FORTY_FOURTH_NEWS,
        "Ilcheong Yi",
    ),
    (
        "2022-2024",
        "2.3",
        datetime.date(2023, 7, 11),
        DatePrecision.DAY,
        ActionItemStatus.ONGOING,
        None,
        "The newly published global awareness-raising package on the SSE, produced under the "
        "ITCILO's lead, now features on the front page of the Task Force's website. The Task "
        "Force is weighing how to spread it so that it reaches people the SSE has not yet won "
        "over.",
        FORTY_FOURTH,
        FORTY_FOURTH_NEWS,
        "Charles Bodwell",
    ),
    (
        "2022-2024",
        "2.4",
        datetime.date(2023, 7, 11),
        DatePrecision.DAY,
        ActionItemStatus.ONGOING,
        None,
        "Progress in carrying out the communication strategy and the outreach work, with the "
        "analytics for January to June 2023. In the consultant's view, UN offices and their "
        "communication officers in countries are the audience to reach next.",
        FORTY_FOURTH,
        FORTY_FOURTH_NEWS,
        "Fernando Baptista",
    ),
]

# Agenda items that discussed an action: (plan slug, item code, meeting slug, agenda order),
# the agenda orders being those of meetings/seed.py.
AGENDA_LINKS = [
    ("2020", "1.1", TRENTO, 1),
    ("2020", "1.2", TRENTO, 2),
    ("2020", "1.3", TRENTO, 3),
    ("2022-2024", "1.1", BRIEFING, 1),
    ("2022-2024", "1.2", BRIEFING, 2),
    ("2022-2024", "1.5", FORTY_FOURTH, 3),
    ("2022-2024", "2.1", FORTY_FOURTH, 4),
    ("2022-2024", "2.3", FORTY_FOURTH, 5),
    ("2022-2024", "2.4", FORTY_FOURTH, 6),
]


def _outline(spec: dict) -> str:
    """The plan's areas and actions as a plain outline, kept with the plan as its source text."""
    lines = []
    for number, title, _description, items in spec["areas"]:
        lines.append(f"{number}) {title}" if number else f"Transversal area: {title}")
        lines.extend(f"- {code} {item_title}" for code, item_title, *_ in items)
    return "\n".join(lines)


def _load_plan(spec: dict, meetings: dict, organisations: dict) -> ActionPlan:
    plan = upsert(
        ActionPlan,
        {"slug": spec["slug"]},
        {
            "title": spec["title"],
            "period_start": spec["period"][0],
            "period_end": spec["period"][1],
            "adopted_at": meetings[spec["adopted_at"]],
            "is_current": spec["is_current"],
            "source_title": spec["source_title"],
            "source_text": _outline(spec),
            "summary": spec["summary"],
        },
    )
    for area_order, (number, title, description, items) in enumerate(spec["areas"], start=1):
        area = upsert(
            PriorityArea,
            {"plan": plan, "number": number},
            {"title": title, "description": description, "order": area_order},
        )
        for item_order, (code, item_title, item_description, leads, target) in enumerate(
            items, start=1
        ):
            item = upsert(
                ActionItem,
                {"plan": plan, "code": code},
                {
                    "area": area,
                    "order": item_order,
                    "title": item_title,
                    "description": item_description,
                    "target_date": target,
                },
            )
            item.lead_organisations.set([organisations[slug] for slug in leads])
    return plan


def load_seed_data() -> str:
    meeting_slugs = {SYMPOSIUM, FORTY_FOURTH, TRENTO, BRIEFING}
    meetings = {meeting.slug: meeting for meeting in Meeting.objects.filter(slug__in=meeting_slugs)}
    missing = meeting_slugs - set(meetings)
    if missing:
        raise LookupError(f"Load the meetings seed first; missing meetings: {sorted(missing)}")
    organisations = {organisation.slug: organisation for organisation in Organisation.objects.all()}
    # The current plan last, so that the one-current-plan constraint never sees two.
    plans = [_load_plan(spec, meetings, organisations) for spec in (WORK_PLAN_2020, PLAN_2022_2024)]

    items = {
        (item.plan.slug, item.code): item for item in ActionItem.objects.select_related("plan")
    }
    for plan_slug, code, meeting_slug, order in AGENDA_LINKS:
        agenda_item = AgendaItem.objects.get(meeting=meetings[meeting_slug], order=order)
        items[(plan_slug, code)].agenda_items.add(agenda_item)

    updated = set()
    for plan_slug, code, date, precision, status, progress, text, meeting, source, name in UPDATES:
        item = items[(plan_slug, code)]
        upsert(
            ProgressUpdate,
            {"item": item, "date": date},
            {
                "date_precision": precision,
                "status": status,
                "progress": progress,
                "text": text,
                "source_meeting": meetings[meeting] if meeting else None,
                "source_title": source,
                "reported_by": Person.objects.get(name=name) if name else None,
            },
        )
        updated.add(item.pk)
    # The updates are written idempotently above; the items then follow them, through the one
    # service that keeps an item's status and progress in line with its latest update.
    for item in ActionItem.objects.filter(pk__in=updated):
        action_item_refresh_state(item=item)

    item_count = ActionItem.objects.filter(plan__in=plans).count()
    return f"{len(plans)} plans, {item_count} action items, {len(UPDATES)} progress updates"
