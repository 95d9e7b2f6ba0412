"""Knowledge Hub factories: resources are made through `resource_create`, as the portal does,
so their authors text and search vector are those of a real resource."""

import datetime

import factory

from knowledgehub.models import Licence, Resource, ResourceKind
from knowledgehub.services import resource_create
from members.models import DatePrecision


class ResourceFactory(factory.Factory):
    """ResourceFactory(title=..., authors=["Ilcheong Yi"], sdgs=[8], themes=["Finance"], ...)."""

    class Meta:
        model = Resource

    kind = ResourceKind.RESEARCH_PAPER
    title = factory.Sequence(lambda n: f"Working notes number {n}")
    abstract = ""
    authors = ()
    organisations = ()
    published_on = datetime.date(2022, 6, 1)
    published_precision = DatePrecision.YEAR
    language = "en"
    sdgs = ()
    themes = ()
    licence = Licence.CC_BY

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return resource_create(**kwargs)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("Resources are only made through resource_create.")
