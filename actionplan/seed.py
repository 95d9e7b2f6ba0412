"""The action plans of the source documents (../shared/seeds/), and the progress they report.

- The Action Plan 2022-2024, laid out as in the Brief Report of the Third Technical Symposium
  (March 2022): three priority areas, the transversal area and eighteen actions. Titles keep
  the report's words (capitalisation made consistent); descriptions summarise its text.
- The work plan for 2020: the three priorities the Trento retreat (21-22 November 2019) set.

Lead organisations are named only where a document says who leads: the awareness-raising
package was led by the ITCILO (44th meeting); the OECD recommendation and guiding principles
are the OECD's own process, as the ILC general discussion is the ILO's (symposium report).
Every other action keeps its leads empty rather than guess them.

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
from untfsse.seeding import upsert

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
                    "A General Assembly resolution making the SSE a priority in UN and national "
                    "policies for the 2030 Agenda would be a milestone. Tabling it is up to "
                    "Member States and needs champion countries; the Task Force helps interested "
                    "countries find their way through the UN system and gives them technical "
                    "expertise on the SSE.",
                    [],
                    None,
                ),
                (
                    "1.2",
                    "Support the ILC general discussion on SSE and decent work at ILO",
                    "In June 2022 the International Labour Conference holds its first general "
                    "discussion on decent work and the SSE: a chance for a universal definition "
                    "of the SSE and its principles and values, and for policy guidance to "
                    "Member States. The Task Force follows the process; its observers can apply "
                    "to observe the discussion.",
                    ["ilo"],
                    None,
                ),
                (
                    "1.3",
                    "Support the adoption of OECD guiding principles",
                    "The OECD is preparing a draft Recommendation and guiding principles on the "
                    "SSE and social innovation for approval by its Council, with consultations "
                    "open to SSE stakeholders beyond governments. The Task Force follows the "
                    "process.",
                    ["oecd"],
                    None,
                ),
                (
                    "1.4",
                    "Identify, participate and engage in key international alliances and events",
                    "Taking part in key international events such as the High-Level Political "
                    "Forum of July 2022 to link the SSE and the SDGs in public debate; staying "
                    "active in the working groups of the Pact for Impact Alliance and reaching "
                    "other alliances and networks beyond the SSE; working with the UN Economist "
                    "Network, including on a policy brief on the SSE.",
                    [],
                    None,
                ),
                (
                    "1.5",
                    "Strengthen synergies and engage with countries and local governments",
                    "Working with key countries and groups of governments to build enabling "
                    "environments for SSE ecosystems at national level and to have the SSE "
                    "recognised regionally and internationally as a tool for inclusive and "
                    "sustainable development, drawing on the observers' experience of dialogue "
                    "with national and local governments.",
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
                    "Developing the Knowledge Hub, the online platform of research on the SSE as "
                    "a means of implementing the SDGs: a stronger advisory group, the SSE "
                    "encyclopedia in progress, more submitted papers and new research areas "
                    "(social innovation and young SSE entrepreneurs, the SSE against climate "
                    "change and for a just transition, SSE statistics), and a more lively and "
                    "accessible repository.",
                    [],
                    None,
                ),
                (
                    "2.2",
                    "Publish the UNTFSSE new position paper",
                    "Updating the Task Force's 2014 position paper \u201cSocial and Solidarity "
                    "Economy and the Challenge of Sustainable Development\u201d to set out what "
                    "the SSE can do today and for the SDGs, aiming for publication by September "
                    "2022.",
                    [],
                    # "by September 2022": the end of that month.
                    datetime.date(2022, 9, 30),
                ),
                (
                    "2.3",
                    "Strengthen the accessibility of knowledge and launch a UNTFSSE awareness "
                    "raising package on the SSE",
                    "An awareness-raising package on the SSE (for example a MOOC) for a wider "
                    "audience and for policy makers, reusing existing material: \u201cSSE in a "
                    "nutshell\u201d and deeper modules on topics such as SSE and public "
                    "policies; working with academic institutions and resource sites such as "
                    "socioeco.org.",
                    ["itcilo"],
                    None,
                ),
                (
                    "2.4",
                    "Strengthen the communication and outreach of the UNTFSSE",
                    "An overall communication and branding strategy for more visibility within "
                    "the UN, alongside the website, social media and the communications group; "
                    "new formats such as reusable social media content, learning pills, "
                    "animated videos, podcasts and storytelling.",
                    [],
                    None,
                ),
                (
                    "2.5",
                    "Keep organizing the UNTFSSE conferences",
                    "After the first international conference in 2019 on the role of the SSE in "
                    "implementing the SDGs, holding further conferences every two to three "
                    "years, with preparatory material and the funds to make them happen.",
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
                    "social investment, and a working group on access to finance that also "
                    "looks at the Secretary-General's financing for development initiative in "
                    "the COVID era and beyond.",
                    [],
                    None,
                ),
                (
                    "3.4",
                    "Establish an interactive engagement with youth organizations on the "
                    "promotion of the SSE",
                    "Finding the most representative youth groups in the UN system and beyond "
                    "and opening a dialogue with them: the SSE's mix of economic, social and "
                    "environmental goals can appeal to young people and young entrepreneurs.",
                    [],
                    None,
                ),
                (
                    "3.5",
                    "Explore formal monitoring, reporting or rating of countries on SSE",
                    "Studying existing SSE monitoring systems in countries and regions and "
                    "recommending effective ways to monitor the SSE's progress at global, "
                    "regional and national levels.",
                    [],
                    None,
                ),
            ],
        ),
        (
            None,
            "Strengthening the UNTFSSE governance",
            "Effective, smooth and transparent governance, one of the conditions for reaching "
            "the Task Force's joint objectives.",
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
                    "Keeping the Task Force sustainable, starting with the transition to a new "
                    "Chair and Secretariat in 2022.",
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
                    "The SSE has no universal definition or guideline yet. The ILO Centenary "
                    "Declaration for the Future of Work (2019) mentioned it; a UN resolution "
                    "would give the SSE more recognition and the Task Force an official "
                    "mandate.",
                    [],
                    None,
                ),
                (
                    "1.2",
                    "Improving communications",
                    "Building on the SSE Knowledge Hub, the repository of the Task Force's "
                    "research, with communication strategies under one umbrella that draw on "
                    "the platforms of members and observers (ILO, UNRISD, socioeco.org by "
                    "RIPESS, Euricse, CIRIEC).",
                    [],
                    None,
                ),
                (
                    "1.3",
                    "Adopting a programmatic approach",
                    "A programme drawing on the members' different expertise, with stronger "
                    "commitments from funding and non-funding partners.",
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
        "The 110th International Labour Conference held its general discussion on decent work "
        "and the social and solidarity economy, the first of its kind in the UN system, and the "
        "ILO's 187 Member States adopted a resolution on decent work and the SSE.",
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
        "economy for sustainable development. It encourages Member States to support the SSE "
        "through national, local and regional strategies and programmes, asks UN development "
        "entities and financial institutions to support it, and requests a report from the "
        "Secretary-General, prepared with the Task Force, for the next session of the General "
        "Assembly. The resolution refers to the ILC general discussion of June 2022.",
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
        "After discussing the need to engage developed and developing countries so that the SSE "
        "is understood and not side-lined, the Task Force agreed to start a working group to "
        "build and carry out a strategy for engaging countries. Its priorities include engaging "
        "UN DESA on Voluntary National Reviews and forming a group of key countries as "
        "\u201cfriends of the SSE\u201d in the UN system.",
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
        "Updates on the ongoing and future activities of the Knowledge Hub and the SSE "
        "Encyclopedia.",
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
        "The global awareness-raising package on the SSE, led by the ITCILO, has been "
        "published and is on the front page of the Task Force's website. The Task Force is "
        "looking at ways of disseminating it to reach people not yet familiar with the SSE.",
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
        "Update on the implementation of the communication strategy and outreach activities, "
        "with data analytics for the first half of 2023. The next target is the country level "
        "(UN offices and their communication officers).",
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
