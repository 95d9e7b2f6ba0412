"""The Knowledge Hub items the source documents name (../shared/seeds/), as metadata only.

The portal has none of their files, so none is attached, and no licence, DOI or address is
guessed: what the documents do not say stays empty ("Licence not stated"). Dates are only as
precise as the documents: "March 2022", "2014", "2023". The abstracts are written from what the
documents say about each item.
"""

import datetime

from knowledgehub.models import Licence, Resource, ResourceKind
from knowledgehub.services import resource_create, resource_update
from members.models import DatePrecision, Organisation

RESOURCES = [
    {
        # 002: the brief report itself ("Brief Report, March 2022", "Report prepared by ILO and
        # ITCILO"). SDG 8: it prepares the ILC general discussion on decent work and the SSE;
        # SDG 17: its actions are partnerships, fund-raising and joint programmes.
        "kind": ResourceKind.REPORT,
        "title": "Third Technical Symposium, 6-10 December 2021: Brief Report",
        "abstract": (
            "The brief report of the Task Force's third technical symposium, held online from "
            "6 to 10 December 2021 and organised by the ILO, which then chaired the Task Force "
            "and ran its secretariat, with ITCILO support. Its fifty participants, from eight "
            "member and twelve observer organisations, looked back on the 2020-2022 biennium and agreed "
            "on the Action Plan 2022-2024: three priority areas (mainstreaming the SSE's "
            "international dimension and profile; boosting the creation and sharing of "
            "knowledge on the SSE and the SDGs; developing strategic areas of intervention) and "
            "a transversal area on the Task Force's governance, each with the concrete actions "
            "members and observers will take together, from supporting a UN resolution on the "
            "SSE to a fund-raising strategy and engagement with youth organisations."
        ),
        "organisations": ["ilo", "itcilo"],
        "published_on": datetime.date(2022, 3, 1),
        "published_precision": DatePrecision.MONTH,
        "sdgs": [8, 17],
        "themes": ["Action plan", "UN resolution on the SSE", "Governance of the Task Force"],
    },
    {
        # 002: "The UNTFSSE drafted a position paper on 'Social and Solidarity Economy and the
        # Challenge of Sustainable Development' in 2014." Written by the Task Force itself, so
        # it has neither personal authors nor a single organisation: it is cited under the
        # Task Force's name. It predates the SDGs (2015), so no goal is assigned.
        "kind": ResourceKind.POSITION_PAPER,
        "title": "Social and Solidarity Economy and the Challenge of Sustainable Development",
        "abstract": (
            "The position paper on the social and solidarity economy and sustainable "
            "development that the Task Force drafted in 2014. Under its Action Plan 2022-2024 "
            "the Task Force plans a new version explaining what the SSE can contribute in the "
            "present-day world and towards the Sustainable Development Goals."
        ),
        "organisations": [],
        "published_on": datetime.date(2014, 1, 1),
        "published_precision": DatePrecision.YEAR,
        "sdgs": [],
        "themes": ["Sustainable development"],
    },
    {
        # 000: "the recently published global awareness-raising package on the SSE, which was
        # led by ITC-ILO" (44th meeting, July 2023); 002 plans it under priority area 2.
        "kind": ResourceKind.TRAINING_MATERIAL,
        "title": "Global awareness-raising package on the social and solidarity economy",
        "abstract": (
            "An awareness-raising package on the social and solidarity economy, produced under "
            "the ITCILO's lead and presented as recently published at the Task Force's 44th "
            "meeting (July 2023). It is an action of the Task Force's Action Plan 2022-2024 "
            "(priority area 2: boosting the creation and sharing of knowledge on the SSE and "
            "the SDGs), meant to make knowledge on the SSE accessible to a wider audience, "
            "including policy makers and people not yet familiar with the SSE. It is available "
            "from the front page of the UNTFSSE website."
        ),
        "organisations": ["itcilo"],
        "published_on": datetime.date(2023, 1, 1),
        "published_precision": DatePrecision.YEAR,
        "sdgs": [],
        "themes": ["Awareness raising", "Training"],
    },
]


def _differs(resource: Resource, item: dict, organisations: list[Organisation]) -> bool:
    fields = ["kind", "abstract", "published_on", "published_precision"]
    if any(getattr(resource, name) != item[name] for name in fields):
        return True
    if resource.licence != Licence.NOT_STATED or resource.language != "en":
        return True
    return (
        {o.pk for o in resource.organisations.all()} != {o.pk for o in organisations}
        or sorted(sdg.number for sdg in resource.sdgs.all()) != sorted(item["sdgs"])
        or sorted(theme.name for theme in resource.themes.all()) != sorted(item["themes"])
    )


def load_seed_data() -> str:
    """Create or update the three resources; running it again changes nothing."""
    created = 0
    for item in RESOURCES:
        organisations = list(Organisation.objects.filter(slug__in=item["organisations"]))
        values = {
            "kind": item["kind"],
            "abstract": item["abstract"],
            "published_on": item["published_on"],
            "published_precision": item["published_precision"],
            "language": "en",
            "licence": Licence.NOT_STATED,
        }
        resource = (
            Resource.objects.prefetch_related("organisations", "sdgs", "themes")
            .filter(title=item["title"])
            .first()
        )
        if resource is None:
            resource_create(
                title=item["title"],
                organisations=organisations,
                sdgs=item["sdgs"],
                themes=item["themes"],
                by=None,
                **values,
            )
            created += 1
        elif _differs(resource, item, organisations):
            resource_update(
                resource=resource,
                by=None,
                organisations=organisations,
                sdgs=item["sdgs"],
                themes=item["themes"],
                **values,
            )
    return f"{len(RESOURCES)} resources ({created} new)"
